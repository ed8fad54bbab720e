import fs from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png.js';
import { startTlsTestServer, type TlsTestServer } from '../helpers/tls.js';

// The CommonJS build: contentful-import's ES module build cannot be loaded by Node (directory imports).
const contentfulImport = createRequire(import.meta.url)('contentful-import') as (options: Record<string, unknown>) => Promise<unknown>;
const fixture = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/contentful-starter-export.json');

let server: TlsTestServer;
let client: PlainClientAPI;
let spaceId: string;
let assetsDirectory: string;
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const env = () => ({ spaceId, environmentId: 'master' });

beforeAll(async () => {
  server = await startTlsTestServer();
  client = server.plainClient(undefined, { insecure: false });
  spaceId = (await client.space.create({}, { name: 'Starter' })).sys.id;
  // `contentful-export --download-assets` keeps each file under its URL's host and path.
  assetsDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-starter-'));
  const file = path.join(assetsDirectory, 'images.ctfassets.net/yadj1kx9rmg0/hero/0a1b2c3d4e5f/hero.png');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, makePng(4, 3));
  await contentfulImport({
    spaceId,
    managementToken: server.adminToken,
    host: server.host,
    hostUpload: server.host,
    contentFile: fixture,
    // Unpaced: contentful-import's default of 7 requests a second is for Contentful's limits, not the test server's.
    rateLimit: 1000,
    uploadAssets: true,
    assetsDirectory,
    useVerboseRenderer: true,
    errorLogFile: path.join(assetsDirectory, 'errors.json'),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(assetsDirectory, { recursive: true, force: true });
});

describe('an export file in the shape contentful-export writes for a real space', () => {
  it('imports the content model with validations and editor interfaces', async () => {
    const types = await client.contentType.getMany({ ...env(), query: { order: 'sys.id' } });
    expect(types.items.map((t) => [t.sys.id, Boolean(t.sys.publishedVersion)])).toEqual([
      ['author', true],
      ['blogPost', true],
      ['category', true],
    ]);
    const post = types.items.find((t) => t.sys.id === 'blogPost')!;
    expect(post.fields.find((f) => f.id === 'categories')?.items).toEqual({
      type: 'Link',
      linkType: 'Entry',
      validations: [{ linkContentType: ['category'] }],
    });
    const controls = (await client.editorInterface.get({ ...env(), contentTypeId: 'blogPost' })).controls ?? [];
    expect(controls.find((c) => c.fieldId === 'rating')).toEqual({
      fieldId: 'rating',
      widgetId: 'rating',
      widgetNamespace: 'builtin',
      settings: { stars: '5' },
    });
    expect((await client.locale.getMany(env())).items.map((l) => [l.code, l.fallbackCode]).sort()).toEqual([
      ['de-DE', 'en-US'],
      ['en-US', null],
    ]);
    expect((await client.tag.getMany({ ...env(), query: {} })).items.map((t) => t.name)).toEqual(['Featured']);
  });

  it('keeps publish states, references, rich text links and tags, and serves the asset', async () => {
    const entries = await client.entry.getMany({ ...env(), query: { order: 'sys.id' } });
    expect(entries.items.map((e) => [e.sys.id, Boolean(e.sys.publishedVersion)])).toEqual([
      ['ada', true],
      ['life', true],
      ['self-hosting', true],
      ['tech', true],
      ['upcoming', false],
    ]);
    const key = await client.apiKey.create({ spaceId }, { name: 'Site', environments: [link('Environment', 'master')] } as never);
    const cda = createClient({
      space: spaceId,
      accessToken: key.accessToken,
      host: server.host,
      basePath: '/cdn',
      httpsAgent: new https.Agent({ ca: fs.readFileSync(server.certFile) }),
    } as never);
    const german = await cda.getEntry<never>('self-hosting', { locale: 'de-DE', include: 2 } as never);
    const fields = german.fields as Record<string, unknown> & {
      author: { fields: { name: string } };
      categories: { fields: { title: string } }[];
      body: { content: { nodeType: string }[] };
    };
    expect(fields.title).toBe('Inhalte selbst hosten');
    expect(fields.slug).toBe('self-hosting');
    expect(fields.author.fields.name).toBe('Ada Lovelace');
    expect(fields.categories.map((c) => c.fields.title)).toEqual(['Technik', 'Life']);
    expect(fields.body.content.map((n) => n.nodeType)).toEqual(['paragraph', 'embedded-asset-block']);
    const english = await cda.getEntry<never>('self-hosting', { include: 2 } as never);
    const body = (english.fields as { body: { content: { nodeType: string; data: { target?: { sys: { id: string; type: string } } } }[] } })
      .body;
    expect(body.content.filter((n) => n.data.target).map((n) => [n.nodeType, n.data.target!.sys.type, n.data.target!.sys.id])).toEqual([
      ['embedded-entry-block', 'Entry', 'ada'],
      ['embedded-asset-block', 'Asset', 'hero'],
    ]);
    expect(english.metadata.tags.map((t) => t.sys.id)).toEqual(['featured']);
    await expect(cda.getEntry('upcoming')).rejects.toThrow();

    const hero = await cda.getAsset('hero');
    expect(hero.fields.file).toMatchObject({
      fileName: 'hero.png',
      contentType: 'image/png',
      details: { size: makePng(4, 3).length, image: { width: 4, height: 3 } },
    });
    expect(hero.fields.file?.url).toContain(`/files/${spaceId}/`);
  });
});
