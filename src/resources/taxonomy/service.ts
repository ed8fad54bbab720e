import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { OrganizationKey } from '../../db/repository.js';
import type { ConceptSchemeRow, DB } from '../../db/schema.js';
import { notFound, validationFailed, type ValidationErrorItem } from '../../domain/errors.js';
import { link } from '../../http/sys.js';
import type { CursorPages } from '../../query/cursor.js';
import { ConceptRepository, ConceptSchemeRepository } from './repository.js';
import {
  CONCEPT_PROPERTIES,
  CONCEPT_SCHEME_PROPERTIES,
  conceptBody,
  conceptContent,
  type ConceptInput,
  conceptSchemeBody,
  conceptSchemeContent,
  type ConceptSchemeInput,
  linkIds,
  sortLabel,
  type TaxonomyListQuery,
  type TaxonomyValidation,
} from './schema.js';
import { type ConceptWithSchemes, conceptSchemeView, conceptView } from './views.js';
import { type TaxonomyWrite, TaxonomyWrites } from './writes.js';

/** Where a page was asked for (the request path), so its page links are URLs the SDK can call as they are. */
type PagePath = string;

/**
 * `pages.next` and `pages.prev` as URLs of the same path with the same parameters: contentful-management's
 * `getMany({ query: { pageUrl } })` requests them as they are.
 */
function pageUrls(path: PagePath, repeated: Record<string, string>, pages: CursorPages) {
  const url = (token: string | undefined) => {
    if (!token) return undefined;
    const params = new URLSearchParams(repeated);
    for (const [name, value] of new URLSearchParams(token.slice(1))) params.set(name, value);
    return `${path}?${params}`;
  };
  const next = url(pages.next);
  const prev = url(pages.prev);
  return { ...(next ? { next } : {}), ...(prev ? { prev } : {}) };
}

function cursorCollection<R, V>(rows: R[], pages: CursorPages, query: TaxonomyListQuery, path: PagePath, view: (row: R) => V) {
  return { sys: { type: 'Array' as const }, items: rows.map(view), limit: query.page.limit, pages: pageUrls(path, query.repeated, pages) };
}

const notResolvable = (path: (string | number)[], id: string): ValidationErrorItem => ({
  name: 'notResolvable',
  path,
  value: link('TaxonomyConcept', id),
  details: `The concept "${id}" does not exist in this organization`,
});

/**
 * The taxonomy of an organization (Contentful's Taxonomy API): concepts with SKOS labels per locale and
 * broader/related links, and concept schemes that group them. Members of the organization read it; owners,
 * admins and developers manage it (`concepts` and `conceptSchemes`). Every write is version-locked and checked
 * inside one transaction that holds the organization's taxonomy lock: links name existing concepts, `broader`
 * never closes a cycle, and no top concept of a scheme sits below another concept of that scheme.
 */
export class TaxonomyService {
  private readonly conceptRows: ConceptRepository;
  private readonly schemeRows: ConceptSchemeRepository;
  readonly concepts: TaxonomyWrites<'taxonomy_concepts', ConceptInput, ReturnType<typeof conceptView>>;
  readonly conceptSchemes: TaxonomyWrites<'taxonomy_concept_schemes', ConceptSchemeInput, ReturnType<typeof conceptSchemeView>>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
    private readonly notices: WriteNotices,
  ) {
    this.conceptRows = new ConceptRepository(db);
    this.schemeRows = new ConceptSchemeRepository(db);
    const write: TaxonomyWrite = (key, work) => this.write(key, work);
    this.concepts = new TaxonomyWrites(access, write, {
      type: 'TaxonomyConcept',
      rows: this.conceptRows,
      body: conceptBody,
      writable: CONCEPT_PROPERTIES,
      columns: (key, id, input, trx) => this.conceptColumns(key, id, input, trx),
      view: async (key, id) => conceptView(await this.requireConcept(key, id)),
      beforeDelete: (key, id, trx) => this.assertUnlinked(key, id, trx),
    });
    this.conceptSchemes = new TaxonomyWrites(access, write, {
      type: 'TaxonomyConceptScheme',
      rows: this.schemeRows,
      body: conceptSchemeBody,
      writable: CONCEPT_SCHEME_PROPERTIES,
      columns: (key, _id, input, trx) => this.schemeColumns(key, input, trx),
      view: async (key, id) => conceptSchemeView(await this.requireScheme(key, id)),
    });
  }

  // Reads, for members of the organization (management API: `actor`) or keys of one of its spaces (delivery and
  // preview APIs: no actor), which see no users in `sys`.

  async listConcepts(actor: Actor | undefined, key: OrganizationKey, query: TaxonomyListQuery, path: PagePath) {
    const withUsers = await this.readAccess(actor, key);
    const { rows, pages } = await this.conceptRows.page(key, query.page, query.filters);
    return cursorCollection(rows, pages, query, path, (row) => conceptView(row, withUsers));
  }

  async conceptTotal(actor: Actor, key: OrganizationKey) {
    await this.readAccess(actor, key);
    return { total: await this.conceptRows.total(key) };
  }

  async getConcept(actor: Actor | undefined, key: OrganizationKey, id: string) {
    const withUsers = await this.readAccess(actor, key);
    return conceptView(await this.requireConcept(key, id), withUsers);
  }

  /** The concepts 1 to `depth` levels above (`ancestors`) or below (`descendants`) a concept, by cursor page. */
  async relatives(
    actor: Actor | undefined,
    key: OrganizationKey,
    id: string,
    direction: 'ancestors' | 'descendants',
    query: TaxonomyListQuery,
    path: PagePath,
  ) {
    const withUsers = await this.readAccess(actor, key);
    await this.requireConcept(key, id);
    const { rows, pages } = await this.conceptRows.page(key, query.page, {
      ...query.filters,
      relatives: { of: id, direction, depth: query.depth },
    });
    return cursorCollection(rows, pages, query, path, (row) => conceptView(row, withUsers));
  }

  async listSchemes(actor: Actor | undefined, key: OrganizationKey, query: TaxonomyListQuery, path: PagePath) {
    const withUsers = await this.readAccess(actor, key);
    const { rows, pages } = await this.schemeRows.page(key, query.page);
    return cursorCollection(rows, pages, query, path, (row) => conceptSchemeView(row, withUsers));
  }

  async schemeTotal(actor: Actor, key: OrganizationKey) {
    await this.readAccess(actor, key);
    return { total: await this.schemeRows.total(key) };
  }

  async getScheme(actor: Actor | undefined, key: OrganizationKey, id: string) {
    const withUsers = await this.readAccess(actor, key);
    return conceptSchemeView(await this.requireScheme(key, id), withUsers);
  }

  /** The organization of a space, whose taxonomy the delivery APIs serve to the space's keys. */
  async organizationOf(spaceId: string): Promise<OrganizationKey> {
    const space = await this.db.selectFrom('spaces').select('organization_id').where('id', '=', spaceId).executeTakeFirstOrThrow();
    return { organizationId: space.organization_id };
  }

  /** A concept's columns: its broader and related concepts must exist, and the broader ones must not make it its own ancestor. */
  private async conceptColumns(key: OrganizationKey, id: string, input: ConceptInput, trx: Kysely<DB>) {
    const broader = linkIds(input.broader);
    const related = linkIds(input.related);
    await this.assertConceptsExist(key, { broader, related }, trx);
    if (await this.conceptRows.closesCycle(key, id, broader, trx)) {
      throw validationFailed([
        { name: 'cycle', path: ['broader'], details: `These broader concepts would make "${id}" a broader concept of itself` },
      ]);
    }
    return { pref_label: sortLabel(input.prefLabel), content: JSON.stringify(conceptContent(input)), broader, related };
  }

  /** A scheme's columns: its concepts must exist, and its top concepts are concepts of the scheme too. */
  private async schemeColumns(key: OrganizationKey, input: ConceptSchemeInput, trx: Kysely<DB>) {
    const top = linkIds(input.topConcepts);
    const concepts = linkIds(input.concepts);
    await this.assertConceptsExist(key, { topConcepts: top, concepts }, trx);
    return {
      pref_label: sortLabel(input.prefLabel),
      content: JSON.stringify(conceptSchemeContent(input)),
      top_concepts: top,
      concepts: [...new Set([...concepts, ...top])],
    };
  }

  /** Every concept the links of each property name must exist: a 422 names each missing one at its place. */
  private async assertConceptsExist(key: OrganizationKey, links: Record<string, string[]>, trx: Kysely<DB>) {
    const missing = new Set(await this.conceptRows.missing(key, [...new Set(Object.values(links).flat())], trx));
    const errors = Object.entries(links).flatMap(([property, ids]) =>
      ids.flatMap((id, index) => (missing.has(id) ? [notResolvable([property, index], id)] : [])),
    );
    if (errors.length) throw validationFailed(errors);
  }

  /**
   * A concept another concept links to (as broader or related) or a scheme holds is not deleted, so no link of
   * the taxonomy ever names a missing concept; links from entries and content type validations stay, as
   * Contentful's reference says ("Deleting concepts does not remove existing references to them").
   */
  private async assertUnlinked(key: OrganizationKey, id: string, trx: Kysely<DB>) {
    const { concepts, schemes } = await this.conceptRows.referrers(key, id, trx);
    const errors: ValidationErrorItem[] = [
      ...concepts.map((other) => ({
        name: 'linked',
        path: ['sys', 'id'],
        value: link('TaxonomyConcept', other),
        details: `The concept "${other}" links to this concept as broader or related`,
      })),
      ...schemes.map((scheme) => ({
        name: 'linked',
        path: ['sys', 'id'],
        value: link('TaxonomyConceptScheme', scheme),
        details: `The concept scheme "${scheme}" holds this concept`,
      })),
    ];
    if (errors.length) throw validationFailed(errors, 'The concept is still linked: remove those links first');
  }

  /**
   * One taxonomy write: in a transaction holding the organization's taxonomy lock, checked afterwards for a
   * top concept below another concept of its scheme, then announced (the delivery APIs' `[descendants]`
   * searches and kept answers depend on the hierarchy).
   */
  private async write(key: OrganizationKey, work: (trx: Kysely<DB>) => Promise<void>) {
    await this.conceptRows.transaction(async (trx) => {
      await this.conceptRows.lock(key, trx);
      await work(trx);
      const conflict = await this.conceptRows.topConceptBelowOther(key, trx);
      if (conflict) {
        throw validationFailed([
          {
            name: 'topConcept',
            path: ['topConcepts'],
            value: link('TaxonomyConcept', conflict.top),
            details: `Top concepts cannot be subconcepts of other concepts of the same scheme: "${conflict.top}" is below "${conflict.above}" in the concept scheme "${conflict.scheme}"`,
          },
        ]);
      }
    });
    this.notices.written('content');
  }

  /** Members of the organization read its taxonomy (with who wrote it); delivery keys (no actor) read it without users. */
  private async readAccess(actor: Actor | undefined, key: OrganizationKey): Promise<boolean> {
    if (!actor) return false;
    await this.access.requireMember(actor, key.organizationId);
    return true;
  }

  private async requireConcept(key: OrganizationKey, id: string): Promise<ConceptWithSchemes> {
    const row = await this.conceptRows.find(key, id);
    if (!row) throw notFound('TaxonomyConcept', id);
    return row;
  }

  private async requireScheme(key: OrganizationKey, id: string): Promise<ConceptSchemeRow> {
    const row = await this.schemeRows.in(key).find(id);
    if (!row) throw notFound('TaxonomyConceptScheme', id);
    return row;
  }
}

// What entries and assets ask of the taxonomy of their space's organization.

/** The concept ids an entry or asset body carries in `metadata.concepts`, each once. */
export const conceptIdsOf = (input: { metadata?: { concepts?: { sys: { id: string } }[] } }) => linkIds(input.metadata?.concepts);

/** `metadata.concepts` as saved: every concept must exist in the organization (422 `notResolvable` otherwise). */
export async function checkedConceptIds(db: Kysely<DB>, key: OrganizationKey, input: Parameters<typeof conceptIdsOf>[0]) {
  const ids = conceptIdsOf(input);
  const missing = await new ConceptRepository(db).missing(key, ids);
  if (missing.length) throw validationFailed(missing.map((id) => notResolvable(['metadata', 'concepts'], id)));
  return ids;
}

/**
 * Why an entry's concepts fail its content type's taxonomy validations, checked on publish: every concept
 * must be one a validation allows (a scheme's concepts, or a concept and those below it), and each required
 * validation needs one of its concepts ("any entry of that content type will be checked on publish to
 * determine if the entry has taxonomy concepts assigned which fulfill the required validation(s)").
 */
export async function taxonomyErrors(
  db: Kysely<DB>,
  key: OrganizationKey,
  validations: TaxonomyValidation[],
  concepts: string[],
): Promise<ValidationErrorItem[]> {
  if (validations.length === 0) return [];
  const ids = (linkType: TaxonomyValidation['linkType']) => validations.filter((v) => v.linkType === linkType).map((v) => v.id);
  const [bySchemes, byConcepts] = await Promise.all([
    new ConceptSchemeRepository(db).conceptsOf(key, ids('TaxonomyConceptScheme')),
    new ConceptRepository(db).atOrBelow(key, ids('TaxonomyConcept')),
  ]);
  const allowedBy = (v: TaxonomyValidation) => (v.linkType === 'TaxonomyConceptScheme' ? bySchemes : byConcepts).get(v.id) ?? new Set();
  const errors: ValidationErrorItem[] = concepts.flatMap((id, index) =>
    validations.some((v) => allowedBy(v).has(id))
      ? []
      : [
          {
            name: 'in',
            path: ['metadata', 'concepts', index],
            value: link('TaxonomyConcept', id),
            details: `The concept "${id}" is not allowed by the content type's taxonomy validations`,
          },
        ],
  );
  for (const v of validations.filter((v) => v.required && !concepts.some((id) => allowedBy(v).has(id)))) {
    errors.push({
      name: 'required',
      path: ['metadata', 'concepts'],
      value: link(v.linkType, v.id),
      details: `A concept ${v.linkType === 'TaxonomyConceptScheme' ? 'of the concept scheme' : 'at or below the concept'} "${v.id}" is required`,
    });
  }
  return errors;
}
