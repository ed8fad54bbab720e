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
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const base = () => `/app/spaces/${spaceId}/environments/${environmentId}`;

async function signIn(page: Page, token = server.adminToken) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

async function article(title: string, summary?: string) {
  const fields: Record<string, Record<string, string>> = { title: { 'en-US': title } };
  if (summary) fields.summary = { 'en-US': summary };
  return client.entry.create({ ...env(), contentTypeId: 'article' }, { fields });
}

const releaseItemIds = (release: { entities: { items: unknown[] } }) =>
  (release.entities.items as { sys: { linkType: string; id: string } }[]).map((i) => `${i.sys.linkType}:${i.sys.id}`).sort();

/** A token for a new member of the space holding one role with these policies. */
async function memberWithRole(email: string, policies: unknown[]) {
  const user = await server.services.users.create({ email, firstName: email.split('@')[0] });
  await server.services.organizations.addMember(server.organizationId, user.id, 'member');
  const role = await client.role.create(
    { spaceId },
    {
      name: `Role of ${email}`,
      policies: policies as never,
      permissions: { ContentModel: ['read'], Settings: [], ContentDelivery: [], Environments: [], EnvironmentAliases: [], Tags: [] },
    },
  );
  await client.spaceMembership.create({ spaceId }, { admin: false, email, roles: [link('Role', role.sys.id) as never] });
  return (await server.services.accessTokens.create(user.id, { name: 'browser', scopes: ['content_management_manage'] })).token as string;
}

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Releases' })).sys.id;
  const contentType = await client.contentType.createWithId(
    { ...env(), contentTypeId: 'article' },
    {
      name: 'Article',
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', required: true, localized: false },
        { id: 'summary', name: 'Summary', type: 'Symbol', required: true, localized: false },
      ],
    },
  );
  await client.contentType.publish({ ...env(), contentTypeId: 'article' }, contentType);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('releases in a browser', () => {
  it('creates a release, adds entries and an asset, validates, publishes it, schedules it and cancels the schedule', async () => {
    const launch = await article('Spring launch', 'Everything new this spring');
    const teaser = await article('Spring teaser');
    const hero = await client.asset.create(env(), { fields: { title: { 'en-US': 'Hero image' } } } as never);
    const me = await client.user.getCurrent();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(`${base()}/releases`);
      await page.getByRole('heading', { name: 'Releases', level: 1 }).waitFor();
      await page.getByText('No active releases.').waitFor();
      await page.getByLabel('New release title').fill('Spring campaign');
      await page.getByRole('button', { name: 'Create release' }).click();
      await page.getByRole('heading', { name: 'Spring campaign', level: 1 }).waitFor();
      const releaseId = new URL(page.url()).pathname.split('/').at(-1)!;

      // Two entries and an asset, picked from the CMA's search.
      await page.getByRole('button', { name: 'Add content' }).click();
      const picker = page.getByRole('dialog', { name: 'Add content to the release' });
      await picker.getByRole('checkbox', { name: 'Spring launch' }).check();
      await picker.getByRole('checkbox', { name: 'Spring teaser' }).check();
      await picker.getByRole('tab', { name: 'Assets' }).click();
      await picker.getByLabel('Search').fill('Hero');
      await picker.getByRole('checkbox', { name: 'Hero image' }).check();
      await watched.screenshot('release-picker');
      await picker.getByRole('button', { name: 'Add 3 to the release' }).click();
      const entities = page.getByRole('table', { name: 'Entities of the release' });
      await entities.getByRole('row', { name: /Spring launch\s*Article\s*draft/i }).waitFor();
      await entities.getByRole('row', { name: /Spring teaser\s*Article\s*draft/i }).waitFor();
      await entities.getByRole('row', { name: /Hero image\s*Asset\s*draft/i }).waitFor();
      expect(releaseItemIds(await client.release.get({ ...env(), releaseId }))).toEqual(
        [`Asset:${hero.sys.id}`, `Entry:${launch.sys.id}`, `Entry:${teaser.sys.id}`].sort(),
      );

      // Validation finds the teaser without its required summary, and says so on its row.
      await page.getByRole('button', { name: 'Validate' }).click();
      await page.getByRole('alert').filter({ hasText: 'Validation failed' }).waitFor();
      const problems = entities.getByLabel('Problems of Spring teaser');
      expect(await problems.textContent()).toContain('The property "summary" is required here (fields.summary.en-US)');
      expect(await entities.getByLabel('Problems of Spring launch').count()).toBe(0);
      await watched.screenshot('release-validation-failed');

      const current = await client.entry.get({ ...env(), entryId: teaser.sys.id });
      await client.entry.update(
        { ...env(), entryId: teaser.sys.id },
        { ...current, fields: { ...current.fields, summary: { 'en-US': 'A first look' } } },
      );
      await page.getByRole('button', { name: 'Validate' }).click();
      await page.getByRole('status').filter({ hasText: 'Validated: every entity of the release can be published.' }).waitFor();
      expect(await entities.getByLabel('Problems of Spring teaser').count()).toBe(0);

      await page.getByRole('button', { name: 'Publish all', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Published: every entity of the release is published.' }).waitFor();
      await entities.getByRole('row', { name: /Spring teaser\s*Article\s*published/i }).waitFor();
      await entities.getByRole('row', { name: /Hero image\s*Asset\s*published/i }).waitFor();
      const published = await Promise.all([
        client.entry.get({ ...env(), entryId: launch.sys.id }),
        client.entry.get({ ...env(), entryId: teaser.sys.id }),
        client.asset.get({ ...env(), assetId: hero.sys.id }),
      ]);
      expect(published.map((e) => e.sys.publishedVersion === e.sys.version - 1)).toEqual([true, true, true]);
      await watched.screenshot('release-published');

      // A publish tomorrow at 09:00 (the form's suggestion), in the browser's time zone.
      const schedule = page.getByRole('form', { name: 'Schedule the release' });
      await schedule.getByLabel('Action').selectOption('publish');
      const tomorrow = new Date(new Date().setHours(24 + 9, 0, 0, 0));
      const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
      await schedule.getByLabel('Date').fill(day);
      await schedule.getByLabel('Time').fill('09:00');
      await schedule.getByRole('button', { name: 'Schedule' }).click();
      await page
        .getByRole('list', { name: 'Scheduled actions of the release' })
        .getByText(/^Publish on/)
        .waitFor();
      const [scheduled] = (
        await client.scheduledActions.getMany({ spaceId, query: { 'environment.sys.id': environmentId, 'entity.sys.id': releaseId } })
      ).items;
      expect(scheduled).toMatchObject({
        action: 'publish',
        entity: link('Release', releaseId),
        sys: { status: 'scheduled' },
        scheduledFor: { datetime: tomorrow.toISOString() },
      });
      await watched.screenshot('release-scheduled');

      // The Scheduled section lists it with the release's title, and cancels it.
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Scheduled' }).click();
      await page.getByRole('heading', { name: 'Scheduled', level: 1 }).waitFor();
      const pending = page.getByRole('table', { name: 'Scheduled actions' });
      const row = pending.getByRole('row', { name: /Spring campaign\s*Release\s*publish/ });
      await row.waitFor();
      expect(await row.textContent()).toContain(`${me.firstName} ${me.lastName}`.trim() || me.email);
      expect(await row.textContent()).toContain('scheduled');
      await watched.screenshot('scheduled-section');
      await row.getByRole('button', { name: 'Cancel the scheduled publish of Spring campaign' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel it' }).click();
      await page.getByText('Nothing is scheduled.').waitFor();
      const canceled = await client.scheduledActions.get({ spaceId, environmentId, scheduledActionId: scheduled.sys.id });
      expect(canceled.sys.status).toBe('canceled');
      await page.getByRole('tab', { name: 'Canceled' }).click();
      await page
        .getByRole('table', { name: 'Canceled actions' })
        .getByRole('row', { name: /Spring campaign\s*Release\s*publish.*canceled/ })
        .waitFor();

      // The list: entities, status, last action.
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Releases' }).click();
      await page
        .getByRole('table', { name: 'Releases' })
        .getByRole('row', { name: /Spring campaign\s*3\s*active\s*Publish succeeded/ })
        .waitFor();
      await watched.screenshot('releases-list');

      // The detail and the Scheduled section fit a phone's width.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('link', { name: 'Spring campaign' }).click();
      await page.getByRole('heading', { name: 'Spring campaign', level: 1 }).waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await watched.screenshot('phone-release-detail');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('adds the entry open in the editor to a release, and to a new one, from its sidebar', async () => {
    const entry = await article('Summer news', 'Hot');
    const summer = await client.release.create(env(), { title: 'Summer', entities: { sys: { type: 'Array' }, items: [] } });
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(`${base()}/content/${entry.sys.id}`);
      const panel = page.getByRole('region', { name: 'Releases' });
      await panel.getByText('This entry is in no release.').waitFor();
      await panel.getByLabel('Release', { exact: true }).selectOption({ label: 'Summer' });
      await panel.getByRole('button', { name: 'Add to release' }).click();
      await panel.getByRole('status').filter({ hasText: 'Added to Summer.' }).waitFor();
      await panel.getByRole('list', { name: 'Releases this entry is in' }).getByRole('link', { name: 'Summer' }).waitFor();
      expect(releaseItemIds(await client.release.get({ ...env(), releaseId: summer.sys.id }))).toEqual([`Entry:${entry.sys.id}`]);

      await panel.getByLabel('Release', { exact: true }).selectOption({ label: 'New release…' });
      await panel.getByLabel('New release title').fill('Autumn');
      await panel.getByRole('button', { name: 'Add to release' }).click();
      await panel.getByRole('status').filter({ hasText: 'Added to Autumn.' }).waitFor();
      await panel.getByRole('list', { name: 'Releases this entry is in' }).getByRole('link', { name: 'Autumn' }).waitFor();
      const containing = await client.release.query({ ...env(), query: { 'entities.sys.id[in]': entry.sys.id } });
      expect(containing.items.map((r) => r.title).sort()).toEqual(['Autumn', 'Summer']);
      await watched.screenshot('entry-sidebar-releases');

      await panel.getByRole('link', { name: 'Autumn' }).click();
      await page.getByRole('heading', { name: 'Autumn', level: 1 }).waitFor();
      await page
        .getByRole('table', { name: 'Entities of the release' })
        .getByRole('row', { name: /Summer news\s*Article/ })
        .waitFor();
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('explains a version conflict with a reload, removes an entity, archives and deletes a release', async () => {
    const entry = await article('Winter sale', 'Cold');
    const other = await article('Winter gifts', 'Warm');
    const winter = await client.release.create(env(), {
      title: 'Winter',
      entities: { sys: { type: 'Array' }, items: [link('Entry', entry.sys.id), link('Entry', other.sys.id)] as never },
    });
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(`${base()}/releases/${winter.sys.id}`);
      await page.getByRole('heading', { name: 'Winter', level: 1 }).waitFor();
      await page
        .getByRole('table', { name: 'Entities of the release' })
        .getByRole('row', { name: /Winter gifts/ })
        .waitFor();

      // Someone else renames it meanwhile: the save is refused, nothing is overwritten.
      await client.release.update({ ...env(), releaseId: winter.sys.id, version: winter.sys.version }, {
        title: 'Winter deals',
        entities: winter.entities,
      } as never);
      await page.getByRole('form', { name: 'Rename the release' }).getByRole('textbox').fill('Winter specials');
      await page.getByRole('button', { name: 'Save title' }).click();
      const conflict = page.getByRole('alert').filter({ hasText: 'Someone else changed this release' });
      await conflict.waitFor();
      await watched.screenshot('release-conflict');
      expect((await client.release.get({ ...env(), releaseId: winter.sys.id })).title).toBe('Winter deals');
      await conflict.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('heading', { name: 'Winter deals', level: 1 }).waitFor();
      await page.getByRole('form', { name: 'Rename the release' }).getByRole('textbox').fill('Winter specials');
      await page.getByRole('button', { name: 'Save title' }).click();
      await page.getByRole('heading', { name: 'Winter specials', level: 1 }).waitFor();

      await page.getByRole('button', { name: 'Remove Winter gifts from the release' }).click();
      await expect.poll(() => page.getByRole('table', { name: 'Entities of the release' }).getByRole('row').count()).toBe(2);
      const saved = await client.release.get({ ...env(), releaseId: winter.sys.id });
      expect([saved.title, releaseItemIds(saved)]).toEqual(['Winter specials', [`Entry:${entry.sys.id}`]]);

      await page.getByRole('button', { name: 'Archive' }).click();
      await page.getByText('An archived release cannot be changed or acted on; unarchive it first.').waitFor();
      expect(await page.getByRole('button', { name: 'Publish all', exact: true }).count()).toBe(0);
      expect((await client.release.get({ ...env(), releaseId: winter.sys.id })).sys.status).toBe('archived');

      await page.getByRole('link', { name: '← All releases' }).click();
      await page.getByLabel('Show').selectOption('archived');
      const row = page.getByRole('table', { name: 'Releases' }).getByRole('row', { name: /Winter specials\s*1\s*archived/ });
      await row.waitFor();
      await row.getByRole('button', { name: 'Delete release Winter specials' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete release' }).click();
      await page.getByText('No archived releases.').waitFor();
      expect((await client.release.query({ ...env(), query: { 'sys.id[in]': winter.sys.id } })).items).toEqual([]);
      expect(watched.errors).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    } finally {
      await watched.close();
    }
  });

  it('offers a member whose role may not publish neither publishing nor scheduling', async () => {
    const entry = await article('Members only', 'Read me');
    const release = await client.release.create(env(), {
      title: 'Editorial',
      entities: { sys: { type: 'Array' }, items: [link('Entry', entry.sys.id)] as never },
    });
    const token = await memberWithRole('writer@example.com', [
      { effect: 'allow', actions: ['read', 'create', 'update'], constraint: { equals: [{ doc: 'sys.type' }, 'Entry'] } },
    ]);
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, token);
      await page.goto(`${base()}/releases/${release.sys.id}`);
      await page.getByRole('heading', { name: 'Editorial', level: 1 }).waitFor();
      await page
        .getByRole('table', { name: 'Entities of the release' })
        .getByRole('row', { name: /Members only\s*Article\s*draft/ })
        .waitFor();
      await page.getByRole('button', { name: 'Validate' }).waitFor();
      await page.getByText('Nothing is scheduled for this release.').waitFor();
      expect(await page.getByRole('button', { name: 'Publish all', exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Unpublish all' }).count()).toBe(0);
      expect(await page.getByRole('form', { name: 'Schedule the release' }).count()).toBe(0);
      await watched.screenshot('release-without-publishing');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
