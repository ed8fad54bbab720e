/**
 * The editorial life cycle shared by entries and assets (seed 001, "Publishing", "Archiving"):
 * draft -> published -> changed -> published ..., archive only when unpublished, nothing but unarchive
 * while archived, delete only when unpublished. A transition is computed from the row as read and then
 * written locked on the version it was computed from (src/resources/publishable/repository.ts).
 */

export type PublishableType = 'Entry' | 'Asset';

export type Transition = 'publish' | 'unpublish' | 'archive' | 'unarchive' | 'update' | 'delete';

/** `{fieldId: {localeCode: value}}`, the shape of entry and asset fields. */
export type Fields = Record<string, Record<string, unknown>>;

/** The columns the life cycle reads and writes. */
export interface PublishingState {
  fields: Fields;
  tags: string[];
  /** `metadata.concepts`: taxonomy concept ids. */
  concepts: string[];
  version: number;
  updated_at: Date;
  updated_by: string | null;
  published_fields: Fields | null;
  published_tags: string[] | null;
  published_concepts: string[] | null;
  /** Locale-based publishing's published locales; null: entry-level publishing (every locale) or unpublished. */
  published_locales: string[] | null;
  published_version: number | null;
  published_counter: number;
  first_published_at: Date | null;
  published_at: Date | null;
  published_by: string | null;
  archived_at: Date | null;
  archived_version: number | null;
  archived_by: string | null;
}

export const isPublished = (row: PublishingState) => row.published_version !== null;
export const isArchived = (row: PublishingState) => row.archived_version !== null;

/** Why a transition is refused in the current state, or undefined when it is allowed. */
export function stateViolation(type: PublishableType, row: PublishingState, transition: Transition): string | undefined {
  const name = type.toLowerCase();
  switch (transition) {
    case 'publish':
      return isArchived(row) ? `Cannot publish an archived ${name}; unarchive it first` : undefined;
    case 'unpublish':
      return isPublished(row) ? undefined : `Cannot unpublish a ${name} that is not published`;
    case 'archive':
      if (isArchived(row)) return `The ${name} is already archived`;
      return isPublished(row) ? `Cannot archive a published ${name}; unpublish it first` : undefined;
    case 'unarchive':
      return isArchived(row) ? undefined : `Cannot unarchive a ${name} that is not archived`;
    case 'update':
      return isArchived(row) ? `Cannot update an archived ${name}; unarchive it first` : undefined;
    case 'delete':
      return isPublished(row) ? `Cannot delete a published ${name}; unpublish it first` : undefined;
  }
}

/**
 * The row after `transition`, computed from the current one (the write is then locked on the current
 * version, so nothing else can have changed it in between). `version` always moves on by one.
 */
export function transitionedRow<R extends PublishingState>(
  transition: Exclude<Transition, 'update' | 'delete'>,
  current: R,
  userId: string,
  now: Date,
): R {
  const next: R = { ...current, version: current.version + 1, updated_at: now, updated_by: userId };
  switch (transition) {
    case 'publish':
      return {
        ...next,
        published_fields: current.fields,
        published_tags: current.tags,
        published_concepts: current.concepts,
        published_locales: null,
        published_version: current.version,
        published_counter: current.published_counter + 1,
        published_at: now,
        published_by: userId,
        first_published_at: current.first_published_at ?? now,
      };
    case 'unpublish':
      return {
        ...next,
        published_fields: null,
        published_tags: null,
        published_concepts: null,
        published_locales: null,
        published_version: null,
        published_at: null,
        published_by: null,
      };
    case 'archive':
      return { ...next, archived_at: now, archived_version: current.version, archived_by: userId };
    case 'unarchive':
      return { ...next, archived_at: null, archived_version: null, archived_by: null };
  }
}

/** The row after a save of new draft fields, tags and (when the draft names them) concepts. */
export function savedRow<R extends PublishingState>(
  current: R,
  draft: { fields: Fields; tags: string[]; concepts?: string[] },
  userId: string,
  now: Date,
): R {
  return {
    ...current,
    fields: draft.fields,
    tags: draft.tags,
    concepts: draft.concepts ?? current.concepts,
    version: current.version + 1,
    updated_at: now,
    updated_by: userId,
  };
}

/**
 * The published fields after publishing (`add`) or unpublishing (`remove`) some locales only (Contentful's
 * locale-based publishing): the listed locales of localized fields take the draft's value (or lose theirs),
 * the others keep what was published; non-localized fields follow the draft when locales are added.
 */
export function localePublishedFields(
  draft: Fields,
  published: Fields | null,
  change: { add?: string[]; remove?: string[] },
  localized: (fieldId: string) => boolean,
): Fields {
  const next: Fields = {};
  for (const [fieldId, byLocale] of Object.entries(published ?? {})) next[fieldId] = { ...byLocale };
  for (const fieldId of new Set([...Object.keys(draft), ...Object.keys(next)])) {
    const values = draft[fieldId] ?? {};
    if (!localized(fieldId)) {
      if (change.add?.length) next[fieldId] = { ...values };
      continue;
    }
    const kept = next[fieldId] ?? {};
    for (const locale of change.add ?? []) {
      if (values[locale] === undefined || values[locale] === null) delete kept[locale];
      else kept[locale] = values[locale];
    }
    for (const locale of change.remove ?? []) delete kept[locale];
    next[fieldId] = kept;
  }
  for (const fieldId of Object.keys(next)) if (Object.keys(next[fieldId]!).length === 0) delete next[fieldId];
  return next;
}

/**
 * The published locales after publishing (`add`) or taking back (`remove`) some locales: an entry published
 * entry-level had every locale of the environment published (the set is fixed from then on, so a locale
 * added to the space later waits for a publish), an unpublished one none. Empty means unpublished.
 */
export function localePublishedLocales(
  current: PublishingState,
  change: { add?: string[]; remove?: string[] },
  environmentLocales: string[],
) {
  const published = new Set(current.published_locales ?? (isPublished(current) ? environmentLocales : []));
  for (const code of change.add ?? []) published.add(code);
  for (const code of change.remove ?? []) published.delete(code);
  return [...published].sort();
}
