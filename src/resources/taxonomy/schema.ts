import { z } from 'zod';
import type { ConceptContent, ConceptSchemeContent } from '../../db/schema.js';
import { parsePaging } from '../../domain/collections.js';
import { invalidQuery } from '../../domain/errors.js';
import { queryValue } from '../../http/route-schemas.js';
import { listValues } from '../../query/parse.js';
import { ORDER_COLUMNS, type TaxonomyOrder } from './repository.js';

/**
 * The bodies of concepts and concept schemes as contentful-management's `CreateConceptProps` and
 * `CreateConceptSchemeProps` type them: SKOS labels and notes per locale, links by id. `sys` and the
 * properties the server computes (`conceptSchemes`, `totalConcepts`) are ignored, so a concept read back
 * can be sent again as it is.
 */

const localeCode = z.string().min(1).max(64);
const label = z.string().min(1).max(256);
const text = z.string().max(2048);

/** A link to a concept: Contentful's examples send `{ sys: { id } }`; a full Link is taken too. */
const conceptLink = z.object({
  sys: z.looseObject({
    id: z.string().min(1).max(64),
    type: z.literal('Link').optional(),
    linkType: z.literal('TaxonomyConcept').optional(),
  }),
});

const prefLabel = z.record(localeCode, label).refine((labels) => Object.keys(labels).length > 0, 'A preferred label is required');
const labels = z.record(localeCode, z.array(label).max(100));
const note = z.record(localeCode, text).nullable();
const uri = z.string().min(1).max(2048).nullable();

export const conceptBody = z.looseObject({
  uri: uri.optional(),
  prefLabel,
  altLabels: labels.optional(),
  hiddenLabels: labels.optional(),
  definition: note.optional(),
  editorialNote: note.optional(),
  historyNote: note.optional(),
  example: note.optional(),
  note: note.optional(),
  scopeNote: note.optional(),
  changeNote: note.optional(),
  notations: z.array(label).max(100).optional(),
  broader: z.array(conceptLink).max(100).optional(),
  related: z.array(conceptLink).max(100).optional(),
});
export type ConceptInput = z.infer<typeof conceptBody>;

export const conceptSchemeBody = z.looseObject({
  uri: uri.optional(),
  prefLabel,
  definition: note.optional(),
  topConcepts: z.array(conceptLink).optional(),
  concepts: z.array(conceptLink).optional(),
});
export type ConceptSchemeInput = z.infer<typeof conceptSchemeBody>;

/** What a JSON Patch may change: every property of the body (never `sys` or what the server computes). */
export const CONCEPT_PROPERTIES = Object.keys(conceptBody.shape);
export const CONCEPT_SCHEME_PROPERTIES = Object.keys(conceptSchemeBody.shape);

/** Link ids in order, each once. */
export const linkIds = (links: { sys: { id: string } }[] | undefined) => [...new Set((links ?? []).map((l) => l.sys.id))];

/** The label `order=prefLabel` sorts by: the en-US one, else the first. */
export const sortLabel = (labels: Record<string, string>) => labels['en-US'] ?? Object.values(labels)[0] ?? '';

/** A concept's stored content: what was left out takes its empty value (null notes, no labels). */
export function conceptContent(input: ConceptInput): ConceptContent {
  return {
    uri: input.uri ?? null,
    prefLabel: input.prefLabel,
    altLabels: input.altLabels ?? {},
    hiddenLabels: input.hiddenLabels ?? {},
    definition: input.definition ?? null,
    editorialNote: input.editorialNote ?? null,
    historyNote: input.historyNote ?? null,
    example: input.example ?? null,
    note: input.note ?? null,
    scopeNote: input.scopeNote ?? null,
    changeNote: input.changeNote ?? null,
    notations: input.notations ?? [],
  };
}

export function conceptSchemeContent(input: ConceptSchemeInput): ConceptSchemeContent {
  return { uri: input.uri ?? null, prefLabel: input.prefLabel, definition: input.definition ?? null };
}

const parameter = (description: string) => queryValue.describe(description);
const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[value.length - 1] : value);

function parseOrder(raw: string | undefined): TaxonomyOrder {
  if (raw === undefined || raw.trim() === '') return [{ key: 'sys.createdAt', desc: false }];
  return listValues(raw).map((item) => {
    const desc = item.startsWith('-');
    const key = desc ? item.slice(1) : item;
    if (!(key in ORDER_COLUMNS))
      throw invalidQuery(`Cannot order by "${item}": use sys.createdAt, sys.updatedAt or prefLabel`, { param: 'order' });
    return { key: key as keyof typeof ORDER_COLUMNS, desc };
  });
}

function parseDepth(raw: string | undefined): number {
  if (raw === undefined) return 1;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1) throw invalidQuery('depth must be a positive integer', { param: 'depth' });
  return Number(raw);
}

/**
 * The query string of the taxonomy collections (CMA, CDA and CPA): cursor pages (`limit`, `pageNext`,
 * `pagePrev`; contentful.js types them `nextPage`/`prevPage`, taken too), `order` (`sys.createdAt`,
 * `sys.updatedAt`, `prefLabel`, `-` for descending), and on concepts `conceptScheme`, `sys.id[in]`, `query`
 * (text in a label) and, for ancestors and descendants, `depth` (levels, default 1).
 */
export const taxonomyQuery = z
  .looseObject({
    limit: parameter('Items per page, 0 to 1000 (default 100)'),
    pageNext: parameter('The cursor of the next page (or call the URL in `pages.next`)'),
    pagePrev: parameter('The cursor of the previous page (or call the URL in `pages.prev`)'),
    order: parameter('`sys.createdAt` (default), `sys.updatedAt` or `prefLabel`; `-` before one sorts descending'),
    conceptScheme: parameter('Only the concepts of this concept scheme'),
    'sys.id[in]': parameter('Only the concepts of these comma-separated ids'),
    query: parameter('Only the concepts with this text in a preferred, alternative or hidden label'),
    depth: parameter('Ancestors and descendants: how many levels up or down (default 1)'),
  })
  .transform((raw) => {
    const value = (name: string) => single(raw[name] as string | string[] | undefined);
    const ids = value('sys.id[in]');
    const repeated: Record<string, string> = {};
    for (const name of ['limit', 'order', 'conceptScheme', 'sys.id[in]', 'query', 'depth']) {
      const given = value(name);
      if (given !== undefined) repeated[name] = given;
    }
    return {
      page: {
        limit: parsePaging({ limit: value('limit') }).limit,
        pageNext: value('pageNext') ?? value('nextPage'),
        pagePrev: value('pagePrev') ?? value('prevPage'),
        order: parseOrder(value('order')),
      },
      filters: { ids: ids === undefined ? undefined : listValues(ids), conceptScheme: value('conceptScheme'), text: value('query') },
      depth: parseDepth(value('depth')),
      repeated,
    };
  });

/** A page request as the routes parse it: the cursor page, the filters, and the parameters page links repeat (`repeated`). */
export type TaxonomyListQuery = z.output<typeof taxonomyQuery>;

/** One item of a content type's `metadata.taxonomy`: a concept (with those below it) or a scheme's concepts, maybe required. */
export interface TaxonomyValidation {
  linkType: 'TaxonomyConcept' | 'TaxonomyConceptScheme';
  id: string;
  required: boolean;
}

/** The taxonomy validations of a content type's `metadata.taxonomy` as stored (anything else there is ignored). */
export function taxonomyValidationsOf(taxonomy: unknown): TaxonomyValidation[] {
  if (!Array.isArray(taxonomy)) return [];
  return taxonomy.flatMap((item) => {
    const sys = (item as { sys?: { linkType?: unknown; id?: unknown } } | null)?.sys;
    if ((sys?.linkType !== 'TaxonomyConcept' && sys?.linkType !== 'TaxonomyConceptScheme') || typeof sys.id !== 'string') return [];
    return [{ linkType: sys.linkType, id: sys.id, required: (item as { required?: unknown }).required === true }];
  });
}
