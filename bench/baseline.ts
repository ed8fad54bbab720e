/**
 * The cost floor, in a process of its own on PostgreSQL (`tsx bench/baseline.ts`, forked by bench/run.ts
 * with BASELINE_DATABASE_URL; it answers `{ type: 'ready', port }` over IPC), or beside the server on the
 * embedded database, which one process alone can open. Fastify + `pg`, no auth, no caches: each request is
 * one hand-written SQL statement. Reads answer the CDA's shape (metadata, the whole `sys`; a page with
 * `include=2` its two levels of includes, found through `published_links` in the same statement) around the
 * stored fields returned as they are (JSON text, never parsed; every locale); writes are one `UPDATE ...
 * WHERE version` each, as a version-locked CMA write needs at the least.
 */
import Fastify from 'fastify';
import pg from 'pg';

export type RawQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const at = (column: string) => `to_char(${column} at time zone 'UTC', ${ISO})`;

/** What a published entry's (or asset's) answer is made of: its `sys` columns and its stored fields as JSON text, unparsed. */
const COLUMNS = `space_id, environment_id, id, published_counter, ${at('first_published_at')} as created_at,
  ${at('published_at')} as updated_at, published_fields::text as fields`;
const ENTRY_COLUMNS = `${COLUMNS}, content_type_id`;

/**
 * A page of 100 with two levels of includes in one statement: the page, the entries and assets its rows
 * link to (`published_links`), and those the first level's entries link to, none twice. `kind` 0 is an item,
 * 1 an included entry, 2 an included asset.
 */
const PAGE_WITH_INCLUDES = `
  with page as (
    select ${ENTRY_COLUMNS}, published_links from entries
     where ${'space_id = $1 and environment_id = $2'} and content_type_id = $3 and published_version is not null
     order by published_at desc nulls last, id asc nulls last limit $4),
  first_level as (
    select ${ENTRY_COLUMNS}, published_links from entries
     where space_id = $1 and environment_id = $2 and published_version is not null
       and id = any(array(select substr(t, 7) from page, unnest(published_links) t where t like 'Entry:%'))
       and id <> all(array(select id from page))),
  second_level as (
    select ${ENTRY_COLUMNS} from entries
     where space_id = $1 and environment_id = $2 and published_version is not null
       and id = any(array(select substr(t, 7) from first_level, unnest(published_links) t where t like 'Entry:%'))
       and id <> all(array(select id from page union all select id from first_level))),
  linked_assets as (
    select ${COLUMNS}, null as content_type_id from assets
     where space_id = $1 and environment_id = $2 and published_version is not null
       and id = any(array(select substr(t, 7) from (select published_links from page union all select published_links from first_level) l,
                          unnest(l.published_links) t where t like 'Asset:%')))
  select 0 as kind, ${'space_id, environment_id, id, published_counter, created_at, updated_at, fields, content_type_id'} from page
  union all select 1, space_id, environment_id, id, published_counter, created_at, updated_at, fields, content_type_id from first_level
  union all select 1, space_id, environment_id, id, published_counter, created_at, updated_at, fields, content_type_id from second_level
  union all select 2, space_id, environment_id, id, published_counter, created_at, updated_at, fields, content_type_id from linked_assets`;

const linkText = (linkType: string, id: unknown) => `{"sys":{"type":"Link","linkType":"${linkType}","id":${JSON.stringify(id)}}}`;

/** The CDA's shape around the stored fields (every locale: the floor does no locale resolution). */
function entryText(row: Record<string, unknown>, locale: string): string {
  const contentType = row.content_type_id ? `"contentType":${linkText('ContentType', row.content_type_id)},` : '';
  const type = row.content_type_id ? 'Entry' : 'Asset';
  return `{"metadata":{"tags":[],"concepts":[]},"sys":{"space":${linkText('Space', row.space_id)},"id":${JSON.stringify(row.id)},"type":"${type}","createdAt":"${row.created_at}","updatedAt":"${row.updated_at}","environment":${linkText('Environment', row.environment_id)},"revision":${row.published_counter},${contentType}"locale":${JSON.stringify(locale)}},"fields":${row.fields}}`;
}

const SCOPE = 'space_id = $1 and environment_id = $2';

export async function startBaseline(query: RawQuery): Promise<{ port: number; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  type Params = { spaceId: string; environmentId: string; entryId: string };
  type Locale = { locale?: string };
  const json = (reply: { type(value: string): unknown }) => reply.type('application/vnd.contentful.delivery.v1+json');

  app.get<{ Params: Params; Querystring: Locale }>(
    '/spaces/:spaceId/environments/:environmentId/entries/:entryId',
    async (request, reply) => {
      const { spaceId, environmentId, entryId } = request.params;
      const rows = await query(`select ${ENTRY_COLUMNS} from entries where ${SCOPE} and id = $3 and published_version is not null`, [
        spaceId,
        environmentId,
        entryId,
      ]);
      json(reply);
      if (!rows[0]) return reply.status(404).send('{"sys":{"type":"Error","id":"NotFound"}}');
      return entryText(rows[0], request.query.locale ?? 'en-US');
    },
  );

  app.get<{ Params: Omit<Params, 'entryId'>; Querystring: Locale & { content_type?: string; limit?: string; include?: string } }>(
    '/spaces/:spaceId/environments/:environmentId/entries',
    async (request, reply) => {
      const { spaceId, environmentId } = request.params;
      const limit = Number(request.query.limit ?? 100);
      const locale = request.query.locale ?? 'en-US';
      if (request.query.include === '2') {
        const rows = await query(PAGE_WITH_INCLUDES, [spaceId, environmentId, request.query.content_type ?? '', limit]);
        const of = (kind: number) => rows.filter((r) => r.kind === kind).map((r) => entryText(r, locale));
        json(reply);
        return `{"sys":{"type":"Array"},"skip":0,"limit":${limit},"items":[${of(0).join(',')}],"includes":{"Entry":[${of(1).join(',')}],"Asset":[${of(2).join(',')}]}}`;
      }
      const rows = await query(
        `select ${ENTRY_COLUMNS} from entries
          where ${SCOPE} and content_type_id = $3 and published_version is not null
          order by published_at desc nulls last, id asc nulls last limit $4`,
        [spaceId, environmentId, request.query.content_type ?? '', limit],
      );
      json(reply);
      return `{"sys":{"type":"Array"},"skip":0,"limit":${limit},"items":[${rows.map((r) => entryText(r, locale)).join(',')}]}`;
    },
  );

  type Write = { Params: Params; Body: { fields?: unknown } };
  const versioned =
    (statement: string) =>
    async (
      request: { params: Params; headers: Record<string, unknown>; body?: { fields?: unknown } },
      reply: { status(code: number): { send(body: unknown): unknown } },
    ) => {
      const { spaceId, environmentId, entryId } = request.params;
      const version = Number(request.headers['x-contentful-version']);
      const params: unknown[] = [spaceId, environmentId, entryId, version];
      if (request.body?.fields !== undefined) params.push(JSON.stringify(request.body.fields));
      const rows = await query(statement, params);
      if (!rows[0]) return reply.status(409).send({ sys: { type: 'Error', id: 'VersionMismatch' } });
      return { sys: { id: entryId, type: 'Entry', version: rows[0].version } };
    };
  app.addContentTypeParser('application/vnd.contentful.management.v1+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.put<Write>(
    '/spaces/:spaceId/environments/:environmentId/entries/:entryId',
    versioned(`update entries set fields = $5::jsonb, version = version + 1, updated_at = now()
                where space_id = $1 and environment_id = $2 and id = $3 and version = $4 returning version`),
  );
  app.put<Write>(
    '/spaces/:spaceId/environments/:environmentId/entries/:entryId/published',
    versioned(`update entries set published_fields = fields, published_version = version, version = version + 1,
                  published_at = now(), published_counter = published_counter + 1
                where space_id = $1 and environment_id = $2 and id = $3 and version = $4 returning version`),
  );

  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
}

/** As a process of its own: a pool like the server's, then `ready` over IPC; `stop` ends it. */
async function main() {
  const pool = new pg.Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: 10 });
  const baseline = await startBaseline(async (text, params) => (await pool.query(text, params)).rows);
  process.on('message', async (message: { type: string }) => {
    if (message.type !== 'stop') return;
    await baseline.close();
    await pool.end();
    process.exit(0);
  });
  process.send!({ type: 'ready', port: baseline.port });
}

if (process.env.BASELINE_DATABASE_URL && process.send) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
