import pg from 'pg';
import { createClient as createDeliveryClient } from 'contentful';
import { createClient, type PlainClientAPI } from 'contentful-management';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { ADMIN_TOKEN } from '../helpers/server.js';

/**
 * With DATABASE_REPLICA_URL, the delivery APIs (CDA, CPA, GraphQL, Sync) read from the replica and the
 * management API from the primary. The replica here is a copy of the database taken once and never
 * updated, so each answer shows where it was read: the entry changed after the copy on the primary only.
 */

let testDb: TestDatabase;
let admin: pg.Client;
let replicaName: string;
let server: ServerProcess;
let cma: PlainClientAPI;
let spaceId: string;
let deliveryToken: string;
let previewToken: string;
const env = () => ({ spaceId, environmentId: 'master' });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const hostOf = (process: ServerProcess) => process.baseUrl.replace('http://', '');
const management = (process: ServerProcess) =>
  createClient({ accessToken: ADMIN_TOKEN, host: hostOf(process), insecure: true, retryOnError: false }, { type: 'plain' });
const delivery = (options: { preview?: boolean; token?: string } = {}) =>
  createDeliveryClient({
    space: spaceId,
    accessToken: options.token ?? (options.preview ? previewToken : deliveryToken),
    host: hostOf(server),
    basePath: options.preview ? '/preview' : '/cdn',
    insecure: true,
    retryOnError: false,
  });

beforeAll(async () => {
  testDb = await createTestDatabase();
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();

  const setup = await startServerProcess(testDb.url!);
  const setupCma = management(setup);
  spaceId = (await setupCma.space.create({}, { name: 'Replica' })).sys.id;
  const type = await setupCma.contentType.createWithId(
    { ...env(), contentTypeId: 'page' },
    {
      name: 'Page',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: false, required: false }],
    },
  );
  await setupCma.contentType.publish({ ...env(), contentTypeId: 'page' }, type);
  const home = await setupCma.entry.createWithId(
    { ...env(), entryId: 'home', contentTypeId: 'page' },
    { fields: { title: { 'en-US': 'Before the copy' } } },
  );
  await setupCma.entry.publish({ ...env(), entryId: 'home' }, home);
  const key = await setupCma.apiKey.create({ spaceId }, { name: 'Site', environments: [link('Environment', 'master')] } as never);
  deliveryToken = key.accessToken;
  previewToken = (await setupCma.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key.sys.id })).accessToken;
  await setup.stop();

  // A database copied while nothing uses it: the replica, frozen at this moment.
  replicaName = `${testDb.name}_replica`;
  await admin.query(`create database ${replicaName} template ${testDb.name}`);
  const replicaUrl = new URL(testDb.url!);
  replicaUrl.pathname = `/${replicaName}`;
  server = await startServerProcess(testDb.url!, { DATABASE_REPLICA_URL: replicaUrl.toString() });
  cma = management(server);
  const entry = await cma.entry.get({ ...env(), entryId: 'home' });
  const updated = await cma.entry.update({ ...env(), entryId: 'home' }, { ...entry, fields: { title: { 'en-US': 'After the copy' } } });
  await cma.entry.publish({ ...env(), entryId: 'home' }, updated);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (replicaName) await admin.query(`drop database if exists ${replicaName} with (force)`);
  await admin?.end();
  await testDb?.drop();
});

describe('a read replica', () => {
  it('is opened beside the primary', () => {
    expect(server.logs.find((l) => l.msg === 'database opened')).toMatchObject({ database: 'postgres', replica: true });
  });

  it('answers the CDA and the CPA', async () => {
    const delivered = await delivery().getEntries({ 'sys.id': 'home' });
    expect(delivered.items.map((e) => [e.fields.title, e.sys.revision])).toEqual([['Before the copy', 1]]);
    const single = await delivery().getEntry('home');
    expect(single.fields.title).toBe('Before the copy');
    const previewed = await delivery({ preview: true }).getEntries({ 'sys.id': 'home' });
    expect(previewed.items.map((e) => e.fields.title)).toEqual(['Before the copy']);
  });

  it('answers GraphQL', async () => {
    const graphql = new GraphQLClient(`${server.baseUrl}/content/v1/spaces/${spaceId}/environments/master`, {
      headers: { Authorization: `Bearer ${deliveryToken}` },
    });
    expect(await graphql.request('{ page(id: "home") { title sys { publishedVersion } } }')).toEqual({
      page: { title: 'Before the copy', sys: { publishedVersion: 1 } },
    });
  });

  it('answers Sync', async () => {
    const synced = await delivery().sync({ initial: true } as never);
    expect(synced.entries.map((e) => [e.sys.id, (e.fields.title as Record<string, string>)['en-US'], e.sys.revision])).toEqual([
      ['home', 'Before the copy', 1],
    ]);
  });

  it('leaves the CMA on the primary, which reads its own writes', async () => {
    const entry = await cma.entry.get({ ...env(), entryId: 'home' });
    expect(entry.fields.title).toEqual({ 'en-US': 'After the copy' });
    expect(entry.sys).toMatchObject({ publishedCounter: 2, publishedVersion: 3, version: 4 });
  });

  it('reports its pool beside the primary one in /metrics', async () => {
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/database_pool_connections\{pool="primary"\} [1-9]/);
    expect(metrics).toMatch(/database_pool_connections\{pool="replica"\} [1-9]/);
  });

  it('accepts a delivery key at once: keys are looked up on the primary', async () => {
    const key = await cma.apiKey.create({ spaceId }, { name: 'New site', environments: [link('Environment', 'master')] } as never);
    const delivered = await delivery({ token: key.accessToken }).getEntries({ 'sys.id': 'home' });
    expect(delivered.items.map((e) => e.fields.title)).toEqual(['Before the copy']);
  });
});
