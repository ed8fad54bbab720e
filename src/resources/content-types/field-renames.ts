import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { FieldDefinition } from '../../domain/field-types.js';
import type { EnvironmentScope } from '../environments/scope.js';

const FIELD_ID = /^[a-zA-Z0-9_]{1,64}$/;

/**
 * `newId` on a field of a content type update renames the field (what `changeFieldId` of
 * contentful-migration sends). Returns the renames and the fields with their new ids.
 */
export function extractRenames(fields: unknown): { renames: Map<string, string>; fields: unknown } {
  const renames = new Map<string, string>();
  if (!Array.isArray(fields)) return { renames, fields };
  const renamed = fields.map((field: unknown) => {
    if (!field || typeof field !== 'object') return field;
    const { newId, ...rest } = field as FieldDefinition & { newId?: unknown };
    if (typeof newId !== 'string' || newId === rest.id || !FIELD_ID.test(newId)) return rest;
    renames.set(rest.id, newId);
    return { ...rest, id: newId };
  });
  return { renames, fields: renamed };
}

export function renameFieldIds<T extends { id: string }>(fields: T[], renames: ReadonlyMap<string, string>): T[] {
  return fields.map((f) => (renames.has(f.id) ? { ...f, id: renames.get(f.id)! } : f));
}

/**
 * Applies renames everywhere the field id is a key: the published definition and the draft and published
 * values of every entry of the content type. Contentful keeps fields by an internal id, so a rename is
 * not a content change: versions stay as they are.
 */
export async function renameFieldsInEntries(
  trx: Kysely<DB>,
  scope: Pick<EnvironmentScope, 'spaceId' | 'environmentId'>,
  contentTypeId: string,
  renames: ReadonlyMap<string, string>,
) {
  for (const [from, to] of renames) {
    const move = (column: 'fields' | 'published_fields') =>
      sql<never>`case when ${sql.ref(column)} ? ${from} then (${sql.ref(column)} - ${from}) || jsonb_build_object(${to}::text, ${sql.ref(column)} -> ${from}) else ${sql.ref(column)} end`;
    await trx
      .updateTable('entries')
      .set({ fields: move('fields'), published_fields: move('published_fields') })
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('content_type_id', '=', contentTypeId)
      .where((eb) => eb.or([sql<boolean>`fields ? ${from}`, sql<boolean>`coalesce(published_fields ? ${from}, false)`]))
      .execute();
  }
}
