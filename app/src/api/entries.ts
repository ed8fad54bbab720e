import { type Cma, type Collection, type ContentType, environmentPath, type Link } from './cma';

export type Fields = Record<string, Record<string, unknown> | undefined>;

export interface EntrySys {
  type: 'Entry';
  id: string;
  version: number;
  publishedVersion?: number;
  archivedVersion?: number;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  createdBy?: Link;
  updatedBy?: Link;
  contentType: Link;
  [key: string]: unknown;
}
export interface Entry {
  sys: EntrySys;
  fields: Fields;
  metadata?: { tags: Link[]; [key: string]: unknown };
}
export interface Locale {
  code: string;
  name: string;
  default: boolean;
  optional: boolean;
  fallbackCode: string | null;
}
export interface EditorInterface {
  controls?: { fieldId: string; widgetId?: string; widgetNamespace?: string; settings?: Record<string, unknown> }[];
}
export interface Snapshot {
  sys: { id: string; createdAt: string; createdBy?: Link; snapshotType: string };
  snapshot: { fields: Fields; sys: EntrySys };
}
/** The entry editor's calls: one entry, its content type and editor interface, its lifecycle and history. */
export function entriesApi(cma: Cma, spaceId: string, environmentId: string) {
  const base = environmentPath(spaceId, environmentId);
  const entryPath = (id: string) => `${base}/entries/${encodeURIComponent(id)}`;
  return {
    get: (id: string) => cma.request<Entry>('GET', entryPath(id)),
    update: (id: string, body: Pick<Entry, 'fields' | 'metadata'>, version: number) =>
      cma.request<Entry>('PUT', entryPath(id), { body, version }),
    publish: (id: string, version: number) => cma.request<Entry>('PUT', `${entryPath(id)}/published`, { version }),
    unpublish: (id: string, version: number) => cma.request<Entry>('DELETE', `${entryPath(id)}/published`, { version }),
    archive: (id: string, version: number) => cma.request<Entry>('PUT', `${entryPath(id)}/archived`, { version }),
    unarchive: (id: string, version: number) => cma.request<Entry>('DELETE', `${entryPath(id)}/archived`, { version }),
    remove: (id: string, version: number) => cma.request<void>('DELETE', entryPath(id), { version }),
    snapshots: (id: string) => cma.request<Collection<Snapshot>>('GET', `${entryPath(id)}/snapshots?limit=100`),
    references: (id: string) =>
      cma.request<{ items: Entry[]; includes?: { Entry?: Entry[]; Asset?: unknown[] } }>('GET', `${entryPath(id)}/references?include=2`),
    contentType: (id: string) => cma.request<ContentType>('GET', `${base}/content_types/${encodeURIComponent(id)}`),
    editorInterface: (contentTypeId: string) =>
      cma.request<EditorInterface>('GET', `${base}/content_types/${encodeURIComponent(contentTypeId)}/editor_interface`),
    locales: () => cma.request<Collection<Locale>>('GET', `${base}/locales?limit=1000`),
  };
}
export type EntriesApi = ReturnType<typeof entriesApi>;
