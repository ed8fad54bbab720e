import pg from 'pg';
import { createClient as createDeliveryClient, type ContentfulClientApi } from 'contentful';
import { createClient, type PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { ADMIN_TOKEN } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Two server processes on one PostgreSQL database, both keeping answers and lookups for ten minutes: a
 * write through one is seen through the other at once, because the writer tells the other over
 * LISTEN/NOTIFY and answers once the other has acknowledged. A process whose listening connection is lost
 * listens again and then forgets everything it kept, as a write made meanwhile went unheard (the writer,
 * unanswered, takes it as gone after a second).
 */

const TEN_MINUTES = String(10 * 60 * 1000);
const LISTENING = "listening for the other server processes' writes";
const LOST = "lost the connection listening for the other server processes' writes";

let testDb: TestDatabase;
let admin: pg.Client;
let a: ServerProcess;
let b: ServerProcess;
let cmaA: PlainClientAPI;
let cmaB: PlainClientAPI;
let cdaB: ContentfulClientApi<undefined>;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });

const hostOf = (server: ServerProcess) => server.baseUrl.replace('http://', '');
const management = (server: ServerProcess, token = ADMIN_TOKEN) =>
  createClient({ accessToken: token, host: hostOf(server), insecure: true, retryOnError: false }, { type: 'plain' });
/** The backend pids a process has listened on, in order (from its log). */
const listenerPids = (server: ServerProcess) => server.logs.filter((l) => l.msg === LISTENING).map((l) => l.backendPid as number);

/** Writes the home page's title through A and publishes it. */
async function publishTitle(title: string) {
  const entry = await cmaA.entry.get({ ...env(), entryId: 'home' });
  const updated = await cmaA.entry.update({ ...env(), entryId: 'home' }, { ...entry, fields: { title: { 'en-US': title } } });
  return cmaA.entry.publish({ ...env(), entryId: 'home' }, updated);
}

async function deliveredHome() {
  const { items } = await cdaB.getEntries({ 'sys.id': 'home' });
  return { title: items[0]?.fields.title, revision: items[0]?.sys.revision };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const caches = { DELIVERY_CACHE_TTL_MS: TEN_MINUTES, ACCESS_CACHE_TTL_MS: TEN_MINUTES };
  a = await startServerProcess(testDb.url!, caches);
  b = await startServerProcess(testDb.url!, caches);
  await waitFor('both processes to listen for changes', () => listenerPids(a).length === 1 && listenerPids(b).length === 1);
  cmaA = management(a);
  cmaB = management(b);
  spaceId = (await cmaA.space.create({}, { name: 'Two processes' })).sys.id;
  const type = await cmaA.contentType.createWithId(
    { ...env(), contentTypeId: 'page' },
    {
      name: 'Page',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: false, required: false }],
    },
  );
  await cmaA.contentType.publish({ ...env(), contentTypeId: 'page' }, type);
  const home = await cmaA.entry.createWithId(
    { ...env(), entryId: 'home', contentTypeId: 'page' },
    { fields: { title: { 'en-US': 'First' } } },
  );
  await cmaA.entry.publish({ ...env(), entryId: 'home' }, home);
  const key = await cmaA.apiKey.create(
    { spaceId },
    {
      name: 'Site',
      environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
    },
  );
  cdaB = createDeliveryClient({
    space: spaceId,
    accessToken: key.accessToken,
    host: hostOf(b),
    basePath: '/cdn',
    insecure: true,
    retryOnError: false,
  });
}, 120_000);

afterAll(async () => {
  if (testDb?.name) await admin.query(`alter database ${testDb.name} with allow_connections true`).catch(() => undefined);
  await Promise.all([a?.stop(), b?.stop()]);
  await admin?.end();
  await testDb?.drop();
});

describe('caches on two server processes', () => {
  it('a CDA read through B right after a publish through A sees the new version', async () => {
    for (let round = 2; round <= 6; round++) {
      // B keeps the answer first, then A publishes.
      expect((await deliveredHome()).revision).toBe(round - 1);
      const published = await publishTitle(`Version ${round}`);
      expect(published.sys.publishedCounter).toBe(round);
      expect(await deliveredHome()).toEqual({ title: `Version ${round}`, revision: round });
    }
  });

  it('a token revoked through A is refused by B at once', async () => {
    const created = await cmaA.personalAccessToken.create({ name: 'Short-lived', scopes: ['content_management_manage'] });
    const throughB = management(b, created.token!);
    expect((await throughB.entry.getMany({ ...env(), query: { 'sys.id': 'home' } })).items.map((e) => e.sys.id)).toEqual(['home']);
    const revoked = await cmaA.personalAccessToken.revoke({ tokenId: created.sys.id });
    expect(revoked.revokedAt).toEqual(expect.any(String));
    await expectSdkError(throughB.entry.getMany({ ...env(), query: {} }), 401, 'AccessTokenInvalid');
  });

  it('an environment deleted through A is gone from B at once', async () => {
    await cmaA.environment.createWithId({ spaceId, environmentId: 'staging' }, { name: 'Staging' });
    await waitFor(
      'the copy to be ready',
      async () => (await cmaA.environment.get({ spaceId, environmentId: 'staging' })).sys.status.sys.id === 'ready',
    );
    // B resolves and keeps the environment (with the admin's access to it) for ten minutes.
    const copied = await cmaB.entry.getMany({ spaceId, environmentId: 'staging', query: {} });
    expect(copied.items.map((e) => e.sys.id)).toEqual(['home']);
    await cmaA.environment.delete({ spaceId, environmentId: 'staging' });
    await expectSdkError(cmaB.entry.getMany({ spaceId, environmentId: 'staging', query: {} }), 404, 'NotFound');
  });

  it('listens again after its listening connection is terminated, and forgets what was written meanwhile', async () => {
    const before = await deliveredHome();
    const [listenerPid] = listenerPids(b).slice(-1);
    // A's pool keeps connections open, so A can write while the database refuses new ones.
    await Promise.all(Array.from({ length: 4 }, () => cmaA.entry.get({ ...env(), entryId: 'home' })));
    await admin.query(`alter database ${testDb.name} with allow_connections false`);
    const { rows } = await admin.query('select pg_terminate_backend($1) as terminated', [listenerPid]);
    expect(rows).toEqual([{ terminated: true }]);
    await waitFor('B to notice the lost connection', () => b.logs.some((l) => l.msg === LOST));

    const published = await publishTitle('Written while B was not listening');
    expect(published.sys.publishedCounter).toBe(before.revision! + 1);
    // Nothing told B: it still answers what it kept.
    expect(await deliveredHome()).toEqual(before);

    await admin.query(`alter database ${testDb.name} with allow_connections true`);
    await waitFor('B to listen again', () => listenerPids(b).length === 2, 30_000);
    expect(listenerPids(b)[1]).not.toBe(listenerPid);
    expect(await deliveredHome()).toEqual({ title: 'Written while B was not listening', revision: before.revision! + 1 });
    expect([a.exitCode(), b.exitCode()]).toEqual([null, null]);
  });
});
