import type { Readable } from 'node:stream';

export interface BlobInfo {
  size: number;
  /** A strong validator of the content (hex SHA-256). */
  etag: string;
  contentType?: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * Where uploaded and processed files live. Keys are `/`-separated paths of safe segments. The filesystem
 * store is the default; an S3-compatible store can take its place with the same contract.
 */
export interface BlobStore {
  /** Streams `source` into the store; `limit` bytes at most (a larger body fails and leaves nothing). */
  put(key: string, source: Readable, options?: { limit?: number; contentType?: string }): Promise<BlobInfo>;
  copy(fromKey: string, toKey: string, options?: { contentType?: string }): Promise<BlobInfo>;
  get(key: string, range?: ByteRange): Readable;
  stat(key: string): Promise<BlobInfo | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes every blob whose key is `prefix` followed by `/...` (an S3 store lists the prefix). */
  deletePrefix(prefix: string): Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${limit} bytes`);
  }
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Refuses keys that could leave the store (`..`, absolute paths, odd characters). */
export function assertBlobKey(key: string): string {
  const segments = key.split('/');
  if (segments.length === 0 || segments.length > 8 || !segments.every((s) => SEGMENT.test(s) && s !== '..' && s !== '.')) {
    throw new Error(`Invalid blob key: ${JSON.stringify(key.slice(0, 100))}`);
  }
  return key;
}
