import type { Asset, AssetFile, Locale } from '../../api/assets';
import type { EntityStatus } from '../../api/status';
import type { AccessSubject } from '../../access';

/** The formats the server's Images API resizes and converts (others are shown as they are). */
const TRANSFORMABLE = ['image/jpeg', 'image/jpg', 'image/pjpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff'];

export const isImage = (file: AssetFile | undefined) => Boolean(file?.contentType?.startsWith('image/'));

/**
 * The Images API URL of a processed image, resized to fit the size (or filling it, cut, with `fit: 'thumb'`) and converted to WebP; the
 * file as it is when the Images API cannot transform it (SVG, say); undefined for other files and files not
 * processed yet.
 */
export function imageUrl(file: AssetFile | undefined, size: { w: number; h?: number; fit?: 'thumb' }): string | undefined {
  if (!file?.url || !isImage(file)) return undefined;
  if (!TRANSFORMABLE.includes(file.contentType?.toLowerCase() ?? '')) return file.url;
  const params = new URLSearchParams({ w: String(size.w) });
  if (size.h) params.set('h', String(size.h));
  if (size.fit) params.set('fit', size.fit);
  params.set('fm', 'webp');
  return `${file.url}?${params}`;
}

/** What a file is, in a word or two: "PNG image", "PDF", "MP4 video". */
export function fileKind(file: AssetFile | undefined): string {
  const type = file?.contentType;
  if (!type) return 'No file';
  const [group, sub = ''] = type.split('/');
  const name = sub
    .replace(/^(x-|vnd\.)/, '')
    .split(/[.+;]/)[0]
    .toUpperCase();
  if (['image', 'video', 'audio'].includes(group)) return `${name} ${group}`;
  if (group === 'text') return sub === 'plain' ? 'Plain text' : `${name} text`;
  if (type === 'application/pdf') return 'PDF';
  return name || type;
}

export function formatBytes(size: number | undefined): string {
  if (size === undefined) return '';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

export const defaultLocale = (locales: Locale[]) => locales.find((l) => l.default) ?? locales[0];

/** A localized value in the locale, or in the first locale of its fallback chain that has one. */
export function inLocale<T>(values: Record<string, T> | undefined, locales: Locale[], code: string | undefined): T | undefined {
  const seen = new Set<string>();
  let current = code;
  while (current && !seen.has(current)) {
    seen.add(current);
    const value = values?.[current];
    if (value !== undefined && value !== null && value !== '') return value;
    current = locales.find((l) => l.code === current)?.fallbackCode ?? undefined;
  }
  return undefined;
}

export const assetTitle = (asset: Asset, locales: Locale[], code = defaultLocale(locales)?.code) =>
  inLocale(asset.fields.title, locales, code) ?? 'Untitled';
export const assetFile = (asset: Asset, locales: Locale[], code = defaultLocale(locales)?.code) =>
  inLocale(asset.fields.file, locales, code);

/** What a role's policies ask about an asset. */
export function accessSubject(asset: Asset): AccessSubject {
  return {
    type: 'Asset',
    id: asset.sys.id,
    createdBy: asset.sys.createdBy?.sys.id,
    tags: (asset.metadata?.tags ?? []).map((t) => t.sys.id),
  };
}

export const STATUS_LABELS: Record<EntityStatus, string> = {
  draft: 'Draft',
  changed: 'Changed',
  published: 'Published',
  archived: 'Archived',
};

/** The title an uploaded file starts with: its name without the extension. */
export const titleFromFileName = (name: string) => name.replace(/\.[^.]+$/, '') || name;
