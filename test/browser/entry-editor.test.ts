import { createClient as createDeliveryClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { freePort, startTestServer, type TestServer } from '../helpers/server.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

let server: TestServer;
let browser: Browser;
let client: PlainClientAPI;
let spaceId: string;
let authorId: string;
let deliveryToken: string;
const environmentId = 'master';

async function signIn(page: Page, token: string) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

/** Saved at this version: the change typed last reached the server (a field editor sends it after a short pause). */
const savedAt = async (page: Page, version: number) => {
  await page.getByText(`Version ${version}`, { exact: true }).waitFor();
  await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
};
const field = (page: Page, label: string) => page.getByRole('region', { name: `Field ${label}` });

async function newArticle() {
  const entry = await client.entry.create({ spaceId, environmentId, contentTypeId: 'article' }, { fields: {} });
  return entry.sys.id;
}

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
  await client.spaceMembership.create(
    { spaceId },
    { admin: false, email, roles: [{ sys: { type: 'Link', linkType: 'Role', id: role.sys.id } }] },
  );
  return (await server.services.accessTokens.create(user.id, { name: 'browser', scopes: ['content_management_manage'] })).token as string;
}

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  const port = await freePort();
  server = await startTestServer({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Entry editor' })).sys.id;
  await client.locale.create({ spaceId, environmentId }, { name: 'German', code: 'de-DE', fallbackCode: 'en-US', optional: true });
  const author = await client.contentType.createWithId(
    { spaceId, environmentId, contentTypeId: 'author' },
    { name: 'Author', displayField: 'name', fields: [{ id: 'name', name: 'Name', type: 'Symbol', required: true, localized: false }] },
  );
  await client.contentType.publish({ spaceId, environmentId, contentTypeId: 'author' }, author);
  const article = await client.contentType.createWithId(
    { spaceId, environmentId, contentTypeId: 'article' },
    {
      name: 'Article',
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', required: true, localized: true },
        { id: 'body', name: 'Body', type: 'RichText', required: false, localized: false },
        {
          id: 'author',
          name: 'Author',
          type: 'Link',
          linkType: 'Entry',
          required: false,
          localized: false,
          validations: [{ linkContentType: ['author'] }],
        },
        { id: 'image', name: 'Image', type: 'Link', linkType: 'Asset', required: false, localized: false },
        { id: 'rating', name: 'Rating', type: 'Integer', required: false, localized: false },
        { id: 'keywords', name: 'Keywords', type: 'Array', items: { type: 'Symbol' }, required: false, localized: false },
        { id: 'featured', name: 'Featured', type: 'Boolean', required: false, localized: false },
      ],
    },
  );
  await client.contentType.publish({ spaceId, environmentId, contentTypeId: 'article' }, article);
  const ada = await client.entry.create(
    { spaceId, environmentId, contentTypeId: 'author' },
    { fields: { name: { 'en-US': 'Ada Lovelace' } } },
  );
  authorId = ada.sys.id;
  await client.entry.publish({ spaceId, environmentId, entryId: authorId }, ada);

  const key = await client.apiKey.create(
    { spaceId },
    { name: 'site', environments: [{ sys: { type: 'Link', linkType: 'Environment', id: environmentId } }] },
  );
  deliveryToken = key.accessToken;
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('entry editor in a browser', () => {
  it('writes an entry with the field editors (text, rich text, a reference, an image, a number, a list, a boolean), publishes it and the CDA serves it', async () => {
    const entryId = await newArticle();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, server.adminToken);
      // The image is uploaded in the media library, then linked from the entry.
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/media`);
      await page.getByRole('heading', { name: 'Media', level: 1 }).waitFor();
      const red = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#ff0000' } })
        .png()
        .toBuffer();
      await page.locator('input[aria-label="Files to upload"]').setInputFiles([{ name: 'red.png', mimeType: 'image/png', buffer: red }]);
      const upload = page.getByRole('region', { name: 'Uploads' }).getByRole('listitem', { name: 'Upload of red.png' });
      await expect.poll(() => upload.getByRole('status').textContent(), { timeout: 30_000 }).toContain('Ready');
      const [asset] = (await client.asset.getMany({ spaceId, environmentId, query: { order: '-sys.createdAt', limit: 1 } })).items;
      expect(asset.fields.file['en-US']).toMatchObject({
        fileName: 'red.png',
        contentType: 'image/png',
        details: { image: { width: 64, height: 48 } },
      });

      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${entryId}`);
      await page.getByRole('heading', { name: 'Untitled', level: 1 }).waitFor();
      await expect(page.getByLabel('Status: draft').textContent()).resolves.toBe('draft');

      await field(page, 'Title (en-US)').getByRole('textbox').fill('Hello from the browser');
      await page.getByRole('heading', { name: 'Hello from the browser', level: 1 }).waitFor();
      await savedAt(page, 2);

      const body = field(page, 'Body').locator('[contenteditable=true]');
      await body.click();
      await page.keyboard.type('Rich text typed in the editor.');
      await field(page, 'Rating').getByRole('spinbutton').fill('4');
      await field(page, 'Keywords').getByRole('textbox').fill('news');
      await page.keyboard.press('Enter');
      await field(page, 'Featured').getByLabel('Yes').check();

      await field(page, 'Author')
        .getByRole('button', { name: /Add existing content|Link existing/ })
        .click();
      await page.getByRole('button', { name: 'Pick Ada Lovelace' }).click();
      await field(page, 'Author').getByText('Ada Lovelace').waitFor();
      await field(page, 'Image')
        .getByRole('button', { name: /Add existing media|Link existing/ })
        .click();
      await page.getByRole('button', { name: 'Pick red' }).click();
      await field(page, 'Image').getByText('red', { exact: true }).waitFor();
      await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
      await watched.screenshot('entry-editor');

      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByLabel('Status: published').waitFor();

      const stored = await client.entry.get({ spaceId, environmentId, entryId });
      expect(stored.sys.publishedVersion).toBe(stored.sys.version - 1);
      const cda = createDeliveryClient({
        space: spaceId,
        environment: environmentId,
        accessToken: deliveryToken,
        host: server.host,
        basePath: '/cdn',
        insecure: true,
      });
      const delivered = await cda.getEntry(entryId, { include: 0 });
      const fields = delivered.fields as Record<string, unknown>;
      expect(fields.title).toBe('Hello from the browser');
      expect(fields.rating).toBe(4);
      expect(fields.keywords).toEqual(['news']);
      expect(fields.featured).toBe(true);
      expect((fields.author as { sys: { id: string } }).sys.id).toBe(authorId);
      expect((fields.image as { sys: { id: string } }).sys.id).toBe(asset.sys.id);
      const document = fields.body as { nodeType: string; content: { nodeType: string; content: { value: string }[] }[] };
      expect(document.nodeType).toBe('document');
      expect(document.content[0].nodeType).toBe('paragraph');
      expect(document.content[0].content[0].value).toBe('Rich text typed in the editor.');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('places the CMA validation errors on their fields and shows the references and versions', async () => {
    const entryId = await newArticle();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, server.adminToken);
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${entryId}`);
      await page.getByRole('heading', { name: 'Untitled', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      const errors = page.getByRole('alert', { name: 'Errors of Title (en-US)' });
      await errors.waitFor();
      await expect(errors.textContent()).resolves.toMatch(/required/i);
      await watched.screenshot('entry-editor-validation');

      await field(page, 'Title (en-US)').getByRole('textbox').fill('First title');
      await savedAt(page, 2);
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      await page.getByLabel('Status: published').waitFor();
      await field(page, 'Title (en-US)').getByRole('textbox').fill('Second title');
      await savedAt(page, 4);
      await page.getByLabel('Status: changed').waitFor();

      await page.getByRole('tab', { name: 'Versions' }).click();
      await page.getByRole('button', { name: 'Compare with current' }).first().click();
      const diff = page.getByRole('table', { name: 'Differences from the current draft' });
      await diff.getByRole('row', { name: /Title.*en-US.*First title.*Second title/ }).waitFor();
      await page.getByRole('button', { name: 'Restore this version' }).click();
      await page.getByRole('heading', { name: 'First title', level: 1 }).waitFor();
      const restored = await client.entry.get({ spaceId, environmentId, entryId });
      expect(restored.fields.title).toEqual({ 'en-US': 'First title' });
      expect(watched.errors.filter((e) => !e.includes('422'))).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('explains a version conflict from a second tab and reloads, never overwriting it', async () => {
    const entryId = await newArticle();
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, server.adminToken);
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${entryId}`);
      await page.getByRole('heading', { name: 'Untitled', level: 1 }).waitFor();
      // A second tab (its own session) edits the same entry first.
      const secondTab = await openPage(browser, server.baseUrl);
      try {
        await signIn(secondTab.page, server.adminToken);
        await secondTab.page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${entryId}`);
        await field(secondTab.page, 'Title (en-US)').getByRole('textbox').fill('Written in another tab');
        await savedAt(secondTab.page, 2);
        expect(secondTab.errors).toEqual([]);
      } finally {
        await secondTab.close();
      }

      await field(page, 'Title (en-US)').getByRole('textbox').fill('Written here');
      await page.getByRole('alert').filter({ hasText: 'This entry was changed elsewhere' }).waitFor();
      await watched.screenshot('entry-editor-conflict');
      expect((await client.entry.get({ spaceId, environmentId, entryId })).fields.title).toEqual({ 'en-US': 'Written in another tab' });

      await page.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('heading', { name: 'Written in another tab', level: 1 }).waitFor();
      expect(watched.errors.filter((e) => !e.includes('409'))).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('a translator edits only de-DE; an editor limited to authors cannot change or publish an article', async () => {
    const entryId = await newArticle();
    const draft = await client.entry.get({ spaceId, environmentId, entryId });
    await client.entry.update({ spaceId, environmentId, entryId }, { ...draft, fields: { title: { 'en-US': 'English title' } } });
    const translator = await memberWithRole('translator@example.com', [
      { effect: 'allow', actions: ['read'], constraint: { equals: [{ doc: 'sys.type' }, 'Entry'] } },
      {
        effect: 'allow',
        actions: ['update'],
        constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }, { paths: [{ doc: 'fields.%.de-DE' }] }] },
      },
    ]);
    const authorEditor = await memberWithRole('author-editor@example.com', [
      { effect: 'allow', actions: ['read'], constraint: { equals: [{ doc: 'sys.type' }, 'Entry'] } },
      {
        effect: 'allow',
        actions: 'all',
        constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }, { equals: [{ doc: 'sys.contentType.sys.id' }, 'author'] }] },
      },
    ]);

    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, translator);
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${entryId}`);
      await page.getByRole('heading', { name: 'English title', level: 1 }).waitFor();
      await page.getByRole('checkbox', { name: 'German (de-DE)' }).check();
      await expect(field(page, 'Title (en-US)').getByRole('textbox').isDisabled()).resolves.toBe(true);
      await expect(field(page, 'Title (de-DE)').getByRole('textbox').isDisabled()).resolves.toBe(false);
      await expect(page.getByRole('button', { name: 'Publish', exact: true }).count()).resolves.toBe(0);
      await field(page, 'Title (de-DE)').getByRole('textbox').fill('Deutscher Titel');
      await savedAt(page, 3);
      await watched.screenshot('entry-editor-translator');
      // Nor may a translator create or delete environments: the page does not offer it.
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/settings/environments`);
      await page.getByText('Your role may not create or delete environments.').waitFor();
      expect(await page.getByRole('form', { name: 'Create an environment' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Delete environment/ }).count()).toBe(0);
      expect((await client.entry.get({ spaceId, environmentId, entryId })).fields.title).toEqual({
        'en-US': 'English title',
        'de-DE': 'Deutscher Titel',
      });
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }

    const second = await openPage(browser, server.baseUrl);
    try {
      await signIn(second.page, authorEditor);
      await second.page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${entryId}`);
      await second.page.getByRole('heading', { name: 'English title', level: 1 }).waitFor();
      await expect(field(second.page, 'Title (en-US)').getByRole('textbox').isDisabled()).resolves.toBe(true);
      await expect(second.page.getByRole('button', { name: 'Publish', exact: true }).count()).resolves.toBe(0);
      await second.page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/content/${authorId}`);
      await second.page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
      await expect(field(second.page, 'Name').getByRole('textbox').isDisabled()).resolves.toBe(false);
      await expect(second.page.getByRole('button', { name: 'Unpublish' }).count()).resolves.toBe(1);
      expect(second.errors).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
