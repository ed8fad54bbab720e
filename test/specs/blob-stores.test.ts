import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BlobTooLargeError, type BlobStore } from '../../src/storage/blob-store.js';
import { FilesystemBlobStore } from '../../src/storage/filesystem-store.js';
import { S3BlobStore } from '../../src/storage/s3-store.js';
import { startS3Peer, type S3Peer } from '../helpers/s3.js';

/**
 * The blob store contract, run against both stores: the filesystem under a temporary directory and the
 * S3 store on an S3-compatible server (s3rver) in this process.
 */

const MB = 1024 * 1024;
/** The chunks a streamed test file is made of; byte `i` of the file is `byteAt(i)`. */
const CHUNK = 64 * 1024;
const byteAt = (i: number) => Math.floor(i / CHUNK) % 251;

/** A file of `size` bytes made one chunk at a time as it is read, never whole in memory. */
function streamedFile(size: number, options: { failAfter?: number } = {}): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < size; offset += CHUNK) {
        if (options.failAfter !== undefined && offset >= options.failAfter) throw new Error('the source broke');
        yield Buffer.alloc(Math.min(CHUNK, size - offset), byteAt(offset));
      }
    })(),
    { objectMode: false },
  );
}

function expectedBytes(start: number, end: number): Buffer {
  return Buffer.from(Array.from({ length: end - start + 1 }, (_, k) => byteAt(start + k)));
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The size and SHA-256 of a stream, read without keeping it. */
async function digest(stream: Readable): Promise<{ size: number; etag: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, etag: hash.digest('hex') };
}

interface Backend {
  store: BlobStore;
  /** Everything the store holds, as its own names (files and their sidecars; object keys). */
  contents(): Promise<string[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function filesystemBackend(): Promise<Backend> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-blobs-'));
  return {
    store: new FilesystemBlobStore(root),
    async contents() {
      const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
    },
    async reset() {
      await fs.rm(root, { recursive: true, force: true });
      await fs.mkdir(root);
    },
    close: () => fs.rm(root, { recursive: true, force: true }),
  };
}

async function s3Backend(): Promise<Backend> {
  const peer: S3Peer = await startS3Peer();
  return { store: new S3BlobStore(peer.options), contents: () => peer.keys(), reset: () => peer.clear(), close: () => peer.close() };
}

describe.each([
  { name: 'filesystem', open: filesystemBackend },
  { name: 'S3', open: s3Backend },
])('the $name blob store', ({ open }) => {
  let backend: Backend;
  let store: BlobStore;
  beforeAll(async () => {
    backend = await open();
    store = backend.store;
  });
  beforeEach(async () => {
    await backend.reset();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('stores a stream with its size, SHA-256 and content type, and reads it back', async () => {
    const info = await store.put('files/s1/a', Readable.from([Buffer.from('hello '), Buffer.from('world')]), { contentType: 'text/plain' });
    const expected = { size: 11, etag: sha256('hello world'), contentType: 'text/plain' };
    expect(info).toEqual(expected);
    expect(await store.stat('files/s1/a')).toEqual(expected);
    expect((await readAll(store.get('files/s1/a'))).toString()).toBe('hello world');
  });

  it('stores an empty file and one without a content type', async () => {
    expect(await store.put('files/s1/empty', Readable.from([]))).toEqual({ size: 0, etag: sha256(''), contentType: undefined });
    const stat = await store.stat('files/s1/empty');
    expect({ size: stat?.size, etag: stat?.etag }).toEqual({ size: 0, etag: sha256('') });
    // Served as application/octet-stream either way: S3 gives every object a content type.
    expect([undefined, 'application/octet-stream']).toContain(stat?.contentType);
    expect((await readAll(store.get('files/s1/empty'))).length).toBe(0);
  });

  it('reads byte ranges', async () => {
    await store.put('files/s1/a', Readable.from([Buffer.from('hello world')]));
    expect((await readAll(store.get('files/s1/a', { start: 2, end: 5 }))).toString()).toBe('llo ');
    expect((await readAll(store.get('files/s1/a', { start: 10, end: 10 }))).toString()).toBe('d');
    expect((await readAll(store.get('files/s1/a', { start: 0, end: 10 }))).toString()).toBe('hello world');
  });

  it('knows nothing of a missing key: stat is undefined and reading it fails', async () => {
    expect(await store.stat('files/s1/missing')).toBeUndefined();
    await expect(readAll(store.get('files/s1/missing'))).rejects.toThrow();
  });

  it('replaces a key that is stored again', async () => {
    await store.put('files/s1/a', Readable.from([Buffer.from('first')]), { contentType: 'text/plain' });
    await store.put('files/s1/a', Readable.from([Buffer.from('second')]), { contentType: 'text/csv' });
    expect(await store.stat('files/s1/a')).toEqual({ size: 6, etag: sha256('second'), contentType: 'text/csv' });
    expect((await readAll(store.get('files/s1/a'))).toString()).toBe('second');
  });

  it('copies under a new key with the content type it is given', async () => {
    await store.put('files/s1/a', Readable.from([Buffer.from('<p>hi</p>')]), { contentType: 'text/plain' });
    const expected = { size: 9, etag: sha256('<p>hi</p>'), contentType: 'text/html' };
    expect(await store.copy('files/s1/a', 'files/s2/b', { contentType: 'text/html' })).toEqual(expected);
    expect(await store.stat('files/s2/b')).toEqual(expected);
    expect((await readAll(store.get('files/s2/b'))).toString()).toBe('<p>hi</p>');
    expect(await store.stat('files/s1/a')).toEqual({ ...expected, contentType: 'text/plain' });
  });

  it('deletes one key, and deleting a missing key is no error', async () => {
    await store.put('files/s1/a', Readable.from([Buffer.from('a')]));
    await store.put('files/s1/b', Readable.from([Buffer.from('b')]));
    await store.delete('files/s1/a');
    await store.delete('files/s1/never');
    expect(await store.stat('files/s1/a')).toBeUndefined();
    expect(await store.stat('files/s1/b')).toMatchObject({ size: 1 });
  });

  it('deletes every key under a prefix, past one listing page, and nothing beside it', { timeout: 120_000 }, async () => {
    const under = Array.from({ length: 1005 }, (_, i) => `variants/s1/f1/v${i}`);
    const beside = ['variants/s1/f10/v1', 'variants/s1/f2/v1', 'files/s1/f1'];
    const keys = [...under, ...beside];
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, Readable.from([Buffer.from(key)]))));
    }
    await store.deletePrefix('variants/s1/f1');
    expect(await store.stat('variants/s1/f1/v0')).toBeUndefined();
    expect(await store.stat('variants/s1/f1/v1004')).toBeUndefined();
    for (const key of beside) expect(await store.stat(key)).toMatchObject({ size: key.length, etag: sha256(key) });
    await store.deletePrefix('variants/s9/none');
    await Promise.all(beside.map((key) => store.delete(key)));
    expect(await backend.contents()).toEqual([]);
  });

  it('refuses a small body over the limit and keeps nothing', async () => {
    const failed = store.put('files/s1/big', Readable.from([Buffer.from('0123456789'), Buffer.from('x')]), { limit: 10 });
    await expect(failed).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(failed).rejects.toMatchObject({ limit: 10 });
    expect(await store.stat('files/s1/big')).toBeUndefined();
    expect(await backend.contents()).toEqual([]);
    expect(await store.put('files/s1/fits', Readable.from([Buffer.from('0123456789')]), { limit: 10 })).toMatchObject({ size: 10 });
  });

  it('refuses a body larger than one upload part over the limit and keeps nothing', async () => {
    const failed = store.put('files/s1/big', streamedFile(12 * MB), { limit: 7 * MB });
    await expect(failed).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(failed).rejects.toMatchObject({ limit: 7 * MB });
    expect(await store.stat('files/s1/big')).toBeUndefined();
    expect(await backend.contents()).toEqual([]);
  });

  it('keeps nothing of a source that breaks midway', async () => {
    await expect(store.put('files/s1/broken', streamedFile(12 * MB, { failAfter: 6 * MB }))).rejects.toThrow('the source broke');
    await expect(store.put('files/s1/broken', streamedFile(1 * MB, { failAfter: MB / 2 }))).rejects.toThrow('the source broke');
    expect(await store.stat('files/s1/broken')).toBeUndefined();
    expect(await backend.contents()).toEqual([]);
  });

  it('streams a file of several upload parts in and out, with ranges across part boundaries', { timeout: 120_000 }, async () => {
    const size = 13 * MB + 12345;
    const expected = await digest(streamedFile(size));
    const info = await store.put('files/s1/large', streamedFile(size), { contentType: 'video/mp4' });
    expect(info).toEqual({ ...expected, contentType: 'video/mp4' });
    expect(await store.stat('files/s1/large')).toEqual(info);
    expect(await digest(store.get('files/s1/large'))).toEqual(expected);
    for (const [start, end] of [
      [5 * MB - 3, 5 * MB + 2],
      [10 * MB - 1, 10 * MB],
      [size - 7, size - 1],
    ]) {
      expect((await readAll(store.get('files/s1/large', { start, end }))).equals(expectedBytes(start, end))).toBe(true);
    }
    const copied = await store.copy('files/s1/large', 'files/s2/large', { contentType: 'video/mp4' });
    expect(copied).toEqual(info);
    expect(await digest(store.get('files/s2/large'))).toEqual(expected);
  });

  it('stays usable when readers go away before the end or before the store answers', async () => {
    await store.put('files/s1/large', streamedFile(8 * MB));
    const early = store.get('files/s1/large');
    early.destroy();
    const partway = store.get('files/s1/large');
    expect((await new Promise<Buffer>((resolve) => partway.once('data', resolve))).length).toBeGreaterThan(0);
    partway.destroy();
    expect(await digest(store.get('files/s1/large'))).toEqual(await digest(streamedFile(8 * MB)));
  });
});
