import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { organizationUser, type TestUser } from '../helpers/users.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

let server: TestServer;
let browser: Browser;
let spaceId: string;
let translator: TestUser;

const roleLink = (id: string) => ({ sys: { type: 'Link', linkType: 'Role', id } });
const settings = (section: string) => `/app/spaces/${spaceId}/environments/master/settings/${section}`;

async function signInWithToken(page: Page, token: string) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

async function roleNamed(name: string) {
  const roles = await server.plainClient().role.getMany({ spaceId, query: { limit: 1000 } });
  const role = roles.items.find((r) => r.name === name);
  if (!role) throw new Error(`no role ${name}`);
  return role;
}

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  server = await startTestServer();
  const client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Access' })).sys.id;
  await client.locale.create({ spaceId, environmentId: 'master' }, {
    name: 'German',
    code: 'de-DE',
    fallbackCode: 'en-US',
    optional: true,
  } as never);
  const article = await client.contentType.createWithId(
    { spaceId, environmentId: 'master', contentTypeId: 'article' },
    { name: 'Article', fields: [{ id: 'title', name: 'Title', type: 'Symbol', localized: true, required: false }] },
  );
  await client.contentType.publish({ spaceId, environmentId: 'master', contentTypeId: 'article' }, article);
  translator = await organizationUser(server, 'translator@example.com');
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('roles, users and teams settings in a browser', () => {
  it('creates a Translator role (read all entries, update only de-DE), assigns it on the Users screen, and the translator is offered no management', async () => {
    const client = server.plainClient();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page, server.adminToken);
      await page.goto(settings('roles'));
      await page.getByRole('heading', { name: 'Roles and permissions', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Roles' });
      for (const name of ['Author', 'Editor', 'Freelancer', 'Translator']) await table.getByRole('link', { name, exact: true }).waitFor();
      await watched.screenshot('settings-roles');

      // The space's default Translator (every locale) goes, to make room for ours.
      const defaultTranslator = await roleNamed('Translator');
      await page.getByRole('button', { name: 'Delete role Translator' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete role' }).click();
      await table.getByRole('link', { name: 'Translator', exact: true }).waitFor({ state: 'detached' });
      expect((await server.request('GET', `/spaces/${spaceId}/roles/${defaultTranslator.sys.id}`)).status).toBe(404);

      await page.getByRole('button', { name: 'Create a role' }).click();
      await page.waitForURL('**/settings/roles/new');
      await page.getByRole('heading', { name: 'New role', level: 1 }).waitFor();
      await page.locator('input[name=roleName]').fill('Translator');
      await page.locator('textarea[name=roleDescription]').fill('Translates into German');
      await page.getByRole('button', { name: 'Add a rule for entries' }).click();
      await page.getByRole('article', { name: 'Entries rule 1' }).waitFor();
      await page.getByRole('button', { name: 'Add a rule for entries' }).click();
      const update = page.getByRole('article', { name: 'Entries rule 2' });
      await update.getByLabel('Read', { exact: true }).uncheck();
      await update.getByLabel('Update', { exact: true }).check();
      await update.getByLabel('Locales an update may change').selectOption('some');
      // No locale chosen yet: the rule says what is missing and the role cannot be created.
      await update.getByRole('alert').filter({ hasText: 'Choose at least one locale.' }).waitFor();
      expect(await page.getByRole('button', { name: 'Create role' }).isDisabled()).toBe(true);
      await update.getByLabel('German (de-DE)').check();
      await watched.screenshot('settings-role-editor');
      await page.getByRole('button', { name: 'Create role' }).click();
      await page.waitForURL(/\/settings\/roles\/[0-9A-Za-z]{22}$/);
      await page.getByRole('heading', { name: 'Translator', level: 1 }).waitFor();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Role created.');

      const created = await roleNamed('Translator');
      expect(page.url()).toContain(`/settings/roles/${created.sys.id}`);
      expect(created.description).toBe('Translates into German');
      expect(created.permissions).toEqual({
        ContentModel: ['read'],
        ContentDelivery: [],
        Settings: [],
        Environments: [],
        EnvironmentAliases: [],
        Tags: [],
      });
      expect(created.policies).toEqual([
        { effect: 'allow', actions: ['read'], constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }] } },
        {
          effect: 'allow',
          actions: ['update'],
          constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }, { paths: [{ doc: 'fields.%.de-DE' }] }] },
        },
      ]);

      // Saved at the version it was loaded with: a change made elsewhere meanwhile is a conflict, explained with a reload.
      await page.locator('textarea[name=roleDescription]').fill('Translates into German only');
      await client.role.update({ spaceId, roleId: created.sys.id }, { ...created, description: 'Changed elsewhere' });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Someone else changed this role');
      expect((await roleNamed('Translator')).description).toBe('Changed elsewhere');
      await page.getByRole('button', { name: 'Reload' }).click();
      await expect.poll(() => page.locator('textarea[name=roleDescription]').inputValue()).toBe('Changed elsewhere');
      await page.locator('textarea[name=roleDescription]').fill('Translates into German only');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      const saved = await roleNamed('Translator');
      expect(saved.description).toBe('Translates into German only');
      expect(saved.policies).toEqual(created.policies);
      expect(watched.errors.splice(0)).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);

      // The Users screen: the translator joins the space with the new role.
      await page.goto(settings('users'));
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      const users = page.getByRole('table', { name: 'Users' });
      await users.getByRole('row', { name: /\(you\).*Admin.*Own membership/ }).waitFor();
      const add = page.getByRole('form', { name: 'Add a user to the space' });
      await add.locator('input[name=memberEmail]').fill('translator@example.com');
      await add.getByLabel('Translator', { exact: true }).check();
      await add.getByRole('button', { name: 'Add to space' }).click();
      await users.getByRole('row', { name: /translator@example\.com.*Translator.*Own membership/ }).waitFor();
      const memberships = await client.spaceMembership.getMany({ spaceId });
      const membership = memberships.items.find((m) => m.user.sys.id === translator.id);
      expect(membership).toMatchObject({ admin: false, roles: [roleLink(created.sys.id)] });
      await watched.screenshot('settings-users');

      // Changing their roles: Author besides Translator, saved at the membership's version.
      await page.getByRole('button', { name: 'Change access of translator@example.com' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Author', { exact: true }).check();
      await watched.screenshot('settings-users-change');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await users.getByRole('row', { name: /translator@example\.com.*Author, Translator/ }).waitFor();
      const author = await roleNamed('Author');
      const changed = (await client.spaceMembership.getMany({ spaceId })).items.find((m) => m.user.sys.id === translator.id);
      expect(changed?.roles).toEqual([roleLink(created.sys.id), roleLink(author.sys.id)]);
      expect(changed?.sys.version).toBe((membership?.sys.version ?? 0) + 1);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }

    // Signed in as the translator (on a phone): the settings are readable and offer nothing to manage.
    const asTranslator = await openPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      const { page } = asTranslator;
      await signInWithToken(page, translator.token);
      await page.goto(settings('roles'));
      const table = page.getByRole('table', { name: 'Roles' });
      await table.getByRole('link', { name: 'Translator', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Create a role' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Delete role/ }).count()).toBe(0);
      await table.getByRole('link', { name: 'Translator', exact: true }).click();
      await page.getByRole('heading', { name: 'Translator', level: 1 }).waitFor();
      await page.getByText('Only space admins can change roles').waitFor();
      expect(await page.locator('input[name=roleName]').isDisabled()).toBe(true);
      const update = page.getByRole('article', { name: 'Entries rule 2' });
      expect(await update.getByLabel('German (de-DE)').isChecked()).toBe(true);
      expect(await update.getByLabel('German (de-DE)').isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: /Save|Delete role|Add a rule|Remove/ }).count()).toBe(0);
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await asTranslator.screenshot('phone-settings-role-read-only');

      await page.goto(settings('users'));
      await page
        .getByRole('table', { name: 'Users' })
        .getByRole('row', { name: /translator@example\.com.*\(you\)|\(you\).*translator/ })
        .waitFor();
      expect(await page.getByRole('form', { name: 'Add a user to the space' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^(Change|Remove)/ }).count()).toBe(0);
      await asTranslator.screenshot('phone-settings-users-read-only');

      await page.goto(settings('teams'));
      await page.getByRole('heading', { name: 'Teams', level: 1 }).waitFor();
      await page.getByText('No team has access to the space.').waitFor();
      expect(await page.getByRole('form', { name: 'Add a team to the space' }).count()).toBe(0);
      await asTranslator.screenshot('phone-settings-teams-read-only');
      expect(asTranslator.errors).toEqual([]);
    } finally {
      await asTranslator.close();
    }
  });

  it('adds a team to the space with a role, changes it to admin and removes it', async () => {
    const client = server.plainClient();
    const team = await client.team.create(
      { organizationId: server.organizationId },
      { name: 'Localization', description: 'Every language' },
    );
    const author = await roleNamed('Author');
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page, server.adminToken);
      await page.goto(settings('teams'));
      await page.getByRole('heading', { name: 'Teams', level: 1 }).waitFor();
      const add = page.getByRole('form', { name: 'Add a team to the space' });
      // The organization's teams load after the heading.
      await expect.poll(() => add.locator('select[name=teamId] option').allTextContents()).toEqual(['Localization']);
      await add.getByLabel('Author', { exact: true }).check();
      await add.getByRole('button', { name: 'Add team' }).click();
      const table = page.getByRole('table', { name: 'Teams with access' });
      await table.getByRole('row', { name: /Localization.*Every language.*Author/ }).waitFor();
      const [membership] = (await client.teamSpaceMembership.getMany({ spaceId })).items;
      expect(membership).toMatchObject({ admin: false, roles: [roleLink(author.sys.id)], sys: { team: { sys: { id: team.sys.id } } } });
      await watched.screenshot('settings-teams');

      await page.getByRole('button', { name: 'Change access of team Localization' }).click();
      await page.getByRole('dialog').getByLabel('Admin', { exact: true }).check();
      await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
      await table.getByRole('row', { name: /Localization.*Admin/ }).waitFor();
      const changed = await client.teamSpaceMembership.get({ spaceId, teamSpaceMembershipId: membership.sys.id });
      expect(changed).toMatchObject({ admin: true, roles: [roleLink(author.sys.id)] });

      await page.getByRole('button', { name: 'Remove team Localization from the space' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove team' }).click();
      await page.getByText('No team has access to the space.').waitFor();
      expect((await client.teamSpaceMembership.getMany({ spaceId })).items).toEqual([]);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('shows a role with hand-written policies as JSON and keeps its policies when its description is saved; a default role saved unchanged keeps its policies too', async () => {
    const client = server.plainClient();
    const handWritten = {
      effect: 'allow',
      actions: ['read'],
      constraint: { or: [{ equals: [{ doc: 'sys.id' }, 'home'] }, { in: [{ doc: 'metadata.tags.sys.id' }, ['public']] }] },
    };
    const role = await client.role.create({ spaceId }, {
      name: 'Hand-written',
      description: 'Made through the API',
      permissions: { ContentModel: ['read'], Tags: ['read'] },
      policies: [handWritten],
    } as never);
    const editor = await roleNamed('Editor');
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page, server.adminToken);
      await page.goto(settings(`roles/${role.sys.id}`));
      await page.getByRole('heading', { name: 'Hand-written', level: 1 }).waitFor();
      await page.getByText('Policies written through the API').waitFor();
      expect(JSON.parse((await page.locator('form pre').textContent()) ?? '')).toEqual([handWritten]);
      // Tags: read is not a level Contentful offers for tags, but this role has it: it is shown, not dropped.
      expect(await page.locator('select[name=permission-Tags]').inputValue()).toBe('read');
      await page.locator('textarea[name=roleDescription]').fill('Made through the API, described in the app');
      await watched.screenshot('settings-role-json');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      const saved = await client.role.get({ spaceId, roleId: role.sys.id });
      expect(saved.description).toBe('Made through the API, described in the app');
      expect(saved.policies).toEqual([handWritten]);
      expect(saved.permissions).toEqual({ ContentModel: ['read'], Tags: ['read'] });

      // Contentful's default Editor role is shown as rules; renaming it leaves its policies and permissions as they were.
      await page.goto(settings(`roles/${editor.sys.id}`));
      await page.getByRole('heading', { name: 'Editor', level: 1 }).waitFor();
      const assets = page.getByRole('article', { name: 'Assets rule 1' });
      expect(await assets.getByLabel('All actions').isChecked()).toBe(true);
      await page.locator('input[name=roleName]').fill('Content editor');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('heading', { name: 'Content editor', level: 1 }).waitFor();
      const renamed = await client.role.get({ spaceId, roleId: editor.sys.id });
      expect(renamed.policies).toEqual(editor.policies);
      expect(renamed.permissions).toEqual(editor.permissions);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
