import { dropUndefined, environmentScope, iso, link, userLink } from '../../http/sys.js';
import { conceptLinks } from '../taxonomy/views.js';
import type { PublishableRow, PublishableType } from './repository.js';

/** Links to the tags an entity carries, as `metadata.tags` shows them. */
export function tagLinks(tagIds: readonly string[] | null | undefined) {
  return (tagIds ?? []).map((id) => link('Tag', id));
}

/** Fields with the empty ones left out, as Contentful answers. */
export function nonEmptyFields(fields: Record<string, Record<string, unknown>>) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [fieldId, byLocale] of Object.entries(fields)) {
    if (!byLocale || typeof byLocale !== 'object') continue;
    const kept: Record<string, unknown> = {};
    for (const [locale, value] of Object.entries(byLocale)) if (value !== null && value !== undefined) kept[locale] = value;
    if (Object.keys(kept).length > 0) out[fieldId] = kept;
  }
  return out;
}

/** The management API's `sys` of an entry or asset (seed 001's examples). */
export function publishableSys(type: PublishableType, row: PublishableRow) {
  return dropUndefined({
    space: link('Space', row.space_id),
    id: row.id,
    type,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    environment: environmentScope(row.space_id, row.environment_id).environment,
    createdBy: userLink(row.created_by),
    updatedBy: userLink(row.updated_by),
    publishedCounter: row.published_counter,
    version: row.version,
    publishedVersion: row.published_version ?? undefined,
    publishedAt: iso(row.published_at),
    publishedBy: userLink(row.published_by),
    firstPublishedAt: iso(row.first_published_at),
    archivedAt: iso(row.archived_at),
    archivedVersion: row.archived_version ?? undefined,
    archivedBy: userLink(row.archived_by),
    contentType: row.content_type_id ? link('ContentType', row.content_type_id) : undefined,
  });
}

/** The entity as the management API returns it: draft fields, tags and full `sys` (entries: with `fieldStatus`). */
export function publishableView(type: PublishableType, row: PublishableRow) {
  return {
    metadata: { tags: tagLinks(row.tags), concepts: conceptLinks(row.concepts) },
    sys: type === 'Entry' ? { ...publishableSys(type, row), fieldStatus: fieldStatusOf(row) } : publishableSys(type, row),
    fields: nonEmptyFields(row.fields),
  };
}

const hasValue = (value: unknown) => value !== undefined && value !== null;

/**
 * `sys.fieldStatus` (locale-based publishing): for each locale, `draft` while it is not published,
 * `published` while its published values are the draft's, `changed` once they differ. Locales published one
 * by one are those of `published_locales` (with or without values of their own), any other locale with
 * draft values is `draft`; after an entry-level publish, a locale is published where it has published values.
 */
export function fieldStatusOf(row: PublishableRow): { '*': Record<string, 'draft' | 'published' | 'changed'> } {
  const draft = row.fields ?? {};
  const published = row.published_version === null ? {} : (row.published_fields ?? {});
  const publishedLocales = row.published_version === null ? null : row.published_locales;
  const localesOf = (fields: Record<string, Record<string, unknown>>) =>
    Object.values(fields).flatMap((byLocale) => Object.keys(byLocale ?? {}).filter((locale) => hasValue(byLocale[locale])));
  const isPublishedIn = (locale: string) =>
    publishedLocales ? publishedLocales.includes(locale) : Object.values(published).some((byLocale) => hasValue(byLocale?.[locale]));
  const status: Record<string, 'draft' | 'published' | 'changed'> = {};
  for (const locale of [...new Set([...localesOf(draft), ...(publishedLocales ?? localesOf(published))])].sort()) {
    if (!isPublishedIn(locale)) {
      status[locale] = 'draft';
      continue;
    }
    const same = [...new Set([...Object.keys(draft), ...Object.keys(published)])].every(
      (fieldId) => JSON.stringify(draft[fieldId]?.[locale] ?? null) === JSON.stringify(published[fieldId]?.[locale] ?? null),
    );
    status[locale] = same ? 'published' : 'changed';
  }
  return { '*': status };
}

/** Its published copy, for `/public/...` and for publish webhooks: what the CDA will serve. */
export function publishedCopyView(type: PublishableType, row: PublishableRow) {
  return {
    metadata: { tags: tagLinks(row.published_tags), concepts: conceptLinks(row.published_concepts) },
    sys: publishableSys(type, row),
    fields: nonEmptyFields(row.published_fields ?? {}),
  };
}

/** What unpublish and delete webhooks send (seed 000: "deletion objects", with the content type for entries). */
export function deletionView(type: PublishableType, row: PublishableRow) {
  return {
    sys: dropUndefined({
      type: type === 'Entry' ? 'DeletedEntry' : 'DeletedAsset',
      id: row.id,
      space: link('Space', row.space_id),
      environment: link('Environment', row.environment_id),
      contentType: row.content_type_id ? link('ContentType', row.content_type_id) : undefined,
      revision: row.published_counter,
      createdAt: iso(row.created_at),
      updatedAt: iso(new Date()),
      deletedAt: iso(new Date()),
    }),
  };
}

/** What a JSON Patch of an entry or asset sees: its draft fields and metadata, as the CMA shows them. */
export function patchableDocument(row: PublishableRow) {
  return { fields: nonEmptyFields(row.fields ?? {}), metadata: { tags: tagLinks(row.tags), concepts: conceptLinks(row.concepts) } };
}
