import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3StoreOptions } from '../../src/storage/s3-store.js';

/**
 * s3rver seals its listing continuation tokens with single DES, which OpenSSL 3 (Node 17+) has only in its
 * legacy provider (s3rver issue #818), so a listing of more than one page fails. Triple DES with three equal
 * keys is single DES, and is in the default provider: the tokens are the same bytes.
 */
function letS3rverPaginate() {
  const tripled = (key: crypto.CipherKey) => Buffer.concat([key as Buffer, key as Buffer, key as Buffer]);
  const { createCipheriv, createDecipheriv } = crypto;
  if ((createCipheriv as { desAsTripleDes?: true }).desAsTripleDes) return;
  const cipher = ((algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: never) =>
    algorithm === 'des'
      ? createCipheriv('des-ede3-cbc', tripled(key), iv)
      : createCipheriv(algorithm, key, iv, options)) as typeof createCipheriv;
  const decipher = ((algorithm: string, key: crypto.CipherKey, iv: crypto.BinaryLike | null, options?: never) =>
    algorithm === 'des'
      ? createDecipheriv('des-ede3-cbc', tripled(key), iv)
      : createDecipheriv(algorithm, key, iv, options)) as typeof createDecipheriv;
  crypto.createCipheriv = Object.assign(cipher, { desAsTripleDes: true as const });
  crypto.createDecipheriv = decipher;
}

/** s3rver's built-in account. */
const ACCESS_KEY = 'S3RVER';

export interface S3Peer {
  /** The settings of an S3BlobStore on this peer's bucket. */
  options: S3StoreOptions;
  /** The same as a server's S3_* environment. */
  env: Record<string, string>;
  /** Every key in the bucket under `prefix`, sorted (what a store left behind). */
  keys(prefix?: string): Promise<string[]>;
  /** Empties the bucket. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** An S3-compatible server (s3rver) on an ephemeral port with one empty bucket, its objects in a temporary directory. */
export async function startS3Peer(bucket = 'bucket'): Promise<S3Peer> {
  letS3rverPaginate();
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const options: S3StoreOptions = {
    bucket,
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
    forcePathStyle: true,
  };
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
  });
  const keys = async (prefix = '') => {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      found.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort();
  };
  return {
    options,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: options.endpoint!,
      S3_REGION: options.region,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    },
    keys,
    async clear() {
      const all = await keys();
      for (let i = 0; i < all.length; i += 1000) {
        const Objects = all.slice(i, i + 1000).map((Key) => ({ Key }));
        await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects, Quiet: true } }));
      }
    },
    async close() {
      client.destroy();
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
