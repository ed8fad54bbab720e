import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { ADMIN_TOKEN } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Two server processes on one PostgreSQL database, both polling for scheduled actions that all fall due at
 * once: every action runs exactly once (one publish event per entry), whichever process takes it.
 */

const ACTIONS = 40;
const MANAGEMENT_JSON = 'application/vnd.contentful.management.v1+json';

let testDb: TestDatabase;
let servers: ServerProcess[] = [];
let spaceId: string;

async function cma(server: ServerProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': MANAGEMENT_JSON, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => undefined)) as { sys: { id: string; version: number } } & Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  const env = { SCHEDULER_POLL_MS: '20' };
  servers = [await startServerProcess(testDb.url!, env), await startServerProcess(testDb.url!, env)];
  const [a] = servers;
  spaceId = (await cma(a, 'POST', '/spaces', { name: 'Scheduled' })).sys.id;
  const base = `/spaces/${spaceId}/environments/master`;
  const ct = await cma(a, 'PUT', `${base}/content_types/note`, { name: 'Note', fields: [{ id: 'title', name: 'Title', type: 'Symbol' }] });
  await cma(a, 'PUT', `${base}/content_types/note/published`, undefined, { 'x-contentful-version': String(ct.sys.version) });
  for (let i = 0; i < ACTIONS; i++)
    await cma(
      a,
      'PUT',
      `${base}/entries/note${i}`,
      { fields: { title: { 'en-US': `Note ${i}` } } },
      { 'x-contentful-content-type': 'note' },
    );
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await testDb?.drop();
});

describe('scheduled actions on two processes', () => {
  it('runs each action that falls due exactly once', async () => {
    const me = (await cma(servers[0], 'GET', '/users/me')).sys.id;
    const { db } = testDb.database;
    // Written straight into the table, already due, so both schedulers find them on their next poll together.
    await sql`insert into scheduled_actions (space_id, environment_id, id, entity_type, entity_id, action, scheduled_for, scheduled_for_json, created_by, updated_by)
      select ${spaceId}, 'master', 'action' || i, 'Entry', 'note' || i, 'publish', now() - interval '1 second',
        jsonb_build_object('datetime', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')), ${me}, ${me}
      from generate_series(0, ${ACTIONS - 1}) i`.execute(db);
    await waitFor(`${ACTIONS} scheduled actions to succeed`, async () => {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from scheduled_actions where space_id = ${spaceId} and status = 'succeeded'`.execute(db);
      return rows[0]!.n === ACTIONS;
    });
    const { rows } = await sql<{ entity_id: string; n: number }>`
      select entity_id, count(*)::int as n from events where space_id = ${spaceId} and action = 'publish' and entity_type = 'Entry'
      group by entity_id`.execute(db);
    expect(rows).toHaveLength(ACTIONS);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const statuses = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from scheduled_actions where space_id = ${spaceId} group by status`.execute(db);
    expect(statuses.rows).toEqual([{ status: 'succeeded', n: ACTIONS }]);
  });
});
