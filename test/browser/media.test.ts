import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { freePort, startTestServer, type TestServer } from '../helpers/server.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

let server: TestServer;
let browser: Browser;
let spaceId: string;
let deliveryToken: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const EN = 'English (United States) (en-US)';
const DE = 'German (Germany) (de-DE)';

const png = (width: number, height: number, background: { r: number; g: number; b: number }) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

async function signIn(page: Page, token = server.adminToken) {
  await page.goto('/app/sign-in');
  await page.locator('input[name=token]').fill(token);
  await page.getByRole('button', { name: 'Sign in with token' }).click();
  await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
}

/** Whether the image has loaded (a broken or pending one has no natural width). */
const imageLoaded = (page: Page, selector: string) =>
  page.locator(selector).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

beforeAll(async () => {
  await ensureWebAppBuilt();
  browser = await launchBrowser();
  const port = await freePort();
  server = await startTestServer({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  const client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Media' })).sys.id;
  await client.locale.create(env(), { name: 'German (Germany)', code: 'de-DE', fallbackCode: 'en-US', optional: true } as never);
  const key = await client.apiKey.create({ spaceId }, { name: 'Website', environments: [link('Environment', environmentId)] } as never);
  deliveryToken = key.accessToken;
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('media in a browser', () => {
  it('uploads files picked and dropped, processes them, titles one in two locales, publishes it and the CDA serves it', async () => {
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    const imagesApiAnswers: { url: string; status: number; type: string | undefined }[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/files/')) {
        imagesApiAnswers.push({ url: response.url(), status: response.status(), type: response.headers()['content-type'] });
      }
    });
    try {
      await signIn(page);
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/media`);
      await page.getByRole('heading', { name: 'Media', level: 1 }).waitFor();
      await page.getByText('No assets yet').waitFor();

      // Two files at once through the file picker (the button opens it; the input takes the files).
      await page.locator('input[aria-label="Files to upload"]').setInputFiles([
        { name: 'sunset.png', mimeType: 'image/png', buffer: await png(320, 200, { r: 230, g: 120, b: 40 }) },
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Shot list for the bay.\n') },
      ]);
      const uploads = page.getByRole('region', { name: 'Uploads' });
      for (const name of ['sunset.png', 'notes.txt']) {
        const item = uploads.getByRole('listitem', { name: `Upload of ${name}` });
        await expect.poll(() => item.getByRole('status').textContent(), { timeout: 30_000 }).toContain('Ready');
        expect(await item.getByRole('progressbar').getAttribute('value')).toBe('100');
      }

      // A third one dropped onto the library.
      const dropped = await png(64, 48, { r: 20, g: 90, b: 200 });
      const dataTransfer = await page.evaluateHandle((bytes) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'harbour.png', { type: 'image/png' }));
        return transfer;
      }, Array.from(dropped));
      const library = page.locator('section.media-library');
      await library.dispatchEvent('dragover', { dataTransfer });
      await library.dispatchEvent('drop', { dataTransfer });
      const droppedItem = uploads.getByRole('listitem', { name: 'Upload of harbour.png' });
      await expect.poll(() => droppedItem.getByRole('status').textContent(), { timeout: 30_000 }).toContain('Ready');

      const table = page.getByRole('table', { name: 'Assets' });
      await table.getByRole('row', { name: /sunset.*PNG image.*320 × 200.*draft/i }).waitFor();
      await table.getByRole('row', { name: /notes.*Plain text.*draft/i }).waitFor();
      await table.getByRole('row', { name: /harbour.*PNG image.*64 × 48.*draft/i }).waitFor();

      const assets = await server.plainClient().asset.getMany({ ...env(), query: { order: 'sys.createdAt' } });
      expect(assets.items.map((a) => a.fields.title['en-US']).sort()).toEqual(['harbour', 'notes', 'sunset']);
      const sunset = assets.items.find((a) => a.fields.title['en-US'] === 'sunset')!;
      const sunsetFile = sunset.fields.file['en-US'];
      expect(sunsetFile).toMatchObject({
        fileName: 'sunset.png',
        contentType: 'image/png',
        details: { image: { width: 320, height: 200 } },
      });
      expect(sunsetFile.url).toMatch(new RegExp(`^//${server.host.replace(/\./g, '\\.')}/files/${spaceId}/[^/]+/sunset\\.png$`));

      // The thumbnail is the Images API's WebP, and it has loaded.
      const thumbnail = `table[aria-label="Assets"] tr:has(a:text-is("sunset")) img`;
      expect(await page.locator(thumbnail).getAttribute('src')).toBe(`${sunsetFile.url}?w=96&h=96&fit=thumb&fm=webp`);
      await expect.poll(() => imageLoaded(page, thumbnail)).toBe(true);
      expect(imagesApiAnswers).toContainEqual({
        url: `http:${sunsetFile.url}?w=96&h=96&fit=thumb&fm=webp`,
        status: 200,
        type: 'image/webp',
      });
      await watched.screenshot('media-library');

      // Search and the status filter.
      await page.getByLabel('Search', { exact: true }).fill('harbour');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      await table.getByRole('row', { name: /harbour/ }).waitFor();
      await page.getByLabel('Search', { exact: true }).fill('');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect.poll(() => table.getByRole('row').count()).toBe(4);

      // The editor: titles and a description in both locales, side by side.
      await table.getByRole('link', { name: 'sunset' }).click();
      await page.getByRole('heading', { name: 'sunset', level: 1 }).waitFor();
      const english = page.getByRole('region', { name: EN });
      const german = page.getByRole('region', { name: DE });
      expect(await english.getByText('320 × 200 px').count()).toBe(1);
      await expect.poll(() => imageLoaded(page, 'img[alt="Preview of sunset.png"]')).toBe(true);
      await english.getByLabel('Title').fill('Sunset over the bay');
      await english.getByLabel('Description').fill('Taken from the pier.');
      await german.getByLabel('Title').fill('Sonnenuntergang über der Bucht');
      await watched.screenshot('asset-editor');
      await page.getByRole('button', { name: 'Save and publish' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Published.');
      await page.getByRole('heading', { name: 'Sunset over the bay', level: 1 }).waitFor();

      const response = await fetch(
        `${server.baseUrl}/cdn/spaces/${spaceId}/environments/${environmentId}/assets/${sunset.sys.id}?locale=*`,
        {
          headers: { Authorization: `Bearer ${deliveryToken}` },
        },
      );
      expect(response.status).toBe(200);
      const delivered = (await response.json()) as { fields: Record<string, Record<string, unknown>> };
      expect(delivered.fields.title).toEqual({ 'en-US': 'Sunset over the bay', 'de-DE': 'Sonnenuntergang über der Bucht' });
      expect(delivered.fields.description).toEqual({ 'en-US': 'Taken from the pier.' });
      expect((delivered.fields.file['en-US'] as { url: string }).url).toBe(sunsetFile.url);

      await page.getByRole('link', { name: '← All media' }).click();
      await table.getByRole('row', { name: /Sunset over the bay.*published/i }).waitFor();
      await page.getByLabel('Status', { exact: true }).selectOption('published');
      await expect.poll(() => table.getByRole('row').count()).toBe(2);
      await page.getByLabel('Status', { exact: true }).selectOption('draft');
      await expect.poll(() => table.getByRole('row').count()).toBe(3);

      // The library fits a phone's width.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await watched.screenshot('phone-media-library');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('explains a version conflict from a second writer with a reload, and shows a 422 on the file it concerns', async () => {
    const client = server.plainClient();
    const upload = await client.upload.create({ spaceId, environmentId }, { file: (await png(40, 30, { r: 0, g: 160, b: 80 })) as never });
    const created = await client.asset.create(env(), {
      fields: {
        title: { 'en-US': 'Lighthouse' },
        file: { 'en-US': { fileName: 'lighthouse.png', contentType: 'image/png', uploadFrom: link('Upload', upload.sys.id) } },
      },
    } as never);
    const ids = { ...env(), assetId: created.sys.id };
    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/media/${created.sys.id}`);
      await page.getByRole('heading', { name: 'Lighthouse', level: 1 }).waitFor();
      const english = page.getByRole('region', { name: EN });

      // The file was never processed: publishing is refused, and the refusal is shown on that locale's file.
      await page.getByRole('button', { name: 'Publish', exact: true }).click();
      const problems = english.getByLabel(`Problems of the file (${EN})`);
      await expect.poll(() => problems.textContent()).toContain('The file must be processed before the asset is published');
      await watched.screenshot('asset-refused');
      await english.getByRole('button', { name: `Process the file (${EN})` }).click();
      await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 }).toBe('Processed.');
      expect((await client.asset.get(ids)).fields.file['en-US'].url).toMatch(/lighthouse\.png$/);

      // Meanwhile, someone else changes the title.
      await english.getByLabel('Title').fill('Lighthouse at night');
      const current = await client.asset.get(ids);
      await client.asset.update(ids, { ...current, fields: { ...current.fields, title: { 'en-US': 'Lighthouse (changed elsewhere)' } } });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Someone else changed this asset');
      await watched.screenshot('asset-conflict');
      expect((await client.asset.get(ids)).fields.title).toEqual({ 'en-US': 'Lighthouse (changed elsewhere)' });

      await page.getByRole('button', { name: 'Reload' }).click();
      await page.getByRole('heading', { name: 'Lighthouse (changed elsewhere)', level: 1 }).waitFor();
      expect(await english.getByLabel('Title').inputValue()).toBe('Lighthouse (changed elsewhere)');
      expect(await page.getByText('Someone else changed this asset').count()).toBe(0);

      // Replacing the file with the keyboard: the button opens the file chooser; the new file is processed and shown.
      const chooser = page.waitForEvent('filechooser');
      await english.getByRole('button', { name: `Replace file (${EN})` }).focus();
      await page.keyboard.press('Enter');
      await (await chooser).setFiles({
        name: 'lighthouse-wide.png',
        mimeType: 'image/png',
        buffer: await png(120, 60, { r: 250, g: 250, b: 250 }),
      });
      await english.getByText('120 × 60 px').waitFor({ timeout: 30_000 });
      await expect.poll(() => imageLoaded(page, 'img[alt="Preview of lighthouse-wide.png"]')).toBe(true);
      expect((await client.asset.get(ids)).fields.file['en-US']).toMatchObject({
        fileName: 'lighthouse-wide.png',
        details: { image: { width: 120, height: 60 } },
      });

      // The editor fits a phone's width, the locales one above the other.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await watched.screenshot('phone-asset-editor');
      expect(watched.errors).toEqual([
        'console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)',
        'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
      ]);
    } finally {
      await watched.close();
    }
  });

  it('pages through the library and tells published from changed assets', async () => {
    const client = server.plainClient();
    const made = [];
    for (let n = 1; n <= 22; n++) {
      made.push(await client.asset.create(env(), { fields: { title: { 'en-US': `Postcard ${String(n).padStart(2, '0')}` } } } as never));
    }
    await client.asset.publish({ ...env(), assetId: made[0].sys.id }, made[0]);
    const edited = await client.asset.publish({ ...env(), assetId: made[1].sys.id }, made[1]);
    await client.asset.update({ ...env(), assetId: edited.sys.id }, {
      ...edited,
      fields: { title: { 'en-US': 'Postcard 02 (edited)' } },
    } as never);
    await client.asset.archive({ ...env(), assetId: made[2].sys.id });

    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page);
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/media?query=Postcard`);
      const table = page.getByRole('table', { name: 'Assets' });
      await page.getByText('1 - 20 of 22 items').waitFor();
      const firstPage = await table.getByRole('link').allTextContents();
      await page.getByRole('button', { name: 'To next page' }).click();
      await page.getByText('21 - 22 of 22 items').waitFor();
      await page.waitForURL(/page=1/);
      // The pager's label changes before the second page's rows arrive: wait for them.
      await expect.poll(() => table.getByRole('link').count()).toBe(2);
      const secondPage = await table.getByRole('link').allTextContents();
      const all = Array.from({ length: 22 }, (_, i) => `Postcard ${String(i + 1).padStart(2, '0')}`).map((t) =>
        t === 'Postcard 02' ? 'Postcard 02 (edited)' : t,
      );
      expect([...firstPage, ...secondPage].sort()).toEqual(all);
      await watched.screenshot('media-library-page-2');

      const titlesWith = (status: string) =>
        expect.poll(async () => {
          await page.getByLabel('Status', { exact: true }).selectOption(status);
          return (await table.getByRole('link').allTextContents()).sort();
        });
      await titlesWith('changed').toEqual(['Postcard 02 (edited)']);
      await titlesWith('published').toEqual(['Postcard 01']);
      await titlesWith('archived').toEqual(['Postcard 03']);
      await titlesWith('draft').toEqual(all.filter((t) => !['Postcard 01', 'Postcard 02 (edited)', 'Postcard 03'].includes(t)));
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('offers a translator only the German values and none of the actions their role lacks', async () => {
    const client = server.plainClient();
    const isAsset = { equals: [{ doc: 'sys.type' }, 'Asset'] };
    const role = await client.role.create({ spaceId }, {
      name: 'Translator (German)',
      permissions: {},
      policies: [
        { effect: 'allow', actions: ['read'], constraint: isAsset },
        { effect: 'allow', actions: ['update'], constraint: { and: [isAsset, { paths: [{ doc: 'fields.%.de-DE' }] }] } },
      ],
    } as never);
    const translator = await server.services.users.create({ email: 'translator@example.com' });
    await server.services.organizations.addMember(server.organizationId, translator.id, 'member');
    const token = (await server.services.accessTokens.create(translator.id, { name: 'translator', scopes: ['content_management_manage'] }))
      .token!;
    await client.spaceMembership.create({ spaceId }, {
      admin: false,
      roles: [link('Role', role.sys.id)],
      email: 'translator@example.com',
    } as never);
    const created = await client.asset.create(env(), { fields: { title: { 'en-US': 'Pier' } } } as never);
    const ids = { ...env(), assetId: created.sys.id };

    const watched = await openPage(browser, server.baseUrl);
    const { page } = watched;
    try {
      await signIn(page, token);
      await page.goto(`/app/spaces/${spaceId}/environments/${environmentId}/media`);
      await page.getByRole('table', { name: 'Assets' }).getByRole('link', { name: 'Pier' }).waitFor();
      expect(await page.getByRole('button', { name: 'Upload files' }).count()).toBe(0);

      await page.getByRole('table', { name: 'Assets' }).getByRole('link', { name: 'Pier' }).click();
      await page.getByRole('heading', { name: 'Pier', level: 1 }).waitFor();
      const english = page.getByRole('region', { name: EN });
      const german = page.getByRole('region', { name: DE });
      expect(await english.getByLabel('Title').isEditable()).toBe(false);
      expect(await english.getByText('Your role may not edit this locale.').count()).toBe(2);
      expect(await english.getByRole('button', { name: /file/ }).count()).toBe(0);
      for (const action of ['Publish', 'Archive', 'Delete']) {
        expect(await page.getByRole('button', { name: action, exact: true }).count()).toBe(0);
      }
      await german.getByLabel('Title').fill('Seebrücke');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Saved.');
      expect((await client.asset.get(ids)).fields.title).toEqual({ 'en-US': 'Pier', 'de-DE': 'Seebrücke' });
      await watched.screenshot('asset-editor-translator');
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
