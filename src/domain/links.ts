/**
 * Every entry and asset id linked anywhere in the given field values, found by shape
 * (`{sys: {type: 'Link', linkType, id}}`), so no content type is needed: single links, arrays of links
 * and rich-text embeds alike.
 */
export function collectRawLinks(values: unknown[]): { entries: Set<string>; assets: Set<string> } {
  const entries = new Set<string>();
  const assets = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const sys = (value as { sys?: { type?: unknown; linkType?: unknown; id?: unknown } }).sys;
    if (sys && sys.type === 'Link' && typeof sys.id === 'string') {
      if (sys.linkType === 'Entry') entries.add(sys.id);
      else if (sys.linkType === 'Asset') assets.add(sys.id);
      return;
    }
    for (const child of Object.values(value)) visit(child);
  };
  for (const value of values) visit(value);
  return { entries, assets };
}

/** The deepest `include` Contentful resolves (seed 003, "Links"). */
export const MAX_INCLUDE = 10;

export type LinkType = 'Entry' | 'Asset';

export interface LinkedRows<R> {
  entries: R[];
  assets: R[];
  /** Links to entries or assets that were not found (or may not be shown). */
  unresolved: { linkType: LinkType; id: string }[];
}

/**
 * The one walk of the link graph (entry references, delivery includes): level by level from `roots`, at
 * most `depth` levels, each level's entries and assets loaded in one batch, nothing visited twice (the
 * roots included). `follow` says which found entries' links are walked further.
 */
export async function walkLinks<R extends { id: string }>(options: {
  roots: R[];
  depth: number;
  /** The ids a level's rows link to: those found in `linksOf` each row by shape, unless `collect` says. */
  linksOf?: (row: R) => unknown;
  collect?: (rows: R[]) => { entries: Set<string>; assets: Set<string> };
  load: (entryIds: string[], assetIds: string[]) => Promise<[R[], R[]]>;
  follow?: (entry: R) => boolean;
}): Promise<LinkedRows<R>> {
  const { roots, linksOf, load, follow = () => true } = options;
  const collect = options.collect ?? ((rows: R[]) => collectRawLinks(rows.map((row) => linksOf?.(row))));
  const seenEntries = new Set(roots.map((r) => r.id));
  const seenAssets = new Set<string>();
  const found: LinkedRows<R> = { entries: [], assets: [], unresolved: [] };
  let frontier = roots;
  for (let level = 0; level < Math.min(options.depth, MAX_INCLUDE) && frontier.length > 0; level++) {
    const links = collect(frontier);
    const entryIds = [...links.entries].filter((id) => !seenEntries.has(id));
    const assetIds = [...links.assets].filter((id) => !seenAssets.has(id));
    const [entries, assets] = await load(entryIds, assetIds);
    const entryIdsFound = new Set(entries.map((e) => e.id));
    const assetIdsFound = new Set(assets.map((a) => a.id));
    for (const id of entryIds) if (!entryIdsFound.has(id)) found.unresolved.push({ linkType: 'Entry', id });
    for (const id of assetIds) if (!assetIdsFound.has(id)) found.unresolved.push({ linkType: 'Asset', id });
    for (const id of entryIds) seenEntries.add(id);
    for (const id of assetIds) seenAssets.add(id);
    found.entries.push(...entries);
    found.assets.push(...assets);
    frontier = entries.filter(follow);
  }
  return found;
}
