import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertBlobKey, BlobTooLargeError, type BlobInfo, type BlobStore, type ByteRange } from './blob-store.js';

export interface S3StoreOptions {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/** User metadata holding the content's hex SHA-256 (S3's own ETag is an MD5, or not even that for multipart uploads). */
const SHA256_METADATA = 'sha256';
/** A body up to this size is sent in one PutObject; a larger one goes in parts of this size (S3's smallest part). */
const PART_BYTES = 5 * 1024 * 1024;
/** Parts uploaded at once per file: memory held by one upload is about this many parts. */
const PART_CONCURRENCY = 4;
/** The largest object one CopyObject can copy, so the largest a multipart upload can be renamed into place from. */
const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * 1024;
/** Where multipart uploads are written before they are copied into place with their SHA-256. */
const INCOMING_PREFIX = 'incoming/';
/** The content type of a file stored without one (what the file routes serve it as); S3 would say binary/octet-stream. */
const OCTET_STREAM = 'application/octet-stream';
/** Each download streaming to a client holds a connection to the store for its duration (the SDK's default is 50). */
const MAX_CONNECTIONS = 256;

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, ...), streamed both ways. The SHA-256 that serves as the
 * ETag is computed while streaming and kept as the object's metadata. S3 metadata is set when an upload
 * starts, before the hash is known, so a body larger than one part is uploaded in parts under `incoming/`
 * and then copied to its key with the hash (one server-side copy), and readers never see it without one.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
      // Checksums only where S3 requires them: the default streams bodies in aws-chunked encoding with a
      // trailing checksum, which S3-compatible stores (older MinIO, Ceph, s3rver) do not all read.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { httpAgent: { maxSockets: MAX_CONNECTIONS }, httpsAgent: { maxSockets: MAX_CONNECTIONS } },
    });
  }

  async put(key: string, source: Readable, options: { limit?: number; contentType?: string } = {}): Promise<BlobInfo> {
    assertBlobKey(key);
    const limit = Math.min(options.limit ?? MAX_OBJECT_BYTES, MAX_OBJECT_BYTES);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) return done(new BlobTooLargeError(limit));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // An error of the source or of the meter (too large) ends the meter with it, so its reader sees it.
    pipeline(source, meter).catch((err) => meter.destroy(err));
    try {
      const chunks = meter[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const head: Buffer[] = [];
      let headBytes = 0;
      while (headBytes <= PART_BYTES) {
        const next = await chunks.next();
        if (next.done) return await this.putWhole(key, Buffer.concat(head), hash.digest('hex'), options.contentType);
        head.push(next.value);
        headBytes += next.value.length;
      }
      const body = async function* () {
        for (let chunk = head.shift(); chunk; chunk = head.shift()) yield chunk;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      };
      const measured = () => ({ size, etag: hash.digest('hex') });
      return await this.putInParts(key, Readable.from(body(), { objectMode: false }), measured, options.contentType);
    } catch (err) {
      // The source's own failure (or the limit) is the answer, not what the store said after it; a store
      // that failed stops reading the source.
      const cause = meter.errored ?? err;
      meter.destroy();
      throw cause;
    }
  }

  private async putWhole(key: string, body: Buffer, etag: string, contentType?: string): Promise<BlobInfo> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: contentType ?? OCTET_STREAM,
        Metadata: { [SHA256_METADATA]: etag },
      }),
    );
    return { size: body.length, etag, contentType };
  }

  private async putInParts(key: string, body: Readable, measured: () => { size: number; etag: string }, contentType?: string) {
    const incoming = `${INCOMING_PREFIX}${randomBytes(12).toString('hex')}`;
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: incoming, Body: body },
      partSize: PART_BYTES,
      queueSize: PART_CONCURRENCY,
    });
    try {
      // A failure (the body too large, the source broken) aborts the multipart upload: nothing is left.
      await upload.done();
      const info: BlobInfo = { ...measured(), contentType };
      await this.copyWithHash(incoming, key, info);
      return info;
    } finally {
      await this.delete(incoming).catch(() => undefined);
    }
  }

  private async copyWithHash(fromKey: string, toKey: string, info: BlobInfo) {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        CopySource: `${this.bucket}/${fromKey}`,
        Key: toKey,
        MetadataDirective: 'REPLACE',
        Metadata: { [SHA256_METADATA]: info.etag },
        ContentType: info.contentType ?? OCTET_STREAM,
      }),
    );
  }

  async copy(fromKey: string, toKey: string, options: { contentType?: string } = {}): Promise<BlobInfo> {
    const source = await this.stat(fromKey);
    if (!source) throw new Error(`No blob at ${fromKey}`);
    const info: BlobInfo = { size: source.size, etag: source.etag, contentType: options.contentType };
    await this.copyWithHash(assertBlobKey(fromKey), assertBlobKey(toKey), info);
    return info;
  }

  get(key: string, range?: ByteRange): Readable {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: assertBlobKey(key),
      Range: range ? `bytes=${range.start}-${range.end}` : undefined,
    });
    const out = new PassThrough();
    // A reader that goes away before S3 answers cancels the request; after, destroying `out` ends the body.
    const cancel = new AbortController();
    let answered = false;
    out.once('close', () => {
      if (!answered) cancel.abort();
    });
    this.client
      .send(command, { abortSignal: cancel.signal })
      .then((response) => {
        answered = true;
        return pipeline(response.Body as Readable, out);
      })
      .catch((err) => out.destroy(err));
    return out;
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertBlobKey(key) }));
      return {
        size: head.ContentLength ?? 0,
        // An object put in the bucket by another tool has no SHA-256: its own ETag still validates it.
        etag: head.Metadata?.[SHA256_METADATA] ?? (head.ETag ?? '').replaceAll('"', ''),
        contentType: head.ContentType,
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertBlobKey(key) }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    const listed = `${assertBlobKey(prefix)}/`;
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: listed, ContinuationToken: continuationToken }),
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      // A listing page holds 1000 keys at most, as many as one DeleteObjects takes.
      if (keys.length > 0)
        await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }));
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');
}
