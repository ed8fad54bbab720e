/**
 * Releases (Contentful's "Launch"), their actions and scheduled actions over the CMA, built on `cma.request`;
 * and the batched lookups of the entries, assets and releases they name (`sys.id[in]`, never one request per item).
 */
import { type Cma, CmaError, type Collection, type ContentType, environmentPath, type Link } from './cma';

export type EntityType = 'Entry' | 'Asset';
/** One entity of a release: a plain link (Release.v1) or `{ entity, action }` (Release.v2). */
export type ReleaseItem = Link | { entity: Link; action: 'publish' | 'unpublish' };

export interface Release {
  title: string;
  entities: { sys?: { type: 'Array' }; items: ReleaseItem[] };
  metadata?: Record<string, unknown>;
  sys: {
    id: string;
    version: number;
    status: 'active' | 'archived';
    createdAt: string;
    updatedAt: string;
    createdBy?: Link;
    updatedBy?: Link;
    lastAction?: Link;
    schemaVersion?: 'Release.v2';
  };
}

export type ReleaseActionName = 'publish' | 'unpublish' | 'validate';
export type ReleaseActionStatus = 'created' | 'inProgress' | 'succeeded' | 'failed';

/** A refusal as the CMA records it: `sys.id`, message and (for validation) `details.errors`. */
export interface RecordedError {
  sys: { id: string };
  message?: string;
  /** Validation errors, or (a release's failed action) each entity with its own refusal. */
  details?: {
    errors?: { name?: string; path?: (string | number)[]; details?: string; value?: unknown; entity?: Link; error?: RecordedError }[];
  };
}

export interface ReleaseAction {
  action: ReleaseActionName;
  sys: { id: string; status: ReleaseActionStatus; release: Link; createdAt: string; updatedAt: string; createdBy?: Link };
  /** A failed action: each entity's refusal in `details.errors`. */
  error?: RecordedError & { details?: { errors?: { entity: Link; error: RecordedError }[] } };
}

export type ScheduledStatus = 'scheduled' | 'succeeded' | 'failed' | 'canceled';
export interface ScheduledAction {
  action: 'publish' | 'unpublish';
  entity: { sys: { type: 'Link'; linkType: 'Entry' | 'Asset' | 'Release'; id: string } };
  environment: Link;
  scheduledFor: { datetime: string; timezone?: string };
  error?: RecordedError;
  sys: {
    id: string;
    version: number;
    status: ScheduledStatus;
    createdAt: string;
    createdBy?: Link;
    canceledAt?: string;
    canceledBy?: Link;
  };
}

interface Page<T> extends Collection<T> {
  pages?: { next?: string };
}

/** The entry or asset a release item names. */
export function itemLink(item: ReleaseItem): { linkType: EntityType; id: string } {
  const sys = 'entity' in item ? item.entity.sys : item.sys;
  return { linkType: sys.linkType as EntityType, id: sys.id };
}

/** What publishing the release does with the item (a Release.v1 item is always published). */
export function itemAction(item: ReleaseItem): 'publish' | 'unpublish' {
  return 'entity' in item ? item.action : 'publish';
}

export const sameItem = (a: { linkType: string; id: string }, b: { linkType: string; id: string }) =>
  a.linkType === b.linkType && a.id === b.id;

/** A new item in the release's own shape (Release.v2 `{ entity, action: 'publish' }`, otherwise a link). */
export function newItem(schemaVersion: string | undefined, linkType: EntityType, id: string): ReleaseItem {
  const link: Link = { sys: { type: 'Link', linkType, id } };
  return schemaVersion === 'Release.v2' ? { entity: link, action: 'publish' } : link;
}

export function link(linkType: string, id: string): Link {
  return { sys: { type: 'Link', linkType, id } };
}

/** The per-entity refusals of a failed release action, keyed `Entry:id` / `Asset:id`. */
export function entityErrors(action: ReleaseAction | undefined): Map<string, RecordedError> {
  const errors = new Map<string, RecordedError>();
  for (const item of action?.error?.details?.errors ?? []) errors.set(`${item.entity.sys.linkType}:${item.entity.sys.id}`, item.error);
  return errors;
}

export interface Titled {
  sys: { id: string; version: number; publishedVersion?: number; archivedVersion?: number; contentType?: Link };
  fields: Record<string, Record<string, unknown> | undefined>;
}

export type ReleasesApi = ReturnType<typeof releasesApi>;

export function releasesApi(cma: Cma, spaceId: string, environmentId: string) {
  const base = environmentPath(spaceId, environmentId);
  const releasePath = (id: string) => `${base}/releases/${encodeURIComponent(id)}`;
  const scheduledPath = `/spaces/${encodeURIComponent(spaceId)}/scheduled_actions`;
  const environmentQuery = `environment.sys.id=${encodeURIComponent(environmentId)}`;
  const body = (release: Pick<Release, 'title' | 'entities' | 'metadata' | 'sys'>) => ({
    title: release.title,
    entities: { sys: { type: 'Array' }, items: release.entities.items },
    ...(release.metadata ? { metadata: release.metadata } : {}),
  });

  /** Entries or assets by id, in requests of at most 100 ids (the CMA's `sys.id[in]`). */
  async function byIds<T>(kind: 'entries' | 'assets', ids: string[]): Promise<T[]> {
    const unique = [...new Set(ids)];
    const found: T[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      const chunk = unique.slice(i, i + 100);
      const query = new URLSearchParams({ 'sys.id[in]': chunk.join(','), limit: String(chunk.length) });
      found.push(...(await cma.request<Collection<T>>('GET', `${base}/${kind}?${query}`)).items);
    }
    return found;
  }

  return {
    /** A page of releases, newest change first; `statuses` narrows them (`active`, `archived`). */
    list: (options: { statuses?: string[]; entityId?: string; next?: string } = {}) => {
      const query = new URLSearchParams({ limit: '100' });
      if (options.statuses?.length) query.set('sys.status[in]', options.statuses.join(','));
      if (options.entityId) query.set('entities.sys.id[in]', options.entityId);
      if (options.next) query.set('pageNext', options.next);
      return cma.request<Page<Release>>('GET', `${base}/releases?${query}`);
    },
    get: (id: string) => cma.request<Release>('GET', releasePath(id)),
    create: (title: string, items: ReleaseItem[] = []) =>
      cma.request<Release>('POST', `${base}/releases`, { body: { title, entities: { sys: { type: 'Array' }, items } } }),
    /** Saves the release at the version it was loaded at (a newer one on the server is a 409). */
    update: (release: Release, changes: Partial<Pick<Release, 'title' | 'entities'>>) =>
      cma.request<Release>('PUT', releasePath(release.sys.id), { body: body({ ...release, ...changes }), version: release.sys.version }),
    remove: (release: Release) => cma.request<void>('DELETE', releasePath(release.sys.id)),
    archive: (release: Release) => cma.request<Release>('PUT', `${releasePath(release.sys.id)}/archived`, { version: release.sys.version }),
    unarchive: (release: Release) =>
      cma.request<Release>('DELETE', `${releasePath(release.sys.id)}/archived`, { version: release.sys.version }),
    /** Starts an action; the CMA answers at once (`created`) and carries it out in the background. */
    start: (release: Release, action: ReleaseActionName) => {
      const path = releasePath(release.sys.id);
      if (action === 'validate') return cma.request<ReleaseAction>('POST', `${path}/validate`);
      return cma.request<ReleaseAction>(action === 'publish' ? 'PUT' : 'DELETE', `${path}/published`, { version: release.sys.version });
    },
    action: (releaseId: string, actionId: string) =>
      cma.request<ReleaseAction>('GET', `${releasePath(releaseId)}/actions/${encodeURIComponent(actionId)}`),
    /** Release actions by id, in one request. */
    actions: (ids: string[]) =>
      ids.length === 0
        ? Promise.resolve({ items: [] as ReleaseAction[] })
        : cma.request<Collection<ReleaseAction>>(
            'GET',
            `${base}/release_actions?${new URLSearchParams({ 'sys.id[in]': ids.join(','), limit: String(ids.length) })}`,
          ),
    releasesByIds: (ids: string[]) =>
      ids.length === 0
        ? Promise.resolve([] as Release[])
        : cma
            .request<Page<Release>>(
              'GET',
              `${base}/releases?${new URLSearchParams({ 'sys.id[in]': [...new Set(ids)].join(','), limit: '1000' })}`,
            )
            .then((page) => page.items),
    entries: (ids: string[]) => byIds<Titled & { sys: { contentType: Link } }>('entries', ids),
    assets: (ids: string[]) => byIds<Titled>('assets', ids),
    /** Entries or assets matching a full-text query, newest change first (the picker's search). */
    search: (kind: 'entries' | 'assets', text: string) => {
      const query = new URLSearchParams({ limit: '20', order: '-sys.updatedAt' });
      if (text) query.set('query', text);
      return cma.request<Collection<Titled>>('GET', `${base}/${kind}?${query}`);
    },
    contentTypes: () => cma.request<Collection<ContentType>>('GET', `${base}/content_types?limit=1000`),
    defaultLocale: async () => {
      const locales = await cma.request<Collection<{ code: string; default: boolean }>>('GET', `${base}/locales?limit=1000`);
      return (locales.items.find((l) => l.default) ?? locales.items[0])?.code ?? 'en-US';
    },

    /** The environment's scheduled actions with these statuses, in the order they fall due (or latest first). */
    scheduled: (options: {
      statuses: ScheduledStatus[];
      entityId?: string;
      linkType?: 'Entry' | 'Asset' | 'Release';
      descending?: boolean;
      next?: string;
    }) => {
      const query = new URLSearchParams({
        'environment.sys.id': environmentId,
        'sys.status[in]': options.statuses.join(','),
        order: options.descending ? '-scheduledFor.datetime' : 'scheduledFor.datetime',
        limit: '100',
      });
      if (options.entityId) query.set('entity.sys.id', options.entityId);
      if (options.linkType) query.set('entity.sys.linkType', options.linkType);
      if (options.next) query.set('next', options.next);
      return cma.request<Page<ScheduledAction>>('GET', `${scheduledPath}?${query}`);
    },
    schedule: (
      entity: { linkType: 'Entry' | 'Asset' | 'Release'; id: string },
      action: 'publish' | 'unpublish',
      datetime: string,
      timezone: string,
    ) =>
      cma.request<ScheduledAction>('POST', scheduledPath, {
        body: {
          entity: link(entity.linkType, entity.id),
          environment: link('Environment', environmentId),
          action,
          scheduledFor: { datetime, timezone },
        },
      }),
    /** Cancels it (`DELETE`): the CMA keeps it as `canceled`. */
    cancelScheduled: (id: string) =>
      cma.request<ScheduledAction>('DELETE', `${scheduledPath}/${encodeURIComponent(id)}?${environmentQuery}`),
  };
}

const POLL_FIRST_MS = 300;
const POLL_MAX_MS = 2000;
const POLL_LIMIT_MS = 5 * 60_000;

/**
 * Polls a release action until it succeeded or failed, at growing intervals (a timer: the CMA carries it out in
 * the background); `stopped()` ends the polling early (the page was left).
 */
export async function finishedAction(api: ReleasesApi, started: ReleaseAction, stopped: () => boolean): Promise<ReleaseAction | undefined> {
  const deadline = Date.now() + POLL_LIMIT_MS;
  let action = started;
  let delay = POLL_FIRST_MS;
  while (action.sys.status !== 'succeeded' && action.sys.status !== 'failed') {
    if (Date.now() + delay > deadline) {
      throw new CmaError(0, 'ActionTimeout', 'The release action has not finished after five minutes; look at the release again later.');
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (stopped()) return undefined;
    action = await api.action(action.sys.release.sys.id, action.sys.id);
    delay = Math.min(delay * 2, POLL_MAX_MS);
  }
  return action;
}
