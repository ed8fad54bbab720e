import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { organizationUser } from '../helpers/users.js';
import { waitFor } from '../helpers/wait.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

let server: TestServer;
let browser: Browser;
let spaceId: string;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

const env = () => ({ spaceId, environmentId: 'master' });
const settingsUrl = (path = '') => `/app/spaces/${spaceId}/environments/master/settings${path}`;
const failed = (status: string) => `console: Failed to load resource: the server responded with a status of ${status}`;

async function signIn(page: Page, token = server.adminToken) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

async function sdkStatus(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    return JSON.parse((err as Error).message).status;
  }
}

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  receiver = await startWebhookReceiver();
  // The receiver listens on 127.0.0.1: this server may call private networks; its worker polls often.
  server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_TIMEOUT_MS: '2000' });
  const client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Settings' })).sys.id;
  const post = await client.contentType.createWithId(
    { ...env(), contentTypeId: 'post' },
    {
      name: 'Post',
      displayField: 'title',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol', required: false, localized: false }],
    },
  );
  await client.contentType.publish({ ...env(), contentTypeId: 'post' }, post);
  const entry = await client.entry.createWithId(
    { ...env(), entryId: 'hello', contentTypeId: 'post' },
    {
      fields: { title: { 'en-US': 'Hello' } },
    },
  );
  await client.entry.publish({ ...env(), entryId: 'hello' }, entry);
  await client.environment.createWithId({ spaceId, environmentId: 'staging' }, { name: 'Staging' });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await receiver?.close();
});

describe('settings in a browser', () => {
  it('lists every settings section, and creates, edits and deletes a locale with a fallback (a 422 and a 409 explained)', async () => {
    const client = server.plainClient();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(settingsUrl());
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      const sections = page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link');
      await sections.first().waitFor();
      expect(await sections.allTextContents()).toEqual([
        'Environments',
        'Locales',
        'Tags',
        'API keys',
        'Webhooks',
        'Roles and permissions',
        'Users',
        'Teams',
      ]);
      await watched.screenshot('settings');

      await page.getByRole('link', { name: 'Locales' }).click();
      const table = page.getByRole('table', { name: 'Locales' });
      await table.getByRole('row', { name: /English \(United States\) Default.*en-US.*None/ }).waitFor();

      // A code the CMA does not take: its 422 is shown next to the code.
      await page.getByRole('button', { name: 'Add locale' }).click();
      await page.getByRole('heading', { name: 'New locale', level: 1 }).waitFor();
      await page.getByLabel('Code').fill('not a code');
      await page.getByLabel('Name').fill('Nonsense');
      await page.getByRole('button', { name: 'Create locale' }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('The locale was not saved');
      await expect.poll(() => page.getByText('must be a locale code such as en-US').count()).toBe(1);
      await watched.screenshot('locale-refused');

      // German, named from its code, falling back to English, optional.
      await page.getByRole('link', { name: '← All locales' }).click();
      await page.getByRole('button', { name: 'Add locale' }).click();
      await page.getByRole('heading', { name: 'New locale', level: 1 }).waitFor();
      await page.getByLabel('Code').fill('de-DE');
      expect(await page.getByLabel('Name').inputValue()).toBe('German (Germany)');
      await page.getByLabel('Fallback locale').selectOption('en-US');
      await page.getByLabel('Allow empty fields for this locale').check();
      await watched.screenshot('locale-new');
      await page.getByRole('button', { name: 'Create locale' }).click();
      await page.waitForURL('**/settings/locales');
      await table.getByRole('row', { name: /German \(Germany\).*de-DE.*en-US.*Delivery API: yes.*Editing: yes.*Optional: yes/ }).waitFor();
      await watched.screenshot('locales');
      const german = (await client.locale.getMany({ ...env(), query: {} })).items.find((l) => l.code === 'de-DE');
      expect(german).toMatchObject({
        name: 'German (Germany)',
        code: 'de-DE',
        fallbackCode: 'en-US',
        optional: true,
        default: false,
        contentDeliveryApi: true,
        contentManagementApi: true,
      });

      // Edit: the name and the delivery flag.
      await table.getByRole('link', { name: 'German (Germany)' }).click();
      await page.getByRole('heading', { name: 'German (Germany)', level: 1 }).waitFor();
      await page.getByLabel('Name').fill('German');
      await page.getByLabel('Enable this locale in response').uncheck();
      await page.getByRole('button', { name: 'Save locale' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      const edited = await client.locale.get({ ...env(), localeId: german!.sys.id });
      expect({ name: edited.name, contentDeliveryApi: edited.contentDeliveryApi, fallbackCode: edited.fallbackCode }).toEqual({
        name: 'German',
        contentDeliveryApi: false,
        fallbackCode: 'en-US',
      });
      await watched.screenshot('locale-editor');

      // Someone else changes it meanwhile: the save is refused with a reload, never an overwrite.
      await client.locale.update({ ...env(), localeId: edited.sys.id }, { ...edited, name: 'Deutsch' });
      await page.getByLabel('Name').fill('Deutsch (Deutschland)');
      await page.getByRole('button', { name: 'Save locale' }).click();
      await page.getByText('Someone else changed this locale').waitFor();
      expect((await client.locale.get({ ...env(), localeId: edited.sys.id })).name).toBe('Deutsch');
      await page.getByRole('button', { name: 'Reload' }).click();
      await expect.poll(() => page.getByLabel('Name').inputValue()).toBe('Deutsch');
      expect(await page.getByText('Someone else changed this locale').count()).toBe(0);

      await page.getByRole('button', { name: 'Delete locale' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete locale' }).click();
      await page.waitForURL('**/settings/locales');
      await table.getByRole('row', { name: /en-US/ }).waitFor();
      expect(await table.getByRole('row', { name: /de-DE/ }).count()).toBe(0);
      expect(await sdkStatus(client.locale.get({ ...env(), localeId: edited.sys.id }))).toBe(404);

      // The default locale cannot be deleted: not offered.
      await table.getByRole('link', { name: 'English (United States)' }).click();
      await page.getByText('The default locale cannot be deleted.').waitFor();
      expect(await page.getByRole('button', { name: 'Delete locale' }).count()).toBe(0);

      expect(watched.errors).toEqual([failed('422 (Unprocessable Entity)'), failed('409 (Conflict)')]);
    } finally {
      await watched.close();
    }
  });

  it('creates a public tag, renames it, and deletes it at the version shown (a stale one explained)', async () => {
    const client = server.plainClient();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(settingsUrl('/tags'));
      await page.getByRole('heading', { name: 'Tags', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: 'Create a tag' });
      await form.getByLabel('Name').fill('Spring campaign');
      expect(await form.getByLabel('Tag ID').inputValue()).toBe('springCampaign');
      await form.getByLabel('Public').check();
      await form.getByRole('button', { name: 'Create tag' }).click();
      const table = page.getByRole('table', { name: 'Tags' });
      await table.getByRole('row', { name: /Spring campaign.*springCampaign.*public/ }).waitFor();
      const created = await client.tag.get({ ...env(), tagId: 'springCampaign' });
      expect({ name: created.name, visibility: created.sys.visibility }).toEqual({ name: 'Spring campaign', visibility: 'public' });

      // The same id again: explained on the id.
      await form.getByLabel('Name').fill('Another spring');
      await form.getByLabel('Tag ID').fill('springCampaign');
      await form.getByRole('button', { name: 'Create tag' }).click();
      await form.getByText('A tag with this ID already exists.').waitFor();

      await page.getByRole('button', { name: 'Rename tag Spring campaign' }).click();
      const rename = page.getByRole('form', { name: 'Rename tag Spring campaign' });
      await rename.getByLabel('New name').fill('Summer campaign');
      await rename.getByRole('button', { name: 'Save name' }).click();
      await table.getByRole('row', { name: /Summer campaign.*springCampaign.*public/ }).waitFor();
      expect((await client.tag.get({ ...env(), tagId: 'springCampaign' })).name).toBe('Summer campaign');
      await watched.screenshot('tags');

      // Renamed elsewhere: the delete at the version shown is refused, and a reload shows the new name.
      const current = await client.tag.get({ ...env(), tagId: 'springCampaign' });
      await client.tag.update({ ...env(), tagId: 'springCampaign' }, { ...current, name: 'Autumn campaign' });
      await page.getByRole('button', { name: 'Delete tag Summer campaign' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete tag' }).click();
      await page.getByText('Someone else changed this tag').waitFor();
      await page.getByRole('button', { name: 'Reload' }).click();
      await table.getByRole('row', { name: /Autumn campaign/ }).waitFor();
      expect(await page.getByText('Someone else changed this tag').count()).toBe(0);

      await page.getByRole('button', { name: 'Delete tag Autumn campaign' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete tag' }).click();
      await page.getByText('No tags yet.').waitFor();
      expect(await sdkStatus(client.tag.get({ ...env(), tagId: 'springCampaign' }))).toBe(404);

      expect(watched.errors).toEqual([failed('409 (Conflict)'), failed('409 (Conflict)')]);
    } finally {
      await watched.close();
    }
  });

  it('creates an API key whose tokens, copied from the page, read the CDA and the CPA; edits its environments and deletes it', async () => {
    const client = server.plainClient();
    const watched = await openPage(browser, server.baseUrl);
    const { page, context } = watched;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    try {
      await signIn(page);
      await page.goto(settingsUrl('/api-keys'));
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Add API key' }).click();
      await page.getByRole('heading', { name: 'New API key', level: 1 }).waitFor();
      await page.getByLabel('Name').fill('Website');
      await page.getByLabel('Description').fill('The public site');
      expect(await page.getByLabel('master', { exact: true }).isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Create API key' }).click();
      await page.getByRole('heading', { name: 'Website', level: 1 }).waitFor();
      const keyId = /api-keys\/([^/?]+)$/.exec(page.url())![1];

      const deliveryToken = await page.getByRole('textbox', { name: 'Content Delivery API access token' }).inputValue();
      const previewToken = await page.getByRole('textbox', { name: 'Content Preview API access token' }).inputValue();
      expect(await page.getByRole('textbox', { name: 'Space ID' }).inputValue()).toBe(spaceId);
      const key = await client.apiKey.get({ spaceId, apiKeyId: keyId });
      expect({ name: key.name, description: key.description, accessToken: key.accessToken }).toEqual({
        name: 'Website',
        description: 'The public site',
        accessToken: deliveryToken,
      });
      expect(key.environments.map((e) => e.sys.id)).toEqual(['master']);
      const preview = await client.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key.sys.id });
      expect(preview.accessToken).toBe(previewToken);

      await page.getByRole('button', { name: 'Copy Content Delivery API access token' }).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(deliveryToken);
      await page.getByRole('button', { name: 'Copy Content Preview API access token' }).click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(previewToken);
      await watched.screenshot('api-key');

      const read = (path: string, token: string) =>
        fetch(`${server.baseUrl}${path}/spaces/${spaceId}/environments/master/entries`, { headers: { Authorization: `Bearer ${token}` } });
      const delivered = await read('/cdn', deliveryToken);
      expect(delivered.status).toBe(200);
      expect(((await delivered.json()) as { items: { sys: { id: string } }[] }).items.map((e) => e.sys.id)).toEqual(['hello']);
      expect((await read('/preview', previewToken)).status).toBe(200);

      await page.getByLabel('staging', { exact: true }).check();
      await page.getByRole('button', { name: 'Save API key' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      expect((await client.apiKey.get({ spaceId, apiKeyId: keyId })).environments.map((e) => e.sys.id)).toEqual(['master', 'staging']);

      await page.getByRole('link', { name: '← All API keys' }).click();
      await page
        .getByRole('table', { name: 'API keys' })
        .getByRole('row', { name: /Website.*The public site.*master, staging/ })
        .waitFor();
      await watched.screenshot('api-keys');
      await page.getByRole('link', { name: 'Website' }).click();
      await page.getByRole('button', { name: 'Delete API key' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete API key' }).click();
      await page.getByText('No API keys yet.').waitFor();
      expect((await read('/cdn', deliveryToken)).status).toBe(401);

      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('creates a webhook with the topic grid, headers and basic auth; its call shows in the call log and its health', async () => {
    const client = server.plainClient();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(settingsUrl('/webhooks'));
      await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await page.getByRole('heading', { name: 'New webhook', level: 1 }).waitFor();
      await page.getByLabel(/^Name/).fill('Notify receiver');
      await page.getByLabel('URL').fill(`${receiver.url}hooks`);
      await page.getByLabel('Select specific triggering events').check();
      const grid = page.getByRole('table', { name: 'Triggering events' });
      await grid.getByLabel('Entry: Create (Entry.create)').check();
      await grid.getByLabel('Asset: all actions (Asset.*)').check();
      // A row's wildcard covers its cells.
      expect(await grid.getByLabel('Asset: Publish (Asset.publish)').isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Add custom header' }).click();
      await page.getByLabel('Header 1: name').fill('X-Notify');
      await page.getByLabel('Header 1: value').fill('subscribers');
      await page.getByRole('button', { name: 'Add secret header' }).click();
      await page.getByLabel('Secret header 2: name').fill('X-Secret');
      await page.getByLabel('Secret header 2: value').fill('top-secret');
      await page.getByLabel('User').fill('hook');
      await page.getByLabel('Password').fill('pass-secret');
      await watched.screenshot('webhook-new');
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await page.getByRole('heading', { name: 'Notify receiver', level: 1 }).waitFor();
      const webhookId = /webhooks\/([^/?]+)$/.exec(page.url())![1];

      const saved = await client.webhook.get({ spaceId, webhookDefinitionId: webhookId });
      expect(saved).toMatchObject({
        name: 'Notify receiver',
        url: `${receiver.url}hooks`,
        topics: ['Entry.create', 'Asset.*'],
        headers: [
          { key: 'X-Notify', value: 'subscribers' },
          { key: 'X-Secret', secret: true },
        ],
        httpBasicUsername: 'hook',
        active: true,
      });

      // An entry created through the SDK calls the receiver with the headers and the basic auth.
      await client.entry.create({ ...env(), contentTypeId: 'post' }, { fields: { title: { 'en-US': 'Webhook me' } } });
      const received = await waitFor('the webhook call', () => receiver.calls.find((c) => c.path === '/hooks'));
      expect(received.topic).toBe('ContentManagement.Entry.create');
      expect(received.headers['x-notify']).toBe('subscribers');
      expect(received.headers['x-secret']).toBe('top-secret');
      expect(received.headers.authorization).toBe(`Basic ${Buffer.from('hook:pass-secret').toString('base64')}`);
      await waitFor('the call in the log', async () => {
        const log = await client.webhook.getManyCallDetails({ spaceId, webhookDefinitionId: webhookId });
        return log.items.some((c) => (c as unknown as { statusCode: number }).statusCode === 200);
      });

      const calls = page.getByRole('table', { name: 'Webhook calls' });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await calls.getByRole('row', { name: /ContentManagement\.Entry\.create.*200/ }).waitFor();
      await calls.getByRole('link', { name: /Details of the ContentManagement\.Entry\.create call/ }).click();
      const details = page.getByRole('region', { name: 'Call details' });
      await details.getByText('Status code 200').waitFor();
      const detailsText = (await details.textContent()) ?? '';
      expect(detailsText).toContain(`POST ${receiver.url}hooks`);
      expect(detailsText).toContain('X-Notify: subscribers');
      expect(detailsText).toContain('Webhook me');
      expect(detailsText).not.toContain('top-secret');
      await watched.screenshot('webhook-call-log');

      // Deactivated: the secret header and the password are kept without being typed again.
      await page.getByLabel('Active (calls are made)').uncheck();
      await page.getByRole('button', { name: 'Save webhook' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      const deactivated = await client.webhook.get({ spaceId, webhookDefinitionId: webhookId });
      expect({ active: deactivated.active, headers: deactivated.headers, user: deactivated.httpBasicUsername }).toEqual({
        active: false,
        headers: [
          { key: 'X-Notify', value: 'subscribers' },
          { key: 'X-Secret', secret: true },
        ],
        user: 'hook',
      });

      await page.getByRole('link', { name: '← All webhooks' }).click();
      const list = page.getByRole('table', { name: 'Webhooks' });
      await list.getByRole('row', { name: /Notify receiver.*100%.*1 of 1 calls succeeded.*Disabled/ }).waitFor();
      await watched.screenshot('webhooks');

      // At a phone's width the page fits; the topic grid scrolls on its own.
      await list.getByRole('link', { name: 'Notify receiver' }).click();
      await page.getByRole('heading', { name: 'Notify receiver', level: 1 }).waitFor();
      await page.setViewportSize({ width: 390, height: 844 });
      await watched.screenshot('phone-webhook');
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await watched.screenshot('phone-webhook');
      await page.setViewportSize({ width: 1280, height: 800 });

      await page.getByRole('button', { name: 'Delete webhook' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete webhook' }).click();
      await page.getByText('No webhooks yet.').waitFor();
      expect(await sdkStatus(client.webhook.get({ spaceId, webhookDefinitionId: webhookId }))).toBe(404);

      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('offers a role without settings permissions only what it may read', async () => {
    const client = server.plainClient();
    const role = await client.role.create({ spaceId }, {
      name: 'Settings reader',
      permissions: { ContentModel: ['read'] },
      policies: [{ effect: 'allow', actions: ['read'] }],
    } as never);
    const author = await organizationUser(server, 'author@example.com', { spaceId, roleId: role.sys.id });
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, author.token);
      await page.goto(settingsUrl());
      const sections = page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link');
      await sections.first().waitFor();
      expect(await sections.allTextContents()).toEqual(['Environments', 'Locales', 'Tags', 'Roles and permissions', 'Users', 'Teams']);

      await page.getByRole('link', { name: 'Locales' }).click();
      await page.getByRole('table', { name: 'Locales' }).getByRole('row', { name: /en-US/ }).waitFor();
      await page.getByText('Your role may read the locales but not change them.').waitFor();
      expect(await page.getByRole('button', { name: 'Add locale' }).count()).toBe(0);

      await page.goto(settingsUrl('/tags'));
      await page.getByText('Your role may read the tags but not change them.').waitFor();
      expect(await page.getByRole('form', { name: 'Create a tag' }).count()).toBe(0);

      await page.goto(settingsUrl('/webhooks'));
      await page.getByText('Your role does not allow you to see or change the webhooks of this space.').waitFor();
      await watched.screenshot('settings-read-only');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
