import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { postSpace } from '../helpers/posts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/** Releases and release actions through the official client (`release.*`, `releaseAction.*`). */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let draft: Awaited<ReturnType<typeof postSpace>>['draft'];
const env = () => ({ spaceId, environmentId: 'master' });
const link = (linkType: 'Entry' | 'Asset', id: string) => ({ sys: { type: 'Link' as const, linkType, id } });

const published = async (entryId: string) => (await cma.entry.get({ ...env(), entryId })).sys.publishedVersion;

async function finished(releaseId: string, actionId: string) {
  return waitFor(`release action ${actionId} to finish`, async () => {
    const action = await cma.releaseAction.get({ ...env(), releaseId, actionId });
    return action.sys.status === 'succeeded' || action.sys.status === 'failed' ? action : undefined;
  });
}

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  ({ spaceId, draft } = await postSpace(cma, 'Releases'));
});
afterAll(async () => {
  await server?.close();
});

describe('releases', () => {
  it('creates, reads, queries, updates (version-locked), archives and deletes a release', async () => {
    await draft('one', 'One');
    const release = await cma.release.create(env(), {
      title: 'Spring',
      entities: { sys: { type: 'Array' }, items: [link('Entry', 'one')] },
    });
    expect(release).toMatchObject({
      sys: { type: 'Release', version: 1, status: 'active', space: { sys: { id: spaceId } }, environment: { sys: { id: 'master' } } },
      title: 'Spring',
      entities: { sys: { type: 'Array' }, items: [link('Entry', 'one')] },
    });
    expect(await cma.release.get({ ...env(), releaseId: release.sys.id })).toEqual(release);
    const found = await cma.release.query({ ...env(), query: { 'entities.sys.id[in]': 'one' } });
    expect(found.items.map((r) => r.sys.id)).toEqual([release.sys.id]);

    const updated = await cma.release.update(
      { ...env(), releaseId: release.sys.id, version: release.sys.version },
      { title: 'Spring sale', entities: release.entities },
    );
    expect([updated.sys.version, updated.title]).toEqual([2, 'Spring sale']);
    await expectSdkError(
      cma.release.update({ ...env(), releaseId: release.sys.id, version: 1 }, { title: 'Stale', entities: release.entities }),
      409,
      'VersionMismatch',
    );
    const archived = await cma.release.archive({ ...env(), releaseId: release.sys.id, version: updated.sys.version });
    expect(archived.sys.status).toBe('archived');
    await expectSdkError(cma.release.publish({ ...env(), releaseId: release.sys.id, version: archived.sys.version }), 400, 'BadRequest');
    const active = await cma.release.unarchive({ ...env(), releaseId: release.sys.id, version: archived.sys.version });
    expect(active.sys.status).toBe('active');
    await cma.release.delete({ ...env(), releaseId: release.sys.id });
    await expectSdkError(cma.release.get({ ...env(), releaseId: release.sys.id }), 404, 'NotFound');
  });

  it('publishes every entity of a release through a release action, then unpublishes them', async () => {
    await draft('spring1', 'Spring 1');
    await draft('spring2', 'Spring 2');
    const release = await cma.release.create(env(), {
      title: 'Launch',
      entities: { sys: { type: 'Array' }, items: [link('Entry', 'spring1'), link('Entry', 'spring2')] },
    });
    const publishing = await cma.release.publish({ ...env(), releaseId: release.sys.id, version: release.sys.version });
    expect(publishing).toMatchObject({ sys: { type: 'ReleaseAction', release: { sys: { id: release.sys.id } } }, action: 'publish' });
    expect((await finished(release.sys.id, publishing.sys.id)).sys.status).toBe('succeeded');
    expect([await published('spring1'), await published('spring2')]).toEqual([1, 1]);
    expect((await cma.release.get({ ...env(), releaseId: release.sys.id })).sys.lastAction).toEqual({
      sys: { type: 'Link', linkType: 'ReleaseAction', id: publishing.sys.id },
    });

    const current = await cma.release.get({ ...env(), releaseId: release.sys.id });
    const unpublishing = await cma.release.unpublish({ ...env(), releaseId: release.sys.id, version: current.sys.version });
    expect((await finished(release.sys.id, unpublishing.sys.id)).sys.status).toBe('succeeded');
    expect([await published('spring1'), await published('spring2')]).toEqual([undefined, undefined]);
    const actions = await cma.releaseAction.queryForRelease({ ...env(), releaseId: release.sys.id });
    expect(actions.items.map((a) => a.action).sort()).toEqual(['publish', 'unpublish']);
  });

  it('publishes nothing when one entity is invalid, and reports it; validate only checks', async () => {
    await draft('fine', 'Fine');
    await draft('broken');
    const release = await cma.release.create(env(), {
      title: 'Mixed',
      entities: { sys: { type: 'Array' }, items: [link('Entry', 'fine'), link('Entry', 'broken')] },
    });
    const validation = await cma.release.validate({ ...env(), releaseId: release.sys.id });
    const validated = await finished(release.sys.id, validation.sys.id);
    expect(validated.sys.status).toBe('failed');
    const publishing = await cma.release.publish({
      ...env(),
      releaseId: release.sys.id,
      version: (await cma.release.get({ ...env(), releaseId: release.sys.id })).sys.version,
    });
    const failed = await finished(release.sys.id, publishing.sys.id);
    expect(failed.sys.status).toBe('failed');
    expect((failed as unknown as { error: unknown }).error).toMatchObject({
      details: { errors: [{ entity: link('Entry', 'broken'), error: { sys: { type: 'Error', id: 'ValidationFailed' } } }] },
    });
    expect([await published('fine'), await published('broken')]).toEqual([undefined, undefined]);
  });
});
