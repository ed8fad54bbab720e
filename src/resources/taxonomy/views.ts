import type { ConceptRow, ConceptSchemeRow } from '../../db/schema.js';
import { dropUndefined, iso, link, userLink } from '../../http/sys.js';

/** A concept as read, with the schemes that hold it. */
export type ConceptWithSchemes = ConceptRow & { scheme_ids: string[] };

export const conceptLinks = (ids: readonly string[] | null | undefined) => (ids ?? []).map((id) => link('TaxonomyConcept', id));

/**
 * `sys` of a concept or scheme: the management API names who created and last changed it; the delivery APIs
 * (whose `ConceptSys` has no users) do not.
 */
function taxonomySys(type: 'TaxonomyConcept' | 'TaxonomyConceptScheme', row: ConceptRow | ConceptSchemeRow, withUsers: boolean) {
  return dropUndefined({
    id: row.id,
    type,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
    createdBy: withUsers ? userLink(row.created_by) : undefined,
    updatedBy: withUsers ? userLink(row.updated_by) : undefined,
  });
}

/** A concept with every property contentful-management's `ConceptProps` has (and `conceptSchemes`, read only). */
export function conceptView(row: ConceptWithSchemes, withUsers = true) {
  return {
    ...row.content,
    broader: conceptLinks(row.broader),
    related: conceptLinks(row.related),
    conceptSchemes: row.scheme_ids.map((id) => link('TaxonomyConceptScheme', id)),
    sys: taxonomySys('TaxonomyConcept', row, withUsers),
  };
}

export function conceptSchemeView(row: ConceptSchemeRow, withUsers = true) {
  return {
    ...row.content,
    topConcepts: conceptLinks(row.top_concepts),
    concepts: conceptLinks(row.concepts),
    totalConcepts: row.concepts.length,
    sys: taxonomySys('TaxonomyConceptScheme', row, withUsers),
  };
}

/** What a JSON Patch of a concept or scheme sees: the view without `sys` and what the server computes. */
export function patchable<T extends { sys: unknown }>(view: T, writable: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(view).filter(([key]) => writable.includes(key)));
}
