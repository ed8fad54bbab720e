import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { postSpace } from '../helpers/posts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/** Bulk actions through the official client (`bulkAction.*`, v1 and v2 shapes), run in the background. */

let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
let draft: Awaited<ReturnType<typeof postSpace>>['draft'];
const env = () => ({ spaceId, environmentId: 'master' });
const link = (linkType: 'Entry' | 'Asset', id: string) => ({ sys: { type: 'Link' as const, linkType, id } });
const versioned = (linkType: 'Entry' | 'Asset', id: string, version: number) => ({ sys: { ...link(linkType, id).sys, version } });

/** Waits for the background run to finish, reading the action as a client polls it. */
async function settled(bulkActionId: string) {
  return waitFor(`bulk action ${bulkActionId} to finish`, async () => {
    const action = await cma.bulkAction.get({ ...env(), bulkActionId });
    return action.sys.status === 'succeeded' || action.sys.status === 'failed' ? action : undefined;
  });
}

const published = async (entryId: string) => (await cma.entry.get({ ...env(), entryId })).sys.publishedVersion;

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  ({ spaceId, draft } = await postSpace(cma, 'Bulk'));
});
afterAll(async () => {
  await server?.close();
});

describe('bulk actions', () => {
  it('publishes every entity of a v1 publish, created at once and run in the background', async () => {
    const a = await draft('a', 'A');
    const b = await draft('b', 'B');
    const created = await cma.bulkAction.publish(env(), {
      entities: { sys: { type: 'Array' }, items: [versioned('Entry', 'a', a.sys.version), versioned('Entry', 'b', b.sys.version)] },
    });
    expect(created.sys).toMatchObject({
      type: 'BulkAction',
      status: 'created',
      space: { sys: { id: spaceId } },
      environment: { sys: { id: 'master' } },
    });
    expect(created.action).toBe('publish');
    const done = await settled(created.sys.id);
    expect(done.sys.status).toBe('succeeded');
    expect(done.error).toBeUndefined();
    expect([await published('a'), await published('b')]).toEqual([1, 1]);
  });

  it('publishes nothing when one entity is invalid or at another version, and reports each', async () => {
    const good = await draft('good', 'Good');
    const invalid = await draft('invalid');
    const stale = await draft('stale', 'Stale');
    const created = await cma.bulkAction.publish(env(), {
      entities: {
        sys: { type: 'Array' },
        items: [
          versioned('Entry', 'good', good.sys.version),
          versioned('Entry', 'invalid', invalid.sys.version),
          versioned('Entry', 'stale', stale.sys.version + 1),
        ],
      },
    });
    const done = await settled(created.sys.id);
    expect(done.sys.status).toBe('failed');
    expect(done.error).toMatchObject({
      sys: { type: 'Error', id: 'BulkActionFailed' },
      details: {
        errors: [
          { entity: versioned('Entry', 'invalid', invalid.sys.version), error: { sys: { type: 'Error', id: 'ValidationFailed' } } },
          { entity: versioned('Entry', 'stale', stale.sys.version + 1), error: { sys: { type: 'Error', id: 'VersionMismatch' } } },
        ],
      },
    });
    expect(await published('good')).toBeUndefined();
  });

  it('validates without publishing, and unpublishes', async () => {
    const valid = await draft('valid', 'Valid');
    await cma.entry.publish({ ...env(), entryId: 'valid' }, valid);
    const validation = await settled(
      (await cma.bulkAction.validate(env(), { entities: { sys: { type: 'Array' }, items: [link('Entry', 'valid')] } })).sys.id,
    );
    expect([validation.sys.status, validation.action]).toEqual(['succeeded', 'validate']);
    const unpublished = await settled(
      (await cma.bulkAction.unpublish(env(), { entities: { sys: { type: 'Array' }, items: [link('Entry', 'valid')] } })).sys.id,
    );
    expect([unpublished.sys.status, unpublished.action]).toEqual(['succeeded', 'unpublish']);
    expect(await published('valid')).toBeUndefined();
  });

  it('takes the v2 shape', async () => {
    const v2 = await draft('v2', 'Version two');
    const created = await cma.bulkAction.publishV2(env(), {
      action: 'publish',
      entities: [{ entity: versioned('Entry', 'v2', v2.sys.version) }],
    });
    const done = await waitFor('the v2 bulk action to finish', async () => {
      const action = await cma.bulkAction.getV2({ ...env(), bulkActionId: created.sys.id });
      return action.sys.status === 'succeeded' || action.sys.status === 'failed' ? action : undefined;
    });
    expect(done.sys.status).toBe('succeeded');
    expect(await published('v2')).toBe(1);
  });

  it('refuses a publish without versions, too many entities and an unknown id', async () => {
    const data = await expectSdkError(
      cma.bulkAction.publish(env(), { entities: { sys: { type: 'Array' }, items: [link('Entry', 'a') as never] } }),
      422,
      'ValidationFailed',
    );
    expect(data.details).toEqual({
      errors: [
        { details: '"entities.items[0].sys.version" is required', name: 'any.required', path: ['entities', 'items', 0, 'sys', 'version'] },
      ],
    });
    const items = Array.from({ length: 201 }, (_, i) => link('Entry', `e${i}`));
    await expectSdkError(cma.bulkAction.unpublish(env(), { entities: { sys: { type: 'Array' }, items } }), 422, 'ValidationFailed');
    const missing = await expectSdkError(cma.bulkAction.get({ ...env(), bulkActionId: 'fakeId' }), 404, 'NotFound');
    expect(missing.details).toMatchObject({ type: 'BulkAction', id: 'fakeId' });
  });
});
