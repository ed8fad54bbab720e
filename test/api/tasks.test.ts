import type { PlainClientAPI, TaskProps } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { postSpace } from '../helpers/posts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { organizationUser, type TestUser } from '../helpers/users.js';
import { waitFor } from '../helpers/wait.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Tasks on entries (issue 25, item 1) through the official client's `task.*` and the legacy entry API,
 * with the rules of seed 004: who changes, resolves, deletes and reads a task.
 */

let server: TestServer;
let admin: PlainClientAPI;
let spaceId: string;
let creator: TestUser;
let assignee: TestUser;
let bystander: TestUser;
let postReader: TestUser;
let outsider: TestUser;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const env = () => ({ spaceId, environmentId: 'master' });
const user = (id: string) => ({ sys: { type: 'Link' as const, linkType: 'User' as const, id } });
const isEntry = { equals: [{ doc: 'sys.type' }, 'Entry'] };
const task = (body: string, assignedTo = user(assignee.id), status: 'active' | 'resolved' = 'active') => ({ body, assignedTo, status });
const update = (client: PlainClientAPI, entryId: string, current: TaskProps, changes: Partial<TaskProps>) => {
  const { sys, ...content } = current;
  return client.task.update({ ...env(), entryId, taskId: sys.id }, { ...content, ...changes, sys: { version: sys.version } } as never);
};
const topicsOf = async (id: string) =>
  (await server.services.db.selectFrom('events').select(['topic', 'payload']).where('entity_id', '=', id).orderBy('seq').execute()).map(
    (e) => e.topic,
  );

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startTestServer({ WEBHOOK_POLL_MS: '20', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  admin = server.plainClient();
  const space = await postSpace(admin, 'Tasks');
  spaceId = space.spaceId;
  for (const id of ['post', 'draft-post', 'unreadable-post', 'team-post', 'paged-post', 'busy-post', 'doomed-post'])
    await space.draft(id, 'Hello');
  const page = await admin.contentType.createWithId({ ...env(), contentTypeId: 'page' }, {
    name: 'Page',
    fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
  } as never);
  await admin.contentType.publish({ ...env(), contentTypeId: 'page' }, page);
  await admin.entry.createWithId({ ...env(), entryId: 'page', contentTypeId: 'page' }, { fields: {} });

  const editor = await admin.role.create({ spaceId }, {
    name: 'Entry editor',
    permissions: { ContentModel: ['read'] },
    policies: [{ effect: 'allow', actions: ['read', 'create', 'update', 'publish', 'unpublish', 'delete'], constraint: isEntry }],
  } as never);
  const postsOnly = await admin.role.create({ spaceId }, {
    name: 'Post reader',
    permissions: { ContentModel: ['read'] },
    policies: [
      { effect: 'allow', actions: ['read'], constraint: { and: [isEntry, { equals: [{ doc: 'sys.contentType.sys.id' }, 'post'] }] } },
    ],
  } as never);
  creator = await organizationUser(server, 'creator@example.com', { spaceId, roleId: editor.sys.id });
  assignee = await organizationUser(server, 'assignee@example.com', { spaceId, roleId: editor.sys.id });
  bystander = await organizationUser(server, 'bystander@example.com', { spaceId, roleId: editor.sys.id });
  postReader = await organizationUser(server, 'reader@example.com', { spaceId, roleId: postsOnly.sys.id });
  outsider = await organizationUser(server, 'outsider@example.com');
  await admin.webhook.create({ spaceId }, {
    name: 'Tasks',
    url: receiver.url,
    topics: ['Task.*'],
  } as never);
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('task.*', () => {
  it('creates, gets, lists, updates and deletes a task, with its sys as Contentful builds it', async () => {
    const created = await admin.task.create({ ...env(), entryId: 'post' }, task('Review the title'));
    expect(created).toEqual({
      body: 'Review the title',
      assignedTo: user(assignee.id),
      status: 'active',
      sys: {
        id: expect.stringMatching(/^[0-9A-Za-z]{22}$/),
        type: 'Task',
        version: 1,
        space: { sys: { type: 'Link', linkType: 'Space', id: spaceId } },
        environment: { sys: { type: 'Link', linkType: 'Environment', id: 'master' } },
        parentEntity: { sys: { type: 'Link', linkType: 'Entry', id: 'post' } },
        createdBy: user(server.adminUserId),
        updatedBy: user(server.adminUserId),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: created.sys.createdAt,
      },
    });
    const taskId = created.sys.id;
    expect(await admin.task.get({ ...env(), entryId: 'post', taskId })).toEqual(created);
    const list = await admin.task.getMany({ ...env(), entryId: 'post', query: {} });
    expect(list).toMatchObject({ sys: { type: 'Array' }, total: 1, skip: 0, limit: 100 });
    expect(list.items).toEqual([created]);

    const updated = await update(admin, 'post', created, { body: 'new body', dueDate: '2030-01-31' });
    expect(updated).toMatchObject({ body: 'new body', dueDate: '2030-01-31', sys: { version: 2, updatedBy: user(server.adminUserId) } });
    // Without the optional `dueDate`, a full update takes it away.
    const { dueDate: _dropped, ...withoutDueDate } = updated;
    const again = await update(admin, 'post', withoutDueDate as TaskProps, {});
    expect(again.dueDate).toBeUndefined();
    expect(again.sys.version).toBe(3);

    await admin.task.delete({ ...env(), entryId: 'post', taskId, version: 3 });
    await expectSdkError(admin.task.get({ ...env(), entryId: 'post', taskId }), 404, 'NotFound');
    expect((await admin.task.getMany({ ...env(), entryId: 'post', query: {} })).total).toBe(0);
  });

  it("answers the SDK integration test's calls through the legacy entry API: createTask, getTasks, getTask, update, delete", async () => {
    const entry = await (await (await server.legacyClient().getSpace(spaceId)).getEnvironment('master')).getEntry('post');
    const { sys } = await entry.createTask({ body: 'JS SDK Task Integration Test', status: 'active', assignedTo: user(assignee.id) });
    expect((await entry.getTasks()).items.map((t) => t.sys.id)).toContain(sys.id);
    const fetched = await entry.getTask(sys.id);
    expect(fetched.body).toBe('JS SDK Task Integration Test');
    fetched.body = 'new body';
    const updated = await fetched.update();
    expect(updated.body).toBe('new body');
    await updated.delete();
    await expectSdkError(entry.getTask(sys.id), 404, 'NotFound');
  });

  it('pages with limit and skip, oldest first, and filters by status and assignee', async () => {
    const ids: string[] = [];
    for (const [i, who] of [assignee, creator, assignee].entries())
      ids.push(
        (await admin.task.create({ ...env(), entryId: 'paged-post' }, task(`Task ${i}`, user(who.id), i === 2 ? 'resolved' : 'active'))).sys
          .id,
      );
    const page = await admin.task.getMany({ ...env(), entryId: 'paged-post', query: { limit: 2, skip: 1 } });
    expect({ total: page.total, skip: page.skip, limit: page.limit, ids: page.items.map((t) => t.sys.id) }).toEqual({
      total: 3,
      skip: 1,
      limit: 2,
      ids: ids.slice(1),
    });
    const active = await admin.task.getMany({ ...env(), entryId: 'paged-post', query: { status: 'active' } });
    expect(active.items.map((t) => t.sys.id)).toEqual(ids.slice(0, 2));
    const assigned = await admin.task.getMany({ ...env(), entryId: 'paged-post', query: { 'assignedTo.sys.id': assignee.id } });
    expect(assigned.items.map((t) => t.sys.id)).toEqual([ids[0], ids[2]]);
    await expectSdkError(admin.task.getMany({ ...env(), entryId: 'paged-post', query: { limit: 1001 } }), 400, 'BadRequest');
    await expectSdkError(admin.task.getMany({ ...env(), entryId: 'paged-post', query: { status: 'done' } }), 400, 'BadRequest');
  });

  it('refuses a body over 512 bytes and other bad input with 422 ValidationFailed', async () => {
    const params = { ...env(), entryId: 'post' };
    const long = await expectSdkError(admin.task.create(params, task('x'.repeat(513))), 422, 'ValidationFailed');
    expect(long.details.errors).toEqual([
      expect.objectContaining({ name: 'size', path: ['body'], max: 512, details: expect.stringContaining('513 bytes') }),
    ]);
    // 512 bytes is the limit, not 512 characters: 300 two-byte characters are too many.
    await expectSdkError(admin.task.create(params, task('é'.repeat(300))), 422, 'ValidationFailed');
    const fits = await admin.task.create(params, task('é'.repeat(256)));
    expect(fits.body).toHaveLength(256);
    const empty = await expectSdkError(admin.task.create(params, task('')), 422, 'ValidationFailed');
    expect(empty.details.errors).toEqual([expect.objectContaining({ name: 'size', path: ['body'] })]);
    const status = await expectSdkError(admin.task.create(params, { ...task('Do it'), status: 'done' } as never), 422, 'ValidationFailed');
    expect(status.details.errors).toEqual([expect.objectContaining({ name: 'in', path: ['status'] })]);
    const missing = await expectSdkError(admin.task.create(params, { body: 'Do it', status: 'active' } as never), 422, 'ValidationFailed');
    expect(missing.details.errors).toEqual([expect.objectContaining({ name: 'required', path: ['assignedTo'] })]);
    const asset = await expectSdkError(
      admin.task.create(params, task('Do it', { sys: { type: 'Link', linkType: 'Asset', id: 'x' } } as never)),
      422,
      'ValidationFailed',
    );
    expect(asset.details.errors).toEqual([expect.objectContaining({ path: ['assignedTo', 'sys', 'linkType'] })]);
    const due = await expectSdkError(admin.task.create(params, { ...task('Do it'), dueDate: 'someday' }), 422, 'ValidationFailed');
    expect(due.details.errors).toEqual([expect.objectContaining({ name: 'type', path: ['dueDate'] })]);
    await admin.task.delete({ ...params, taskId: fits.sys.id, version: fits.sys.version });
  });

  it('assigns only members of the space, or teams with access to it', async () => {
    const params = { ...env(), entryId: 'team-post' };
    const refused = await expectSdkError(admin.task.create(params, task('Translate', user(outsider.id))), 422, 'ValidationFailed');
    expect(refused.details.errors).toEqual([
      {
        name: 'notResolvable',
        path: ['assignedTo'],
        value: user(outsider.id),
        details: 'The assignee must be a member of the space',
      },
    ]);
    await expectSdkError(admin.task.create(params, task('Translate', user('nobody'))), 422, 'ValidationFailed');

    const organizationId = server.organizationId;
    const team = await admin.team.create({ organizationId }, { name: 'Translators', description: '' });
    const teamLink = { sys: { type: 'Link', linkType: 'Team', id: team.sys.id } } as never;
    const noAccess = await expectSdkError(admin.task.create(params, task('Translate', teamLink)), 422, 'ValidationFailed');
    expect(noAccess.details.errors).toEqual([
      expect.objectContaining({ path: ['assignedTo'], details: 'The assignee must be a team of the space' }),
    ]);

    const membership = (await admin.organizationMembership.getMany({ organizationId, query: { limit: 100 } })).items.find(
      (m) => m.sys.user.sys.id === outsider.id,
    )!;
    await admin.teamMembership.create(
      { organizationId, teamId: team.sys.id },
      { admin: false, organizationMembershipId: membership.sys.id },
    );
    const roles = await admin.role.getMany({ spaceId });
    await admin.teamSpaceMembership.create({ spaceId, teamId: team.sys.id }, {
      admin: false,
      roles: [{ sys: { type: 'Link', linkType: 'Role', id: roles.items.find((r) => r.name === 'Entry editor')!.sys.id } }],
    } as never);
    const teamTask = await admin.task.create(params, task('Translate', teamLink));
    expect(teamTask.assignedTo).toEqual({ sys: { type: 'Link', linkType: 'Team', id: team.sys.id } });
    // A member of the assigned team acts for it: it resolves the task.
    const resolved = await update(outsider.client, 'team-post', teamTask, { status: 'resolved' });
    expect(resolved.sys).toMatchObject({ resolvedBy: user(outsider.id), version: 2 });
    // A member of the space through a team is a member: the user can be assigned.
    const direct = await admin.task.create(params, task('Review', user(outsider.id)));
    expect(direct.assignedTo).toEqual(user(outsider.id));
  });

  it('locks versions: a stale or missing version is 409 VersionMismatch, and of two writers holding one version only one wins', async () => {
    const params = { ...env(), entryId: 'post' };
    const created = await admin.task.create(params, task('Check links'));
    await update(admin, 'post', created, { body: 'Check every link' });
    const stale = await expectSdkError(update(admin, 'post', created, { body: 'Stale' }), 409, 'VersionMismatch');
    expect(stale.details).toEqual({ type: 'Task', id: created.sys.id });
    const { sys, ...content } = created;
    const headerless = await server.request('PUT', `/spaces/${spaceId}/environments/master/entries/post/tasks/${sys.id}`, {
      body: content,
    });
    expect(headerless.status).toBe(409);
    await expectSdkError(admin.task.delete({ ...params, taskId: sys.id, version: 1 }), 409, 'VersionMismatch');

    const current = await admin.task.get({ ...params, taskId: sys.id });
    const outcomes = await Promise.allSettled([
      update(admin, 'post', current, { body: 'First' }),
      update(admin, 'post', current, { body: 'Second' }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await admin.task.get({ ...params, taskId: sys.id })).sys.version).toBe(3);
    await admin.task.delete({ ...params, taskId: sys.id, version: 3 });
    await expectSdkError(admin.task.delete({ ...params, taskId: sys.id, version: 3 }), 404, 'NotFound');
  });
});

describe('who may do what (seed 004)', () => {
  it('the assignee resolves and reopens the task but cannot change its body; others can neither resolve nor delete it', async () => {
    const params = { ...env(), entryId: 'post' };
    const created = await creator.client.task.create(params, task('Proofread'));
    expect(created.sys.createdBy).toEqual(user(creator.id));

    const rewrite = await expectSdkError(update(assignee.client, 'post', created, { body: 'Nothing to do' }), 403, 'AccessDenied');
    expect(rewrite.message).toContain('creator or a space admin can change its body');
    await expectSdkError(update(assignee.client, 'post', created, { assignedTo: user(bystander.id) }), 403, 'AccessDenied');
    await expectSdkError(update(bystander.client, 'post', created, { status: 'resolved' }), 403, 'AccessDenied');
    await expectSdkError(update(bystander.client, 'post', created, { body: 'Mine now' }), 403, 'AccessDenied');

    const resolved = await update(assignee.client, 'post', created, { status: 'resolved' });
    expect(resolved).toMatchObject({ status: 'resolved', body: 'Proofread', sys: { version: 2, updatedBy: user(assignee.id) } });
    expect(resolved.sys).toMatchObject({ resolvedBy: user(assignee.id), resolvedAt: expect.any(String) });

    // "A 400 - BadRequest error is returned if a task's body or assignee are updated after the task has been resolved."
    const late = await expectSdkError(update(creator.client, 'post', resolved, { body: 'One more thing' }), 400, 'BadRequest');
    expect(late.message).toContain('reopen it first');
    await expectSdkError(update(admin, 'post', resolved, { assignedTo: user(bystander.id) }), 400, 'BadRequest');

    const reopened = await update(assignee.client, 'post', resolved, { status: 'active' });
    expect(reopened.status).toBe('active');
    expect(reopened.sys).not.toHaveProperty('resolvedAt');
    expect(reopened.sys).not.toHaveProperty('resolvedBy');
    const reassigned = await update(creator.client, 'post', reopened, { body: 'Proofread twice', assignedTo: user(bystander.id) });
    expect(reassigned).toMatchObject({ body: 'Proofread twice', assignedTo: user(bystander.id), sys: { version: 4 } });
    // The new assignee resolves it; the former one no longer can.
    await expectSdkError(update(assignee.client, 'post', reassigned, { status: 'resolved' }), 403, 'AccessDenied');
    const done = await update(bystander.client, 'post', reassigned, { status: 'resolved' });

    const deleting = await expectSdkError(
      bystander.client.task.delete({ ...params, taskId: done.sys.id, version: done.sys.version }),
      403,
      'AccessDenied',
    );
    expect(deleting.message).toContain('creator or a space admin can delete it');
    await creator.client.task.delete({ ...params, taskId: done.sys.id, version: done.sys.version });
  });

  it('a space admin changes and deletes any task', async () => {
    const params = { ...env(), entryId: 'post' };
    const created = await creator.client.task.create(params, task('Pick an image'));
    const changed = await update(admin, 'post', created, { body: 'Pick a better image', assignedTo: user(creator.id) });
    expect(changed).toMatchObject({
      body: 'Pick a better image',
      assignedTo: user(creator.id),
      sys: { updatedBy: user(server.adminUserId) },
    });
    const resolved = await update(admin, 'post', changed, { status: 'resolved' });
    expect(resolved.sys).toMatchObject({ resolvedBy: user(server.adminUserId) });
    await admin.task.delete({ ...params, taskId: resolved.sys.id, version: resolved.sys.version });
  });

  it('tasks are read by whoever reads the entry: an entry the user cannot read answers 404', async () => {
    const onPost = await admin.task.create({ ...env(), entryId: 'post' }, task('Visible'));
    const onPage = await admin.task.create({ ...env(), entryId: 'page' }, task('Hidden'));
    expect((await postReader.client.task.get({ ...env(), entryId: 'post', taskId: onPost.sys.id })).body).toBe('Visible');
    expect((await postReader.client.task.getMany({ ...env(), entryId: 'post', query: {} })).items.map((t) => t.sys.id)).toContain(
      onPost.sys.id,
    );
    for (const call of [
      () => postReader.client.task.get({ ...env(), entryId: 'page', taskId: onPage.sys.id }),
      () => postReader.client.task.getMany({ ...env(), entryId: 'page', query: {} }),
      () => postReader.client.task.create({ ...env(), entryId: 'page' }, task('Sneaky')),
      () => postReader.client.task.delete({ ...env(), entryId: 'page', taskId: onPage.sys.id, version: 1 }),
    ]) {
      const error = await expectSdkError(call(), 404, 'NotFound');
      expect(error.details).toEqual({ type: 'Entry', id: 'page', space: spaceId, environment: 'master' });
    }
    // A task of another entry is not found under this one.
    await expectSdkError(admin.task.get({ ...env(), entryId: 'post', taskId: onPage.sys.id }), 404, 'NotFound');
    const stranger = await organizationUser(server, 'stranger@example.com');
    const noSpace = await expectSdkError(stranger.client.task.getMany({ ...env(), entryId: 'post', query: {} }), 404, 'NotFound');
    expect(noSpace.details).toMatchObject({ type: 'Space', id: spaceId });
    await expectSdkError(admin.task.getMany({ ...env(), entryId: 'missing', query: {} }), 404, 'NotFound');
  });
});

describe('tasks and their entry', () => {
  it('an entry holds at most 100 tasks', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({
      space_id: spaceId,
      environment_id: 'master',
      id: `busy-${i}`,
      entry_id: 'busy-post',
      body: 'Busy',
      assigned_to_type: 'User' as const,
      assigned_to_id: assignee.id,
      status: 'resolved' as const,
    }));
    await server.services.db.insertInto('tasks').values(rows).execute();
    const full = await expectSdkError(admin.task.create({ ...env(), entryId: 'busy-post' }, task('One too many')), 422, 'ValidationFailed');
    expect(full.details.errors).toEqual([expect.objectContaining({ name: 'size', max: 100, path: ['sys', 'parentEntity'] })]);
  });

  it('deleting the entry deletes its tasks', async () => {
    const created = await admin.task.create({ ...env(), entryId: 'doomed-post' }, task('Never done'));
    await admin.entry.delete({ ...env(), entryId: 'doomed-post' });
    await expectSdkError(admin.task.get({ ...env(), entryId: 'doomed-post', taskId: created.sys.id }), 404, 'NotFound');
    expect(await server.services.db.selectFrom('tasks').select('id').where('entry_id', '=', 'doomed-post').execute()).toEqual([]);
  });
});

describe('publishing an entry with unresolved tasks', () => {
  it('is refused, for space admins too, until its tasks are resolved or deleted; bulk publishing reports it per entry', async () => {
    const params = { ...env(), entryId: 'draft-post' };
    const first = await creator.client.task.create(params, task('Approve'));
    const second = await admin.task.create(params, task('Check the facts', user(creator.id)));
    const entry = await admin.entry.get(params);
    for (const client of [admin, creator.client]) {
      const refused = await expectSdkError(client.entry.publish(params, entry), 422, 'ValidationFailed');
      expect(refused.details.errors).toEqual([
        { name: 'unresolvedTasks', path: ['sys'], details: 'The entry has unresolved tasks: resolve or delete them before publishing' },
      ]);
    }
    await expectSdkError(admin.entry.publish({ ...params, locales: ['en-US'] }, entry), 422, 'ValidationFailed');

    const bulk = await admin.bulkAction.publish(env(), {
      entities: {
        sys: { type: 'Array' },
        items: [{ sys: { type: 'Link', linkType: 'Entry', id: 'draft-post', version: entry.sys.version } }],
      },
    });
    const failed = await waitFor('the bulk action to fail', async () => {
      const action = await admin.bulkAction.get({ ...env(), bulkActionId: bulk.sys.id });
      return action.sys.status === 'failed' ? action : undefined;
    });
    expect(JSON.stringify(failed.error)).toContain('unresolvedTasks');

    // One task resolved by its assignee, the other deleted by its creator: the entry publishes.
    await update(assignee.client, 'draft-post', first, { status: 'resolved' });
    await expectSdkError(admin.entry.publish(params, entry), 422, 'ValidationFailed');
    await admin.task.delete({ ...params, taskId: second.sys.id, version: second.sys.version });
    const published = await admin.entry.publish(params, entry);
    expect(published.sys.publishedVersion).toBe(entry.sys.version);
  });
});

describe('Task events', () => {
  it('records Task.create, Task.save and Task.delete with the write, and calls webhooks subscribed to Task.*', async () => {
    const created = await admin.task.create({ ...env(), entryId: 'post' }, task('Announce'));
    const saved = await update(assignee.client, 'post', created, { status: 'resolved' });
    await admin.task.delete({ ...env(), entryId: 'post', taskId: saved.sys.id, version: saved.sys.version });
    expect(await topicsOf(created.sys.id)).toEqual([
      'ContentManagement.Task.create',
      'ContentManagement.Task.save',
      'ContentManagement.Task.delete',
    ]);
    // A refused write records nothing.
    await expectSdkError(admin.task.create({ ...env(), entryId: 'post' }, task('x'.repeat(600))), 422, 'ValidationFailed');
    const received = await waitFor('three task webhook calls', () => {
      const mine = receiver.callsAbout(created.sys.id);
      return mine.length === 3 ? mine : undefined;
    });
    expect(received.map((c) => c.topic)).toEqual([
      'ContentManagement.Task.create',
      'ContentManagement.Task.save',
      'ContentManagement.Task.delete',
    ]);
    expect(received[1].body).toMatchObject({
      status: 'resolved',
      sys: { type: 'Task', version: 2, parentEntity: { sys: { id: 'post' } } },
    });
  });
});
