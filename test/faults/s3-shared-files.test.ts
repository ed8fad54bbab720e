import { createHash } from 'node:crypto';
import { createClient, type PlainClientAPI } from 'contentful-management';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makePng } from '../helpers/png.js';
import { startServerProcess, type ServerProcess } from '../helpers/process.js';
import { startS3Peer, type S3Peer } from '../helpers/s3.js';
import { ADMIN_TOKEN } from '../helpers/server.js';

/**
 * Two server processes on one PostgreSQL database and one S3-compatible bucket, each with a data directory of
 * its own: a file uploaded and processed through one is served by the other, image variants included.
 */

let testDb: TestDatabase;
let peer: S3Peer;
let servers: ServerProcess[] = [];
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function managementClient(server: ServerProcess): PlainClientAPI {
  const host = new URL(server.baseUrl).host;
  return createClient({ accessToken: ADMIN_TOKEN, host, hostUpload: host, insecure: true, retryOnError: false }, { type: 'plain' });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  peer = await startS3Peer();
  servers = [await startServerProcess(testDb.url!, peer.env)];
  servers.push(await startServerProcess(testDb.url!, peer.env));
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await peer?.close();
  await testDb?.drop();
});

describe('files shared through an S3-compatible bucket', () => {
  it('serves an asset uploaded and processed through one process from the other', { timeout: 60_000 }, async () => {
    const [a, b] = servers;
    const client = managementClient(a);
    const spaceId = (await client.space.create({}, { name: 'Shared files' })).sys.id;
    const env = { spaceId, environmentId: 'master' };
    const png = makePng(64, 32);
    const upload = await client.upload.create({ spaceId }, { file: png as never });
    const asset = await client.asset.create(env, {
      fields: {
        title: { 'en-US': 'Shared' },
        file: {
          'en-US': {
            fileName: 'shared.png',
            contentType: 'image/png',
            uploadFrom: { sys: { type: 'Link', linkType: 'Upload', id: upload.sys.id } },
          },
        },
      },
    } as never);
    const processed = await client.asset.processForAllLocales(env, asset, { processingCheckWait: 50, processingCheckRetries: 200 });
    const urlPath = new URL(`http:${processed.fields.file['en-US'].url}`).pathname;

    const fromB = await fetch(`${b.baseUrl}${urlPath}`);
    expect(fromB.status).toBe(200);
    expect(fromB.headers.get('etag')).toBe(`"${sha256(png)}"`);
    expect(Buffer.from(await fromB.arrayBuffer()).equals(png)).toBe(true);
    const partial = await fetch(`${b.baseUrl}${urlPath}`, { headers: { range: 'bytes=0-7' } });
    expect(partial.status).toBe(206);
    expect(Buffer.from(await partial.arrayBuffer()).equals(png.subarray(0, 8))).toBe(true);
    expect((await fetch(`${b.baseUrl}${urlPath}`, { headers: { 'if-none-match': `"${sha256(png)}"` } })).status).toBe(304);

    // A variant computed by B is stored once and served by A as it is.
    const variantFromB = await fetch(`${b.baseUrl}${urlPath}?w=16&fm=png`);
    expect(variantFromB.status).toBe(200);
    const variantBytes = Buffer.from(await variantFromB.arrayBuffer());
    expect(await sharp(variantBytes).metadata()).toMatchObject({ format: 'png', width: 16, height: 8 });
    const variantFromA = await fetch(`${a.baseUrl}${urlPath}?w=16&fm=png`);
    expect(variantFromA.status).toBe(200);
    expect(variantFromA.headers.get('etag')).toBe(`"${sha256(variantBytes)}"`);
    expect(Buffer.from(await variantFromA.arrayBuffer()).equals(variantBytes)).toBe(true);
    const fileId = urlPath.split('/')[3];
    expect(await peer.keys('variants/')).toEqual([expect.stringMatching(new RegExp(`^variants/${spaceId}/${fileId}/[0-9a-f]{40}$`))]);
  });
});
