import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type WatchedPage } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

let server: TestServer;
let browser: Browser;
let spaceId: string;

async function signInWithToken(page: Page) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(server.adminToken);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

async function addField(page: Page, type: string, name: string, id?: string) {
  const form = page.getByRole('form', { name: 'Add a field' });
  await form.locator('select[name=newFieldType]').selectOption(type);
  await form.locator('input[name=newFieldName]').fill(name);
  if (id !== undefined) await form.locator('input[name=newFieldId]').fill(id);
  await form.getByRole('button', { name: 'Add field' }).click();
  await page.locator(`article[aria-label="Field ${name}"]`).waitFor();
}

const field = (page: Page, name: string) => page.locator(`article[aria-label="Field ${name}"]`);

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  server = await startTestServer();
  const client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Content model' })).sys.id;
  const person = await client.contentType.createWithId(
    { spaceId, environmentId: 'master', contentTypeId: 'person' },
    { name: 'Person', displayField: 'name', fields: [{ id: 'name', name: 'Name', type: 'Symbol', required: true, localized: false }] },
  );
  await client.contentType.publish({ spaceId, environmentId: 'master', contentTypeId: 'person' }, person);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('content model in a browser', () => {
  it('creates a content type with several field types, validations, a display field and a field order, saves and activates it', async () => {
    const watched: WatchedPage = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page);
      await page.goto(`/app/spaces/${spaceId}/environments/master/content-model`);
      await page.getByRole('heading', { name: 'Content model', level: 1 }).waitFor();
      const table = page.getByRole('table', { name: 'Content types' });
      await table.getByRole('row', { name: /Person.*person.*1.*published/ }).waitFor();

      await page.locator('input[name=contentTypeName]').fill('Blog post');
      expect(await page.locator('input[name=contentTypeId]').inputValue()).toBe('blogPost');
      await page.locator('textarea[name=contentTypeDescription]').fill('An article of the blog');
      await page.getByRole('button', { name: 'Create content type' }).click();
      await page.waitForURL('**/content-model/blogPost');
      await page.getByRole('heading', { name: 'Blog post', level: 1 }).waitFor();

      await addField(page, 'Symbol', 'Title');
      await addField(page, 'Text', 'Body');
      await addField(page, 'Integer', 'Rating');
      await addField(page, 'Link:Entry', 'Author');
      await addField(page, 'Array:Symbol', 'Tags');

      const title = field(page, 'Title');
      await title.getByLabel('Required').check();
      await title.getByLabel('Length: at most').fill('80');
      await title.getByLabel(/^Unique/).check();
      await field(page, 'Author').getByLabel('Allowed content types (ids)').fill('person');
      await field(page, 'Tags').getByLabel('Predefined values').fill('news, howto');
      await field(page, 'Tags').getByLabel('Number of items: at most').fill('5');
      await page.locator('select[name=displayField]').selectOption('title');

      // Rating moves above Body with the keyboard; the focus stays on the button that moved.
      const up = page.getByRole('button', { name: 'Move field Rating up' });
      await up.focus();
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('article[aria-label^="Field "]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))))
        .toEqual(['Field Title', 'Field Rating', 'Field Body', 'Field Author', 'Field Tags']);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move field Rating up');
      // Once it is first, its up button is disabled and the down button has the focus.
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move field Rating down');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('article[aria-label^="Field "]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))))
        .toEqual(['Field Title', 'Field Rating', 'Field Body', 'Field Author', 'Field Tags']);
      await watched.screenshot('content-type-editor');

      await page.getByRole('button', { name: 'Save and activate' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Activated');

      const saved = await server.plainClient().contentType.get({ spaceId, environmentId: 'master', contentTypeId: 'blogPost' });
      expect(saved.sys.publishedVersion).toBe(saved.sys.version - 1);
      expect(saved.name).toBe('Blog post');
      expect(saved.description).toBe('An article of the blog');
      expect(saved.displayField).toBe('title');
      const flags = { localized: false, disabled: false, omitted: false };
      expect(saved.fields).toEqual([
        { id: 'title', name: 'Title', type: 'Symbol', ...flags, required: true, validations: [{ size: { max: 80 } }, { unique: true }] },
        { id: 'rating', name: 'Rating', type: 'Integer', ...flags, required: false, validations: [] },
        { id: 'body', name: 'Body', type: 'Text', ...flags, required: false, validations: [] },
        {
          id: 'author',
          name: 'Author',
          type: 'Link',
          linkType: 'Entry',
          ...flags,
          required: false,
          validations: [{ linkContentType: ['person'] }],
        },
        {
          id: 'tags',
          name: 'Tags',
          type: 'Array',
          ...flags,
          required: false,
          validations: [{ size: { max: 5 } }],
          items: { type: 'Symbol', validations: [{ in: ['news', 'howto'] }] },
        },
      ]);

      await page.getByRole('link', { name: '← All content types' }).click();
      await table.getByRole('row', { name: /Blog post.*blogPost.*5.*published/ }).waitFor();
      await watched.screenshot('content-model');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it("sets fields' appearance (editor, help text, widget settings): saved to the editor interface on activation, then on its own, and a conflict explained", async () => {
    const client = server.plainClient();
    const ids = { spaceId, environmentId: 'master', contentTypeId: 'event' };
    await client.contentType.createWithId(ids, {
      name: 'Event',
      displayField: 'category',
      fields: [
        {
          id: 'category',
          name: 'Category',
          type: 'Symbol',
          localized: false,
          required: false,
          validations: [{ in: ['talk', 'workshop'] }],
        },
        { id: 'online', name: 'Online', type: 'Boolean', localized: false, required: false },
        { id: 'startsAt', name: 'Starts at', type: 'Date', localized: false, required: false },
        { id: 'stars', name: 'Stars', type: 'Integer', localized: false, required: false },
      ],
    });
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page);
      await page.goto(`/app/spaces/${spaceId}/environments/master/content-model/event`);
      await page.getByRole('heading', { name: 'Event', level: 1 }).waitFor();
      // Never activated: the editor interface does not exist yet, so the appearance waits for the activation.
      await field(page, 'Category').getByText('The appearance is saved when the content type is activated.').waitFor();
      expect(await field(page, 'Category').getByLabel('Editor', { exact: true }).inputValue()).toBe('dropdown');

      await field(page, 'Category').getByLabel('Help text', { exact: true }).fill('Pick one');
      const online = field(page, 'Online');
      await online.getByLabel('Label for yes (true)').fill('Online');
      await online.getByLabel('Label for no (false)').fill('On site');
      const startsAt = field(page, 'Starts at');
      await startsAt.getByLabel('Date format').selectOption('dateonly');
      await startsAt.getByLabel('Time format').waitFor({ state: 'detached' });
      // The widget of Stars chosen with the keyboard: Rating follows Number in its list.
      const stars = field(page, 'Stars');
      await stars.getByLabel('Editor', { exact: true }).focus();
      await page.keyboard.press('ArrowDown');
      await stars.getByLabel('Number of stars').fill('10');
      await watched.screenshot('content-type-appearance');

      await page.getByRole('button', { name: 'Save and activate' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Activated');
      const builtin = { widgetNamespace: 'builtin' };
      expect((await client.editorInterface.get(ids)).controls).toEqual([
        { fieldId: 'category', widgetId: 'dropdown', ...builtin, settings: { helpText: 'Pick one' } },
        { fieldId: 'online', widgetId: 'boolean', ...builtin, settings: { trueLabel: 'Online', falseLabel: 'On site' } },
        { fieldId: 'startsAt', widgetId: 'datePicker', ...builtin, settings: { format: 'dateonly' } },
        { fieldId: 'stars', widgetId: 'rating', ...builtin, settings: { stars: 10 } },
      ]);

      // Once activated, the appearance is saved alone: the content type keeps its version.
      const activated = await client.contentType.get(ids);
      expect(await page.getByText('The appearance is saved when the content type is activated.').count()).toBe(0);
      await field(page, 'Category').getByLabel('Editor', { exact: true }).selectOption('radio');
      await startsAt.getByLabel('Date format').selectOption('time');
      await startsAt.getByLabel('Time format').selectOption('12');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      const saved = await client.editorInterface.get(ids);
      expect(saved.controls?.slice(0, 3)).toEqual([
        { fieldId: 'category', widgetId: 'radio', ...builtin, settings: { helpText: 'Pick one' } },
        { fieldId: 'online', widgetId: 'boolean', ...builtin, settings: { trueLabel: 'Online', falseLabel: 'On site' } },
        { fieldId: 'startsAt', widgetId: 'datePicker', ...builtin, settings: { format: 'time', ampm: '12' } },
      ]);
      expect((await client.contentType.get(ids)).sys.version).toBe(activated.sys.version);
      expect(await page.getByText('Unsaved changes').count()).toBe(0);

      // Meanwhile, someone else saves the editor interface: saving over it is refused and explained, with a reload.
      await client.editorInterface.update(ids, saved);
      await field(page, 'Category').getByLabel('Help text', { exact: true }).fill('Pick a kind');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Someone else changed this content type');
      await page.getByRole('button', { name: 'Reload' }).click();
      await expect.poll(() => field(page, 'Category').getByLabel('Help text', { exact: true }).inputValue()).toBe('Pick one');
      expect((await client.editorInterface.get(ids)).controls?.[0].settings).toEqual({ helpText: 'Pick one' });

      // The entry editor edits with those widgets and shows the help text.
      const entry = await client.entry.create({ ...ids }, { fields: {} });
      await page.goto(`/app/spaces/${spaceId}/environments/master/content/${entry.sys.id}`);
      await page.getByText('Pick one').waitFor();
      await page.getByRole('radio', { name: 'workshop' }).waitFor();
      await page.getByRole('radio', { name: 'On site' }).waitFor();
      await watched.screenshot('entry-editor-with-appearance');
      expect(watched.errors).toEqual(['console: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    } finally {
      await watched.close();
    }
  });

  it('sets the remaining validations in their Contentful shapes, with custom messages, and places a refused one on its field', async () => {
    const client = server.plainClient();
    const ids = { spaceId, environmentId: 'master', contentTypeId: 'product' };
    const plain = { localized: false, required: false };
    await client.contentType.createWithId(ids, {
      name: 'Product',
      fields: [
        { id: 'sku', name: 'SKU', type: 'Symbol', ...plain },
        { id: 'price', name: 'Price', type: 'Number', ...plain },
        { id: 'releasedOn', name: 'Released on', type: 'Date', ...plain },
        { id: 'photo', name: 'Photo', type: 'Link', linkType: 'Asset', ...plain },
        { id: 'gallery', name: 'Gallery', type: 'Array', items: { type: 'Link', linkType: 'Asset' }, ...plain },
        { id: 'body', name: 'Body', type: 'RichText', ...plain },
      ],
    });
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page);
      await page.goto(`/app/spaces/${spaceId}/environments/master/content-model/product`);
      await page.getByRole('heading', { name: 'Product', level: 1 }).waitFor();

      const sku = field(page, 'SKU');
      await sku.getByLabel('Pattern (regular expression)', { exact: true }).fill('^[A-Z0-9-]+$');
      await sku.getByLabel('Prohibited pattern (regular expression)', { exact: true }).fill('test');
      await sku.getByLabel('Prohibited pattern flags', { exact: true }).fill('i');
      await sku.getByLabel('Error message for Prohibited pattern').fill('No test products');

      const price = field(page, 'Price');
      await price.getByLabel('Range: at least').fill('1');
      await price.getByLabel('Range: at most').fill('1000');
      await price.getByLabel('Error message for Range').fill('Between 1 and 1000');

      const releasedOn = field(page, 'Released on');
      await releasedOn.getByLabel('Date range: at least').fill('2020-01-01');
      await releasedOn.getByLabel('Date range: at most').fill('2030-12-31');

      const photo = field(page, 'Photo');
      await photo.getByLabel('Image', { exact: true }).check();
      await photo.getByLabel('Image width in pixels: at least').fill('100');
      await photo.getByLabel('Image width in pixels: at most').fill('4000');
      await photo.getByLabel('Image height in pixels: at most').fill('3000');

      const gallery = field(page, 'Gallery');
      await gallery.getByLabel('Image', { exact: true }).check();
      await gallery.getByLabel('Video', { exact: true }).check();
      await gallery.getByLabel('File size in bytes: at most').fill('5000000');

      // Rich text: the marks restricted with the keyboard, then some node types left out.
      const body = field(page, 'Body');
      await body.getByLabel('Allow only some marks').focus();
      await page.keyboard.press('Space');
      for (const mark of ['Code', 'Superscript', 'Subscript', 'Strikethrough']) await body.getByLabel(mark, { exact: true }).uncheck();
      await body.getByLabel('Error message for Marks').fill('Only bold, italic and underline');
      await body.getByLabel('Allow only some node types').check();
      for (const nodeType of ['Heading 4', 'Heading 5', 'Heading 6', 'Table', 'Inline entry', 'Link to an asset']) {
        await body.getByLabel(nodeType, { exact: true }).uncheck();
      }
      await body.getByText('Limits of embedded entries and assets').click();
      await body.getByLabel('Inline entries: allowed content types (ids)').waitFor({ state: 'detached' });
      await body.getByLabel('Block entries: allowed content types (ids)').fill('person');
      await body.getByLabel('Number of block entries: at most').fill('2');
      await watched.screenshot('content-type-validations');

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      const saved = await client.contentType.get(ids);
      expect(
        Object.fromEntries(saved.fields.map((f) => [f.id, f.items ? { own: f.validations, items: f.items.validations } : f.validations])),
      ).toEqual({
        sku: [{ regexp: { pattern: '^[A-Z0-9-]+$' } }, { prohibitRegexp: { pattern: 'test', flags: 'i' }, message: 'No test products' }],
        price: [{ range: { min: 1, max: 1000 }, message: 'Between 1 and 1000' }],
        releasedOn: [{ dateRange: { min: '2020-01-01', max: '2030-12-31' } }],
        photo: [{ linkMimetypeGroup: ['image'] }, { assetImageDimensions: { width: { min: 100, max: 4000 }, height: { max: 3000 } } }],
        gallery: { own: [], items: [{ linkMimetypeGroup: ['image', 'video'] }, { assetFileSize: { max: 5000000 } }] },
        body: [
          { enabledMarks: ['bold', 'italic', 'underline'], message: 'Only bold, italic and underline' },
          {
            enabledNodeTypes: [
              'heading-1',
              'heading-2',
              'heading-3',
              'ordered-list',
              'unordered-list',
              'hr',
              'blockquote',
              'embedded-entry-block',
              'embedded-asset-block',
              'hyperlink',
              'entry-hyperlink',
            ],
          },
          { nodes: { 'embedded-entry-block': [{ linkContentType: ['person'] }, { size: { max: 2 } }] } },
        ],
      });

      // Flags the CMA refuses: the problem is shown in the field and under the pattern it concerns.
      await sku.getByLabel('Pattern flags', { exact: true }).fill('x');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => sku.getByLabel('Problems of field SKU').textContent()).toContain('Invalid regular expression flags');
      await sku.getByText('Invalid regular expression flags', { exact: true }).waitFor();
      expect(await price.getByRole('alert').count()).toBe(0);
      await watched.screenshot('content-type-validation-refused');
      await sku.getByLabel('Pattern flags', { exact: true }).fill('');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
      expect((await client.contentType.get(ids)).fields[0].validations?.[0]).toEqual({ regexp: { pattern: '^[A-Z0-9-]+$' } });

      // The rich text validations fit a phone's width.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await watched.screenshot('phone-content-type-validations');

      expect(watched.errors).toEqual([
        'console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
      ]);
    } finally {
      await watched.close();
    }
  });

  it('shows the content model read-only to a user whose role may only read it (the CMA refuses changes all the same)', async () => {
    const client = server.plainClient();
    const role = await client.role.create({ spaceId }, {
      name: 'Reader',
      permissions: { ContentModel: ['read'] },
      policies: [{ effect: 'allow', actions: ['read'] }],
    } as never);
    const reader = await server.services.users.create({ email: 'reader@example.com' });
    await server.services.organizations.addMember(server.organizationId, reader.id, 'member');
    const token = (await server.services.accessTokens.create(reader.id, { name: 'reader', scopes: ['content_management_manage'] })).token!;
    await client.spaceMembership.create({ spaceId }, {
      admin: false,
      roles: [{ sys: { type: 'Link', linkType: 'Role', id: role.sys.id } }],
      email: 'reader@example.com',
    } as never);
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await page.goto('/app/sign-in');
      await page.locator('input[name=token]').fill(token);
      await page.getByRole('button', { name: 'Sign in with token' }).click();
      await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
      // The list does not offer to create a content type to a role that may not manage the content model.
      await page.goto(`/app/spaces/${spaceId}/environments/master/content-model`);
      await page
        .getByRole('table', { name: 'Content types' })
        .getByRole('row', { name: /Person/ })
        .waitFor();
      expect(await page.getByRole('form', { name: 'Create a content type' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Person' }).click();
      await page.getByRole('heading', { name: 'Person', level: 1 }).waitFor();
      // The content type is shown read-only: nothing to save, no field to add, every control disabled.
      await page.getByText('Your role may read the content model but not change it.').waitFor();
      expect(await page.locator('input[name=name]').isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Save', exact: true }).isVisible()).toBe(false);
      expect(await page.getByRole('form', { name: 'Add a field' }).count()).toBe(0);
      // And the CMA refuses the change all the same.
      const readerClient = server.plainClient(token);
      const person = await readerClient.contentType.get({ spaceId, environmentId: 'master', contentTypeId: 'person' });
      await expect(
        readerClient.contentType.update({ spaceId, environmentId: 'master', contentTypeId: 'person' }, { ...person, name: 'Human' }),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      expect((await client.contentType.get({ spaceId, environmentId: 'master', contentTypeId: 'person' })).name).toBe('Person');
      await watched.screenshot('content-type-forbidden');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('explains a version conflict with a reload, and shows what the CMA refuses next to its field', async () => {
    const client = server.plainClient();
    const ids = { spaceId, environmentId: 'master', contentTypeId: 'page' };
    await client.contentType.createWithId(ids, {
      name: 'Page',
      fields: [{ id: 'slug', name: 'Slug', type: 'Symbol', localized: false, required: false }],
    });
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page);
      await page.goto(`/app/spaces/${spaceId}/environments/master/content-model/page`);
      await page.getByRole('heading', { name: 'Page', level: 1 }).waitFor();
      await page.locator('input[name=name]').fill('Landing page');

      // Meanwhile, someone else (a second tab) changes the content type.
      const current = await client.contentType.get(ids);
      await client.contentType.update(ids, { ...current, name: 'Page (changed elsewhere)' });

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Someone else changed this content type');
      await watched.screenshot('content-type-conflict');
      expect((await client.contentType.get(ids)).name).toBe('Page (changed elsewhere)');
      await page.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('heading', { name: 'Page (changed elsewhere)', level: 1 }).waitFor();
      expect(await page.locator('input[name=name]').inputValue()).toBe('Page (changed elsewhere)');

      // An invalid field id: the 422's path places the problem on that field.
      await addField(page, 'Symbol', 'Bad field', '1 bad id');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const problems = field(page, 'Bad field').getByLabel('Problems of field Bad field');
      await expect.poll(() => problems.textContent()).toContain('Field ids start with a letter');
      expect(await field(page, 'Slug').getByRole('alert').count()).toBe(0);
      await watched.screenshot('content-type-refused');

      // Fixing the id saves it.
      await field(page, 'Bad field').getByLabel('Field ID').fill('goodId');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved');
      expect((await client.contentType.get(ids)).fields.map((f) => f.id)).toEqual(['slug', 'goodId']);
      // A field the active version never had is simply left out.
      await page.getByRole('button', { name: 'Delete field Bad field' }).click();
      await field(page, 'Bad field').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(async () => (await client.contentType.get(ids)).fields.map((f) => f.id)).toEqual(['slug']);

      // The editor fits a phone's width.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await watched.screenshot('phone-content-type-editor');

      expect(watched.errors).toEqual([
        'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
        'console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
      ]);
    } finally {
      await watched.close();
    }
  });
});
