import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { imageSize } from 'image-size';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorResponse, expectSdkError } from '../helpers/assertions.js';
import { makePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });
const png = makePng(40, 25);

let remote: http.Server;
let remoteUrl: string;
const remoteRequests: string[] = [];

beforeAll(async () => {
  // The remote-URL tests fetch from a local receiver: this server allows private networks.
  server = await startTestServer({ UPLOAD_LIMIT_BYTES: '100000', OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Assets' })).sys.id;
  remote = http.createServer((req, res) => {
    remoteRequests.push(req.url ?? '');
    if (req.url === '/image.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(makePng(7, 9));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  remoteUrl = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
});
afterAll(async () => {
  remote?.close();
  await server?.close();
});

async function processedAsset(file: Buffer, fileName = 'pixel.png', contentType = 'image/png') {
  const asset = await client.asset.createFromFiles(env(), {
    fields: { title: { 'en-US': fileName }, description: {}, file: { 'en-US': { file, fileName, contentType } } },
  } as never);
  return client.asset.processForAllLocales(env(), asset, { processingCheckWait: 50, processingCheckRetries: 100 });
}

describe('uploads', () => {
  it('creates, reads and deletes an upload, with expiry 24 hours later', async () => {
    const upload = await client.upload.create({ spaceId }, { file: png as never });
    expect(upload.sys).toMatchObject({ type: 'Upload', space: { sys: { type: 'Link', linkType: 'Space', id: spaceId } } });
    const expires = Date.parse(upload.sys.expiresAt) - Date.parse(upload.sys.createdAt);
    expect(expires).toBe(24 * 60 * 60 * 1000);
    const fetched = await client.upload.get({ spaceId, uploadId: upload.sys.id });
    expect(fetched.sys.id).toBe(upload.sys.id);
    await client.upload.delete({ spaceId, uploadId: upload.sys.id });
    await expectSdkError(client.upload.get({ spaceId, uploadId: upload.sys.id }), 404, 'NotFound');
  });

  it('accepts environment-scoped upload URLs too', async () => {
    const upload = await client.upload.create({ spaceId, environmentId }, { file: png as never });
    expect(upload.sys.environment?.sys.id).toBe('master');
  });

  it('refuses uploads over the size limit and keeps nothing', async () => {
    const before = await server.database.db.selectFrom('uploads').select('id').execute();
    const response = await fetch(`${server.baseUrl}/spaces/${spaceId}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(150_000, 1),
    });
    await expectErrorResponse(response, 413, 'PayloadTooLarge');
    expect(await server.database.db.selectFrom('uploads').select('id').execute()).toHaveLength(before.length);
  });

  it('sweeps expired uploads', async () => {
    const upload = await client.upload.create({ spaceId }, { file: png as never });
    const removed = await server.services.uploads.sweepExpired(new Date(Date.now() + 25 * 60 * 60 * 1000));
    expect(removed).toBeGreaterThanOrEqual(1);
    await expectSdkError(client.upload.get({ spaceId, uploadId: upload.sys.id }), 404, 'NotFound');
  });
});

describe('asset life cycle', () => {
  it('uploads a PNG, processes, publishes and serves the same bytes', async () => {
    const asset = await processedAsset(png);
    const file = asset.fields.file['en-US'];
    expect(file.url).toMatch(
      new RegExp(
        `^//127\\.0\\.0\\.1:\\d+/files/${spaceId}/[0-9A-Za-z]{22}/pixel\\.png$`.replace('127\\.0\\.0\\.1:\\d+', 'localhost(:\\d+)?'),
      ),
    );
    expect(file.details).toEqual({ size: png.length, image: { width: 40, height: 25 } });
    expect((file as { upload?: unknown; uploadFrom?: unknown }).uploadFrom).toBeUndefined();

    const published = await client.asset.publish({ ...env(), assetId: asset.sys.id }, asset);
    expect(published.sys).toMatchObject({ publishedCounter: 1, publishedVersion: asset.sys.version });
    expect((await client.asset.getPublished({ ...env(), query: {} })).items.map((a) => a.sys.id)).toContain(asset.sys.id);

    const path = new URL(`http:${file.url}`).pathname;
    const served = await fetch(`${server.baseUrl}${path}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toContain('max-age=31536000');
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.equals(png)).toBe(true);
    expect(imageSize(bytes)).toMatchObject({ width: 40, height: 25 });

    const etag = served.headers.get('etag')!;
    expect((await fetch(`${server.baseUrl}${path}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const partial = await fetch(`${server.baseUrl}${path}`, { headers: { range: 'bytes=0-7' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 0-7/${png.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(png.subarray(0, 8))).toBe(true);
    expect((await fetch(`${server.baseUrl}${path}`, { headers: { range: 'bytes=99999-' } })).status).toBe(416);
    const head = await fetch(`${server.baseUrl}${path}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(png.length));
    expect((await fetch(`${server.baseUrl}/files/${spaceId}/nope/x.png`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/files/..%2F..%2Fetc/passwd/x`)).status).toBe(404);
  });

  it('processes from a URL and refuses unreachable ones with a clear 422', async () => {
    const asset = await client.asset.create(env(), {
      fields: {
        title: { 'en-US': 'remote' },
        file: { 'en-US': { fileName: 'r.png', contentType: 'image/png', upload: `${remoteUrl}/image.png` } },
      },
    } as never);
    const processed = await client.asset.processForAllLocales(env(), asset, { processingCheckWait: 50, processingCheckRetries: 100 });
    expect(processed.fields.file['en-US'].details).toMatchObject({ image: { width: 7, height: 9 } });

    const broken = await client.asset.create(env(), {
      fields: { file: { 'en-US': { fileName: 'x.png', contentType: 'image/png', upload: `${remoteUrl}/missing.png` } } },
    } as never);
    const error = await expectSdkError(client.asset.processForLocale(env(), broken, 'en-US'), 422, 'ValidationFailed');
    expect(JSON.stringify(error.details)).toContain('404');
    const ftp = await client.asset.create(env(), {
      fields: { file: { 'en-US': { fileName: 'x', contentType: 'text/plain', upload: 'ftp://example.com/x' } } },
    } as never);
    await expectSdkError(client.asset.processForLocale(env(), ftp, 'en-US'), 422, 'ValidationFailed');
  });

  it('applies the state rules and refuses publishing an unprocessed file', async () => {
    const asset = await client.asset.create(env(), {
      fields: {
        title: { 'en-US': 'raw' },
        file: { 'en-US': { fileName: 'a.txt', contentType: 'text/plain', upload: `${remoteUrl}/image.png` } },
      },
    } as never);
    const params = { ...env(), assetId: asset.sys.id };
    const error = await expectSdkError(client.asset.publish(params, asset), 422, 'ValidationFailed');
    expect((error.details.errors as { path: string[] }[])[0].path).toEqual(['fields', 'file', 'en-US', 'url']);
    await expectSdkError(client.asset.unpublish(params), 400, 'BadRequest');
    const archived = await client.asset.archive(params);
    expect(archived.sys.archivedVersion).toBe(1);
    await expectSdkError(client.asset.update(params, { ...archived, fields: { title: { 'en-US': 'x' } } } as never), 400, 'BadRequest');
    await client.asset.unarchive(params);
    await client.asset.delete(params);
    await expectSdkError(client.asset.get(params), 404, 'NotFound');
    await expectSdkError(
      client.asset.create(env(), { fields: { file: { 'en-US': { fileName: 'x' } } } } as never),
      422,
      'ValidationFailed',
    );
    await expectSdkError(client.asset.create(env(), { fields: { title: { 'zz-ZZ': 'x' } } } as never), 422, 'ValidationFailed');
  });
});

describe('entries linking assets', () => {
  it('checks linkMimetypeGroup, assetImageDimensions and assetFileSize on publish', async () => {
    const ct = await client.contentType.createWithId({ ...env(), contentTypeId: 'gallery' }, {
      name: 'Gallery',
      fields: [
        {
          id: 'image',
          name: 'Image',
          type: 'Link',
          linkType: 'Asset',
          validations: [{ linkMimetypeGroup: ['image'] }, { assetImageDimensions: { width: { max: 30 } } }, { assetFileSize: { max: 10 } }],
        },
      ],
    } as never);
    await client.contentType.publish({ ...env(), contentTypeId: 'gallery' }, ct);
    const asset = await processedAsset(png, 'big.png');
    await client.asset.publish({ ...env(), assetId: asset.sys.id }, asset);
    const entry = await client.entry.create(
      { ...env(), contentTypeId: 'gallery' },
      { fields: { image: { 'en-US': { sys: { type: 'Link', linkType: 'Asset', id: asset.sys.id } } } } },
    );
    const error = await expectSdkError(client.entry.publish({ ...env(), entryId: entry.sys.id }, entry), 422, 'ValidationFailed');
    const names = (error.details.errors as { name: string; path: string[] }[]).map((e) => `${e.name}@${e.path.join('.')}`).sort();
    expect(names).toEqual(['assetFileSize@fields.image.en-US', 'assetImageDimensions@fields.image.en-US']);
  });
});

describe('outbound requests', () => {
  const HINT = '(set OUTBOUND_ALLOW_PRIVATE_NETWORKS=true to allow private networks)';

  async function storedFiles(dataDir: string): Promise<string[]> {
    const entries = await fs.readdir(dataDir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile() && !e.parentPath.includes('pglite')).map((e) => `${e.parentPath}/${e.name}`);
  }

  it('with the default configuration, refuses upload URLs on loopback and link-local addresses and stores nothing', async () => {
    const guarded = await startTestServer();
    try {
      expect(guarded.config.outboundAllowPrivateNetworks).toBe(false);
      const c = guarded.plainClient();
      const space = (await c.space.create({}, { name: 'Guarded' })).sys.id;
      const where = { spaceId: space, environmentId };
      const cases: [string, string][] = [
        [`${remoteUrl}/image.png`, `Refused: 127.0.0.1 is a loopback address ${HINT}`],
        ['http://169.254.169.254/latest/meta-data/', `Refused: 169.254.169.254 is a link-local address ${HINT}`],
        [
          `http://[::ffff:127.0.0.1]:${new URL(remoteUrl).port}/image.png`,
          `Refused: ::ffff:7f00:1 (127.0.0.1) is a loopback address ${HINT}`,
        ],
        [`http://localhost:${new URL(remoteUrl).port}/image.png`, 'Refused: localhost resolves to '],
      ];
      const requestsBefore = remoteRequests.length;
      const filesBefore = await storedFiles(guarded.config.dataDir);
      for (const [upload, message] of cases) {
        const asset = await c.asset.create(where, {
          fields: { title: { 'en-US': 'remote' }, file: { 'en-US': { fileName: 'r.png', contentType: 'image/png', upload } } },
        } as never);
        const error = await expectSdkError(c.asset.processForLocale(where, asset, 'en-US'), 422, 'ValidationFailed');
        const errors = error.details.errors as { name: string; path: string[]; details: string }[];
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ name: 'invalid', path: ['fields', 'file', 'en-US', 'upload'] });
        expect(errors[0].details.startsWith(message), errors[0].details).toBe(true);
        const after = await c.asset.get({ ...where, assetId: asset.sys.id });
        expect(after.sys.version).toBe(asset.sys.version);
        expect(after.fields.file['en-US']).toEqual({ fileName: 'r.png', contentType: 'image/png', upload });
      }
      expect(remoteRequests.length).toBe(requestsBefore);
      expect(await storedFiles(guarded.config.dataDir)).toEqual(filesBefore);
    } finally {
      await guarded.close();
    }
  });

  it('with OUTBOUND_ALLOW_PRIVATE_NETWORKS=true, processes a file from a local receiver', async () => {
    expect(server.config.outboundAllowPrivateNetworks).toBe(true);
    const asset = await client.asset.create(env(), {
      fields: {
        title: { 'en-US': 'local' },
        file: { 'en-US': { fileName: 'l.png', contentType: 'image/png', upload: `${remoteUrl}/image.png` } },
      },
    } as never);
    const processed = await client.asset.processForAllLocales(env(), asset, { processingCheckWait: 50, processingCheckRetries: 100 });
    const file = processed.fields.file['en-US'];
    expect(file.details).toEqual({ size: makePng(7, 9).length, image: { width: 7, height: 9 } });
    const served = await fetch(`${server.baseUrl}${new URL(`http:${file.url}`).pathname}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(makePng(7, 9))).toBe(true);
  });
});

/** The CDA reference's asset properties `fields.file.fileName`, `.contentType`, `.url`, `.details.size`. */
describe('searching assets by their file', () => {
  let searchSpace: string;
  const ids = async (query: Record<string, unknown>) =>
    (await client.asset.getMany({ spaceId: searchSpace, environmentId, query: { order: 'sys.id', ...query } })).items.map((a) => a.sys.id);
  const text = Buffer.from('Meeting notes\n');

  beforeAll(async () => {
    searchSpace = (await client.space.create({}, { name: 'Asset search' })).sys.id;
    for (const [assetId, file, fileName, contentType] of [
      ['a-image', png, 'pixel.png', 'image/png'],
      ['b-notes', text, 'notes.txt', 'text/plain'],
    ] as const) {
      const upload = await client.upload.create({ spaceId: searchSpace }, { file: file as never });
      const created = await client.asset.createWithId({ spaceId: searchSpace, environmentId, assetId }, {
        fields: {
          file: { 'en-US': { fileName, contentType, uploadFrom: { sys: { type: 'Link', linkType: 'Upload', id: upload.sys.id } } } },
        },
      } as never);
      await client.asset.processForAllLocales({ spaceId: searchSpace, environmentId }, created, {
        processingCheckWait: 50,
        processingCheckRetries: 100,
      });
    }
  });

  it('filters by file name, content type, size and image width, as any field of that type', async () => {
    expect(await ids({ 'fields.file.fileName': 'notes.txt' })).toEqual(['b-notes']);
    expect(await ids({ 'fields.file.contentType[in]': 'image/png,image/jpeg' })).toEqual(['a-image']);
    expect(await ids({ 'fields.file.contentType[ne]': 'image/png' })).toEqual(['b-notes']);
    expect(await ids({ 'fields.file.fileName[match]': 'pix' })).toEqual(['a-image']);
    expect(await ids({ 'fields.file.url[exists]': 'true' })).toEqual(['a-image', 'b-notes']);
    expect(await ids({ 'fields.file.details.size[lt]': String(text.length + 1) })).toEqual(['b-notes']);
    expect(await ids({ 'fields.file.details.size[gte]': String(png.length) })).toEqual(['a-image']);
    expect(await ids({ 'fields.file.details.image.width': '40' })).toEqual(['a-image']);
  });

  it('answers the same on the CDA, for published assets', async () => {
    for (const assetId of ['a-image', 'b-notes']) {
      const asset = await client.asset.get({ spaceId: searchSpace, environmentId, assetId });
      await client.asset.publish({ spaceId: searchSpace, environmentId, assetId }, asset);
    }
    const key = await client.apiKey.create({ spaceId: searchSpace }, { name: 'search' } as never);
    const cda = createClient({ space: searchSpace, accessToken: key.accessToken, host: server.host, basePath: '/cdn', insecure: true });
    const found = await cda.getAssets({ 'fields.file.contentType': 'text/plain', 'fields.file.details.size[gt]': 1 } as never);
    expect(found.items.map((a) => [a.sys.id, a.fields.file?.fileName])).toEqual([['b-notes', 'notes.txt']]);
  });

  it('refuses a file property it does not know with a 400 naming those it does', async () => {
    const error = await expectSdkError(
      client.asset.getMany({ spaceId: searchSpace, environmentId, query: { 'fields.file.details.owner': 'me' } }),
      400,
      'InvalidQuery',
    );
    expect(error.message).toBe(
      'The query parameter "fields.file.details.owner" cannot search fields.file.details.owner; use one of fields.file.fileName, fields.file.contentType, fields.file.url, fields.file.details.size, fields.file.details.image.width, fields.file.details.image.height',
    );
    await expectSdkError(
      client.asset.getMany({ spaceId: searchSpace, environmentId, query: { 'fields.file.details.size[lt]': 'big' } }),
      400,
      'InvalidQuery',
    );
  });
});
