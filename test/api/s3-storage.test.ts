import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PlainClientAPI } from 'contentful-management';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageParameters } from '../../src/images/parameters.js';
import { variantKey } from '../../src/images/variants.js';
import { expectErrorResponse } from '../helpers/assertions.js';
import { makePng } from '../helpers/png.js';
import { startS3Peer, type S3Peer } from '../helpers/s3.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A server with S3_* set keeps uploads, processed files and image variants in the bucket, none on its disk. */

let peer: S3Peer;
let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  peer = await startS3Peer();
  server = await startTestServer(peer.env);
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Object storage' })).sys.id;
});
afterAll(async () => {
  await server?.close();
  await peer?.close();
});

describe('files in an S3-compatible bucket', () => {
  it('stores an upload, its processed file and an image variant in the bucket and serves them with ranges and ETags', async () => {
    const png = makePng(40, 24);
    const upload = await client.upload.create({ spaceId }, { file: png as never });
    expect(await peer.keys('uploads/')).toEqual([`uploads/${spaceId}/${upload.sys.id}`]);

    const asset = await client.asset.create(env(), {
      fields: {
        title: { 'en-US': 'Pixel' },
        file: {
          'en-US': {
            fileName: 'pixel.png',
            contentType: 'image/png',
            uploadFrom: { sys: { type: 'Link', linkType: 'Upload', id: upload.sys.id } },
          },
        },
      },
    } as never);
    const processed = await client.asset.processForAllLocales(env(), asset, { processingCheckWait: 50, processingCheckRetries: 100 });
    const file = processed.fields.file['en-US'];
    expect(file.details).toEqual({ size: png.length, image: { width: 40, height: 24 } });
    const urlPath = new URL(`http:${file.url}`).pathname;
    const [, , , fileId, fileName] = urlPath.split('/');
    expect(fileName).toBe('pixel.png');
    const fileKey = `files/${spaceId}/${fileId}`;
    expect(await peer.keys('files/')).toEqual([fileKey]);
    await expect(fs.stat(path.join(server.config.dataDir, 'files'))).rejects.toMatchObject({ code: 'ENOENT' });

    const served = await fetch(`${server.baseUrl}${urlPath}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('content-length')).toBe(String(png.length));
    expect(served.headers.get('accept-ranges')).toBe('bytes');
    expect(served.headers.get('etag')).toBe(`"${sha256(png)}"`);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    const unchanged = await fetch(`${server.baseUrl}${urlPath}`, { headers: { 'if-none-match': `"${sha256(png)}"` } });
    expect(unchanged.status).toBe(304);
    expect(await unchanged.text()).toBe('');

    const partial = await fetch(`${server.baseUrl}${urlPath}`, { headers: { range: 'bytes=8-15' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 8-15/${png.length}`);
    expect(partial.headers.get('content-length')).toBe('8');
    expect(Buffer.from(await partial.arrayBuffer()).equals(png.subarray(8, 16))).toBe(true);
    const tail = await fetch(`${server.baseUrl}${urlPath}`, { headers: { range: 'bytes=-4' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(png.subarray(png.length - 4))).toBe(true);
    const unsatisfiable = await fetch(`${server.baseUrl}${urlPath}`, { headers: { range: `bytes=${png.length}-` } });
    expect(unsatisfiable.status).toBe(416);
    expect(unsatisfiable.headers.get('content-range')).toBe(`bytes */${png.length}`);

    const variant = await fetch(`${server.baseUrl}${urlPath}?w=10&fm=png`);
    expect(variant.status).toBe(200);
    expect(variant.headers.get('content-type')).toBe('image/png');
    const variantBytes = Buffer.from(await variant.arrayBuffer());
    expect(await sharp(variantBytes).metadata()).toMatchObject({ format: 'png', width: 10, height: 6 });
    expect(variant.headers.get('etag')).toBe(`"${sha256(variantBytes)}"`);
    const storedVariant = variantKey(fileKey, parseImageParameters({ w: '10', fm: 'png' })!);
    expect(await peer.keys('variants/')).toEqual([storedVariant]);
    const again = await fetch(`${server.baseUrl}${urlPath}?w=10&fm=png`, { headers: { 'if-none-match': `"${sha256(variantBytes)}"` } });
    expect(again.status).toBe(304);
    expect(server.services.images.computed).toBe(1);

    // Deleting the asset drops its variants from the bucket (a listed prefix).
    await client.asset.delete({ ...env(), assetId: asset.sys.id });
    expect(await peer.keys('variants/')).toEqual([]);
    expect(await peer.keys('incoming/')).toEqual([]);
  });

  it('streams a file of several upload parts through the Upload API, processing and serving', { timeout: 120_000 }, async () => {
    const large = Buffer.alloc(12 * 1024 * 1024 + 3);
    for (let i = 0; i < large.length; i += 4096) large[i] = (i / 4096) % 256;
    const upload = await client.upload.create({ spaceId }, { file: large as never });
    const asset = await client.asset.create(env(), {
      fields: {
        title: { 'en-US': 'Large' },
        file: {
          'en-US': {
            fileName: 'large.bin',
            contentType: 'application/octet-stream',
            uploadFrom: { sys: { type: 'Link', linkType: 'Upload', id: upload.sys.id } },
          },
        },
      },
    } as never);
    const processed = await client.asset.processForAllLocales(env(), asset, { processingCheckWait: 50, processingCheckRetries: 400 });
    expect(processed.fields.file['en-US'].details).toEqual({ size: large.length });
    const urlPath = new URL(`http:${processed.fields.file['en-US'].url}`).pathname;

    const served = await fetch(`${server.baseUrl}${urlPath}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('etag')).toBe(`"${sha256(large)}"`);
    expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(sha256(large));
    const start = 5 * 1024 * 1024 - 4096;
    const partial = await fetch(`${server.baseUrl}${urlPath}`, { headers: { range: `bytes=${start}-${start + 8191}` } });
    expect(partial.status).toBe(206);
    expect(Buffer.from(await partial.arrayBuffer()).equals(large.subarray(start, start + 8192))).toBe(true);
    expect(await peer.keys('incoming/')).toEqual([]);
  });

  it('refuses an upload over the limit and leaves nothing in the bucket', async () => {
    const before = await peer.keys();
    const limited = await startTestServer({ ...peer.env, UPLOAD_LIMIT_BYTES: '100000' });
    try {
      const space = (await limited.plainClient().space.create({}, { name: 'Limited' })).sys.id;
      const response = await fetch(`${limited.baseUrl}/spaces/${space}/uploads`, {
        method: 'POST',
        headers: { authorization: `Bearer ${limited.adminToken}`, 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(150_000, 1),
      });
      await expectErrorResponse(response, 413, 'PayloadTooLarge');
      expect(await peer.keys()).toEqual(before);
    } finally {
      await limited.close();
    }
  });
});
