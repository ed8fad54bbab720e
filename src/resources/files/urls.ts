import type { Config } from '../../config.js';

/** The blob-store key of an asset's file, served at `/files/<space>/<file>/<name>`. */
export const assetBlobKey = (spaceId: string, fileId: string) => `files/${spaceId}/${fileId}`;

/** Contentful-style protocol-relative URL of a processed file: `//host/files/<space>/<file>/<name>`. */
export function publicFileUrl(config: Config, spaceId: string, fileId: string, fileName: string): string {
  const host = new URL(config.publicUrl);
  const base = host.pathname.replace(/\/+$/, '');
  return `//${host.host}${base}/files/${spaceId}/${fileId}/${encodeURIComponent(fileName)}`;
}

/**
 * The blob key of a file this server serves, when `url` (absolute or protocol-relative) is one of its own
 * `/files/...` URLs; undefined otherwise.
 */
export function ownFileKey(config: Config, url: string): string | undefined {
  const own = new URL(config.publicUrl);
  let parsed: URL;
  try {
    parsed = new URL(url, own);
  } catch {
    return undefined;
  }
  const base = own.pathname.replace(/\/+$/, '');
  const match = parsed.host === own.host ? new RegExp(`^${base}/files/([^/]+)/([^/]+)/[^/]+$`).exec(parsed.pathname) : null;
  return match ? assetBlobKey(decodeURIComponent(match[1]), decodeURIComponent(match[2])) : undefined;
}
