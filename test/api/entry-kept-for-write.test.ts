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
    {
      name: 'Page',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: true, required: true }],
    },
  );
  await cma.contentType.publish({ ...env(), contentTypeId: 'page' }, type);
  const linkPage = await cma.contentType.createWithId(
    { ...env(), contentTypeId: 'linkPage' },
    {
      name: 'Link page',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', required: true, localized: false },
        { id: 'next', name: 'Next', type: 'Link', linkType: 'Entry', required: false, localized: false },
        { id: 'picture', name: 'Picture', type: 'Link', linkType: 'Asset', required: false, localized: false },
      ],
    },
  );
  await cma.contentType.publish({ ...env(), contentTypeId: 'linkPage' }, linkPage);
  const guarded = await cma.contentType.createWithId(
    { ...env(), contentTypeId: 'guardedPage' },
    {
      name: 'Guarded page',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', required: true, localized: false },
        {
          id: 'next',
          name: 'Next',
          type: 'Link',
          linkType: 'Entry',
          required: false,
          localized: false,
          validations: [{ linkContentType: ['page'] }],
        },
      ],
    },
  );
  await cma.contentType.publish({ ...env(), contentTypeId: 'guardedPage' }, guarded);
  const asset = await cma.asset.createWithId({ ...env(), assetId: 'pic' }, { fields: { title: { 'en-US': 'Picture' } } } as never);
  await cma.asset.publish({ ...env(), assetId: 'pic' }, asset);
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

describe('publishes at the version this process wrote', () => {
  const linked = (entryId: string) => ({ sys: { type: 'Link', linkType: 'Entry', id: entryId } });

  /** An entry linking to `target` (created first) and to the asset, saved once more so this process wrote its version. */
  async function linkedEntry(entryId: string, target: string) {
    await newEntry(target);
    const entry = await cma.entry.createWithId(
      { ...env(), entryId, contentTypeId: 'linkPage' },
      { fields: { title: { 'en-US': 'First' } } },
    );
    return cma.entry.update(
      { ...env(), entryId },
      {
        ...entry,
        fields: {
          title: { 'en-US': 'Linked' },
          next: { 'en-US': linked(target) },
          picture: { 'en-US': { sys: { type: 'Link', linkType: 'Asset', id: 'pic' } } },
        },
      },
    );
  }

  it('are one statement, and answer as a publish after a read does', async () => {
    const entry = await linkedEntry('p-one', 'p-one-target');
    let published: typeof entry | undefined;
    const count = await statements(async () => {
      published = await cma.entry.publish({ ...env(), entryId: 'p-one' }, entry);
    });
    expect(count).toBe(1);
    expect(published!.sys).toMatchObject({ version: entry.sys.version + 1, publishedVersion: entry.sys.version, publishedCounter: 1 });
    expect(await cma.entry.get({ ...env(), entryId: 'p-one' })).toEqual(published);
    const events = await sql<{
      action: string;
    }>`select action from events where space_id = ${spaceId} and entity_id = 'p-one' order by seq`.execute(server.database.db);
    expect(events.rows.map((e) => e.action)).toEqual(['create', 'save', 'publish']);
    const snapshots = await cma.snapshot.getManyForEntry({ ...env(), entryId: 'p-one' });
    expect(snapshots.items.map((s) => s.sys.snapshotType)).toEqual(['publish']);
    // Published again at the version that publish wrote: one statement again.
    const again = await statements(() => cma.entry.publish({ ...env(), entryId: 'p-one' }, published!));
    expect(again).toBe(1);
  });

  it('are refused, unchanged, for an unresolved task created since', async () => {
    const entry = await linkedEntry('p-task', 'p-task-target');
    await cma.task.create(
      { ...env(), entryId: 'p-task' },
      { body: 'Check it', assignedTo: { sys: { type: 'Link', linkType: 'User', id: server.adminUserId } }, status: 'active' },
    );
    const refused = await expectSdkError(cma.entry.publish({ ...env(), entryId: 'p-task' }, entry), 422, 'ValidationFailed');
    expect(JSON.stringify(refused)).toContain('unresolvedTasks');
    const current = await cma.entry.get({ ...env(), entryId: 'p-task' });
    expect(current.sys.version).toBe(entry.sys.version);
    expect(current.sys.publishedVersion).toBeUndefined();
  });

  it('are refused, unchanged, when a linked entry was deleted since', async () => {
    const entry = await linkedEntry('p-link', 'p-link-target');
    await cma.entry.delete({ ...env(), entryId: 'p-link-target' });
    const refused = await expectSdkError(cma.entry.publish({ ...env(), entryId: 'p-link' }, entry), 422, 'UnresolvedLinks');
    expect(JSON.stringify(refused)).toContain('notResolvable');
    expect((await cma.entry.get({ ...env(), entryId: 'p-link' })).sys.publishedVersion).toBeUndefined();
  });

  it('refuse a version changed behind its back with 409', async () => {
    const entry = await linkedEntry('p-changed', 'p-changed-target');
    await sql`update entries set version = version + 1 where space_id = ${spaceId} and id = 'p-changed'`.execute(server.database.db);
    await expectSdkError(cma.entry.publish({ ...env(), entryId: 'p-changed' }, entry), 409, 'VersionMismatch');
    expect((await cma.entry.get({ ...env(), entryId: 'p-changed' })).sys.publishedVersion).toBeUndefined();
  });

  it('read first when a link validation looks at the target', async () => {
    const target = await cma.entry.createWithId(
      { ...env(), entryId: 'p-guarded-target', contentTypeId: 'guardedPage' },
      { fields: { title: { 'en-US': 'Wrong type' } } },
    );
    const entry = await cma.entry.createWithId(
      { ...env(), entryId: 'p-guarded', contentTypeId: 'guardedPage' },
      { fields: { title: { 'en-US': 'Guarded' }, next: { 'en-US': linked(target.sys.id) } } },
    );
    const saved = await cma.entry.update(
      { ...env(), entryId: 'p-guarded' },
      { ...entry, fields: { ...entry.fields, title: { 'en-US': 'Again' } } },
    );
    let refusal: unknown;
    const count = await statements(async () => {
      refusal = await expectSdkError(cma.entry.publish({ ...env(), entryId: 'p-guarded' }, saved), 422, 'ValidationFailed');
    });
    // Only the read: a guarded write would have published it, since the guard does not look at the target's type.
    expect(JSON.stringify(refusal)).toContain('linkContentType');
    expect(count).toBe(1);
    expect((await cma.entry.get({ ...env(), entryId: 'p-guarded' })).sys.publishedVersion).toBeUndefined();
  });
});
