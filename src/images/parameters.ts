import { badRequest } from '../domain/errors.js';

/**
 * Contentful's Images API parameters (https://www.contentful.com/developers/docs/references/images-api/):
 * parsed, checked and normalized in one place, for the `/files/...` route and GraphQL's `Asset.url(transform:)`.
 */
export const IMAGE_FITS = ['pad', 'fill', 'scale', 'crop', 'thumb'] as const;
export const IMAGE_FOCI = [
  'center',
  'top',
  'right',
  'left',
  'bottom',
  'top_right',
  'top_left',
  'bottom_right',
  'bottom_left',
  'face',
  'faces',
] as const;
export const IMAGE_FORMATS = ['jpg', 'png', 'webp', 'gif', 'avif', 'tiff'] as const;
export const IMAGE_FLAGS = ['progressive', 'png8'] as const;
export const MAX_IMAGE_SIZE = 4000;

export type ImageFit = (typeof IMAGE_FITS)[number];
export type ImageFocus = (typeof IMAGE_FOCI)[number];
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
export type ImageFlag = (typeof IMAGE_FLAGS)[number];

export interface ImageTransform {
  w?: number;
  h?: number;
  fit?: ImageFit;
  f?: ImageFocus;
  /** Corner radius in pixels, or `max` for a circle or ellipse. */
  r?: number | 'max';
  /** `rrggbb`, lower case. */
  bg?: string;
  fm?: ImageFormat;
  fl?: ImageFlag[];
  q?: number;
}

/** The query string names the Images API reads; anything else on a file URL is ignored. */
export const IMAGE_PARAMETER_NAMES = ['w', 'h', 'fit', 'f', 'r', 'bg', 'fm', 'fl', 'q'] as const;

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw badRequest(`The parameter "${name}" was given more than once`);
  return String(value);
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw badRequest(`The parameter "${name}" must be an integer between ${min} and ${max}, got "${value.slice(0, 40)}"`);
  }
  return Number(value);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw badRequest(`The parameter "${name}" must be one of ${allowed.join(', ')}, got "${value.slice(0, 40)}"`);
  }
  return value as T;
}

/** True when the query carries at least one Images API parameter. */
export function hasImageParameters(query: Query): boolean {
  return IMAGE_PARAMETER_NAMES.some((name) => query[name] !== undefined);
}

/**
 * Parses the Images API parameters of a query string; throws a 400 `BadRequest` naming the first invalid
 * one. Returns undefined when there are none (the original is served).
 */
export function parseImageParameters(query: Query): ImageTransform | undefined {
  if (!hasImageParameters(query)) return undefined;
  const t: ImageTransform = {};
  const w = single(query, 'w');
  if (w !== undefined) t.w = integer('w', w, 1, MAX_IMAGE_SIZE);
  const h = single(query, 'h');
  if (h !== undefined) t.h = integer('h', h, 1, MAX_IMAGE_SIZE);
  const fit = single(query, 'fit');
  if (fit !== undefined) t.fit = oneOf('fit', fit, IMAGE_FITS);
  const f = single(query, 'f');
  if (f !== undefined) t.f = oneOf('f', f, IMAGE_FOCI);
  const r = single(query, 'r');
  if (r !== undefined) t.r = r === 'max' ? 'max' : integer('r', r, 0, MAX_IMAGE_SIZE);
  const bg = single(query, 'bg');
  if (bg !== undefined) {
    const match = /^rgb:([0-9a-fA-F]{6})$/.exec(bg);
    if (!match) throw badRequest(`The parameter "bg" must be a color as rgb:RRGGBB (e.g. rgb:9090ff), got "${bg.slice(0, 40)}"`);
    t.bg = match[1].toLowerCase();
  }
  const fm = single(query, 'fm');
  if (fm !== undefined) t.fm = oneOf('fm', fm, IMAGE_FORMATS);
  const fl = single(query, 'fl');
  if (fl !== undefined) t.fl = [...new Set(fl.split(',').map((flag) => oneOf('fl', flag, IMAGE_FLAGS)))].sort();
  const q = single(query, 'q');
  if (q !== undefined) t.q = integer('q', q, 1, 100);
  if (t.r === 0) delete t.r;
  return t;
}

/**
 * The canonical form of a transform: parameters in a fixed order, normalized values. Two URLs that ask
 * for the same image have the same key (the variant's name in the blob store).
 */
export function normalizedImageKey(t: ImageTransform): string {
  const parts: string[] = [];
  for (const name of [...IMAGE_PARAMETER_NAMES].sort()) {
    const value = t[name];
    if (value === undefined) continue;
    parts.push(`${name}=${Array.isArray(value) ? value.join(',') : String(value)}`);
  }
  return parts.join('&');
}
