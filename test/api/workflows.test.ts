import type { CreateWorkflowDefinitionProps, PlainClientAPI, WorkflowDefinitionProps } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { organizationUser } from '../helpers/users.js';
import { waitFor } from '../helpers/wait.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Workflow definitions, workflows on entries and the workflows changelog through the official client
 * (`workflowDefinition.*`, `workflow.*`, `workflowsChangelog.getMany`), covering the cases of the SDK's own
 * workflow integration test and Contentful's documented rules.
 */

let server: TestServer;
let admin: PlainClientAPI;
let spaceId: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const env = () => ({ spaceId, environmentId: 'master' });
const link = <T extends string>(linkType: T, id: string) => ({ sys: { type: 'Link' as const, linkType, id } });
const ID = /^[0-9A-Za-z]{22}$/;

/** Entries and assets of every type, readable and writable; pages only for the page reader. */
const ROLES = {
  editor: {
    name: 'Entry editor',
    permissions: { ContentModel: ['read'] },
    policies: [{ effect: 'allow', actions: 'all', constraint: { equals: [{ doc: 'sys.type' }, 'Entry'] } }],
  },
  pageReader: {
    name: 'Page reader',
    permissions: {},
    policies: [{ effect: 'allow', actions: ['read'], constraint: { equals: [{ doc: 'sys.contentType.sys.id' }, 'page'] } }],
  },
};

const roleIds: Partial<Record<keyof typeof ROLES, string>> = {};

/** A user with a token, a member of the space with one role. */
async function member(email: string, role: keyof typeof ROLES) {
  roleIds[role] ??= (await admin.role.create({ spaceId }, ROLES[role] as never)).sys.id;
  return organizationUser(server, email, { spaceId, roleId: roleIds[role] });
}

/** A step rule that keeps `actors` from publishing the entry. */
const denyPublishing = (actors: unknown) =>
  ({ type: 'entity_permission', configuration: { actors, action: 'publish', effect: 'deny' } }) as never;

let entryCount = 0;
async function entry(contentTypeId = 'post') {
  const entryId = `e${++entryCount}`;
  await admin.entry.createWithId({ ...env(), entryId, contentTypeId }, { fields: { title: { 'en-US': `Entry ${entryCount}` } } } as never);
  return entryId;
}

const reviewFlow = (overrides: Partial<CreateWorkflowDefinitionProps> = {}): CreateWorkflowDefinitionProps => ({
  name: 'Review',
  steps: [
    { name: 'Draft', actions: [], annotations: ['cf-color-gray'] },
    { name: 'Review', annotations: ['cf-color-blue', 'cf-icon-research'] },
    { name: 'Approved', annotations: ['cf-color-green'] },
  ],
  appliesTo: [{ type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['post'] }] }],
  ...overrides,
});

const start = (client: PlainClientAPI, entryId: string, definition: WorkflowDefinitionProps, stepId?: string) =>
  client.workflow.create(env(), {
    entity: link('Entry', entryId),
    workflowDefinition: link('WorkflowDefinition', definition.sys.id),
    ...(stepId ? { stepId } : {}),
  });

const changelog = (entryId: string, query: Record<string, string> = {}) =>
  admin.workflowsChangelog.getMany({ ...env(), query: { 'entity.sys.linkType': 'Entry', 'entity.sys.id': entryId, ...query } });

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startTestServer({ WEBHOOK_POLL_MS: '20', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  admin = server.plainClient();
  spaceId = (await admin.space.create({}, { name: 'Workflows' })).sys.id;
  for (const contentTypeId of ['post', 'page']) {
    const ct = await admin.contentType.createWithId({ ...env(), contentTypeId }, {
      name: contentTypeId,
      fields: [{ id: 'title', name: 'Title', type: 'Symbol', required: true }],
    } as never);
    await admin.contentType.publish({ ...env(), contentTypeId }, ct);
  }
  await admin.webhook.create({ spaceId }, {
    name: 'Workflows',
    url: receiver.url,
    topics: ['Workflow.*'],
  } as never);
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('workflow definitions', () => {
  it('creates, reads, lists, updates (version-locked) and deletes a definition', async () => {
    const created = await admin.workflowDefinition.create(env(), {
      ...reviewFlow(),
      description: 'Two eyes on every post',
      startOnEntityCreation: false,
      flowType: 'strict_neighbor',
      steps: [
        {
          name: 'Draft',
          description: 'Being written',
          actions: [
            { type: 'app', appId: 'app-1', appActionId: 'notify', configuration: { body: { channel: 'posts' } } },
            { type: 'email', configuration: { recipients: ['editors@example.com', link('User', server.adminUserId)] } },
            { type: 'task', configuration: { assignee: link('User', server.adminUserId), body: 'Proofread it', dueDate: 3 } },
          ],
          permissions: [
            { type: 'workflow_permission', configuration: { actors: 'all', action: 'edit', effect: 'allow' } } as never,
            denyPublishing([link('User', 'someone')]),
          ],
          annotations: ['cf-color-gray'],
        },
        { name: 'Done' },
      ],
    });
    expect(created.sys).toEqual({
      id: expect.stringMatching(ID),
      type: 'WorkflowDefinition',
      version: 1,
      isLocked: false,
      space: link('Space', spaceId),
      environment: link('Environment', 'master'),
      createdAt: expect.any(String),
      updatedAt: created.sys.createdAt,
      createdBy: link('User', server.adminUserId),
      updatedBy: link('User', server.adminUserId),
    });
    expect(created).toMatchObject({
      name: 'Review',
      description: 'Two eyes on every post',
      appliesTo: [{ type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['post'] }] }],
      startOnEntityCreation: false,
      flowType: 'strict_neighbor',
    });
    expect(created.steps.map((s) => s.id)).toEqual([expect.stringMatching(ID), expect.stringMatching(ID)]);
    expect(created.steps[0]).toMatchObject({ name: 'Draft', description: 'Being written', annotations: ['cf-color-gray'] });
    expect(created.steps[0].actions).toHaveLength(3);
    expect(created.steps[0].permissions).toHaveLength(2);

    const id = { ...env(), workflowDefinitionId: created.sys.id };
    expect(await admin.workflowDefinition.get(id)).toEqual(created);
    const second = await admin.workflowDefinition.create(env(), reviewFlow({ name: 'Legal' }));
    expect(second).toMatchObject({ flowType: 'no_restriction', startOnEntityCreation: false });
    const page = await admin.workflowDefinition.getMany({ ...env(), query: { limit: 1, skip: 1 } });
    expect({ total: page.total, skip: page.skip, limit: page.limit, ids: page.items.map((d) => d.sys.id) }).toEqual({
      total: 2,
      skip: 1,
      limit: 1,
      ids: [second.sys.id],
    });

    // The SDK sends the whole definition back with its steps, their ids kept, and a new step without one.
    const updated = await admin.workflowDefinition.update(id, {
      ...created,
      name: 'Review (2 steps + 1)',
      steps: [...created.steps, { name: 'Published' }],
    });
    expect(updated.sys.version).toBe(2);
    expect(updated.name).toBe('Review (2 steps + 1)');
    expect(updated.steps.map((s) => s.id).slice(0, 2)).toEqual(created.steps.map((s) => s.id));
    expect(updated.steps[2]).toEqual({ id: expect.stringMatching(ID), name: 'Published' });
    await expectSdkError(admin.workflowDefinition.update(id, { ...created, name: 'Stale' }), 409, 'VersionMismatch');
    await expectSdkError(admin.workflowDefinition.delete({ ...id, version: 1 }), 409, 'VersionMismatch');
    await admin.workflowDefinition.delete({ ...id, version: 2 });
    await expectSdkError(admin.workflowDefinition.get(id), 404, 'NotFound');
    await admin.workflowDefinition.delete({ ...env(), workflowDefinitionId: second.sys.id, version: 1 });
  });

  it('refuses invalid definitions with 422 ValidationFailed', async () => {
    const invalid = async (body: unknown, name: string, path: (string | number)[]) => {
      const error = await expectSdkError(admin.workflowDefinition.create(env(), body as never), 422, 'ValidationFailed');
      expect(error.details.errors).toContainEqual(expect.objectContaining({ name, path }));
    };
    await invalid({ steps: [] }, 'required', ['name']);
    await invalid(reviewFlow({ steps: Array.from({ length: 21 }, (_, i) => ({ name: `Step ${i}` })) }), 'size', ['steps']);
    await invalid(reviewFlow({ steps: [{ name: 'A', id: 'same' } as never, { name: 'B', id: 'same' } as never] }), 'unique', [
      'steps',
      1,
      'id',
    ]);
    await invalid(reviewFlow({ steps: [{ name: '' }] }), 'size', ['steps', 0, 'name']);
    await invalid(
      reviewFlow({ appliesTo: [{ type: 'Link', linkType: 'Asset', validations: [{ linkContentType: ['post'] }] } as never] }),
      'in',
      ['appliesTo', 0, 'linkType'],
    );
    await invalid(
      reviewFlow({
        steps: [{ name: 'A', permissions: [denyPublishing([])] }],
      }),
      'size',
      ['steps', 0, 'permissions', 0, 'configuration', 'actors'],
    );
    await invalid(
      reviewFlow({ steps: [{ name: 'A', actions: [{ type: 'task', configuration: { body: 'No one to do it' } } as never] }] }),
      'required',
      ['steps', 0, 'actions', 0, 'configuration', 'assignee'],
    );
    await invalid(reviewFlow({ flowType: 'anything' as never }), 'in', ['flowType']);
  });

  it('lets only space admins write definitions; every member reads them', async () => {
    const { client } = await member('definitions-reader@example.com', 'editor');
    await expectSdkError(client.workflowDefinition.create(env(), reviewFlow()), 403, 'AccessDenied');
    const definition = await admin.workflowDefinition.create(env(), reviewFlow({ name: 'Readable' }));
    const id = { ...env(), workflowDefinitionId: definition.sys.id };
    expect(await client.workflowDefinition.get(id)).toEqual(definition);
    await expectSdkError(client.workflowDefinition.update(id, { ...definition, name: 'Mine' }), 403, 'AccessDenied');
    await expectSdkError(client.workflowDefinition.delete({ ...id, version: 1 }), 403, 'AccessDenied');
    await admin.workflowDefinition.delete({ ...id, version: 1 });
  });
});

describe('workflows', () => {
  let review: WorkflowDefinitionProps;
  beforeAll(async () => {
    review = await admin.workflowDefinition.create(env(), reviewFlow());
  });

  it('creates, gets, updates and deletes a workflow (the SDK integration test)', async () => {
    const entryId = await entry();
    const workflow = await start(admin, entryId, review);
    expect(workflow).toEqual({
      stepId: review.steps[0].id,
      sys: {
        id: expect.stringMatching(ID),
        type: 'Workflow',
        version: 1,
        space: link('Space', spaceId),
        environment: link('Environment', 'master'),
        entity: link('Entry', entryId),
        workflowDefinition: link('WorkflowDefinition', review.sys.id),
        createdAt: expect.any(String),
        updatedAt: workflow.sys.createdAt,
        createdBy: link('User', server.adminUserId),
        updatedBy: link('User', server.adminUserId),
      },
    });
    const id = { ...env(), workflowId: workflow.sys.id };
    expect(await admin.workflow.get(id)).toEqual(workflow);
    const updated = await admin.workflow.update(id, { stepId: review.steps[1].id, sys: { version: workflow.sys.version } });
    expect([updated.stepId, updated.sys.version]).toEqual([review.steps[1].id, 2]);
    await expectSdkError(admin.workflow.update(id, { stepId: review.steps[2].id, sys: { version: 1 } }), 409, 'VersionMismatch');
    await expectSdkError(admin.workflow.delete({ ...id, version: 1 }), 409, 'VersionMismatch');
    await admin.workflow.delete({ ...id, version: updated.sys.version });
    await expectSdkError(admin.workflow.get(id), 404, 'NotFound');
  });

  it('starts at a chosen step; refuses unknown entries, definitions, steps and content types it does not apply to', async () => {
    const entryId = await entry();
    const atReview = await start(admin, entryId, review, review.steps[1].id);
    expect(atReview.stepId).toBe(review.steps[1].id);
    const refused = async (body: unknown, name: string, path: string[]) => {
      const error = await expectSdkError(admin.workflow.create(env(), body as never), 422, 'ValidationFailed');
      expect(error.details.errors).toEqual([expect.objectContaining({ name, path })]);
    };
    const other = await entry();
    const definition = link('WorkflowDefinition', review.sys.id);
    await refused({ entity: link('Entry', 'missing'), workflowDefinition: definition }, 'notResolvable', ['entity']);
    await refused({ entity: link('Entry', other), workflowDefinition: link('WorkflowDefinition', 'missing') }, 'notResolvable', [
      'workflowDefinition',
    ]);
    await refused({ entity: link('Entry', other), workflowDefinition: definition, stepId: 'nowhere' }, 'in', ['stepId']);
    await refused({ entity: link('Entry', await entry('page')), workflowDefinition: definition }, 'linkContentType', ['entity']);
    await refused({ entity: link('Asset', other), workflowDefinition: definition }, 'in', ['entity', 'sys', 'linkType']);
  });

  it('keeps one active workflow of a definition per entry; completing it frees the entry', async () => {
    const entryId = await entry();
    const first = await start(admin, entryId, review);
    const refusal = await expectSdkError(start(admin, entryId, review), 422, 'ValidationFailed');
    expect(refusal.details.errors).toEqual([expect.objectContaining({ name: 'unique', path: ['entity'] })]);
    // "You can start a 'Legal Review' workflow in parallel with the 'Translation' workflow for the same entry."
    const legal = await admin.workflowDefinition.create(env(), reviewFlow({ name: 'Legal review' }));
    const parallel = await start(admin, entryId, legal);

    const id = { ...env(), workflowId: first.sys.id };
    await expectSdkError(admin.workflow.complete({ ...id, version: 7 }), 409, 'VersionMismatch');
    await admin.workflow.complete({ ...id, version: first.sys.version });
    const completed = await admin.workflow.get(id);
    expect(completed.sys).toMatchObject({ version: 2, completedAt: expect.any(String), completedBy: link('User', server.adminUserId) });
    await expectSdkError(admin.workflow.complete({ ...id, version: 2 }), 400, 'BadRequest');
    await expectSdkError(admin.workflow.update(id, { stepId: review.steps[1].id, sys: { version: 2 } }), 400, 'BadRequest');

    const active = await admin.workflow.getMany({
      ...env(),
      query: { 'sys.entity.sys.linkType': 'Entry', 'sys.entity.sys.id[in]': entryId },
    });
    expect(active.items.map((w) => w.sys.id)).toEqual([parallel.sys.id]);
    const again = await start(admin, entryId, review);
    expect(again.sys.id).not.toBe(first.sys.id);
  });

  it('queries workflows by entries, step and definition, ordered and paged', async () => {
    const definition = await admin.workflowDefinition.create(env(), reviewFlow({ name: 'Queried' }));
    const [a, b, c] = [await entry(), await entry(), await entry()];
    const wa = await start(admin, a, definition);
    const wb = await start(admin, b, definition, definition.steps[1].id);
    const wc = await start(admin, c, definition, definition.steps[2].id);
    const ids = async (query: Record<string, unknown>) =>
      (await admin.workflow.getMany({ ...env(), query: { 'sys.workflowDefinition.sys.id': definition.sys.id, ...query } })).items.map(
        (w) => w.sys.id,
      );
    expect(await ids({})).toEqual([wc.sys.id, wb.sys.id, wa.sys.id]);
    expect(await ids({ order: 'sys.createdAt' })).toEqual([wa.sys.id, wb.sys.id, wc.sys.id]);
    expect(await ids({ 'stepId[in]': `${definition.steps[1].id},${definition.steps[2].id}`, order: 'sys.createdAt' })).toEqual([
      wb.sys.id,
      wc.sys.id,
    ]);
    expect(await ids({ 'sys.entity.sys.linkType': 'Entry', 'sys.entity.sys.id[in]': `${a},${c}`, order: 'sys.createdAt' })).toEqual([
      wa.sys.id,
      wc.sys.id,
    ]);
    const page = await admin.workflow.getMany({
      ...env(),
      query: { 'sys.workflowDefinition.sys.id': definition.sys.id, limit: 1, skip: 1, order: 'sys.createdAt' },
    });
    expect({ total: page.total, skip: page.skip, limit: page.limit, ids: page.items.map((w) => w.sys.id) }).toEqual({
      total: 3,
      skip: 1,
      limit: 1,
      ids: [wb.sys.id],
    });
    await expectSdkError(admin.workflow.getMany({ ...env(), query: { 'sys.entity.sys.id[in]': a } }), 400, 'BadRequest');
    await expectSdkError(
      admin.workflow.getMany({ ...env(), query: { 'sys.entity.sys.linkType': 'Asset', 'sys.entity.sys.id[in]': a } }),
      400,
      'BadRequest',
    );
    await expectSdkError(admin.workflow.getMany({ ...env(), query: { order: 'stepId' } as never }), 400, 'BadRequest');
  });

  it('keeps the steps active workflows are at, and the definitions they use', async () => {
    const definition = await admin.workflowDefinition.create(env(), reviewFlow({ name: 'In use' }));
    const workflow = await start(admin, await entry(), definition, definition.steps[1].id);
    const id = { ...env(), workflowDefinitionId: definition.sys.id };
    const removed = await expectSdkError(
      admin.workflowDefinition.update(id, { ...definition, steps: [definition.steps[0], definition.steps[2]] }),
      422,
      'ValidationFailed',
    );
    expect(removed.details.errors).toEqual([expect.objectContaining({ name: 'inUse', value: definition.steps[1].id })]);
    await expectSdkError(admin.workflowDefinition.delete({ ...id, version: 1 }), 400, 'BadRequest');
    await admin.workflow.complete({ ...env(), workflowId: workflow.sys.id, version: workflow.sys.version });
    await admin.workflowDefinition.delete({ ...id, version: 1 });
    await expectSdkError(admin.workflow.get({ ...env(), workflowId: workflow.sys.id }), 404, 'NotFound');
  });

  it('starts a workflow on each new entry of the content types a definition with startOnEntityCreation applies to', async () => {
    const ct = await admin.contentType.createWithId({ ...env(), contentTypeId: 'article' }, {
      name: 'Article',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
    } as never);
    await admin.contentType.publish({ ...env(), contentTypeId: 'article' }, ct);
    const automatic = await admin.workflowDefinition.create(
      env(),
      reviewFlow({
        name: 'Automatic',
        startOnEntityCreation: true,
        appliesTo: [{ type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['article'] }] }],
      }),
    );
    const article = await entry('article');
    const started = await admin.workflow.getMany({
      ...env(),
      query: { 'sys.entity.sys.linkType': 'Entry', 'sys.entity.sys.id[in]': article },
    });
    expect(started.items).toEqual([
      expect.objectContaining({
        stepId: automatic.steps[0].id,
        sys: expect.objectContaining({
          workflowDefinition: link('WorkflowDefinition', automatic.sys.id),
          createdBy: link('User', server.adminUserId),
        }),
      }),
    ]);
    expect((await changelog(article)).items.map((r) => r.event)).toEqual(['created']);
    const post = await entry('post');
    expect(
      (await admin.workflow.getMany({ ...env(), query: { 'sys.entity.sys.linkType': 'Entry', 'sys.entity.sys.id[in]': post } })).total,
    ).toBe(0);
  });

  it('calls the Workflow.create, save and complete webhooks', async () => {
    const workflow = await start(admin, await entry(), review);
    const moved = await admin.workflow.update(
      { ...env(), workflowId: workflow.sys.id },
      { stepId: review.steps[1].id, sys: { version: 1 } },
    );
    await admin.workflow.complete({ ...env(), workflowId: workflow.sys.id, version: moved.sys.version });
    const topics = await waitFor('three workflow webhook calls', () => {
      const seen = receiver.callsAbout(workflow.sys.id).map((c) => c.topic);
      return seen.length === 3 && seen;
    });
    expect(topics).toEqual(['ContentManagement.Workflow.create', 'ContentManagement.Workflow.save', 'ContentManagement.Workflow.complete']);
  });
});

describe('the workflows changelog', () => {
  it('records every event of an entry’s workflows, the most recent first', async () => {
    const definition = await admin.workflowDefinition.create(env(), reviewFlow({ name: 'Logged' }));
    const entryId = await entry();
    const first = await start(admin, entryId, definition);
    const moved = await admin.workflow.update(
      { ...env(), workflowId: first.sys.id },
      { stepId: definition.steps[1].id, sys: { version: 1 } },
    );
    await admin.workflow.complete({ ...env(), workflowId: first.sys.id, version: moved.sys.version });
    const second = await start(admin, entryId, definition);
    await admin.workflow.delete({ ...env(), workflowId: second.sys.id, version: second.sys.version });

    const records = await changelog(entryId);
    expect(records.total).toBe(5);
    expect(records.items.map((r) => [r.event, r.workflow.sys.id, r.workflow.sys.version, r.stepName])).toEqual([
      ['deleted', second.sys.id, 1, 'Draft'],
      ['created', second.sys.id, 1, 'Draft'],
      ['completed', first.sys.id, 3, 'Review'],
      ['stepChanged', first.sys.id, 2, 'Review'],
      ['created', first.sys.id, 1, 'Draft'],
    ]);
    expect(records.items[1]).toEqual({
      event: 'created',
      eventBy: link('User', server.adminUserId),
      eventAt: second.sys.createdAt,
      workflow: { sys: { type: 'Link', linkType: 'Workflow', id: second.sys.id, version: 1 } },
      workflowDefinition: link('WorkflowDefinition', definition.sys.id),
      entity: link('Entry', entryId),
      stepId: definition.steps[0].id,
      stepName: 'Draft',
      stepAnnotations: ['cf-color-gray'],
    });
    expect(records.items[3].stepAnnotations).toEqual(['cf-color-blue', 'cf-icon-research']);

    const ofFirst = await changelog(entryId, { 'workflow.sys.id': first.sys.id, limit: '2' });
    expect([ofFirst.total, ofFirst.limit, ofFirst.items.map((r) => r.event)]).toEqual([3, 2, ['completed', 'stepChanged']]);
    const since = await changelog(entryId, { 'eventAt[gte]': second.sys.createdAt });
    expect(since.items.map((r) => r.event)).toEqual(['deleted', 'created']);
    const before = await changelog(entryId, { 'eventAt[lte]': '2000-01-01T00:00:00.000Z' });
    expect(before.items).toEqual([]);
    expect((await changelog(entryId, { 'workflowDefinition.sys.id[in]': 'another-definition' })).items).toEqual([]);

    await expectSdkError(
      admin.workflowsChangelog.getMany({ ...env(), query: { 'entity.sys.linkType': 'Entry' } as never }),
      400,
      'BadRequest',
    );
    await expectSdkError(
      admin.workflowsChangelog.getMany({ ...env(), query: { 'entity.sys.linkType': 'Asset', 'entity.sys.id': entryId } }),
      400,
      'BadRequest',
    );
    await expectSdkError(changelog(entryId, { 'eventAt[gte]': 'yesterday' }), 400, 'BadRequest');
  });
});

describe('who may do what', () => {
  it('follows the entry’s read permission: an entry the caller may not read hides its workflows (404)', async () => {
    const reader = await member('page-reader@example.com', 'pageReader');
    const definition = await admin.workflowDefinition.create(
      env(),
      reviewFlow({
        name: 'Everything',
        appliesTo: [{ type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['post', 'page'] }] }],
      }),
    );
    const post = await entry('post');
    const page = await entry('page');
    const hidden = await start(admin, post, definition);
    const shown = await start(admin, page, definition);
    await expectSdkError(reader.client.workflow.get({ ...env(), workflowId: hidden.sys.id }), 404, 'NotFound');
    expect(await reader.client.workflow.get({ ...env(), workflowId: shown.sys.id })).toEqual(shown);
    const listed = await reader.client.workflow.getMany({ ...env(), query: { 'sys.workflowDefinition.sys.id': definition.sys.id } });
    expect([listed.total, listed.items.map((w) => w.sys.id)]).toEqual([1, [shown.sys.id]]);
    await expectSdkError(
      reader.client.workflowsChangelog.getMany({ ...env(), query: { 'entity.sys.linkType': 'Entry', 'entity.sys.id': post } }),
      404,
      'NotFound',
    );
    expect(
      (await reader.client.workflowsChangelog.getMany({ ...env(), query: { 'entity.sys.linkType': 'Entry', 'entity.sys.id': page } }))
        .total,
    ).toBe(1);
    // "Any user with read access to the entry can create a workflow."
    await expectSdkError(start(reader.client, post, definition), 422, 'ValidationFailed');
    const other = await admin.workflowDefinition.create(
      env(),
      reviewFlow({ name: 'Pages', appliesTo: [{ type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['page'] }] }] }),
    );
    expect((await start(reader.client, page, other)).sys.createdBy).toEqual(link('User', reader.id));
  });

  it('lets admins and the actors a step’s workflow_permission allows move, complete and cancel a workflow', async () => {
    const writer = await member('mover@example.com', 'editor');
    const team = await admin.team.create({ organizationId: server.organizationId }, { name: 'Reviewers', description: '' });
    const orgMembership = (
      await admin.organizationMembership.getMany({ organizationId: server.organizationId, query: { limit: 100 } })
    ).items.find((m) => m.sys.user.sys.id === writer.id)!;
    await admin.teamMembership.create(
      { organizationId: server.organizationId, teamId: team.sys.id },
      { admin: false, organizationMembershipId: orgMembership.sys.id },
    );
    const allow = (actors: unknown) =>
      ({ type: 'workflow_permission', configuration: { actors, action: 'edit', effect: 'allow' } }) as never;
    const deny = (actors: unknown) => ({ type: 'workflow_permission', configuration: { actors, action: 'edit', effect: 'deny' } }) as never;
    const definition = await admin.workflowDefinition.create(
      env(),
      reviewFlow({
        name: 'Guarded',
        flowType: 'strict_neighbor',
        steps: [
          { name: 'Locked' },
          { name: 'Team may move', permissions: [allow([link('Team', team.sys.id)])] },
          { name: 'Everyone but the writer', permissions: [allow('all'), deny([link('User', writer.id)])] },
          { name: 'Anyone', permissions: [allow('all')] },
          { name: 'Last' },
        ],
      }),
    );
    const [s0, s1, s2, s3, s4] = definition.steps.map((s) => s.id);
    const workflow = await start(writer.client, await entry(), definition);
    const id = { ...env(), workflowId: workflow.sys.id };
    // "Only org or space admins can update by default."
    await expectSdkError(writer.client.workflow.update(id, { stepId: s1, sys: { version: 1 } }), 403, 'AccessDenied');
    await expectSdkError(writer.client.workflow.complete({ ...id, version: 1 }), 403, 'AccessDenied');
    await expectSdkError(writer.client.workflow.delete({ ...id, version: 1 }), 403, 'AccessDenied');
    let current = await admin.workflow.update(id, { stepId: s1, sys: { version: 1 } });
    expect(current.stepId).toBe(s1);
    // strict_neighbor: a non-admin moves only to the previous or the following step.
    await expectSdkError(writer.client.workflow.update(id, { stepId: s3, sys: { version: 2 } }), 422, 'ValidationFailed');
    current = await writer.client.workflow.update(id, { stepId: s2, sys: { version: 2 } });
    // An explicit deny overrides an allow.
    await expectSdkError(writer.client.workflow.update(id, { stepId: s3, sys: { version: current.sys.version } }), 403, 'AccessDenied');
    current = await admin.workflow.update(id, { stepId: s3, sys: { version: current.sys.version } });
    // strict_neighbor: completed at the last step only (admins are not held to it).
    await expectSdkError(writer.client.workflow.complete({ ...id, version: current.sys.version }), 422, 'ValidationFailed');
    current = await writer.client.workflow.update(id, { stepId: s4, sys: { version: current.sys.version } });
    current = await admin.workflow.update(id, { stepId: s3, sys: { version: current.sys.version } });
    current = await writer.client.workflow.update(id, { stepId: s4, sys: { version: current.sys.version } });
    await expectSdkError(writer.client.workflow.complete({ ...id, version: current.sys.version }), 403, 'AccessDenied');
    current = await admin.workflow.update(id, { stepId: s0, sys: { version: current.sys.version } });
    await admin.workflow.complete({ ...id, version: current.sys.version });

    const cancelled = await start(writer.client, await entry(), definition, s3);
    await writer.client.workflow.delete({ ...env(), workflowId: cancelled.sys.id, version: cancelled.sys.version });
  });

  it('refuses publishing an entry whose current step denies it to the actor', async () => {
    const writer = await member('publisher@example.com', 'editor');
    const definition = await admin.workflowDefinition.create(
      env(),
      reviewFlow({
        name: 'Publishing',
        steps: [
          { name: 'In review', permissions: [denyPublishing('all')] },
          { name: 'Legal', permissions: [denyPublishing([link('User', 'someone-else')])] },
          { name: 'Approved' },
        ],
      }),
    );
    const entryId = await entry();
    const workflow = await start(admin, entryId, definition);
    const publish = async (client: PlainClientAPI) =>
      client.entry.publish({ ...env(), entryId }, await client.entry.get({ ...env(), entryId }));
    const refusal = await expectSdkError(publish(writer.client), 403, 'AccessDenied');
    expect(refusal.message).toContain('In review');
    await expectSdkError(
      writer.client.entry.publish({ ...env(), entryId, locales: ['en-US'] } as never, await writer.client.entry.get({ ...env(), entryId })),
      403,
      'AccessDenied',
    );
    // Space admins are not held by step rules.
    expect((await publish(admin)).sys.publishedVersion).toBeDefined();
    await admin.entry.unpublish({ ...env(), entryId });

    const legal = await admin.workflow.update(
      { ...env(), workflowId: workflow.sys.id },
      { stepId: definition.steps[1].id, sys: { version: 1 } },
    );
    expect((await publish(writer.client)).sys.publishedVersion).toBeDefined();
    await admin.entry.unpublish({ ...env(), entryId });

    // Once the workflow is completed, its steps no longer apply.
    const atReview = await admin.workflow.update(
      { ...env(), workflowId: workflow.sys.id },
      { stepId: definition.steps[0].id, sys: { version: legal.sys.version } },
    );
    await expectSdkError(publish(writer.client), 403, 'AccessDenied');
    await admin.workflow.complete({ ...env(), workflowId: workflow.sys.id, version: atReview.sys.version });
    expect((await publish(writer.client)).sys.publishedVersion).toBeDefined();
  });

  it('refuses the entry a step denies to the actor in a bulk publish, and publishes nothing', async () => {
    const writer = await member('bulk@example.com', 'editor');
    const definition = await admin.workflowDefinition.create(
      env(),
      reviewFlow({
        name: 'Bulk',
        steps: [{ name: 'Hold', permissions: [denyPublishing([link('User', writer.id)])] }],
      }),
    );
    const [held, free] = [await entry(), await entry()];
    await start(admin, held, definition);
    const versioned = (entryId: string) => ({ sys: { type: 'Link' as const, linkType: 'Entry' as const, id: entryId, version: 1 } });
    const action = await writer.client.bulkAction.publish(env(), {
      entities: { sys: { type: 'Array' }, items: [versioned(held), versioned(free)] },
    });
    const done = await waitFor('the bulk action to finish', async () => {
      const current = await writer.client.bulkAction.get({ ...env(), bulkActionId: action.sys.id });
      return current.sys.status === 'failed' || current.sys.status === 'succeeded' ? current : undefined;
    });
    expect(done.sys.status).toBe('failed');
    expect(done.error).toMatchObject({
      details: { errors: [{ entity: versioned(held), error: { sys: { type: 'Error', id: 'AccessDenied' } } }] },
    });
    expect((await admin.entry.get({ ...env(), entryId: free })).sys.publishedVersion).toBeUndefined();
  });
});
