import type { Readable } from 'node:stream';
import { imageSize } from 'image-size';
import { OutboundError, type OutboundClient } from '../../outbound/client.js';
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

/**
 * Opens a remote file for `upload` URLs through the outbound client: http(s) only, public addresses only
 * (unless private networks are allowed), redirects followed and checked hop by hop, with a time limit and
 * a size limit. A refused, unreachable or non-2xx URL is an error message for the caller's 422.
 */
export async function openRemoteFile(
  outbound: OutboundClient,
  url: string,
  options: { maxBytes?: number } = {},
): Promise<{ body: Readable } | { error: string }> {
  try {
    const response = await outbound.request(url, {
      redirect: 'follow',
      timeoutMs: URL_FETCH_TIMEOUT_MS,
      maxResponseBytes: options.maxBytes,
    });
    if (response.status < 200 || response.status >= 300) {
      response.body.destroy();
      return { error: `Fetching ${response.url} answered ${response.status}` };
    }
    return { body: response.body };
  } catch (err) {
    if (err instanceof OutboundError) return { error: err.message };
    throw err;
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
