import type { Paging } from '../domain/collections.js';
import { validationFailed } from '../domain/errors.js';

/**
 * Refuses one more task or comment on an entity that has `max` already (Contentful: "limit is 100 tasks
 * per entry", "limit is 100 comments per entry").
 */
export async function assertRoomFor(rows: { list(paging: Paging): Promise<{ total: number }> }, max: number, what: string) {
  const { total } = await rows.list({ skip: 0, limit: 0 });
  if (total >= max)
    throw validationFailed([{ name: 'size', path: ['sys', 'parentEntity'], max, details: `An entity has at most ${max} ${what}` }]);
}
