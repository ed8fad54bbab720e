import { sql } from 'kysely';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;

function waitReady(environmentId: string) {
  return waitFor(`environment ${environmentId} to be ready or failed`, async () => {
    const env = await client.environment.get({ spaceId, environmentId });
    const status = (env.sys as unknown as { status: { sys: { id: string } } }).status.sys.id;
    return (status === 'ready' || status === 'failed') && env;
  });
}

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Environments' })).sys.id;
  const ct = await client.contentType.createWithId({ spaceId, environmentId: 'master', contentTypeId: 'post' }, {
    name: 'Post',
    displayField: 'title',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: true }],
  } as never);
  await client.contentType.publish({ spaceId, environmentId: 'master', contentTypeId: 'post' }, ct);
  await client.locale.create({ spaceId, environmentId: 'master' }, { name: 'German', code: 'de-DE', fallbackCode: 'en-US' } as never);
  const entry = await client.entry.createWithId(
    { spaceId, environmentId: 'master', entryId: 'first', contentTypeId: 'post' },
    { fields: { title: { 'en-US': 'Hello', 'de-DE': 'Hallo' } } },
  );
  await client.entry.publish({ spaceId, environmentId: 'master', entryId: 'first' }, entry);
  await client.entry.createWithId(
    { spaceId, environmentId: 'master', entryId: 'draft', contentTypeId: 'post' },
    { fields: { title: { 'en-US': 'Draft' } } },
  );
});
afterAll(async () => {
  await server?.close();
});

describe('environments', () => {
  it('lists master, which cannot be renamed or deleted', async () => {
    const list = await client.environment.getMany({ spaceId });
    expect(list.items.map((e) => e.sys.id)).toEqual(['master']);
    const master = list.items[0];
    expect((master.sys as unknown as { status: unknown }).status).toEqual({ sys: { type: 'Link', linkType: 'Status', id: 'ready' } });
    await expectSdkError(
      client.environment.update({ spaceId, environmentId: 'master' }, { ...master, name: 'renamed' }),
      400,
      'BadRequest',
    );
    await expectSdkError(client.environment.delete({ spaceId, environmentId: 'master' }), 400, 'BadRequest');
  });

  it('copies master with every sys value kept, and changes to the copy leave master alone', async () => {
    const created = await client.environment.createWithId({ spaceId, environmentId: 'staging' }, { name: 'Staging' });
    expect(created.sys.id).toBe('staging');
    const ready = await waitReady('staging');
    expect((ready.sys as unknown as { status: { sys: { id: string } } }).status.sys.id).toBe('ready');
    expect(ready.name).toBe('Staging');

    const [masterEntry, stagingEntry] = await Promise.all([
      client.entry.get({ spaceId, environmentId: 'master', entryId: 'first' }),
      client.entry.get({ spaceId, environmentId: 'staging', entryId: 'first' }),
    ]);
    const { environment: _m, ...masterSys } = masterEntry.sys;
    const { environment: stagingEnv, ...stagingSys } = stagingEntry.sys;
    expect(stagingEnv.sys.id).toBe('staging');
    expect(stagingSys).toEqual(masterSys);
    expect(stagingEntry.fields).toEqual(masterEntry.fields);
    expect((await client.entry.get({ spaceId, environmentId: 'staging', entryId: 'draft' })).sys.publishedVersion).toBeUndefined();
    const locales = await client.locale.getMany({ spaceId, environmentId: 'staging', query: {} });
    expect(locales.items.map((l) => [l.code, l.fallbackCode])).toEqual([
      ['en-US', null],
      ['de-DE', 'en-US'],
    ]);
    const ct = await client.contentType.get({ spaceId, environmentId: 'staging', contentTypeId: 'post' });
    expect(ct.sys.publishedVersion).toBe(1);
    expect((await client.editorInterface.get({ spaceId, environmentId: 'staging', contentTypeId: 'post' })).controls).toHaveLength(1);

    const search = async (environmentId: string, query: Record<string, string>) =>
      (await client.entry.getMany({ spaceId, environmentId, query })).items.map((e) => e.sys.id);
    // The copy brings its search vectors and link arrays along instead of computing them again.
    expect(await search('staging', { query: 'Hallo' })).toEqual(['first']);

    await client.entry.update(
      { spaceId, environmentId: 'staging', entryId: 'first' },
      { ...stagingEntry, fields: { title: { 'en-US': 'Changed in staging' } } },
    );
    expect((await client.entry.get({ spaceId, environmentId: 'master', entryId: 'first' })).fields.title['en-US']).toBe('Hello');
    expect(await search('staging', { query: 'Hallo' })).toEqual([]);
    expect(await search('staging', { query: 'changed' })).toEqual(['first']);
    expect(await search('master', { query: 'changed' })).toEqual([]);
    expect(await search('master', { query: 'Hallo' })).toEqual(['first']);
  });

  it('copies from another source environment and renames with a version', async () => {
    await client.entry.createWithId(
      { spaceId, environmentId: 'staging', entryId: 'only-in-staging', contentTypeId: 'post' },
      { fields: { title: { 'en-US': 'x' } } },
    );
    await client.environment.createWithId({ spaceId, environmentId: 'feature', sourceEnvironmentId: 'staging' }, { name: 'Feature' });
    const feature = await waitReady('feature');
    expect((await client.entry.get({ spaceId, environmentId: 'feature', entryId: 'only-in-staging' })).sys.id).toBe('only-in-staging');
    await expectSdkError(client.entry.get({ spaceId, environmentId: 'master', entryId: 'only-in-staging' }), 404, 'NotFound');
    const renamed = await client.environment.update({ spaceId, environmentId: 'feature' }, { ...feature, name: 'Feature 2' });
    expect(renamed.name).toBe('Feature 2');
    expect(renamed.sys.version).toBe(2);
    await expectSdkError(
      client.environment.update({ spaceId, environmentId: 'feature' }, { ...feature, name: 'Stale' }),
      409,
      'VersionMismatch',
    );
    await client.environment.delete({ spaceId, environmentId: 'feature' });
    await expectSdkError(client.environment.get({ spaceId, environmentId: 'feature' }), 404, 'NotFound');
    await expectSdkError(client.entry.getMany({ spaceId, environmentId: 'feature', query: {} }), 404, 'NotFound');
    const left = await server.database.db
      .selectFrom('entries')
      .select('id')
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', 'feature')
      .execute();
    expect(left).toEqual([]);
  });

  it('a failed copy leaves nothing behind and says failed', async () => {
    const db = server.database.db;
    await sql`create function refuse_doomed() returns trigger language plpgsql as $$
      begin raise exception 'copy refused'; end $$`.execute(db);
    // Only one entry is refused: on PostgreSQL the other is copied on another connection, which commits.
    await sql`create trigger refuse_doomed before insert on entries for each row when (new.environment_id = 'doomed' and new.id = 'first') execute function refuse_doomed()`.execute(
      db,
    );
    try {
      await client.environment.createWithId({ spaceId, environmentId: 'doomed' }, { name: 'Doomed' });
      const env = await waitReady('doomed');
      expect((env.sys as unknown as { status: { sys: { id: string } } }).status.sys.id).toBe('failed');
      for (const table of ['locales', 'content_types', 'editor_interfaces', 'entries'] as const) {
        const rows = await db
          .selectFrom(table)
          .select('space_id')
          .where('space_id', '=', spaceId)
          .where('environment_id', '=', 'doomed')
          .execute();
        expect(rows, table).toEqual([]);
      }
      await expectSdkError(client.entry.getMany({ spaceId, environmentId: 'doomed', query: {} }), 400, 'BadRequest');
      await client.environment.delete({ spaceId, environmentId: 'doomed' });
    } finally {
      await sql`drop trigger refuse_doomed on entries`.execute(db);
    }
  });

  it('a copy left queued by a stopped process is started again, once, at start-up', async () => {
    const db = server.database.db;
    // What a process that died between accepting the environment and committing its copy leaves behind:
    // the environment queued, and a part of the copy that another connection had committed.
    await db
      .insertInto('environments')
      .values({
        space_id: spaceId,
        id: 'orphan',
        name: 'Orphan',
        status: 'queued',
        source_environment_id: 'master',
        created_by: null,
        updated_by: null,
      })
      .execute();
    await sql`insert into entries (space_id, environment_id, id, content_type_id, fields, version, created_at, updated_at)
      select space_id, 'orphan', id, content_type_id, fields, version, created_at, updated_at from entries
      where space_id = ${spaceId} and environment_id = 'master' and id = 'draft'`.execute(db);
    expect(await server.services.environments.resumeQueuedCopies()).toBe(1);
    expect(await server.services.environments.resumeQueuedCopies()).toBe(1);
    const env = await waitReady('orphan');
    expect((env.sys as unknown as { status: { sys: { id: string } } }).status.sys.id).toBe('ready');
    const copied = await client.entry.getMany({ spaceId, environmentId: 'orphan', query: { order: 'sys.id' } });
    expect(copied.items.map((e) => [e.sys.id, e.sys.version])).toEqual([
      ['draft', 1],
      ['first', 2],
    ]);
    expect(await server.services.environments.resumeQueuedCopies()).toBe(0);
    await client.environment.delete({ spaceId, environmentId: 'orphan' });
  });

  it('copies started together all become ready, one after another', async () => {
    const ids = ['batch-a', 'batch-b', 'batch-c'];
    await Promise.all(ids.map((environmentId) => client.environment.createWithId({ spaceId, environmentId }, { name: environmentId })));
    for (const environmentId of ids) {
      const env = await waitReady(environmentId);
      expect((env.sys as unknown as { status: { sys: { id: string } } }).status.sys.id).toBe('ready');
      expect((await client.entry.getMany({ spaceId, environmentId, query: { order: 'sys.id' } })).items.map((e) => e.sys.id)).toEqual([
        'draft',
        'first',
      ]);
      await client.environment.delete({ spaceId, environmentId });
    }
  });

  it('works through the legacy (chained) client: environments and their locales', async () => {
    const space = await server.legacyClient().getSpace(spaceId);
    const created = await space.createEnvironmentWithId('legacy', { name: 'Legacy' });
    expect(created.sys.id).toBe('legacy');
    await waitReady('legacy');
    const environment = await space.getEnvironment('legacy');
    expect(environment.name).toBe('Legacy');
    expect((await environment.getLocales()).items.map((l) => l.code).sort()).toEqual(['de-DE', 'en-US']);
    const french = await environment.createLocale({ name: 'French', code: 'fr-FR', fallbackCode: 'en-US' } as never);
    expect(french.code).toBe('fr-FR');
    expect((await client.locale.getMany({ spaceId, environmentId: 'master' })).items.map((l) => l.code).sort()).toEqual(['de-DE', 'en-US']);
    environment.name = 'Legacy renamed';
    expect((await environment.update()).name).toBe('Legacy renamed');
    await (await space.getEnvironment('legacy')).delete();
    await expectSdkError(client.environment.get({ spaceId, environmentId: 'legacy' }), 404, 'NotFound');
  });

  it('the same routes work without the environment segment, meaning master', async () => {
    const response = await server.request('GET', `/spaces/${spaceId}/entries/first`);
    expect(response.status).toBe(200);
    expect((await response.json()).sys.environment.sys.id).toBe('master');
  });
});

describe('environment aliases', () => {
  it('switches master through the alias, keeps it from being deleted, and allows two more aliases', async () => {
    expect((await client.environmentAlias.getMany({ spaceId })).items).toEqual([]);
    const alias = await client.environmentAlias.createWithId(
      { spaceId, environmentAliasId: 'master' },
      { environment: { sys: { type: 'Link', linkType: 'Environment', id: 'staging' } } },
    );
    expect(alias.sys).toMatchObject({ type: 'EnvironmentAlias', id: 'master', version: 1 });
    expect(alias.environment.sys.id).toBe('staging');

    const viaAlias = await client.entry.get({ spaceId, environmentId: 'master', entryId: 'first' });
    expect(viaAlias.fields.title['en-US']).toBe('Changed in staging');
    expect((await server.request('GET', `/spaces/${spaceId}/entries/first`).then((r) => r.json())).fields.title['en-US']).toBe(
      'Changed in staging',
    );

    const env = await client.environment.get({ spaceId, environmentId: 'master' });
    const sys = env.sys as unknown as { id: string; aliasedEnvironment: { sys: { id: string } }; aliases: { sys: { id: string } }[] };
    expect(sys.id).toBe('master');
    expect(sys.aliasedEnvironment.sys.id).toBe('staging');
    expect(sys.aliases.map((a) => a.sys.id)).toEqual(['master']);
    const staging = await client.environment.get({ spaceId, environmentId: 'staging' });
    expect((staging.sys as unknown as { aliases: { sys: { id: string } }[] }).aliases.map((a) => a.sys.id)).toEqual(['master']);

    await expectSdkError(client.environment.delete({ spaceId, environmentId: 'staging' }), 400, 'BadRequest');
    await expectSdkError(client.environmentAlias.delete({ spaceId, environmentAliasId: 'master' }), 400, 'BadRequest');

    const current = await client.environmentAlias.get({ spaceId, environmentAliasId: 'master' });
    const back = await client.environmentAlias.update(
      { spaceId, environmentAliasId: 'master' },
      { ...current, environment: { sys: { type: 'Link', linkType: 'Environment', id: 'master' } } },
    );
    expect(back.sys.version).toBe(2);
    await expectSdkError(client.environmentAlias.update({ spaceId, environmentAliasId: 'master' }, { ...current }), 409, 'VersionMismatch');
    expect((await client.entry.get({ spaceId, environmentId: 'master', entryId: 'first' })).fields.title['en-US']).toBe('Hello');

    await client.environmentAlias.createWithId(
      { spaceId, environmentAliasId: 'production' },
      { environment: { sys: { type: 'Link', linkType: 'Environment', id: 'master' } } },
    );
    await client.environmentAlias.createWithId(
      { spaceId, environmentAliasId: 'preview' },
      { environment: { sys: { type: 'Link', linkType: 'Environment', id: 'staging' } } },
    );
    await expectSdkError(
      client.environmentAlias.createWithId(
        { spaceId, environmentAliasId: 'third' },
        { environment: { sys: { type: 'Link', linkType: 'Environment', id: 'staging' } } },
      ),
      400,
      'BadRequest',
    );
    await expectSdkError(
      client.environmentAlias.createWithId(
        { spaceId, environmentAliasId: 'x' },
        { environment: { sys: { type: 'Link', linkType: 'Environment', id: 'nowhere' } } },
      ),
      422,
      'ValidationFailed',
    );
    expect((await client.entry.get({ spaceId, environmentId: 'preview', entryId: 'first' })).fields.title['en-US']).toBe(
      'Changed in staging',
    );
    await client.environmentAlias.delete({ spaceId, environmentAliasId: 'preview' });
    expect((await client.environmentAlias.getMany({ spaceId })).items.map((a) => a.sys.id).sort()).toEqual(['master', 'production']);
    const header = await server.request('GET', `/spaces/${spaceId}/environment_aliases`, {
      headers: { 'x-contentful-enable-alpha-feature': 'environment_aliasing' },
    });
    expect(header.status).toBe(200);
  });
});
