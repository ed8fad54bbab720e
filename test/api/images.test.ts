import zlib from 'node:zlib';
import type { PlainClientAPI } from 'contentful-management';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageParameters } from '../../src/images/parameters.js';
import { variantKey, variantPrefix } from '../../src/images/variants.js';
import { expectErrorResponse } from '../helpers/assertions.js';
import { makePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const env = () => ({ spaceId, environmentId: 'master' });

const RED = [255, 0, 0, 255];
const GREEN = [0, 255, 0, 255];
const BLUE = [0, 0, 255, 255];
const YELLOW = [255, 255, 0, 255];

/** 400 x 200: red top left, green top right, blue bottom left, yellow bottom right. */
async function quadrants(width = 400, height = 200): Promise<Buffer> {
  const w = width / 2;
  const h = height / 2;
  const tile = (background: string) => ({ create: { width: w, height: h, channels: 3 as const, background } });
  return sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite([
      { input: tile('#ff0000'), left: 0, top: 0 },
      { input: tile('#00ff00'), left: w, top: 0 },
      { input: tile('#0000ff'), left: 0, top: h },
      { input: tile('#ffff00'), left: w, top: h },
    ])
    .png()
    .toBuffer();
}

async function processedUrl(file: Buffer, fileName: string, contentType: string): Promise<string> {
  const asset = await client.asset.createFromFiles(env(), {
    fields: { title: { 'en-US': fileName }, description: {}, file: { 'en-US': { file, fileName, contentType } } },
  } as never);
  const processed = await client.asset.processForAllLocales(env(), asset, { processingCheckWait: 50, processingCheckRetries: 100 });
  return `${server.baseUrl}${new URL(`http:${processed.fields.file['en-US'].url}`).pathname}`;
}

async function image(response: Response) {
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4)];
  return { bytes, meta, width: info.width, height: info.height, pixel, type: response.headers.get('content-type') };
}

/** Colours within a few levels (lossy encoders, resampling). */
function near(actual: number[], expected: number[], tolerance = 12) {
  expect(actual.map((v, i) => Math.abs(v - expected[i]) <= tolerance)).toEqual([true, true, true, true]);
}

let pngUrl: string;
let pngBytes: Buffer;

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Images' })).sys.id;
  pngBytes = await quadrants();
  pngUrl = await processedUrl(pngBytes, 'quadrants.png', 'image/png');
});
afterAll(async () => {
  await server?.close();
});

describe('the Images API on file URLs', () => {
  it('serves the original bytes unchanged without parameters', async () => {
    const response = await fetch(pngUrl);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(pngBytes)).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/png');
    const ranged = await fetch(`${pngUrl}?download=1`, { headers: { range: 'bytes=0-3' } });
    expect(ranged.status).toBe(206);
    expect([...Buffer.from(await ranged.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('resizes keeping the aspect ratio with w or h alone, and inside the box by default', async () => {
    const byWidth = await image(await fetch(`${pngUrl}?w=100`));
    expect([byWidth.width, byWidth.height, byWidth.type]).toEqual([100, 50, 'image/png']);
    const byHeight = await image(await fetch(`${pngUrl}?h=50`));
    expect([byHeight.width, byHeight.height]).toEqual([100, 50]);
    const boxed = await image(await fetch(`${pngUrl}?w=100&h=100`));
    expect([boxed.width, boxed.height]).toEqual([100, 50]);
    near(boxed.pixel(10, 10), RED);
    near(boxed.pixel(90, 40), YELLOW);
  });

  it('keeps the animation of an animated GIF when the output is a GIF, the first frame otherwise', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 120, height: 60, channels: 3, background } })
        .png()
        .toBuffer();
    const frames = await Promise.all(['#ff0000', '#00ff00', '#0000ff'].map(frame));
    const source = await sharp(frames, { join: { animated: true } })
      .gif({ delay: [100, 100, 100], loop: 0 })
      .toBuffer();
    expect((await sharp(source).metadata()).pages).toBe(3);
    const url = await processedUrl(source, 'animated.gif', 'image/gif');
    const pages = async (query: string) => {
      const response = await fetch(`${url}?${query}`);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      const all = await sharp(bytes, { pages: -1 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const height = meta.pageHeight ?? meta.height ?? 0;
      // The centre pixel of each frame.
      const centres = Array.from({ length: meta.pages ?? 1 }, (_, i) => {
        const at = ((i * height + Math.floor(height / 2)) * all.info.width + Math.floor(all.info.width / 2)) * 4;
        return [...all.data.subarray(at, at + 4)];
      });
      return { type: response.headers.get('content-type'), meta, height, centres };
    };
    const resized = await pages('w=60');
    expect([resized.type, resized.meta.format, resized.meta.pages, resized.meta.width, resized.height]).toEqual([
      'image/gif',
      'gif',
      3,
      60,
      30,
    ]);
    near(resized.centres[0], RED);
    near(resized.centres[1], GREEN);
    near(resized.centres[2], BLUE);
    const padded = await pages('w=40&h=40&fit=pad&fm=gif');
    expect([padded.meta.pages, padded.meta.width, padded.height]).toEqual([3, 40, 40]);
    near(padded.centres[2], BLUE);
    const png = await pages('w=60&fm=png');
    expect([png.type, png.meta.format, png.meta.pages ?? 1, png.meta.width, png.meta.height]).toEqual(['image/png', 'png', 1, 60, 30]);
    near(png.centres[0], RED);
  });

  it('converts formats, with progressive JPEGs, 8-bit PNGs and quality', async () => {
    const webp = await image(await fetch(`${pngUrl}?fm=webp&w=200`));
    expect([webp.type, webp.meta.format, webp.width, webp.height]).toEqual(['image/webp', 'webp', 200, 100]);
    near(webp.pixel(20, 20), RED);
    const jpg = await image(await fetch(`${pngUrl}?fm=jpg&fl=progressive`));
    expect([jpg.type, jpg.meta.format, jpg.meta.isProgressive]).toEqual(['image/jpeg', 'jpeg', true]);
    near(jpg.pixel(300, 150), YELLOW, 20);
    const avif = await image(await fetch(`${pngUrl}?fm=avif&w=40`));
    expect([avif.type, avif.meta.format, avif.width]).toEqual(['image/avif', 'heif', 40]);
    const gif = await image(await fetch(`${pngUrl}?fm=gif&w=40`));
    expect([gif.type, gif.meta.format]).toEqual(['image/gif', 'gif']);
    const png8 = await image(await fetch(`${pngUrl}?fl=png8`));
    expect([png8.type, png8.meta.format, png8.meta.isPalette]).toEqual(['image/png', 'png', true]);
    const low = await image(await fetch(`${pngUrl}?fm=jpg&q=5`));
    const high = await image(await fetch(`${pngUrl}?fm=jpg&q=100`));
    expect(low.bytes.length).toBeLessThan(high.bytes.length);
  });

  it('pads, scales, fills, crops and makes thumbnails around the focus', async () => {
    const pad = await image(await fetch(`${pngUrl}?w=100&h=100&fit=pad&bg=rgb:ff00ff`));
    expect([pad.width, pad.height]).toEqual([100, 100]);
    near(pad.pixel(50, 5), [255, 0, 255, 255]);
    near(pad.pixel(10, 40), RED);
    const transparentPad = await image(await fetch(`${pngUrl}?w=100&h=100&fit=pad`));
    expect(transparentPad.pixel(50, 5)[3]).toBe(0);
    const whitePad = await image(await fetch(`${pngUrl}?w=100&h=100&fit=pad&fm=jpg`));
    near(whitePad.pixel(50, 5), [255, 255, 255, 255]);

    const scale = await image(await fetch(`${pngUrl}?w=100&h=100&fit=scale`));
    expect([scale.width, scale.height]).toEqual([100, 100]);
    near(scale.pixel(10, 10), RED);
    near(scale.pixel(90, 90), YELLOW);

    const fillLeft = await image(await fetch(`${pngUrl}?w=100&h=100&fit=fill&f=left`));
    expect([fillLeft.width, fillLeft.height]).toEqual([100, 100]);
    near(fillLeft.pixel(90, 10), RED);
    near(fillLeft.pixel(90, 90), BLUE);
    const fillRight = await image(await fetch(`${pngUrl}?w=100&h=100&fit=fill&f=right`));
    near(fillRight.pixel(10, 10), GREEN);
    near(fillRight.pixel(10, 90), YELLOW);
    const fillCenter = await image(await fetch(`${pngUrl}?w=100&h=100&fit=fill`));
    near(fillCenter.pixel(10, 10), RED);
    near(fillCenter.pixel(90, 10), GREEN);

    const crop = await image(await fetch(`${pngUrl}?w=100&h=50&fit=crop&f=bottom_right`));
    expect([crop.width, crop.height]).toEqual([100, 50]);
    for (const [x, y] of [
      [0, 0],
      [99, 49],
    ])
      near(crop.pixel(x, y), YELLOW);
    const cropTopLeft = await image(await fetch(`${pngUrl}?w=150&h=80&fit=crop&f=top_left`));
    expect([cropTopLeft.width, cropTopLeft.height]).toEqual([150, 80]);
    near(cropTopLeft.pixel(149, 79), RED);
    const cropCenter = await image(await fetch(`${pngUrl}?w=20&h=20&fit=crop`));
    near(cropCenter.pixel(0, 0), RED);
    near(cropCenter.pixel(19, 19), YELLOW);

    const thumb = await image(await fetch(`${pngUrl}?w=50&h=50&fit=thumb&f=top_right`));
    expect([thumb.width, thumb.height]).toEqual([50, 50]);
    near(thumb.pixel(25, 10), GREEN);
    near(thumb.pixel(25, 40), YELLOW);
    const face = await image(await fetch(`${pngUrl}?w=60&h=60&fit=thumb&f=face`));
    expect([face.width, face.height]).toEqual([60, 60]);
    const faces = await image(await fetch(`${pngUrl}?w=60&h=60&fit=fill&f=faces`));
    expect([faces.width, faces.height]).toEqual([60, 60]);
  });

  it('rounds corners and makes ellipses, transparent or on bg', async () => {
    const rounded = await image(await fetch(`${pngUrl}?r=40`));
    expect([rounded.width, rounded.height]).toEqual([400, 200]);
    expect(rounded.pixel(0, 0)[3]).toBe(0);
    near(rounded.pixel(40, 40), RED);
    near(rounded.pixel(200 + 100, 100 + 50), YELLOW);
    const onBg = await image(await fetch(`${pngUrl}?r=40&bg=rgb:00ffff`));
    near(onBg.pixel(0, 0), [0, 255, 255, 255]);
    const ellipse = await image(await fetch(`${pngUrl}?r=max&fm=jpg&w=200`));
    expect([ellipse.width, ellipse.height, ellipse.type]).toEqual([200, 100, 'image/jpeg']);
    near(ellipse.pixel(0, 0), [255, 255, 255, 255], 20);
    near(ellipse.pixel(199, 99), [255, 255, 255, 255], 20);
    near(ellipse.pixel(50, 30), RED, 20);
  });

  it('answers ETag, long caching and 304 for variants', async () => {
    const original = await fetch(pngUrl);
    const variant = await fetch(`${pngUrl}?w=120&fm=webp`);
    expect(variant.status).toBe(200);
    const etag = variant.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(etag).not.toBe(original.headers.get('etag'));
    expect(variant.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Number(variant.headers.get('content-length'))).toBe((await variant.arrayBuffer()).byteLength);
    const again = await fetch(`${pngUrl}?fm=webp&w=120`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('answers 400 BadRequest for invalid parameters', async () => {
    for (const [query, message] of [
      ['w=0', 'The parameter "w" must be an integer between 1 and 4000, got "0"'],
      ['w=5000', 'The parameter "w" must be an integer between 1 and 4000, got "5000"'],
      ['h=abc', 'The parameter "h" must be an integer between 1 and 4000, got "abc"'],
      ['q=101', 'The parameter "q" must be an integer between 1 and 100, got "101"'],
      ['fit=cover', 'The parameter "fit" must be one of pad, fill, scale, crop, thumb, got "cover"'],
      ['fm=bmp', 'The parameter "fm" must be one of jpg, png, webp, gif, avif, tiff, got "bmp"'],
      ['bg=red', 'The parameter "bg" must be a color as rgb:RRGGBB (e.g. rgb:9090ff), got "red"'],
      ['w=10&w=20', 'The parameter "w" was given more than once'],
    ]) {
      const body = await expectErrorResponse(await fetch(`${pngUrl}?${query}`), 400, 'BadRequest');
      expect(body.message).toBe(message);
    }
  });

  it('ignores the parameters on files that are not images', async () => {
    const text = Buffer.from('just text, not an image');
    const url = await processedUrl(text, 'notes.txt', 'text/plain');
    const response = await fetch(`${url}?w=100&fit=nonsense`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Buffer.from(await response.arrayBuffer()).equals(text)).toBe(true);
  });

  it('refuses a decompression bomb from its header, without decoding it', async () => {
    const bomb = makePng(1, 1);
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    bomb.writeUInt32BE(zlib.crc32(bomb.subarray(12, 29)), 29);
    const url = await processedUrl(bomb, 'bomb.png', 'image/png');
    const body = await expectErrorResponse(await fetch(`${url}?w=100`), 400, 'BadRequest');
    expect(body.message).toMatch(/^The (image is too large to transform|file cannot be transformed as an image)/);
  });
});

/** The blob key of the file behind a `/files/...` URL. */
const fileKeyOf = (url: string) => new URL(url).pathname.split('/').slice(1, 4).join('/');

describe('stored variants', () => {
  it('computes a variant once, for concurrent requests and whatever the parameter order', async () => {
    const before = server.services.images.computed;
    const responses = await Promise.all(
      ['w=77&fm=webp&q=60', 'q=60&w=77&fm=webp', 'fm=webp&q=60&w=77', 'w=77&q=60&fm=webp', 'w=77&fm=webp&q=60'].map((query) =>
        fetch(`${pngUrl}?${query}`),
      ),
    );
    const etags = new Set(responses.map((response) => response.headers.get('etag')));
    expect([responses.map((r) => r.status), etags.size]).toEqual([[200, 200, 200, 200, 200], 1]);
    await Promise.all(responses.map((response) => response.arrayBuffer()));
    expect(server.services.images.computed).toBe(before + 1);
    expect((await fetch(`${pngUrl}?fm=webp&w=77&q=60`)).status).toBe(200);
    expect(server.services.images.computed).toBe(before + 1);
    const key = variantKey(fileKeyOf(pngUrl), parseImageParameters({ w: '77', fm: 'webp', q: '60' })!);
    expect(key.startsWith(`${variantPrefix(fileKeyOf(pngUrl))}/`)).toBe(true);
    expect(await server.services.blobs.stat(key)).toMatchObject({ contentType: 'image/webp' });
  });

  it('drops the variants of a deleted asset, and of a file an update replaces', async () => {
    const url = await processedUrl(await quadrants(40, 20), 'small.png', 'image/png');
    const key = variantKey(fileKeyOf(url), { w: 10 });
    expect((await fetch(`${url}?w=10`)).status).toBe(200);
    expect(await server.services.blobs.stat(key)).toBeDefined();
    const asset = (await client.asset.getMany(env())).items.find((a) => a.fields.file?.['en-US']?.url?.endsWith(new URL(url).pathname))!;
    const updated = await client.asset.update(
      { ...env(), assetId: asset.sys.id },
      {
        ...asset,
        fields: {
          ...asset.fields,
          file: { 'en-US': { fileName: 'other.png', contentType: 'image/png', upload: 'https://example.com/x.png' } },
        },
      },
    );
    expect(await server.services.blobs.stat(key)).toBeUndefined();

    const second = await processedUrl(await quadrants(40, 20), 'second.png', 'image/png');
    const secondKey = variantKey(fileKeyOf(second), { w: 12 });
    expect((await fetch(`${second}?w=12`)).status).toBe(200);
    expect(await server.services.blobs.stat(secondKey)).toBeDefined();
    const secondAsset = (await client.asset.getMany(env())).items.find((a) =>
      a.fields.file?.['en-US']?.url?.endsWith(new URL(second).pathname),
    )!;
    await client.asset.delete({ ...env(), assetId: secondAsset.sys.id });
    expect(await server.services.blobs.stat(secondKey)).toBeUndefined();
    expect(updated.sys.version).toBeGreaterThan(asset.sys.version);
  });
});

describe('the transform pool', () => {
  it('answers 503 with Retry-After when the pool and its queue are full, and serves stored variants meanwhile', async () => {
    const { pool } = server.services.images;
    const stored = await fetch(`${pngUrl}?w=33`);
    expect(stored.status).toBe(200);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const blockers = Array.from({ length: pool.concurrency + pool.queueLimit }, () => pool.run(() => gate));
    expect([pool.running, pool.queued]).toEqual([pool.concurrency, pool.queueLimit]);
    const refused = await fetch(`${pngUrl}?w=34`);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = await expectErrorResponse(refused, 503, 'ServiceUnavailable');
    expect(body.message).toBe('Too many images are being transformed; retry shortly');
    expect((await fetch(`${pngUrl}?w=33`)).status).toBe(200);
    release();
    await Promise.all(blockers);
    expect([pool.running, pool.queued]).toEqual([0, 0]);
    expect((await fetch(`${pngUrl}?w=34`)).status).toBe(200);
  });

  it('runs 20 concurrent different transforms of a large image while the API keeps answering', async () => {
    const large = await sharp(await quadrants(2400, 2400))
      .jpeg({ quality: 90 })
      .toBuffer();
    const url = await processedUrl(large, 'large.jpg', 'image/jpeg');
    const transforms = Array.from({ length: 20 }, (_, i) => fetch(`${url}?w=${200 + i * 10}&fm=webp`));
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect((await client.space.get({ spaceId })).sys.id).toBe(spaceId);
    const responses = await Promise.all(transforms);
    for (const [i, response] of responses.entries()) {
      const result = await image(response);
      expect([result.type, result.width, result.height]).toEqual(['image/webp', 200 + i * 10, 200 + i * 10]);
    }
  });
});
