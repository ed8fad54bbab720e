import { normalizedImageKey, parseImageParameters } from '../images/parameters.js';
import { TRANSFORMABLE_CONTENT_TYPES } from '../images/transform.js';
import { contentfulError } from './errors.js';

const FORMATS: Record<string, Record<string, string>> = {
  JPG: { fm: 'jpg' },
  JPG_PROGRESSIVE: { fm: 'jpg', fl: 'progressive' },
  PNG: { fm: 'png' },
  PNG8: { fm: 'png', fl: 'png8' },
  WEBP: { fm: 'webp' },
  AVIF: { fm: 'avif' },
};

/**
 * An asset's URL as GraphQL gives it: absolute (the stored URL is protocol-relative), with
 * `url(transform:)` turned into the Images API parameters of the same file URL, checked by the Images
 * API's own parser. Files that are not images keep their plain URL, as the Images API ignores parameters there.
 */
export function assetUrl(protocol: string, url: string, contentType: string | undefined, transform?: Record<string, unknown>): string {
  const absolute = url.startsWith('//') ? `${protocol}${url}` : url;
  if (!transform || !contentType || !TRANSFORMABLE_CONTENT_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase())) return absolute;
  const query: Record<string, string> = {};
  if (transform.width != null) query.w = String(transform.width);
  if (transform.height != null) query.h = String(transform.height);
  if (transform.quality != null) query.q = String(transform.quality);
  if (transform.cornerRadius != null) query.r = transform.cornerRadius === -1 ? 'max' : String(transform.cornerRadius);
  if (transform.resizeStrategy != null && transform.resizeStrategy !== 'FIT') query.fit = String(transform.resizeStrategy).toLowerCase();
  if (transform.resizeFocus != null) query.f = String(transform.resizeFocus).toLowerCase();
  if (transform.backgroundColor != null) query.bg = String(transform.backgroundColor);
  if (transform.format != null) Object.assign(query, FORMATS[String(transform.format)]);
  let parsed: ReturnType<typeof parseImageParameters>;
  try {
    parsed = parseImageParameters(query);
  } catch (err) {
    throw contentfulError(`Query execution error. ${(err as Error).message}`, 'BAD_USER_INPUT');
  }
  if (!parsed) return absolute;
  const params = normalizedImageKey(parsed).replace(/(^|&)bg=/, '$1bg=rgb:');
  return params ? `${absolute}?${params}` : absolute;
}
