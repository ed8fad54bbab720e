import { type Cma, type Collection, environmentPath, type Link, type User } from './cma';

/** An entry as the CMA's entry search answers it (fields by field id, then locale). */
export interface Entry {
  fields: Record<string, Record<string, unknown> | undefined>;
  metadata?: { tags: Link[] };
  sys: {
    id: string;
    version: number;
    publishedVersion?: number;
    archivedVersion?: number;
    updatedAt: string;
    updatedBy?: Link;
    contentType: Link;
  };
}
export interface EntryCollection extends Collection<Entry> {
  total: number;
  skip: number;
  limit: number;
}
export interface Locale {
  code: string;
  name: string;
  default: boolean;
}
export interface Tag {
  name: string;
  sys: { id: string; visibility?: string };
}

/** The query string of `GET .../entries`, one value per parameter, in the CMA's grammar. */
export type EntryQuery = Record<string, string>;

export function searchEntries(cma: Cma, spaceId: string, environmentId: string, query: EntryQuery) {
  return cma.request<EntryCollection>('GET', `${environmentPath(spaceId, environmentId)}/entries?${new URLSearchParams(query)}`);
}

export async function defaultLocale(cma: Cma, spaceId: string, environmentId: string): Promise<string> {
  const locales = await cma.request<Collection<Locale>>('GET', `${environmentPath(spaceId, environmentId)}/locales?limit=1000`);
  return (locales.items.find((l) => l.default) ?? locales.items[0])?.code ?? 'en-US';
}

export function environmentTags(cma: Cma, spaceId: string, environmentId: string) {
  return cma.request<Collection<Tag>>('GET', `${environmentPath(spaceId, environmentId)}/tags?limit=1000`);
}

/**
 * The space's users among `userIds`, in one request (`sys.id[in]`, as Contentful's web app asks; a server that
 * ignores the filter answers its first 1000 users, which the caller picks from).
 */
export function spaceUsers(cma: Cma, spaceId: string, userIds: string[]) {
  const query = new URLSearchParams({ 'sys.id[in]': userIds.join(','), limit: '1000' });
  return cma.request<Collection<User>>('GET', `/spaces/${encodeURIComponent(spaceId)}/users?${query}`);
}

/** A new, empty entry of a content type (the CMA picks its id). */
export function createEntry(cma: Cma, spaceId: string, environmentId: string, contentTypeId: string) {
  return cma.request<Entry>('POST', `${environmentPath(spaceId, environmentId)}/entries`, {
    body: { fields: {} },
    headers: { 'X-Contentful-Content-Type': contentTypeId },
  });
}
