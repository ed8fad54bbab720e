import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type WatchedPage } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

const PASSWORD = 'a long enough password';

let server: TestServer;
let browser: Browser;
let marketingId: string;
let blogId: string;

/** A user of the organization with a password, set as `user set-password` sets it. */
async function userWithPassword(email: string, role: 'admin' | 'member') {
  const user = await server.services.users.create({ email, firstName: email.split('@')[0] });
  await server.services.organizations.addMember(server.organizationId, user.id, role);
  await server.services.sessions.setPassword(user.id, PASSWORD);
  return user;
}

async function signIn(watched: WatchedPage, email: string) {
  const { page } = watched;
  await page.goto('/app/');
  await page.waitForURL('**/app/sign-in');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  server = await startTestServer();
  const owner = await userWithPassword('owner@example.com', 'admin');
  const ownerToken = (await server.services.accessTokens.create(owner.id, { name: 'setup', scopes: ['content_management_manage'] })).token!;
  const client = server.plainClient(ownerToken);
  marketingId = (await client.space.create({}, { name: 'Marketing' })).sys.id;
  blogId = (await client.space.create({}, { name: 'Blog' })).sys.id;
  await client.environment.createWithId({ spaceId: marketingId, environmentId: 'staging' }, { name: 'Staging' });
  await client.environmentAlias.createWithId(
    { spaceId: marketingId, environmentAliasId: 'production' },
    { environment: { sys: { type: 'Link', linkType: 'Environment', id: 'master' } } },
  );
  await userWithPassword('member@example.com', 'member');
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('web app in a browser', () => {
  it('signs in with a password, switches space and environment (aliases shown), creates and deletes an environment and a space, and signs out, revoking the token', async () => {
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await page.goto('/app/');
      await page.waitForURL('**/app/sign-in');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await watched.screenshot('sign-in');

      // A wrong password: the server's message, in the page.
      await page.locator('input[name=email]').fill('owner@example.com');
      await page.locator('input[name=password]').fill('not the password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('The email address or the password is not correct.');
      // The refused request is the browser's own console line, and the only one.
      expect(watched.errors.splice(0)).toEqual([
        'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
      ]);

      await page.locator('input[name=password]').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Spaces' });
      await table.getByRole('link', { name: 'Marketing' }).waitFor();
      await table.getByRole('link', { name: 'Blog' }).waitFor();
      await watched.screenshot('spaces');

      await table.getByRole('link', { name: 'Marketing' }).click();
      await page.waitForURL(`**/app/spaces/${marketingId}/environments/master/content`);
      await page.getByRole('heading', { name: 'Content', level: 1 }).waitFor();
      const environments = page.locator('#environment-switcher');
      await expect
        .poll(() => environments.locator('option').allTextContents())
        .toEqual(['production → master (alias)', 'master (alias: production)', expect.stringMatching(/^staging/)]);
      await watched.screenshot('space-content');

      await environments.selectOption('staging');
      await page.waitForURL(`**/app/spaces/${marketingId}/environments/staging/content`);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Media' }).click();
      await page.waitForURL(`**/environments/staging/media`);
      await page.getByRole('heading', { name: 'Media', level: 1 }).waitFor();

      await environments.selectOption('production');
      await page.waitForURL(`**/environments/production/media`);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Environments' }).click();
      await page.waitForURL(`**/environments/production/settings/environments`);
      const envTable = page.getByRole('table', { name: 'Environments' });
      await envTable.getByRole('row', { name: /master.*production/ }).waitFor();
      await page.locator('input[name=environmentId]').fill('qa');
      await page.getByRole('button', { name: 'Create environment' }).click();
      await envTable.getByRole('row', { name: /^qa/ }).waitFor();
      await expect
        .poll(async () => (await server.plainClient().environment.get({ spaceId: marketingId, environmentId: 'qa' })).name)
        .toBe('qa');
      await watched.screenshot('environments');
      await page.getByRole('button', { name: 'Delete environment qa' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete environment' }).click();
      await envTable.getByRole('row', { name: /^qa/ }).waitFor({ state: 'detached' });
      const gone = await server.request('GET', `/spaces/${marketingId}/environments/qa`);
      expect(gone.status).toBe(404);

      await page.locator('#space-switcher').selectOption({ label: 'Blog' });
      await page.waitForURL(`**/app/spaces/${blogId}/environments/master/settings`);

      await page.getByRole('link', { name: 'Contentful (self-hosted)' }).click();
      await page.locator('input[name=spaceName]').fill('Made in the browser');
      await page.getByRole('button', { name: 'Create space' }).click();
      await page.waitForURL(/\/app\/spaces\/[0-9A-Za-z]{22}\/environments\/master\/content$/);
      const createdId = /spaces\/([0-9A-Za-z]{22})\//.exec(page.url())![1];
      expect((await server.plainClient().space.get({ spaceId: createdId })).name).toBe('Made in the browser');
      await expect.poll(() => page.locator('#space-switcher').locator('option:checked').textContent()).toBe('Made in the browser');
      await page.getByRole('link', { name: 'Contentful (self-hosted)' }).click();
      await page.getByRole('button', { name: 'Delete space Made in the browser' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete space' }).click();
      await page.getByRole('table', { name: 'Spaces' }).getByRole('link', { name: 'Made in the browser' }).waitFor({ state: 'detached' });
      expect((await server.request('GET', `/spaces/${createdId}`)).status).toBe(404);

      const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('contentful-selfhosted.session') ?? '{}').token as string);
      expect((await server.request('GET', '/users/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/app/sign-in');
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
      const refused = await server.request('GET', '/users/me', { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { sys: { id: string } }).sys.id).toBe('AccessTokenInvalid');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('at phone width: signs in with a personal access token, the navigation is reachable by keyboard, and sign-out only forgets the token', async () => {
    const watched = await openPage(browser, server.baseUrl, { width: 390, height: 844 });
    const { page } = watched;
    try {
      await page.goto('/app/sign-in');
      await page.locator('input[name=token]').fill(server.adminToken);
      await page.getByRole('button', { name: 'Sign in with token' }).click();
      await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
      await page.goto(`/app/spaces/${marketingId}/environments/master/content-model`);
      await page.getByRole('heading', { name: 'Content model', level: 1 }).waitFor();
      await watched.screenshot('phone-content-model');

      // The page fits the phone's width, and the sections are links in the tab order.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      const scheduled = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Scheduled' });
      await scheduled.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL('**/environments/master/scheduled');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/app/sign-in');
      expect((await server.request('GET', '/users/me')).status).toBe(200);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('shows what the CMA refuses: a member of the organization may not create a space', async () => {
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(watched, 'member@example.com');
      await page.locator('input[name=spaceName]').fill('Not allowed');
      await page.getByRole('button', { name: 'Create space' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('Only owners and admins of an organization can create spaces in it');
      await watched.screenshot('refused');
      // The refused request is the browser's own console line, and the only one.
      expect(watched.errors).toEqual(['console: Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    } finally {
      await watched.close();
    }
  });
});
