import type { ContentType } from '../../api/cma';
import type { Release, ReleasesApi, Titled } from '../../api/releases';
import { type EntityStatus, entityStatus } from '../../api/status';

export type LinkType = 'Entry' | 'Asset' | 'Release';
export interface EntityRef {
  linkType: LinkType;
  id: string;
}

/** What the pages show of an entry, asset or release they name. */
export interface EntityInfo extends EntityRef {
  title: string;
  /** The content type's name, "Asset" or "Release". */
  typeName: string;
  contentTypeId?: string;
  /** From the entity's versions (entries and assets). */
  status?: EntityStatus;
  /** Deleted, or not readable by the user. */
  missing?: boolean;
}

export const refKey = (ref: { linkType: string; id: string }) => `${ref.linkType}:${ref.id}`;

function fieldText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function describeEntry(entry: Titled, contentTypes: ContentType[], locale: string): EntityInfo {
  const contentType = contentTypes.find((t) => t.sys.id === entry.sys.contentType?.sys.id);
  const displayField = contentType?.displayField;
  return {
    linkType: 'Entry',
    id: entry.sys.id,
    title: (displayField && fieldText(entry.fields[displayField]?.[locale])) || 'Untitled',
    typeName: contentType?.name ?? entry.sys.contentType?.sys.id ?? 'Entry',
    contentTypeId: entry.sys.contentType?.sys.id,
    status: entityStatus(entry.sys),
  };
}

export function describeAsset(asset: Titled, locale: string): EntityInfo {
  return {
    linkType: 'Asset',
    id: asset.sys.id,
    title: fieldText(asset.fields.title?.[locale]) || 'Untitled',
    typeName: 'Asset',
    status: entityStatus(asset.sys),
  };
}

export function describeRelease(release: Release): EntityInfo {
  return { linkType: 'Release', id: release.sys.id, title: release.title, typeName: 'Release' };
}

/**
 * The entries, assets and releases `refs` name, each kind asked for in one request (`sys.id[in]`), with the
 * content types and default locale their titles need. One the CMA did not answer is `missing`.
 */
export async function describeEntities(api: ReleasesApi, refs: EntityRef[]): Promise<Map<string, EntityInfo>> {
  const ids = (linkType: LinkType) => refs.filter((r) => r.linkType === linkType).map((r) => r.id);
  const entryIds = ids('Entry');
  const [contentTypes, locale, entries, assets, releases] = await Promise.all([
    entryIds.length ? api.contentTypes().then((c) => c.items) : Promise.resolve([]),
    api.defaultLocale(),
    api.entries(entryIds),
    api.assets(ids('Asset')),
    api.releasesByIds(ids('Release')),
  ]);
  const described = new Map<string, EntityInfo>();
  for (const entry of entries) described.set(refKey({ linkType: 'Entry', id: entry.sys.id }), describeEntry(entry, contentTypes, locale));
  for (const asset of assets) described.set(refKey({ linkType: 'Asset', id: asset.sys.id }), describeAsset(asset, locale));
  for (const release of releases) described.set(refKey({ linkType: 'Release', id: release.sys.id }), describeRelease(release));
  for (const ref of refs) {
    if (!described.has(refKey(ref))) {
      described.set(refKey(ref), { ...ref, title: `${ref.id} (not found)`, typeName: ref.linkType, missing: true });
    }
  }
  return described;
}

/** Where the app edits the entity, relative to the environment's base path. */
export function entityPath(ref: EntityRef) {
  const section = ref.linkType === 'Entry' ? 'content' : ref.linkType === 'Asset' ? 'media' : 'releases';
  return `${section}/${encodeURIComponent(ref.id)}`;
}
