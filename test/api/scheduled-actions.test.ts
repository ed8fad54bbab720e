import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Scheduled actions through the official client (`scheduledActions.*`), carried out by the scheduler on
 * a manual clock: nothing here waits on real time.
 */

const clock = new ManualClock();
let server: TestServer;
let cma: PlainClientAPI;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });
const link = <T extends string>(linkType: T, id: string) => ({ sys: { type: 'Link' as const, linkType, id } });
const inSeconds = (s: number) => new Date(clock.now() + s * 1000).toISOString();

async function draft(entryId: string) {
  return cma.entry.createWithId({ ...env(), entryId, contentTypeId: 'post' }, { fields: { title: { 'en-US': entryId } } } as never);
}

const schedule = (entryId: string, datetime: string, action: 'publish' | 'unpublish' = 'publish') =>
  cma.scheduledActions.create(
    { spaceId },
    { entity: link('Entry', entryId), environment: link('Environment', 'master'), action, scheduledFor: { datetime } },
  );

beforeAll(async () => {
  server = await startTestServer({ SCHEDULER_POLL_MS: '500' }, { clock });
  cma = server.plainClient();
  spaceId = (await cma.space.create({}, { name: 'Scheduling' })).sys.id;
  const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'post' }, {
    name: 'Post',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol', required: true }],
  } as never);
  await cma.contentType.publish({ ...env(), contentTypeId: 'post' }, ct);
});
afterAll(async () => {
  await server?.close();
});

describe('scheduled actions', () => {
  it('creates, reads, updates (version-locked) and cancels a scheduled action', async () => {
    await draft('crud');
    const datetime = inSeconds(3600);
    const created = await schedule('crud', datetime);
    expect(created).toMatchObject({
      sys: {
        type: 'ScheduledAction',
        version: 1,
        status: 'scheduled',
        space: link('Space', spaceId),
        createdBy: link('User', server.adminUserId),
      },
      entity: link('Entry', 'crud'),
      environment: link('Environment', 'master'),
      action: 'publish',
      scheduledFor: { datetime },
    });
    const fetched = await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: created.sys.id });
    expect(fetched).toEqual(created);

    const { sys, ...payload } = created;
    const later = inSeconds(7200);
    const updated = await cma.scheduledActions.update(
      { spaceId, scheduledActionId: sys.id, version: sys.version },
      { ...payload, scheduledFor: { datetime: later, timezone: 'Europe/Berlin' } },
    );
    expect([updated.sys.version, updated.scheduledFor]).toEqual([2, { datetime: later, timezone: 'Europe/Berlin' }]);
    await expectSdkError(
      cma.scheduledActions.update({ spaceId, scheduledActionId: sys.id, version: 1 }, { ...payload, action: 'unpublish' }),
      409,
      'VersionMismatch',
    );

    await cma.scheduledActions.delete({ spaceId, environmentId: 'master', scheduledActionId: sys.id });
    const canceled = await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: sys.id });
    expect(canceled.sys).toMatchObject({ status: 'canceled', canceledBy: link('User', server.adminUserId) });
    expect(canceled.sys.canceledAt).toEqual(expect.any(String));
  });

  it('refuses a missing entity, a time in the past and an unknown action', async () => {
    const missing = await expectSdkError(schedule('nothing-here', inSeconds(60)), 400, 'BadRequest');
    expect(missing.message).toBe('The resource could not be found.');
    await draft('past');
    await expectSdkError(schedule('past', inSeconds(-1)), 422, 'ValidationFailed');
    await expectSdkError(schedule('past', inSeconds(60), 'archive' as never), 422, 'ValidationFailed');
  });

  it('publishes on time: not a moment before, and once', async () => {
    await draft('timely');
    const action = await schedule('timely', inSeconds(3));
    clock.advance(2999);
    expect(await server.services.scheduledActions.runDue()).toBe(0);
    expect((await cma.entry.get({ ...env(), entryId: 'timely' })).sys.publishedVersion).toBeUndefined();
    clock.advance(1);
    expect(await server.services.scheduledActions.runDue()).toBe(1);
    expect(await server.services.scheduledActions.runDue()).toBe(0);
    const entry = await cma.entry.get({ ...env(), entryId: 'timely' });
    expect(entry.sys.publishedVersion).toBe(1);
    const done = await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: action.sys.id });
    expect(done.sys.status).toBe('succeeded');
  });

  it('never runs a canceled action', async () => {
    await draft('canceled');
    const action = await schedule('canceled', inSeconds(5));
    await cma.scheduledActions.delete({ spaceId, environmentId: 'master', scheduledActionId: action.sys.id });
    clock.advance(10_000);
    await server.services.scheduledActions.runDue();
    expect((await cma.entry.get({ ...env(), entryId: 'canceled' })).sys.publishedVersion).toBeUndefined();
    expect((await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: action.sys.id })).sys.status).toBe(
      'canceled',
    );
  });

  it('records a failure with its error, and unpublishes on schedule', async () => {
    const invalid = await cma.entry.createWithId({ ...env(), entryId: 'invalid', contentTypeId: 'post' }, { fields: {} } as never);
    const failing = await schedule(invalid.sys.id, inSeconds(1));
    await draft('live');
    await cma.entry.publish({ ...env(), entryId: 'live' }, await cma.entry.get({ ...env(), entryId: 'live' }));
    const unpublishing = await schedule('live', inSeconds(1), 'unpublish');
    clock.advance(1000);
    expect(await server.services.scheduledActions.runDue()).toBe(2);
    const failed = await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: failing.sys.id });
    expect(failed.sys.status).toBe('failed');
    expect(failed.error).toMatchObject({ sys: { type: 'Error', id: 'ValidationFailed' } });
    expect((await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: unpublishing.sys.id })).sys.status).toBe(
      'succeeded',
    );
    expect((await cma.entry.get({ ...env(), entryId: 'live' })).sys.publishedVersion).toBeUndefined();
  });

  it('filters and orders the collection, with cursor pages', async () => {
    await draft('listed');
    const first = await schedule('listed', inSeconds(100));
    const second = await schedule('listed', inSeconds(200));
    const query = { 'environment.sys.id': 'master', 'entity.sys.id': 'listed' };
    const all = await cma.scheduledActions.getMany({ spaceId, query: { ...query, order: '-scheduledFor.datetime' } });
    expect(all.items.map((a) => a.sys.id)).toEqual([second.sys.id, first.sys.id]);
    const page = await cma.scheduledActions.getMany({ spaceId, query: { ...query, limit: 1 } });
    expect(page.items.map((a) => a.sys.id)).toEqual([first.sys.id]);
    const next = await cma.scheduledActions.getMany({
      spaceId,
      query: { ...query, limit: 1, next: (page as { pages: { next: string } }).pages.next },
    });
    expect(next.items.map((a) => a.sys.id)).toEqual([second.sys.id]);
    const before = await cma.scheduledActions.getMany({
      spaceId,
      query: { ...query, 'scheduledFor.datetime[lte]': inSeconds(150), 'sys.status[in]': 'scheduled' },
    });
    expect(before.items.map((a) => a.sys.id)).toEqual([first.sys.id]);
    // The query Contentful's reference field editors send for the scheduled entries and assets they show.
    const editorsQuery = { 'environment.sys.id': 'master', 'sys.status': 'scheduled', order: '-scheduledFor.datetime', limit: 1000 };
    const linked = await cma.scheduledActions.getMany({ spaceId, query: { ...editorsQuery, 'entity.sys.linkType[in]': 'Entry,Asset' } });
    expect(linked.items.map((a) => a.sys.id)).toEqual(expect.arrayContaining([second.sys.id, first.sys.id]));
    const releasesOnly = await cma.scheduledActions.getMany({ spaceId, query: { ...editorsQuery, 'entity.sys.linkType[in]': 'Release' } });
    expect(releasesOnly.items.filter((a) => a.entity.sys.id === 'listed')).toEqual([]);
  });

  it('publishes a release on schedule, through a release action', async () => {
    await draft('inRelease');
    const release = await cma.release.create(env(), {
      title: 'Scheduled',
      entities: { sys: { type: 'Array' }, items: [link('Entry', 'inRelease')] },
    });
    const action = await cma.scheduledActions.create(
      { spaceId },
      {
        entity: link('Release', release.sys.id),
        environment: link('Environment', 'master'),
        action: 'publish',
        scheduledFor: { datetime: inSeconds(5) },
      },
    );
    expect(action.entity).toEqual(link('Release', release.sys.id));
    clock.advance(5000);
    await server.services.scheduledActions.runDue();
    expect((await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: action.sys.id })).sys.status).toBe(
      'succeeded',
    );
    expect((await cma.entry.get({ ...env(), entryId: 'inRelease' })).sys.publishedVersion).toBe(1);
    const actions = await cma.releaseAction.queryForRelease({ ...env(), releaseId: release.sys.id });
    expect(actions.items.map((a) => [a.action, a.sys.status])).toEqual([['publish', 'succeeded']]);
  });

  it('survives a restart: an action due while the server was down runs when it is back', async () => {
    await draft('restart');
    const action = await schedule('restart', inSeconds(2));
    server = await server.restart();
    cma = server.plainClient();
    clock.advance(60_000);
    expect(await server.services.scheduledActions.runDue()).toBe(1);
    expect((await cma.entry.get({ ...env(), entryId: 'restart' })).sys.publishedVersion).toBe(1);
    expect((await cma.scheduledActions.get({ spaceId, environmentId: 'master', scheduledActionId: action.sys.id })).sys.status).toBe(
      'succeeded',
    );
  });
});
