import type { PlainClientAPI } from 'contentful-management';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, type WatchedPage } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

let server: TestServer;
let browser: Browser;
let spaceId: string;
let editorToken: string;
/** Entry ids by title. */
const entryIds = new Map<string, string>();

const env = () => ({ spaceId, environmentId: 'master' });
const tagLinks = (...ids: string[]) => ({ tags: ids.map((id) => ({ sys: { type: 'Link', linkType: 'Tag', id } })) });
const articleTitle = (n: number) => `Article ${String(n).padStart(2, '0')}`;
/** Article n's title for n in from..to. */
const articles = (from: number, to: number) =>
  Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => articleTitle(from <= to ? from + i : from - i));

async function createEntry(client: PlainClientAPI, contentTypeId: string, fields: Record<string, unknown>, tags: string[] = []) {
  const localized = Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { 'en-US': value }]));
  return client.entry.create({ ...env(), contentTypeId }, { fields: localized, metadata: tagLinks(...tags) } as never);
}

/**
 * 26 articles (01-10 and Product 1 published, 03 changed since, 26 archived; news on 01-05, featured on 01
 * and two products; 07's body and one product's name say "zebra"), 4 products (one without a name, one
 * written by an editor who may only create and edit products).
 */
async function seed(client: PlainClientAPI) {
  const article = await client.contentType.createWithId(
    { ...env(), contentTypeId: 'article' },
    {
      name: 'Article',
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', required: false, localized: false },
        { id: 'body', name: 'Body', type: 'Text', required: false, localized: false },
      ],
    },
  );
  await client.contentType.publish({ ...env(), contentTypeId: 'article' }, article);
  const product = await client.contentType.createWithId(
    { ...env(), contentTypeId: 'product' },
    {
      name: 'Product',
      displayField: 'name',
      fields: [
        { id: 'name', name: 'Name', type: 'Symbol', required: false, localized: false },
        { id: 'price', name: 'Price', type: 'Integer', required: false, localized: false },
      ],
    },
  );
  await client.contentType.publish({ ...env(), contentTypeId: 'product' }, product);
  await client.tag.createWithId({ ...env(), tagId: 'news' }, { name: 'News', sys: { visibility: 'private' } } as never);
  await client.tag.createWithId({ ...env(), tagId: 'featured' }, { name: 'Featured', sys: { visibility: 'private' } } as never);

  for (let n = 1; n <= 26; n++) {
    const body = n === 7 ? 'An odd story about a zebra' : `An ${n % 2 ? 'odd' : 'even'} story`;
    const tags = [...(n <= 5 ? ['news'] : []), ...(n === 1 ? ['featured'] : [])];
    let entry = await createEntry(client, 'article', { title: articleTitle(n), body }, tags);
    entryIds.set(articleTitle(n), entry.sys.id);
    const ids = { ...env(), entryId: entry.sys.id };
    if (n <= 10) entry = await client.entry.publish(ids, entry);
    if (n === 3) await client.entry.update(ids, { ...entry, fields: { ...entry.fields, body: { 'en-US': 'Changed since' } } });
    if (n === 26) await client.entry.archive(ids);
  }
  const first = await createEntry(client, 'product', { name: 'Product 1', price: 10 }, ['featured']);
  await client.entry.publish({ ...env(), entryId: first.sys.id }, first);
  await createEntry(client, 'product', { name: 'Zebra lamp', price: 20 }, ['featured']);
  await createEntry(client, 'product', { price: 30 });
  await createEntry(server.plainClient(editorToken), 'product', { name: 'Product 3', price: 40 });
}

/** An editor who may read everything and create and edit products only. */
async function productEditor(client: PlainClientAPI) {
  const role = await client.role.create({ spaceId }, {
    name: 'Product editor',
    permissions: {},
    policies: [
      { effect: 'allow', actions: ['read'] },
      {
        effect: 'allow',
        actions: ['create', 'update'],
        constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }, { equals: [{ doc: 'sys.contentType.sys.id' }, 'product'] }] },
      },
    ],
  } as never);
  const editor = await server.services.users.create({ email: 'eddie@example.com', firstName: 'Eddie', lastName: 'Editor' });
  await server.services.organizations.addMember(server.organizationId, editor.id, 'member');
  await client.spaceMembership.create({ spaceId }, {
    admin: false,
    roles: [{ sys: { type: 'Link', linkType: 'Role', id: role.sys.id } }],
    email: 'eddie@example.com',
  } as never);
  return (await server.services.accessTokens.create(editor.id, { name: 'eddie', scopes: ['content_management_manage'] })).token!;
}

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  server = await startTestServer();
  const client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Entry list' })).sys.id;
  editorToken = await productEditor(client);
  await seed(client);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signInWithToken(page: Page, token: string) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

const listUrl = () => `/app/spaces/${spaceId}/environments/master/content`;
const entriesTable = (page: Page) => page.getByRole('table', { name: 'Entries' });
/** The titles of the rows shown, in order. */
const titles = (page: Page) => entriesTable(page).locator('tbody tr td:first-child').allTextContents();
const rangeText = (page: Page) => page.getByText(/^\d+ - \d+ of \d+ entries$/).textContent();

/** Submits the search box with `text` and waits for the URL to carry it. */
async function search(page: Page, text: string) {
  await page.getByRole('searchbox', { name: 'Search' }).fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('search') === (text.trim() || null));
}

describe('entry list in a browser', () => {
  it('shows statuses and authors, searches by text and filters, orders, pages and keeps it all in the URL', async () => {
    const watched: WatchedPage = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page, server.adminToken);
      await page.goto(listUrl());
      await page.getByRole('heading', { name: 'Content', level: 1 }).waitFor();
      await expect.poll(() => rangeText(page)).toBe('1 - 25 of 30 entries');
      // Newest first: the last entry written is the editor's product.
      const table = entriesTable(page);
      await table.getByRole('row', { name: /^Product 3 Product .* Eddie Editor draft$/i }).waitFor();
      await table.getByRole('row', { name: /^Untitled Product .* Admin draft$/i }).waitFor();
      await table.getByRole('row', { name: /^Article 26 Article .* Admin archived$/i }).waitFor();
      await table.getByRole('row', { name: /^Article 10 Article .* Admin published$/i }).waitFor();
      await table.getByRole('row', { name: /^Article 12 Article .* Admin draft$/i }).waitFor();
      await watched.screenshot('entry-list');

      // Full text, across content types.
      await search(page, 'zebra');
      await expect.poll(() => titles(page)).toEqual(['Zebra lamp', 'Article 07']);
      await expect.poll(() => rangeText(page)).toBe('1 - 2 of 2 entries');

      // A [match] filter on a field, with its content type; then ordered by title both ways.
      await page.getByLabel('Content type', { exact: true }).selectOption('article');
      await search(page, 'fields.body[match]=even');
      await expect.poll(() => rangeText(page)).toBe('1 - 13 of 13 entries');
      await table.getByRole('button', { name: /Title/ }).click();
      await expect.poll(() => titles(page)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26].map(articleTitle));
      await table.getByRole('button', { name: /Title/ }).click();
      await expect.poll(() => titles(page)).toEqual([26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2].map(articleTitle));
      expect(new URL(page.url()).searchParams.get('order')).toBe('-fields.title');
      // An equality on a quoted value and an id list.
      await search(page, 'fields.title="Article 05"');
      await expect.poll(() => titles(page)).toEqual(['Article 05']);
      await search(page, `sys.id[in]=${entryIds.get('Article 05')},${entryIds.get('Article 06')}`);
      await expect.poll(() => titles(page)).toEqual(['Article 06', 'Article 05']);

      // Status filters (published includes changed entries: the CMA cannot tell them apart in a search).
      await search(page, '');
      await page.getByLabel('Status', { exact: true }).selectOption('published');
      await expect.poll(() => titles(page)).toEqual(articles(10, 1));
      await expect.poll(() => table.getByRole('row', { name: /Article 03 .* changed$/i }).count()).toBe(1);
      await page.getByLabel('Status', { exact: true }).selectOption('archived');
      await expect.poll(() => titles(page)).toEqual(['Article 26']);
      await page.getByLabel('Status', { exact: true }).selectOption('draft');
      await expect.poll(() => titles(page)).toEqual(articles(25, 11));
      await page.getByLabel('Content type', { exact: true }).selectOption('');
      await expect.poll(() => rangeText(page)).toBe('1 - 18 of 18 entries');
      await page.getByLabel('Status', { exact: true }).selectOption('');

      // Tags: any of those chosen.
      await page.getByRole('button', { name: 'Tags: any' }).click();
      // The URL changes first, then the checkbox follows it: click, then wait for the entries.
      await page.getByRole('checkbox', { name: 'News' }).click();
      await expect.poll(() => titles(page)).toEqual(articles(5, 1));
      await page.getByRole('checkbox', { name: 'Featured' }).click();
      await expect.poll(() => titles(page)).toEqual(['Zebra lamp', 'Product 1', ...articles(5, 1)]);
      expect(await page.getByRole('checkbox', { name: 'News' }).isChecked()).toBe(true);
      expect(new URL(page.url()).searchParams.get('tags')).toBe('news,featured');
      await watched.screenshot('entry-list-tags');
      await page.keyboard.press('Escape');
      await page.goto(listUrl());

      // Pages of the articles by title, descending: 26 to 02, then 01.
      await page.getByLabel('Content type', { exact: true }).selectOption('article');
      await table.getByRole('button', { name: /Title/ }).click();
      await expect.poll(() => titles(page)).toEqual(articles(1, 25));
      await table.getByRole('button', { name: /Title/ }).click();
      const firstPage = articles(26, 2);
      await expect.poll(() => titles(page)).toEqual(firstPage);
      await page.getByRole('button', { name: 'To next page' }).click();
      await expect.poll(() => titles(page)).toEqual(['Article 01']);
      await expect.poll(() => rangeText(page)).toBe('26 - 26 of 26 entries');
      await page.getByRole('button', { name: 'To previous page' }).click();
      await expect.poll(() => titles(page)).toEqual(firstPage);
      // The back button returns to page 2, a reload keeps it.
      await page.goBack();
      await expect.poll(() => titles(page)).toEqual(['Article 01']);
      await page.reload();
      await expect.poll(() => titles(page)).toEqual(['Article 01']);
      expect(await page.getByLabel('Content type', { exact: true }).inputValue()).toBe('article');
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ contentType: 'article', order: '-fields.title', page: '2' });
      await page.goBack();
      await expect.poll(() => titles(page)).toEqual(firstPage);
      await watched.screenshot('entry-list-ordered');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it("shows the CMA's message for a filter it refuses", async () => {
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signInWithToken(page, server.adminToken);
      await page.goto(`${listUrl()}?search=${encodeURIComponent('fields.title[match]=foo')}`);
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('The query parameter "fields.title[match]" needs the content_type parameter');
      await page.getByLabel('Content type', { exact: true }).selectOption('article');
      await search(page, 'sys.version[gt]=many');
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('needs a number, got "many"');
      await watched.screenshot('entry-list-refused');
      // Fixing the filter shows entries again.
      await search(page, 'sys.id[in]=nothing,else');
      await expect.poll(() => page.getByText('No entries match.').count()).toBe(1);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(watched.errors).toEqual([
        'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
        'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      ]);
    } finally {
      await watched.close();
    }
  });

  it('adds an entry of a content type the user may create and opens its editor, at a phone width', async () => {
    const watched = await openPage(browser, server.baseUrl, { width: 390, height: 844 });
    const { page } = watched;
    try {
      await signInWithToken(page, editorToken);
      await page.goto(listUrl());
      await expect.poll(() => rangeText(page)).toBe('1 - 25 of 30 entries');
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await watched.screenshot('phone-entry-list');
      await page.getByRole('button', { name: 'Add entry' }).click();
      // Only products: the editor's role may not create articles.
      const choices = page.getByRole('menuitem');
      await expect.poll(() => choices.allTextContents()).toEqual(['Product']);
      await watched.screenshot('phone-add-entry');
      await choices.first().click();
      await page.waitForURL(/\/content\/[^/?]+$/);
      const entryId = new URL(page.url()).pathname.split('/').pop()!;
      const created = await server.plainClient().entry.get({ ...env(), entryId });
      expect(created.sys.contentType.sys.id).toBe('product');
      expect(created.fields).toEqual({});
      expect(new URL(page.url()).pathname).toBe(`${listUrl()}/${entryId}`);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
