import { sql } from 'kysely';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { countStatements } from '../helpers/statements.js';

/**
 * A save sending the version this process wrote skips reading the entry, its content type and locales
 * (src/resources/entries/kept-for-write.ts). Nothing it keeps decides a write: an entry changed or deleted
 * behind its back, or a removed locale, gives what a fresh read gives.
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });

/** The SQL statements the server runs while `work` runs. */
const statements = (work: () => Promise<unknown>) => countStatements(server.database.db, work);

async function newEntry(entryId: string) {
  return cma.entry.createWithId({ ...env(), entryId, contentTypeId: 'page' }, { fields: { title: { 'en-US': 'First' } } });
}

beforeAll(async () => {
  // The background workers poll the same database; an hour between polls keeps their statements out of the count.
  server = await startTestServer({ WEBHOOK_POLL_MS: '3600000', SCHEDULER_POLL_MS: '3600000', ACCESS_CACHE_TTL_MS: '600000' });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Kept for write' })).sys.id;
  await cma.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  const type = await cma.contentType.createWithId(
    { ...env(), contentTypeId: 'page' },
    { name: 'Page', fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: true, required: true }] },
  );
  await cma.contentType.publish({ ...env(), contentTypeId: 'page' }, type);
});

afterAll(async () => {
  await server?.close();
});

describe('saves at the version this process wrote', () => {
  it('are one statement, and answer as a save after a read does', async () => {
    let entry = await newEntry('one');
    entry = await cma.entry.update({ ...env(), entryId: 'one' }, { ...entry, fields: { title: { 'en-US': 'Second' } } });
    let saved: typeof entry | undefined;
    const count = await statements(async () => {
      saved = await cma.entry.update(
        { ...env(), entryId: 'one' },
        { ...entry, fields: { title: { 'en-US': 'Third', 'de-DE': 'Dritte' } } },
      );
    });
    expect(count).toBe(1);
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^cache_lookups_total\{cache="entries_for_write",result="hit"\} [1-9]/m);
    expect(saved!.sys.version).toBe(entry.sys.version + 1);
    expect(saved!.fields).toEqual({ title: { 'en-US': 'Third', 'de-DE': 'Dritte' } });
    expect(await cma.entry.get({ ...env(), entryId: 'one' })).toEqual(saved);
    // A refused value is refused as after a read, and leaves the entry as it was.
    await expectSdkError(
      cma.entry.update({ ...env(), entryId: 'one' }, { ...saved!, fields: { title: { 'en-US': 7 } } } as never),
      422,
      'ValidationFailed',
    );
    expect((await cma.entry.get({ ...env(), entryId: 'one' })).sys.version).toBe(saved!.sys.version);
  });

  it('refuse a version changed behind its back with 409, and take the version read', async () => {
    const entry = await newEntry('two');
    const kept = await cma.entry.update({ ...env(), entryId: 'two' }, { ...entry, fields: { title: { 'en-US': 'Kept' } } });
    // Another server process writes the entry: the row changes without this process knowing.
    await sql`update entries set version = version + 1, fields = ${JSON.stringify({ title: { 'en-US': 'Elsewhere' } })}::jsonb
      where space_id = ${spaceId} and id = 'two'`.execute(server.database.db);
    await expectSdkError(
      cma.entry.update({ ...env(), entryId: 'two' }, { ...kept, fields: { title: { 'en-US': 'Lost' } } }),
      409,
      'VersionMismatch',
    );
    const current = await cma.entry.get({ ...env(), entryId: 'two' });
    expect(current.fields).toEqual({ title: { 'en-US': 'Elsewhere' } });
    const saved = await cma.entry.update({ ...env(), entryId: 'two' }, { ...current, fields: { title: { 'en-US': 'After' } } });
    expect(saved.sys.version).toBe(kept.sys.version + 2);
  });

  it('create the entry anew when it was deleted behind its back', async () => {
    const entry = await newEntry('three');
    const kept = await cma.entry.update({ ...env(), entryId: 'three' }, { ...entry, fields: { title: { 'en-US': 'Kept' } } });
    await sql`delete from entries where space_id = ${spaceId} and id = 'three'`.execute(server.database.db);
    const response = await fetch(`${server.baseUrl}/spaces/${spaceId}/environments/master/entries/three`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${server.adminToken}`,
        'content-type': 'application/vnd.contentful.management.v1+json',
        'x-contentful-version': String(kept.sys.version),
        'x-contentful-content-type': 'page',
      },
      body: JSON.stringify({ fields: { title: { 'en-US': 'Again' } } }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { sys: { version: number } }).sys.version).toBe(1);
  });

  it('forget the locales once a locale is deleted', async () => {
    const entry = await newEntry('four');
    const kept = await cma.entry.update(
      { ...env(), entryId: 'four' },
      { ...entry, fields: { title: { 'en-US': 'Kept', 'de-DE': 'Behalten' } } },
    );
    const locales = await cma.locale.getMany({ spaceId, environmentId: 'master' });
    const german = locales.items.find((l) => l.code === 'de-DE')!;
    await cma.locale.delete({ spaceId, environmentId: 'master', localeId: german.sys.id });
    const current = await cma.entry.get({ ...env(), entryId: 'four' });
    expect(current.fields).toEqual({ title: { 'en-US': 'Kept' } });
    await expectSdkError(
      cma.entry.update({ ...env(), entryId: 'four' }, { ...current, fields: { title: { 'en-US': 'Now', 'de-DE': 'Jetzt' } } }),
      422,
      'ValidationFailed',
    );
    // The removal rewrote the entry without a new version: only forgetting the kept locales refuses the value.
    expect(current.sys.version).toBe(kept.sys.version);
  });
});
