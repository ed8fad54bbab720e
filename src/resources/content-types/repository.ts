import { type Kysely, sql } from 'kysely';
import { oneOf } from '../../db/lists.js';
import { type EnvironmentKey, environmentColumns, Repository, rowsOf, type TableDefinition } from '../../db/repository.js';
import type { ContentTypeDefinitionJson, ContentTypeRow, DB } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';
import type { compileContentTypeQuery } from '../../query/content-types.js';
import { type CursorPages, readCursorPage } from '../../query/cursor.js';

type CompiledContentTypeQuery = ReturnType<typeof compileContentTypeQuery>;

export const contentTypeTable: TableDefinition<'content_types', EnvironmentKey> = {
  table: 'content_types',
  type: 'ContentType',
  scope: environmentColumns,
  order: ['id'],
};

/** The columns an input writes on a content type. */
export interface ContentTypeColumns {
  name: string;
  description: string | null;
  display_field: string | null;
  fields: string;
  metadata: string | null;
}

/** Content types of an environment, and the statements activation, renames and deletion make. */
export class ContentTypeRepository extends Repository<'content_types', EnvironmentKey> {
  constructor(db: Kysely<DB>) {
    super(db, contentTypeTable);
  }

  /**
   * One page of a search (conditions and order compiled from the query) and its total; with `cursor`, the
   * page after or before `pageNext`/`pagePrev` and its page links instead (no count, as on entries).
   */
  async search(
    key: EnvironmentKey,
    query: Paging & { cursor: boolean; pageNext?: string; pagePrev?: string },
    compiled: CompiledContentTypeQuery,
    onlyActive: boolean,
  ): Promise<{ rows: ContentTypeRow[]; total?: number; pages?: CursorPages }> {
    let base = this.in(key).select();
    if (onlyActive) base = base.where('published', 'is not', null);
    for (const condition of compiled.where) base = base.where(condition);
    if (query.cursor) {
      return readCursorPage(compiled.order, query, (after, orderBy, limit) => {
        let page = (after ? base.where(after) : base).selectAll();
        for (const key of orderBy) page = page.orderBy(key);
        return page.limit(limit).execute() as Promise<ContentTypeRow[]>;
      });
    }
    let page = base.selectAll();
    for (const key of compiled.order) page = page.orderBy(sql`${key.expression} ${sql.raw(key.desc ? 'desc' : 'asc')}`);
    const [rows, count] = await Promise.all([
      page.offset(query.skip).limit(query.limit).execute(),
      base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ContentTypeRow[], total: Number(count.total) };
  }

  /** The activated definitions, all or by id, with the taxonomy validations of their metadata. */
  async activeDefinitions(key: EnvironmentKey, ids: string[] | undefined, db: Kysely<DB> = this.db) {
    let query = this.in(key, db)
      .select()
      .select(['id', 'published', sql<unknown>`metadata -> 'taxonomy'`.as('taxonomy')])
      .where('published', 'is not', null);
    if (ids) query = query.where('id', '=', oneOf(ids));
    return (await query.execute()) as { id: string; published: ContentTypeDefinitionJson; taxonomy: unknown }[];
  }

  /** Inserts a new content type; undefined when the id was taken meanwhile. */
  async insertNew(key: EnvironmentKey, id: string, values: ContentTypeColumns, userId: string | null, db: Kysely<DB>) {
    return db
      .insertInto('content_types')
      .values({ ...values, ...environmentColumns(key), id, created_by: userId, updated_by: userId } as never)
      .onConflict((oc) => oc.columns(['space_id', 'environment_id', 'id']).doNothing())
      .returningAll()
      .executeTakeFirst() as Promise<ContentTypeRow | undefined>;
  }

  /** Replaces the published definition without a new version (a field rename is not a content change). */
  async setPublished(key: EnvironmentKey, id: string, published: ContentTypeDefinitionJson | null, db: Kysely<DB>) {
    await this.in(key, db)
      .updating()
      .set({ published: published && JSON.stringify(published) })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Applies renames everywhere the field id is a key: the draft and published values of every entry of the
   * content type. Contentful keeps fields by an internal id, so versions stay as they are.
   */
  async renameFieldsInEntries(key: EnvironmentKey, contentTypeId: string, renames: ReadonlyMap<string, string>, db: Kysely<DB>) {
    for (const [from, to] of renames) {
      const move = (column: 'fields' | 'published_fields') =>
        sql<never>`case when ${sql.ref(column)} ? ${from} then (${sql.ref(column)} - ${from}) || jsonb_build_object(${to}::text, ${sql.ref(column)} -> ${from}) else ${sql.ref(column)} end`;
      await rowsOf(db, 'entries', 'Entry', environmentColumns(key))
        .updating()
        .set({ fields: move('fields'), published_fields: move('published_fields') })
        .where('content_type_id', '=', contentTypeId)
        .where((eb) => eb.or([sql<boolean>`fields ? ${from}`, sql<boolean>`coalesce(published_fields ? ${from}, false)`]))
        .execute();
    }
  }

  /** Activation at `version`: the draft fields (without deleted ones) become the published definition. */
  async activate(
    key: EnvironmentKey,
    id: string,
    version: number,
    fields: unknown[],
    published: ContentTypeDefinitionJson,
    userId: string | null,
    db: Kysely<DB>,
  ) {
    return this.in(key, db)
      .updating()
      .set({
        fields: JSON.stringify(fields),
        published: JSON.stringify(published),
        published_version: sql`version`,
        version: sql`version + 1`,
        published_counter: sql`published_counter + 1`,
        published_at: sql`now()`,
        first_published_at: sql`coalesce(first_published_at, now())`,
        published_by: userId,
        updated_at: sql`now()`,
        updated_by: userId,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  async deactivate(key: EnvironmentKey, id: string, userId: string | null, db: Kysely<DB>) {
    return this.in(key, db)
      .updating()
      .set({
        published: null,
        published_version: null,
        published_at: null,
        published_by: null,
        version: sql`version + 1`,
        updated_at: sql`now()`,
        updated_by: userId,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async hasEntries(key: EnvironmentKey, id: string, db: Kysely<DB>): Promise<boolean> {
    const entry = await rowsOf(db, 'entries', 'Entry', environmentColumns(key))
      .select()
      .select('id')
      .where('content_type_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    return entry !== undefined;
  }

  async deleteInactive(key: EnvironmentKey, id: string, db: Kysely<DB>): Promise<void> {
    await this.in(key, db).deleting().where('id', '=', id).where('published', 'is', null).execute();
  }
}
