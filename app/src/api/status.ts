export type EntityStatus = 'draft' | 'changed' | 'published' | 'archived';
export const ENTITY_STATUSES: EntityStatus[] = ['draft', 'changed', 'published', 'archived'];

/** Contentful's status of an entry or asset, from its versions. */
export function entityStatus(sys: { version: number; publishedVersion?: number; archivedVersion?: number }): EntityStatus {
  if (sys.archivedVersion) return 'archived';
  if (!sys.publishedVersion) return 'draft';
  return sys.version === sys.publishedVersion + 1 ? 'published' : 'changed';
}
