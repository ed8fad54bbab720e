import { Readable } from 'node:stream';
import { imageSize } from 'image-size';
import type { BlobStore } from '../../storage/blob-store.js';

export interface AssetFile {
  fileName?: string;
  contentType?: string;
  upload?: string;
  uploadFrom?: { sys: { type: 'Link'; linkType: 'Upload'; id: string } };
  url?: string;
  details?: { size: number; image?: { width: number; height: number } };
}

export const URL_FETCH_TIMEOUT_MS = 30_000;
const IMAGE_HEADER_BYTES = 512 * 1024;

/** A file field still waiting for processing (it names its source but has no `url` yet). */
export const needsProcessing = (file: AssetFile) => Boolean(file.upload || file.uploadFrom);

/** Opens a remote file for `upload` URLs: http(s) only, with a timeout; unreachable or non-2xx is an error message. */
export async function openRemoteFile(url: string): Promise<{ body: Readable } | { error: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `"${url}" is not a valid URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { error: 'Only http and https URLs can be processed' };
  try {
    const response = await fetch(parsed, { signal: AbortSignal.timeout(URL_FETCH_TIMEOUT_MS), redirect: 'follow' });
    if (!response.ok || !response.body) return { error: `Fetching ${parsed.href} answered ${response.status}` };
    return { body: Readable.fromWeb(response.body as never) };
  } catch (err) {
    return { error: `Could not fetch ${parsed.href}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Width and height of a stored image, read from its first bytes; undefined for other files. */
export async function imageDimensions(blobs: BlobStore, key: string, size: number): Promise<{ width: number; height: number } | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of blobs.get(key, { start: 0, end: Math.min(size, IMAGE_HEADER_BYTES) - 1 })) chunks.push(chunk as Buffer);
  try {
    const { width, height } = imageSize(Buffer.concat(chunks));
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}
