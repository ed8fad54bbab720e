import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, BlobTooLargeError, type BlobInfo, type BlobStore, type ByteRange } from './blob-store.js';

/**
 * Files under a root directory. Writes go to a temporary file that is renamed into place once complete,
 * so readers never see half a file; the SHA-256 (the ETag) is computed while streaming and kept beside
 * the file.
 */
export class FilesystemBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string) {
    return path.join(this.root, ...assertBlobKey(key).split('/'));
  }

  async put(key: string, source: Readable, options: { limit?: number; contentType?: string } = {}): Promise<BlobInfo> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (options.limit !== undefined && size > options.limit) return done(new BlobTooLargeError(options.limit));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, fs.createWriteStream(temp));
      const info: BlobInfo = { size, etag: hash.digest('hex'), contentType: options.contentType };
      await fsp.writeFile(`${temp}.meta`, JSON.stringify(info));
      await fsp.rename(`${temp}.meta`, `${target}.meta`);
      await fsp.rename(temp, target);
      return info;
    } catch (err) {
      await fsp.rm(temp, { force: true });
      await fsp.rm(`${temp}.meta`, { force: true });
      throw err;
    }
  }

  async copy(fromKey: string, toKey: string, options: { contentType?: string } = {}): Promise<BlobInfo> {
    return this.put(toKey, this.get(fromKey), options);
  }

  get(key: string, range?: ByteRange): Readable {
    return fs.createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : undefined);
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const [meta, stat] = await Promise.all([fsp.readFile(`${this.pathOf(key)}.meta`, 'utf8'), fsp.stat(this.pathOf(key))]);
      const info = JSON.parse(meta) as BlobInfo;
      return { size: stat.size, etag: info.etag, contentType: info.contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.pathOf(key);
    await fsp.rm(target, { force: true });
    await fsp.rm(`${target}.meta`, { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await fsp.rm(this.pathOf(prefix), { recursive: true, force: true });
  }
}
