import type { PlainClientAPI } from 'contentful-management';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

let server: TestServer;
let browser: Browser;
let client: PlainClientAPI;
let spaceId: string;
/** A member of the space (role: edit entries, not publish them) whom tasks are assigned to. */
let graceId: string;
let graceToken: string;
const environmentId = 'master';

async function signIn(page: Page, token: string) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

async function openEntry(page: Page, entryId: string, title: string) {
  await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${entryId}`);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

async function newArticle(title: string) {
  const entry = await client.entry.create({ spaceId, environmentId, contentTypeId: 'article' }, { fields: { title: { 'en-US': title } } });
  return entry.sys.id;
}

const link = <T extends string>(linkType: T, id: string) => ({ sys: { type: 'Link' as const, linkType, id } });
/** Tomorrow as an `<input type="date">` value, in the local time zone the browser shares with this process. */
function tomorrow() {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
/** `sys.resolvedBy`, which the SDK's task types leave out. */
const resolvedBy = (task: { sys: object }) => (task.sys as { resolvedBy?: { sys: { id: string } } }).resolvedBy?.sys.id;
const sidebar = (page: Page) => page.getByRole('complementary', { name: 'Entry sidebar' });
const panel = (page: Page, name: string) => sidebar(page).getByRole('region', { name, exact: true });

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Entry sidebar' })).sys.id;
  const article = await client.contentType.createWithId(
    { spaceId, environmentId, contentTypeId: 'article' },
    { name: 'Article', displayField: 'title', fields: [{ id: 'title', name: 'Title', type: 'Symbol', required: true, localized: false }] },
  );
  await client.contentType.publish({ spaceId, environmentId, contentTypeId: 'article' }, article);

  const grace = await server.services.users.create({ email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' });
  graceId = grace.id;
  await server.services.organizations.addMember(server.organizationId, grace.id, 'member');
  const writer = await client.role.create(
    { spaceId },
    {
      name: 'Writer',
      policies: [{ effect: 'allow', actions: ['read', 'create', 'update'], constraint: { equals: [{ doc: 'sys.type' }, 'Entry'] } }],
      permissions: { ContentModel: ['read'], Settings: [], ContentDelivery: [], Environments: [], EnvironmentAliases: [], Tags: [] },
    },
  );
  await client.spaceMembership.create(
    { spaceId },
    { admin: false, email: 'grace@example.com', roles: [{ sys: { type: 'Link', linkType: 'Role', id: writer.sys.id } }] },
  );
  graceToken = (await server.services.accessTokens.create(grace.id, { name: 'browser', scopes: ['content_management_manage'] }))
    .token as string;
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('entry editor sidebar in a browser', () => {
  it('creates a task for a member, is refused publishing while it is open, resolves it and publishes', async () => {
    const entryId = await newArticle('Tasks article');
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, server.adminToken);
      await openEntry(page, entryId, 'Tasks article');
      const tasks = panel(page, 'Tasks');
      await tasks.getByText('No tasks yet.').waitFor();
      await tasks.getByRole('button', { name: 'Create task' }).click();
      const form = tasks.getByRole('form', { name: 'New task' });
      await form.getByRole('textbox', { name: /^Task/ }).fill('Check the facts');
      await form.getByRole('combobox', { name: /^Assign to/ }).selectOption({ label: 'Grace Hopper' });
      const due = tomorrow();
      await form.getByLabel('Due date', { exact: true }).fill(due);
      await form.getByRole('button', { name: 'Create task' }).click();
      const task = tasks.getByRole('listitem', { name: 'Task: Check the facts' });
      await task.getByText('Assigned to Grace Hopper').waitFor();
      await tasks.getByText('1 open task').waitFor();

      const [created] = (await client.task.getMany({ spaceId, environmentId, entryId })).items;
      expect(created.body).toBe('Check the facts');
      expect(created.assignedTo.sys).toMatchObject({ linkType: 'User', id: graceId });
      expect(created.status).toBe('active');
      expect(created.dueDate).toBe(due);

      // Its creator edits it while it is open.
      await task.getByRole('button', { name: 'Edit task: Check the facts' }).click();
      const edit = tasks.getByRole('form', { name: 'Edit task' });
      await edit.getByRole('textbox', { name: /^Task/ }).fill('Check the facts twice');
      await edit.getByRole('button', { name: 'Save task' }).click();
      const edited = tasks.getByRole('listitem', { name: 'Task: Check the facts twice' });
      await edited.waitFor();
      expect((await client.task.get({ spaceId, environmentId, entryId, taskId: created.sys.id })).body).toBe('Check the facts twice');
      await watched.screenshot('entry-sidebar-tasks');

      // The open task keeps the entry from being published: the server's 422 names it.
      const refused = page.waitForResponse((r) => r.url().endsWith(`/entries/${entryId}/published`) && r.request().method() === 'PUT');
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      const response = await refused;
      expect(response.status()).toBe(422);
      const body = (await response.json()) as { details: { errors: { name: string }[] } };
      expect(body.details.errors.map((e) => e.name)).toContain('unresolvedTasks');
      await page.getByRole('alert').filter({ hasText: 'Validation error' }).waitFor();
      await expect(page.getByLabel('Status: draft').textContent()).resolves.toBe('draft');

      await edited.getByRole('button', { name: 'Resolve task: Check the facts twice' }).click();
      await edited.getByText('resolved', { exact: true }).waitFor();
      // A resolved task's body cannot change (the API answers 400): editing is not offered until it is reopened.
      await expect(edited.getByRole('button', { name: /^Edit task/ }).count()).resolves.toBe(0);
      await edited.getByRole('button', { name: 'Reopen task: Check the facts twice' }).waitFor();
      const resolved = await client.task.get({ spaceId, environmentId, entryId, taskId: created.sys.id });
      expect(resolved.status).toBe('resolved');
      expect(resolvedBy(resolved)).toBe(server.adminUserId);

      // The editor keeps Publish disabled after a refused publish until the entry changes or is loaded again.
      await page.reload();
      await page.getByRole('heading', { name: 'Tasks article', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByLabel('Status: published').waitFor();
      const published = await client.entry.get({ spaceId, environmentId, entryId });
      expect(published.sys.publishedVersion).toBe(published.sys.version - 1);

      await edited.getByRole('button', { name: 'Delete task: Check the facts twice' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete task' }).click();
      await tasks.getByText('No tasks yet.').waitFor();
      expect((await client.task.getMany({ spaceId, environmentId, entryId })).items).toEqual([]);
      expect(watched.errors.filter((e) => !e.includes('422'))).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('adds a comment and a reply, edits and deletes them', async () => {
    const entryId = await newArticle('Comments article');
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, server.adminToken);
      await openEntry(page, entryId, 'Comments article');
      const comments = panel(page, 'Comments');
      await comments.getByText('No comments yet.').waitFor();
      await comments.getByRole('textbox', { name: 'New comment' }).fill('Is the second paragraph right?');
      await comments.getByRole('button', { name: 'Send comment' }).click();
      const comment = comments.getByRole('listitem', { name: /^Comment by .*: Is the second paragraph right\?$/ });
      await comment.waitFor();
      await expect(comments.getByRole('textbox', { name: 'New comment' }).inputValue()).resolves.toBe('');

      await comment.getByRole('button', { name: /^Reply to / }).click();
      await comment.getByRole('textbox', { name: 'Reply' }).fill('Yes, checked.');
      await comment.getByRole('button', { name: 'Send reply' }).click();
      const reply = comment.getByRole('listitem', { name: /^Comment by .*: Yes, checked\.$/ });
      await reply.waitFor();

      const stored = (await client.comment.getMany({ spaceId, environmentId, entryId })).items;
      const parent = stored.find((c) => c.body === 'Is the second paragraph right?')!;
      const answer = stored.find((c) => c.body === 'Yes, checked.')!;
      expect(parent.sys.createdBy?.sys.id).toBe(server.adminUserId);
      expect((answer.sys as unknown as { parent: { sys: { id: string } } }).parent.sys.id).toBe(parent.sys.id);

      await reply.getByRole('button', { name: 'Edit comment' }).click();
      await reply.getByRole('textbox', { name: 'Edit comment' }).fill('Yes, checked twice.');
      await reply.getByRole('button', { name: 'Save comment' }).click();
      await comment.getByRole('listitem', { name: /^Comment by .*: Yes, checked twice\.$/ }).waitFor();
      expect((await client.comment.get({ spaceId, environmentId, entryId, commentId: answer.sys.id })).body).toBe('Yes, checked twice.');
      await watched.screenshot('entry-sidebar-comments');

      await comment.getByRole('button', { name: 'Delete comment' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Delete this comment and its replies?').waitFor();
      await dialog.getByRole('button', { name: 'Delete comment' }).click();
      await comments.getByText('No comments yet.').waitFor();
      expect((await client.comment.getMany({ spaceId, environmentId, entryId })).items).toEqual([]);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('schedules a publish for tomorrow and cancels it', async () => {
    const entryId = await newArticle('Scheduled article');
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, server.adminToken);
      await openEntry(page, entryId, 'Scheduled article');
      const scheduling = panel(page, 'Scheduled publishing');
      await scheduling.getByText('Nothing scheduled.').waitFor();
      const day = tomorrow();
      await scheduling.getByLabel(/^Date/).fill(day);
      await scheduling.getByLabel(/^Time/).fill('10:30');
      await scheduling.getByRole('button', { name: 'Schedule publish' }).click();
      const pending = scheduling.getByRole('list', { name: 'Scheduled actions of this entry' }).getByRole('listitem');
      await pending.getByText('Publish', { exact: true }).waitFor();
      await watched.screenshot('entry-sidebar-scheduled');

      const query = { 'environment.sys.id': environmentId, 'entity.sys.id': entryId };
      const [scheduled] = (await client.scheduledActions.getMany({ spaceId, query })).items;
      expect(scheduled.action).toBe('publish');
      expect(scheduled.sys.status).toBe('scheduled');
      expect(scheduled.entity.sys).toMatchObject({ linkType: 'Entry', id: entryId });
      expect(Date.parse(scheduled.scheduledFor.datetime)).toBe(new Date(`${day}T10:30`).getTime());

      await pending.getByRole('button', { name: /^Cancel the scheduled publish on / }).click();
      await scheduling.getByText('Nothing scheduled.').waitFor();
      const canceled = await client.scheduledActions.get({ spaceId, environmentId, scheduledActionId: scheduled.sys.id });
      expect(canceled.sys.status).toBe('canceled');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('shows the workflow step, moves the workflow to another step and completes it', async () => {
    const definition = await client.workflowDefinition.create({ spaceId, environmentId }, {
      name: 'Editorial review',
      appliesTo: [{ type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['article'] }] }],
      steps: [{ name: 'Draft' }, { name: 'In review' }, { name: 'Approved' }],
      flowType: 'no_restriction',
    } as never);
    const entryId = await newArticle('Workflow article');
    await client.workflow.create({ spaceId, environmentId }, {
      entity: link('Entry', entryId),
      workflowDefinition: link('WorkflowDefinition', definition.sys.id),
    } as never);
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, server.adminToken);
      await openEntry(page, entryId, 'Workflow article');
      const workflow = panel(page, 'Workflow').getByRole('region', { name: 'Workflow Editorial review' });
      await workflow.getByText('Current step: Draft').waitFor();
      await workflow.getByRole('combobox', { name: 'Move to step' }).selectOption({ label: 'In review' });
      await workflow.getByRole('button', { name: 'Move', exact: true }).click();
      await workflow.getByText('Current step: In review').waitFor();
      await watched.screenshot('entry-sidebar-workflow');

      const [moved] = (
        await client.workflow.getMany({
          spaceId,
          environmentId,
          query: { 'sys.entity.sys.linkType': 'Entry', 'sys.entity.sys.id[in]': entryId },
        } as never)
      ).items;
      expect(moved.stepId).toBe(definition.steps[1].id);

      await workflow.getByRole('button', { name: 'Complete workflow' }).click();
      await panel(page, 'Workflow').getByRole('button', { name: 'Start Editorial review' }).waitFor();
      const completed = await client.workflow.get({ spaceId, environmentId, workflowId: moved.sys.id });
      expect(completed.sys.completedBy?.sys.id).toBe(server.adminUserId);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('offers a member only what their role and the task allow, below the fields at phone width', async () => {
    const entryId = await newArticle('Assigned article');
    const task = await client.task.create({ spaceId, environmentId, entryId }, {
      body: 'Add a summary',
      assignedTo: link('User', graceId),
      status: 'active',
    } as never);
    const watched = await openPage(browser, server.baseUrl, { width: 390, height: 844 });
    const { page } = watched;
    try {
      await signIn(page, graceToken);
      await openEntry(page, entryId, 'Assigned article');
      const item = panel(page, 'Tasks').getByRole('listitem', { name: 'Task: Add a summary' });
      await item.getByRole('button', { name: 'Resolve task: Add a summary' }).waitFor();
      // The assignee resolves; only the creator and admins edit and delete.
      await expect(item.getByRole('button', { name: /^(Edit|Delete) task/ }).count()).resolves.toBe(0);
      // Her role does not publish: there is nothing to schedule.
      await panel(page, 'Comments').waitFor();
      await expect(panel(page, 'Scheduled publishing').count()).resolves.toBe(0);

      const main = await page.locator('.entry-main').boundingBox();
      const aside = await sidebar(page).boundingBox();
      expect(aside!.y).toBeGreaterThanOrEqual(main!.y + main!.height);
      expect(aside!.width).toBeLessThanOrEqual(390);

      await item.getByRole('button', { name: 'Resolve task: Add a summary' }).click();
      await item.getByText('resolved', { exact: true }).waitFor();
      await watched.screenshot('entry-sidebar-phone');
      const resolved = await client.task.get({ spaceId, environmentId, entryId, taskId: task.sys.id });
      expect(resolved.status).toBe('resolved');
      expect(resolvedBy(resolved)).toBe(graceId);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
