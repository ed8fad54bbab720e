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
