import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { postSpace } from '../helpers/posts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Timeline's release versions through the official client (`release.entry.*`, `release.asset.*`, `entry.get`
 * with `releaseId`): a release keeps its own content of an entity, and publishing the release publishes it.
 */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let draft: Awaited<ReturnType<typeof postSpace>>['draft'];
const env = () => ({ spaceId, environmentId: 'master' });
const link = (linkType: 'Entry' | 'Asset' | 'Release', id: string) => ({ sys: { type: 'Link' as const, linkType, id } });

async function v2Release(title: string, items: { entity: ReturnType<typeof link>; action: 'publish' | 'unpublish' }[]) {
  return cma.release.create(
    { ...env(), releaseSchemaVersion: 'Release.v2' } as never,
    {
      title,
      entities: { sys: { type: 'Array' }, items },
    } as never,
  );
}

async function publishRelease(releaseId: string) {
  const release = await cma.release.get({ ...env(), releaseId });
  const action = await cma.release.publish({ ...env(), releaseId, version: release.sys.version });
  await server.services.releases.runWaiting();
  return cma.releaseAction.get({ ...env(), releaseId, actionId: action.sys.id });
}

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  ({ spaceId, draft } = await postSpace(cma, 'Timeline'));
});
afterAll(async () => {
  await server?.close();
});

describe('release versions', () => {
  it("edits a release's version of an entry without touching the entry, and publishing the release publishes it", async () => {
    const entry = await draft('news', 'Old news');
    const release = await v2Release('Next week', [{ entity: link('Entry', 'news'), action: 'publish' }]);
    const releaseId = release.sys.id;

    // Until the release has a version of its own, the entry's draft stands for it.
    const first = await cma.release.entry.get({ ...env(), releaseId, entryId: 'news' });
    expect(first.sys.release).toEqual(link('Release', releaseId) as never);
    expect([first.sys.version, first.fields]).toEqual([entry.sys.version, { title: { 'en-US': 'Old news' } }]);
    // entry.get with a releaseId is the same read.
    expect(await cma.entry.get({ ...env(), entryId: 'news', releaseId })).toEqual(first);

    const updated = await cma.release.entry.update({ ...env(), releaseId, entryId: 'news' }, {
      ...first,
      fields: { title: { 'en-US': 'Fresh news' } },
    } as never);
    expect([updated.sys.version, updated.fields]).toEqual([first.sys.version + 1, { title: { 'en-US': 'Fresh news' } }]);
    await expectSdkError(
      cma.release.entry.update({ ...env(), releaseId, entryId: 'news' }, { ...first, fields: { title: { 'en-US': 'Stale' } } } as never),
      409,
      'VersionMismatch',
    );
    const patched = await cma.release.entry.patch({ ...env(), releaseId, entryId: 'news', version: updated.sys.version }, [
      { op: 'replace', path: '/fields/title/en-US', value: 'Patched news' },
    ]);
    expect([patched.sys.version, patched.fields]).toEqual([updated.sys.version + 1, { title: { 'en-US': 'Patched news' } }]);
    // Validated like a draft: a field the content type does not have is refused, and nothing is written.
    await expectSdkError(
      cma.release.entry.update({ ...env(), releaseId, entryId: 'news' }, { ...patched, fields: { nope: { 'en-US': 1 } } } as never),
      422,
      'UnknownField',
    );

    // The entry itself is untouched.
    const own = await cma.entry.get({ ...env(), entryId: 'news' });
    expect([own.sys.version, own.fields]).toEqual([entry.sys.version, { title: { 'en-US': 'Old news' } }]);

    const many = await cma.release.entry.getMany({ ...env(), releaseId, query: {} });
    expect(many).toMatchObject({ sys: { type: 'Array' }, total: 1, skip: 0, limit: 100 });
    expect(many.items.map((e) => [e.sys.id, e.fields])).toEqual([['news', { title: { 'en-US': 'Patched news' } }]]);

    expect((await publishRelease(releaseId)).sys.status).toBe('succeeded');
    const live = await cma.entry.get({ ...env(), entryId: 'news' });
    expect(live.fields).toEqual({ title: { 'en-US': 'Patched news' } });
    expect(live.sys.publishedVersion).toBe(live.sys.version - 1);
    expect((await cma.entry.getPublished({ ...env(), query: { 'sys.id': 'news' } })).items[0]!.fields).toEqual({
      title: { 'en-US': 'Patched news' },
    });
  });

  it("validates the release's versions when the release is published, and publishes nothing when one is invalid", async () => {
    await draft('good', 'Good');
    await draft('bad', 'Bad');
    const release = await v2Release('Risky', [
      { entity: link('Entry', 'good'), action: 'publish' },
      { entity: link('Entry', 'bad'), action: 'publish' },
    ]);
    const releaseId = release.sys.id;
    const bad = await cma.release.entry.get({ ...env(), releaseId, entryId: 'bad' });
    // The release takes the required title away: the draft is fine, the release's version is not.
    await cma.release.entry.update({ ...env(), releaseId, entryId: 'bad' }, { ...bad, fields: {} } as never);
    const action = await publishRelease(releaseId);
    expect(action.sys.status).toBe('failed');
    expect((action as { error?: unknown }).error).toMatchObject({
      sys: { id: 'InvalidEntry' },
      details: { errors: [{ entity: link('Entry', 'bad'), error: { sys: { id: 'ValidationFailed' } } }] },
    });
    const entries = await cma.entry.getMany({ ...env(), query: { 'sys.id[in]': 'good,bad' } });
    expect(entries.items.map((e) => [e.sys.id, e.sys.publishedVersion, e.fields])).toEqual(
      expect.arrayContaining([
        ['good', undefined, { title: { 'en-US': 'Good' } }],
        ['bad', undefined, { title: { 'en-US': 'Bad' } }],
      ]),
    );
  });

  it('creates entries and assets in a release: new drafts, added to the release', async () => {
    const release = await v2Release('New things', []);
    const releaseId = release.sys.id;
    const created = await cma.release.entry.create({ ...env(), releaseId, contentTypeId: 'post' }, {
      fields: { title: { 'en-US': 'Brand new' } },
    } as never);
    expect(created.sys.release).toEqual(link('Release', releaseId) as never);
    const withId = await cma.release.entry.createWithId({ ...env(), releaseId, entryId: 'chosen', contentTypeId: 'post' }, {
      fields: { title: { 'en-US': 'Chosen' } },
    } as never);
    expect(withId.sys.id).toBe('chosen');
    const asset = await cma.release.asset.create({ ...env(), releaseId }, { fields: { title: { 'en-US': 'Picture' } } } as never);
    expect(asset.sys).toMatchObject({ type: 'Asset', release: link('Release', releaseId) });
    expect((await cma.release.asset.get({ ...env(), releaseId, assetId: asset.sys.id })).fields).toEqual({
      title: { 'en-US': 'Picture' },
    });

    const after = await cma.release.get({ ...env(), releaseId });
    expect(after.entities.items).toEqual([
      { entity: link('Entry', created.sys.id), action: 'publish' },
      { entity: link('Entry', 'chosen'), action: 'publish' },
      { entity: link('Asset', asset.sys.id), action: 'publish' },
    ]);
    const entries = await cma.release.entry.getMany({ ...env(), releaseId, query: { 'sys.id[in]': 'chosen' } });
    expect(entries.items.map((e) => e.sys.id)).toEqual(['chosen']);
    expect((await cma.release.asset.getMany({ ...env(), releaseId, query: {} })).total).toBe(1);
  });

  it('answers 404 for an entity the release does not hold, and 400 for a query it cannot answer', async () => {
    await draft('outside', 'Outside');
    const release = await v2Release('Small', []);
    await expectSdkError(cma.release.entry.get({ ...env(), releaseId: release.sys.id, entryId: 'outside' }), 404, 'NotFound');
    await expectSdkError(cma.release.entry.get({ ...env(), releaseId: 'nope', entryId: 'outside' }), 404, 'NotFound');
    await expectSdkError(
      cma.release.entry.getMany({ ...env(), releaseId: release.sys.id, query: { 'fields.title': 'x' } }),
      400,
      'InvalidQuery',
    );
  });

  it('queries releases by schema version', async () => {
    const v1 = await cma.release.create(env(), { title: 'Launch', entities: { sys: { type: 'Array' }, items: [] } });
    const v2 = await v2Release('Timeline', []);
    const ids = async (schemaVersion: 'Release.v1' | 'Release.v2') =>
      (await cma.release.query({ ...env(), query: { 'sys.schemaVersion': schemaVersion } })).items.map((r) => r.sys.id);
    expect(await ids('Release.v2')).toContain(v2.sys.id);
    expect(await ids('Release.v2')).not.toContain(v1.sys.id);
    expect(await ids('Release.v1')).toContain(v1.sys.id);
    expect(await ids('Release.v1')).not.toContain(v2.sys.id);
  });
});
