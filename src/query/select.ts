import { invalidQuery } from '../domain/errors.js';
import type { SearchContentType } from './compile.js';

interface Projectable {
  sys: Record<string, unknown>;
  fields?: Record<string, unknown>;
  metadata?: unknown;
}

/**
 * `select` (seed 003): keeps only the chosen properties, at most two levels deep. `sys.type` and `sys.id`
 * stay so clients can still tell what each item is and resolve links to it.
 */
export function checkSelect(select: string[], table: 'entries' | 'assets', contentType: SearchContentType | undefined) {
  for (const path of select) {
    const [root, field] = path.split('.');
    if (root !== 'fields' || field === undefined) continue;
    if (table === 'assets') {
      if (!['title', 'description', 'file'].includes(field))
        throw invalidQuery(`The select path "${path}" names no asset field`, { param: 'select' });
      continue;
    }
    if (!contentType) throw invalidQuery('Selecting fields of entries needs the content_type parameter', { param: 'select' });
    if (!contentType.fields.some((f) => f.id === field && !f.deleted))
      throw invalidQuery(`The select path "${path}" names no field of "${contentType.id}"`, { param: 'select' });
  }
}

export function applySelect<T extends Projectable>(item: T, select: string[]): Partial<T> {
  const out: Record<string, unknown> = { sys: { type: item.sys.type, id: item.sys.id } };
  for (const path of select) {
    const [root, key] = path.split('.');
    const source = (item as unknown as Record<string, unknown>)[root];
    if (source === undefined) continue;
    if (key === undefined) {
      out[root] = root === 'sys' ? { ...(source as object) } : source;
      continue;
    }
    const value = (source as Record<string, unknown>)[key];
    if (value === undefined) continue;
    out[root] = { ...((out[root] as object) ?? {}), [key]: value };
  }
  return out as Partial<T>;
}
