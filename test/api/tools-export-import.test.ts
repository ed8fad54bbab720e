import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { createRequire } from 'node:module';
import type { Options as ExportOptions } from 'contentful-export';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png.js';
import { startTlsTestServer, type TlsTestServer } from '../helpers/tls.js';

// The CommonJS builds: contentful-import's ES module build cannot be loaded by Node (directory imports).
const require = createRequire(import.meta.url);
const contentfulExport = require('contentful-export') as (options: ExportOptions) => Promise<Record<string, unknown[]>>;
const contentfulImport = require('contentful-import') as (options: Record<string, unknown>) => Promise<unknown>;

let server: TlsTestServer;
let client: PlainClientAPI;
let sourceSpace: string;
let exported: Record<string, unknown[]>;
let workDir: string;
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const master = (spaceId: string) => ({ spaceId, environmentId: 'master' });

async function newSpace(name: string) {
  return (await client.space.create({}, { name })).sys.id;
}

/** What the Delivery API says about a space: every entry and asset in every locale, and the locales. */
async function delivered(spaceId: string) {
  const key = await client.apiKey.create({ spaceId }, { name: 'Compare', environments: [link('Environment', 'master')] } as never);
  const cda = createClient({
    space: spaceId,
    accessToken: key.accessToken,
    host: server.host,
    basePath: '/cdn',
    retryOnError: false,
    httpsAgent: new https.Agent({ ca: fs.readFileSync(server.certFile) }),
  } as never);
  const entries = await cda.withoutLinkResolution.withAllLocales.getEntries({ order: ['sys.id'] } as never);
  const assets = await cda.withAllLocales.getAssets({ order: ['sys.id'] } as never);
  const locales = await cda.getLocales();
  const strip = <T extends { sys: { id: string; contentType?: { sys: { id: string } } }; fields: unknown; metadata?: unknown }>(
    item: T,
  ) => ({
    id: item.sys.id,
    contentType: item.sys.contentType?.sys.id,
    fields: item.fields,
    tags: item.metadata,
  });
  return {
    entries: entries.items.map(strip),
    assets: assets.items.map((a) => {
      const { fields, ...rest } = strip(a);
      const files = (fields as { file: Record<string, { url: string; details: unknown; fileName: string; contentType: string }> }).file;
      return {
        ...rest,
        fields: {
          ...(fields as object),
          file: Object.fromEntries(
            Object.entries(files).map(([l, f]) => [
              l,
              { fileName: f.fileName, contentType: f.contentType, details: f.details, served: f.url.includes(`/files/${spaceId}/`) },
            ]),
          ),
        },
      };
    }),
    locales: locales.items.map((l) => [l.code, l.default, l.fallbackCode]).sort(),
  };
}

function download(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    https
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`status ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

/**
 * contentful-import paces its requests to 7 a second by default (Contentful's limits); the test server has
 * none, so the pacing would only add waiting.
 */
const UNPACED = { rateLimit: 1000 };

async function runImport(spaceId: string, options: Record<string, unknown> = {}) {
  return contentfulImport({
    spaceId,
    managementToken: server.adminToken,
    host: server.host,
    content: exported,
    ...UNPACED,
    useVerboseRenderer: true,
    errorLogFile: path.join(workDir, 'import-errors.json'),
    ...options,
  });
}

beforeAll(async () => {
  server = await startTlsTestServer();
  client = server.plainClient(undefined, { insecure: false });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-export-'));
  sourceSpace = await newSpace('Source');
  const env = master(sourceSpace);
  await client.locale.create(env, { name: 'German', code: 'de-DE', fallbackCode: 'en-US', optional: true } as never);
  await client.tag.createWithId({ ...env, tagId: 'featured' }, { name: 'Featured', sys: { visibility: 'public' } } as never);

  for (const [id, body] of Object.entries({
    author: { name: 'Author', displayField: 'name', fields: [{ id: 'name', name: 'Name', type: 'Symbol', required: true }] },
    post: {
      name: 'Post',
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', localized: true, required: true },
        { id: 'body', name: 'Body', type: 'RichText' },
        { id: 'author', name: 'Author', type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['author'] }] },
        { id: 'related', name: 'Related', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
        { id: 'image', name: 'Image', type: 'Link', linkType: 'Asset' },
      ],
    },
  })) {
    const ct = await client.contentType.createWithId({ ...env, contentTypeId: id }, body as never);
    await client.contentType.publish({ ...env, contentTypeId: id }, ct);
  }
  const ei = await client.editorInterface.get({ ...env, contentTypeId: 'post' });
  await client.editorInterface.update({ ...env, contentTypeId: 'post' }, {
    ...ei,
    controls: [{ fieldId: 'title', widgetNamespace: 'builtin', widgetId: 'singleLine', settings: { helpText: 'Keep it short' } }],
  } as never);

  const upload = await client.upload.create({ spaceId: sourceSpace }, { file: makePng(4, 3) as never });
  const asset = await client.asset.createWithId({ ...env, assetId: 'logo' }, {
    fields: {
      title: { 'en-US': 'Logo', 'de-DE': 'Logo DE' },
      file: { 'en-US': { fileName: 'logo.png', contentType: 'image/png', uploadFrom: link('Upload', upload.sys.id) } },
    },
  } as never);
  const processed = await client.asset.processForAllLocales(env, asset, { processingCheckWait: 50, processingCheckRetries: 100 });
  await client.asset.publish({ ...env, assetId: 'logo' }, processed);

  const ada = await client.entry.createWithId(
    { ...env, contentTypeId: 'author', entryId: 'ada' },
    { fields: { name: { 'en-US': 'Ada' } } },
  );
  await client.entry.publish({ ...env, entryId: 'ada' }, ada);
  const body = {
    nodeType: 'document',
    data: {},
    content: [
      { nodeType: 'paragraph', data: {}, content: [{ nodeType: 'text', value: 'Hello', marks: [{ type: 'bold' }], data: {} }] },
      { nodeType: 'embedded-entry-block', data: { target: link('Entry', 'ada') }, content: [] },
      { nodeType: 'embedded-asset-block', data: { target: link('Asset', 'logo') }, content: [] },
    ],
  };
  const p1 = await client.entry.createWithId({ ...env, contentTypeId: 'post', entryId: 'p1' }, {
    fields: {
      title: { 'en-US': 'Hello', 'de-DE': 'Hallo' },
      body: { 'en-US': body },
      author: { 'en-US': link('Entry', 'ada') },
      related: { 'en-US': [link('Entry', 'ada')] },
      image: { 'en-US': link('Asset', 'logo') },
    },
    metadata: { tags: [link('Tag', 'featured')] },
  } as never);
  await client.entry.publish({ ...env, entryId: 'p1' }, p1);
  await client.entry.createWithId({ ...env, contentTypeId: 'post', entryId: 'p2' }, { fields: { title: { 'en-US': 'Draft only' } } });

  await client.webhook.create({ spaceId: sourceSpace }, {
    name: 'Build',
    url: 'https://example.com/build',
    topics: ['Entry.publish'],
  } as never);
  await client.role.create({ spaceId: sourceSpace }, {
    name: 'Reader',
    permissions: { ContentModel: ['read'] },
    policies: [{ effect: 'allow', actions: ['read'] }],
  } as never);

  exported = await contentfulExport({
    spaceId: sourceSpace,
    managementToken: server.adminToken,
    host: server.host,
    saveFile: false,
    includeDrafts: true,
    exportDir: workDir,
    useVerboseRenderer: true,
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('contentful-export', () => {
  it('exports the whole space', () => {
    const ids = (key: string) => (exported[key] as { sys: { id: string } }[]).map((i) => i.sys.id).sort();
    expect(ids('contentTypes')).toEqual(['author', 'post']);
    expect(ids('entries')).toEqual(['ada', 'p1', 'p2']);
    expect(ids('assets')).toEqual(['logo']);
    expect((exported.locales as { code: string }[]).map((l) => l.code).sort()).toEqual(['de-DE', 'en-US']);
    expect(ids('tags')).toEqual(['featured']);
    expect((exported.webhooks as { name: string }[]).map((w) => w.name)).toEqual(['Build']);
    // Contentful's default roles, which every new space has, and the one made here.
    expect((exported.roles as { name: string }[]).map((r) => r.name)).toEqual(['Author', 'Editor', 'Freelancer', 'Reader', 'Translator']);
    const postInterface = (
      exported.editorInterfaces as { sys: { contentType: { sys: { id: string } } }; controls: { fieldId: string; settings?: unknown }[] }[]
    ).find((e) => e.sys.contentType.sys.id === 'post');
    expect(postInterface?.controls.find((c) => c.fieldId === 'title')?.settings).toEqual({ helpText: 'Keep it short' });
  });
});

describe('contentful-import', () => {
  it('imports the export into a new space that reads the same through the CDA, with assets processed and served', async () => {
    const target = await newSpace('Copy');
    await runImport(target);
    expect(await delivered(target)).toEqual(await delivered(sourceSpace));
    const draft = await client.entry.get({ ...master(target), entryId: 'p2' });
    expect(draft.sys.publishedVersion).toBeUndefined();
    expect(draft.fields.title).toEqual({ 'en-US': 'Draft only' });
    const copiedInterface = await client.editorInterface.get({ ...master(target), contentTypeId: 'post' });
    expect(copiedInterface.controls?.find((c) => c.fieldId === 'title')?.settings).toEqual({ helpText: 'Keep it short' });
    expect((await client.webhook.getMany({ spaceId: target })).items.map((w) => w.name)).toEqual(['Build']);
    // contentful-import does not import roles (they are in the export file for reference only): the new
    // space has its default roles alone.
    expect((await client.role.getMany({ spaceId: target })).items.map((r) => r.name)).toEqual([
      'Author',
      'Editor',
      'Freelancer',
      'Translator',
    ]);
    const asset = await client.asset.get({ ...master(target), assetId: 'logo' });
    expect(asset.fields.file['en-US'].url).toContain(`/files/${target}/`);
    expect(await download(`https:${asset.fields.file['en-US'].url}`)).toEqual(makePng(4, 3));
  });

  it('with skip-content-publishing, everything arrives as drafts', async () => {
    const target = await newSpace('Drafts');
    await runImport(target, { skipContentPublishing: true });
    const entries = await client.entry.getMany({ ...master(target), query: { order: 'sys.id' } });
    expect(entries.items.map((e) => [e.sys.id, e.sys.publishedVersion ?? null])).toEqual([
      ['ada', null],
      ['p1', null],
      ['p2', null],
    ]);
    expect((await client.asset.get({ ...master(target), assetId: 'logo' })).sys.publishedVersion).toBeUndefined();
  });

  it('with content-model-only, only the model arrives', async () => {
    const target = await newSpace('Model');
    await runImport(target, { contentModelOnly: true });
    expect((await client.contentType.getMany({ ...master(target), query: {} })).items.map((c) => c.sys.id).sort()).toEqual([
      'author',
      'post',
    ]);
    expect((await client.entry.getMany({ ...master(target), query: {} })).total).toBe(0);
    expect((await client.asset.getMany({ ...master(target), query: {} })).total).toBe(0);
  });

  it('with upload-assets and an assets directory, files are uploaded from disk', async () => {
    const exportDir = path.join(workDir, 'with-assets');
    fs.mkdirSync(exportDir);
    const withFiles = await contentfulExport({
      spaceId: sourceSpace,
      managementToken: server.adminToken,
      host: server.host,
      saveFile: false,
      includeDrafts: true,
      downloadAssets: true,
      exportDir,
      useVerboseRenderer: true,
    });
    const target = await newSpace('Uploaded');
    await contentfulImport({
      spaceId: target,
      managementToken: server.adminToken,
      host: server.host,
      content: withFiles,
      ...UNPACED,
      uploadAssets: true,
      assetsDirectory: exportDir,
      hostUpload: server.host,
      useVerboseRenderer: true,
      errorLogFile: path.join(workDir, 'import-errors.json'),
    });
    const asset = await client.asset.get({ ...master(target), assetId: 'logo' });
    expect(asset.fields.file['en-US']).toMatchObject({
      fileName: 'logo.png',
      contentType: 'image/png',
      details: { size: makePng(4, 3).length, image: { width: 4, height: 3 } },
    });
    expect(asset.fields.file['en-US'].url).toContain(`/files/${target}/`);
    expect(asset.sys.publishedVersion).toBeDefined();
  });
});
