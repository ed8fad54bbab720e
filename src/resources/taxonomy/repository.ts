import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { oneOf } from '../../db/lists.js';
import { type OrganizationKey, organizationColumns, Repository, type ScopedRows, type TableDefinition } from '../../db/repository.js';
import type { ConceptSchemeRow, DB } from '../../db/schema.js';
import { ApiError } from '../../domain/errors.js';
import type { CompiledOrder } from '../../query/compile.js';
import { conceptsBelow } from '../../query/concepts.js';
import { type CursorPages, readCursorPage } from '../../query/cursor.js';
import type { ConceptWithSchemes } from './views.js';

/**
 * The taxonomy of an organization: concepts and concept schemes, every statement scoped by the organization.
 * Hierarchy questions (descendants, ancestors, cycles, top concepts) are recursive queries over `broader`.
 */

export type TaxonomyTable = 'taxonomy_concepts' | 'taxonomy_concept_schemes';

/** A taxonomy table of an organization, in creation order; a taken id is a 409, as for entries. */
function taxonomyTable<T extends TaxonomyTable>(table: T, type: string, what: string): TableDefinition<T, OrganizationKey> {
  return {
    table,
    type,
    scope: organizationColumns,
    order: ['created_at', 'id'] as TableDefinition<T, OrganizationKey>['order'],
    conflict: () => new ApiError('VersionMismatch', `A ${what} with this id already exists`),
  };
}

const conceptTable = taxonomyTable('taxonomy_concepts', 'TaxonomyConcept', 'concept');
const conceptSchemeTable = taxonomyTable('taxonomy_concept_schemes', 'TaxonomyConceptScheme', 'concept scheme');

/** What `order` may name (the CDA reference's options), and the column each sorts by. */
export const ORDER_COLUMNS = { 'sys.createdAt': 'created_at', 'sys.updatedAt': 'updated_at', prefLabel: 'pref_label' } as const;
export type TaxonomyOrder = { key: keyof typeof ORDER_COLUMNS; desc: boolean }[];

/** One cursor page: at most `limit` items after `pageNext` (or before `pagePrev`) in `order`. */
export interface TaxonomyPageQuery {
  limit: number;
  pageNext?: string;
  pagePrev?: string;
  order: TaxonomyOrder;
}

/** Which concepts a page lists (every filter narrows further). */
export interface ConceptFilters {
  ids?: string[];
  conceptScheme?: string;
  /** Case-insensitive text in a preferred, alternative or hidden label. */
  text?: string;
  /** The concepts 1 to `depth` levels above or below a concept. */
  relatives?: { of: string; direction: 'ancestors' | 'descendants'; depth: number };
}

type Narrowing<T extends TaxonomyTable> = SelectQueryBuilder<DB, T, object>;

/** The `order` as cursor keys, the id last so every position is unique. */
function cursorOrder(table: string, order: TaxonomyOrder): CompiledOrder[] {
  const keys = order.map(({ key, desc }) => ({
    expression: sql.ref(`${table}.${ORDER_COLUMNS[key]}`),
    desc,
    cursorColumn: ORDER_COLUMNS[key],
  }));
  return [...keys, { expression: sql.ref(`${table}.id`), desc: false, cursorColumn: 'id' }];
}

/** How many rows the organization has. */
async function countOf<T extends TaxonomyTable>(rows: ScopedRows<T>): Promise<number> {
  const { total } = await rows.select().select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow();
  return Number(total);
}

async function readPage<R extends object>(
  table: string,
  base: SelectQueryBuilder<DB, never, R>,
  query: TaxonomyPageQuery,
): Promise<{ rows: R[]; pages: CursorPages }> {
  return readCursorPage(cursorOrder(table, query.order), query, (after, orderBy, limit) => {
    let page = after ? base.where(after) : base;
    for (const key of orderBy) page = page.orderBy(key);
    return page.limit(limit).execute() as Promise<R[]>;
  });
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The concepts 1 to `depth` levels above `id`, walking `broader` links up. */
function conceptsAbove(organizationId: string, id: string, depth: number): RawBuilder<string> {
  return sql<string>`(with recursive above(id, depth) as (
      select b.id, 1 from taxonomy_concepts c cross join unnest(c.broader) b(id)
      where c.organization_id = ${organizationId} and c.id = ${id}
      union
      select b.id, above.depth + 1 from above
      join taxonomy_concepts c on c.organization_id = ${organizationId} and c.id = above.id
      cross join unnest(c.broader) b(id)
      where above.depth < ${depth}::int
    ) select id from above)`;
}

export class ConceptRepository extends Repository<'taxonomy_concepts', OrganizationKey> {
  constructor(db: Kysely<DB>) {
    super(db, conceptTable);
  }

  /** The organization's concepts, each with the ids of the schemes that hold it (`conceptSchemes`). */
  private withSchemes(key: OrganizationKey) {
    return this.in(key)
      .select()
      .selectAll()
      .select(
        sql<string[]>`array(select s.id from taxonomy_concept_schemes s
          where s.organization_id = taxonomy_concepts.organization_id and s.concepts @> array[taxonomy_concepts.id] order by s.id)`.as(
          'scheme_ids',
        ),
      );
  }

  find(key: OrganizationKey, id: string): Promise<ConceptWithSchemes | undefined> {
    return this.withSchemes(key).where('id', '=', id).executeTakeFirst() as Promise<ConceptWithSchemes | undefined>;
  }

  page(key: OrganizationKey, query: TaxonomyPageQuery, filters: ConceptFilters) {
    let base = this.withSchemes(key) as unknown as Narrowing<'taxonomy_concepts'>;
    const { organizationId } = key;
    if (filters.ids) base = base.where('id', '=', oneOf(filters.ids));
    if (filters.conceptScheme !== undefined)
      base = base.where(
        sql<boolean>`exists (select 1 from taxonomy_concept_schemes s
          where s.organization_id = ${organizationId} and s.id = ${filters.conceptScheme} and s.concepts @> array[taxonomy_concepts.id])`,
      );
    if (filters.text !== undefined) {
      const pattern = `%${escapeLike(filters.text)}%`;
      base = base.where(
        sql<boolean>`(exists (select 1 from jsonb_each_text(content -> 'prefLabel') l where l.value ilike ${pattern})
          or exists (select 1 from jsonb_each(content -> 'altLabels') a, jsonb_array_elements_text(a.value) v where v ilike ${pattern})
          or exists (select 1 from jsonb_each(content -> 'hiddenLabels') h, jsonb_array_elements_text(h.value) v where v ilike ${pattern}))`,
      );
    }
    if (filters.relatives) {
      const { of, direction, depth } = filters.relatives;
      const related = direction === 'descendants' ? conceptsBelow(organizationId, [of], depth) : conceptsAbove(organizationId, of, depth);
      base = base.where(sql<boolean>`id in ${related}`);
    }
    return readPage('taxonomy_concepts', base as never, query) as Promise<{ rows: ConceptWithSchemes[]; pages: CursorPages }>;
  }

  total(key: OrganizationKey): Promise<number> {
    return countOf(this.in(key));
  }

  /** The ids of `ids` that name no concept of the organization. */
  async missing(key: OrganizationKey, ids: string[], db: Kysely<DB> = this.db): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.in(key, db).select().select('id').where('id', '=', oneOf(ids)).execute();
    const existing = new Set(found.map((r) => r.id));
    return ids.filter((id) => !existing.has(id));
  }

  /**
   * Serializes the organization's taxonomy writes (a lock on its row until the transaction ends), so the
   * hierarchy checks each write makes see every write before it: two writers cannot close a cycle together.
   */
  async lock(key: OrganizationKey, trx: Kysely<DB>): Promise<void> {
    await trx.selectFrom('organizations').select('id').where('id', '=', key.organizationId).forUpdate().execute();
  }

  /** Whether giving concept `id` these broader concepts closes a cycle: `id` is one of them or above one of them. */
  async closesCycle(key: OrganizationKey, id: string, broader: string[], trx: Kysely<DB>): Promise<boolean> {
    if (broader.length === 0) return false;
    const { rows } = await sql<{ cycle: boolean }>`select exists (
        with recursive above(id) as (
          select unnest(${broader}::text[])
          union
          select b.id from above join taxonomy_concepts c on c.organization_id = ${key.organizationId} and c.id = above.id
          cross join unnest(c.broader) b(id)
        ) select 1 from above where id = ${id}) as cycle`.execute(trx);
    return rows[0]?.cycle === true;
  }

  /** The concepts that link to `id` as broader or related, and the schemes that hold it. */
  async referrers(key: OrganizationKey, id: string, trx: Kysely<DB>): Promise<{ concepts: string[]; schemes: string[] }> {
    const [concepts, schemes] = await Promise.all([
      this.in(key, trx)
        .select()
        .select('id')
        .where(sql<boolean>`(broader @> array[${id}::text] or related @> array[${id}::text])`)
        .orderBy('id')
        .execute(),
      new ConceptSchemeRepository(trx)
        .in(key)
        .select()
        .select('id')
        .where(sql<boolean>`concepts @> array[${id}::text]`)
        .orderBy('id')
        .execute(),
    ]);
    return { concepts: concepts.map((r) => r.id), schemes: schemes.map((r) => r.id) };
  }

  /**
   * A top concept of a scheme that sits below another concept of the same scheme ("Top concepts cannot be
   * subconcepts of any other concepts in the same concept scheme"), after a write: the first one found.
   */
  async topConceptBelowOther(key: OrganizationKey, trx: Kysely<DB>): Promise<{ scheme: string; top: string; above: string } | undefined> {
    const org = key.organizationId;
    const { rows } = await sql<{ scheme: string; top: string; above: string }>`
      with recursive above(scheme, top, id) as (
        select s.id, t.id, b.id from taxonomy_concept_schemes s
        cross join unnest(s.top_concepts) t(id)
        join taxonomy_concepts c on c.organization_id = s.organization_id and c.id = t.id
        cross join unnest(c.broader) b(id)
        where s.organization_id = ${org}
        union
        select above.scheme, above.top, b.id from above
        join taxonomy_concepts c on c.organization_id = ${org} and c.id = above.id
        cross join unnest(c.broader) b(id)
      )
      select above.scheme, above.top, above.id as above from above
      join taxonomy_concept_schemes s on s.organization_id = ${org} and s.id = above.scheme
      where s.concepts @> array[above.id]
      order by above.scheme, above.top, above.id
      limit 1`.execute(trx);
    return rows[0];
  }

  /** The concepts at or below each of `roots`, by root (what a content type's concept validation allows). */
  async atOrBelow(key: OrganizationKey, roots: string[]): Promise<Map<string, Set<string>>> {
    const found = await Promise.all(
      roots.map(async (root) => {
        const { rows } = await sql<{ id: string }>`select id from ${conceptsBelow(key.organizationId, [root])} as below(id)`.execute(
          this.db,
        );
        return [root, new Set(rows.map((r) => r.id))] as const;
      }),
    );
    return new Map(found);
  }
}

export class ConceptSchemeRepository extends Repository<'taxonomy_concept_schemes', OrganizationKey> {
  constructor(db: Kysely<DB>) {
    super(db, conceptSchemeTable);
  }

  page(key: OrganizationKey, query: TaxonomyPageQuery) {
    return readPage('taxonomy_concept_schemes', this.in(key).select().selectAll() as never, query) as Promise<{
      rows: ConceptSchemeRow[];
      pages: CursorPages;
    }>;
  }

  total(key: OrganizationKey): Promise<number> {
    return countOf(this.in(key));
  }

  /** The concepts each of these schemes holds, by scheme id (schemes that do not exist are left out). */
  async conceptsOf(key: OrganizationKey, ids: string[]): Promise<Map<string, Set<string>>> {
    if (ids.length === 0) return new Map();
    const rows = await this.in(key).select().select(['id', 'concepts']).where('id', '=', oneOf(ids)).execute();
    return new Map(rows.map((r) => [r.id, new Set(r.concepts)]));
  }
}
