import type { FieldDefinition } from '../../domain/field-types.js';

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
