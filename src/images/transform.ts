import sharp from 'sharp';
import { badRequest } from '../domain/errors.js';
import type { ImageFocus, ImageFormat, ImageTransform } from './parameters.js';

/** Largest image (width x height of the source) decoded: a decompression bomb is refused from its header. */
export const MAX_INPUT_PIXELS = 100_000_000;

/**
 * Most frames of an animated GIF kept when the output is a GIF; later frames are dropped. The pixels of
 * all kept frames together stay under the input limit as well.
 */
export const MAX_ANIMATION_FRAMES = 200;

/** The formats sharp decodes and the Images API transforms; any other file is served as it is. */
const SOURCE_FORMATS: Record<string, ImageFormat> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  heif: 'avif',
  tiff: 'tiff',
};

export const TRANSFORMABLE_CONTENT_TYPES = new Set([
  'image/jpeg',
  'image/jpg',
  'image/pjpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
]);

export const IMAGE_CONTENT_TYPES: Record<ImageFormat, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
};

/** Formats that keep an alpha channel: padding and rounded corners stay transparent there unless `bg` is given. */
const ALPHA_FORMATS = new Set<ImageFormat>(['png', 'webp', 'gif', 'avif', 'tiff']);

const GRAVITY: Record<Exclude<ImageFocus, 'face' | 'faces'>, string> = {
  center: 'centre',
  top: 'north',
  right: 'east',
  left: 'west',
  bottom: 'south',
  top_right: 'northeast',
  top_left: 'northwest',
  bottom_right: 'southeast',
  bottom_left: 'southwest',
};

const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };
const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };

function color(hex: string) {
  return {
    r: Number.parseInt(hex.slice(0, 2), 16),
    g: Number.parseInt(hex.slice(2, 4), 16),
    b: Number.parseInt(hex.slice(4, 6), 16),
    alpha: 1,
  };
}

/** `face` and `faces` have no face model here: sharp's attention strategy (the most salient region) stands in. */
function position(focus: ImageFocus | undefined): string | number {
  if (focus === 'face' || focus === 'faces') return sharp.strategy.attention;
  return GRAVITY[focus ?? 'center'];
}

/** Where a `cw` x `ch` region of a `iw` x `ih` image sits for a focus (fit=crop). */
function cropOffset(focus: ImageFocus | undefined, iw: number, ih: number, cw: number, ch: number) {
  const f = focus ?? 'center';
  const left = f.endsWith('left') ? 0 : f.endsWith('right') ? iw - cw : Math.floor((iw - cw) / 2);
  const top = f.startsWith('top') ? 0 : f.startsWith('bottom') ? ih - ch : Math.floor((ih - ch) / 2);
  return { left, top };
}

export interface TransformedImage {
  data: Buffer;
  contentType: string;
}

/** Applies an Images API transform to the bytes of an image. Unreadable or oversized sources are a 400. */
export async function transformImage(input: Buffer, t: ImageTransform, maxInputPixels = MAX_INPUT_PIXELS): Promise<TransformedImage> {
  const open = (pages = 1) =>
    sharp(input, pages > 1 ? { limitInputPixels: maxInputPixels, pages } : { limitInputPixels: maxInputPixels, autoOrient: true });
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await open().metadata();
  } catch (err) {
    throw badRequest(`The file cannot be transformed as an image: ${(err as Error).message}`);
  }
  const source = meta.format ? SOURCE_FORMATS[meta.format] : undefined;
  if (!source) throw badRequest('The file cannot be transformed as an image: unsupported format');
  if ((meta.width ?? 0) * (meta.height ?? 0) > maxInputPixels) {
    throw badRequest(`The image is too large to transform (more than ${maxInputPixels} pixels)`);
  }
  const format = t.fm ?? source;
  const alpha = ALPHA_FORMATS.has(format);
  const background = t.bg ? color(t.bg) : alpha ? TRANSPARENT : WHITE;
  const iw = meta.autoOrient?.width ?? meta.width ?? 0;
  const ih = meta.autoOrient?.height ?? meta.height ?? 0;
  // As on Contentful, an animated GIF stays animated when the output is a GIF (every frame resized,
  // cropped and padded alike); other formats, and rounded corners, take the first frame.
  const frames = source === 'gif' && format === 'gif' && t.r === undefined ? Math.min(meta.pages ?? 1, MAX_ANIMATION_FRAMES) : 1;
  if (frames > 1 && iw * ih * frames > maxInputPixels) {
    throw badRequest(`The animation is too large to transform (more than ${maxInputPixels} pixels over its frames)`);
  }

  try {
    let image = open(frames);
    const both = t.w !== undefined && t.h !== undefined;
    if (t.fit === 'crop' && (t.w !== undefined || t.h !== undefined) && t.f !== 'face' && t.f !== 'faces') {
      const cw = Math.min(t.w ?? iw, iw);
      const ch = Math.min(t.h ?? ih, ih);
      image = image.extract({ ...cropOffset(t.f, iw, ih, cw, ch), width: cw, height: ch });
    } else if (both && t.fit === 'pad') {
      image = image.resize(t.w, t.h, { fit: 'contain', background });
    } else if (both && t.fit === 'scale') {
      image = image.resize(t.w, t.h, { fit: 'fill' });
    } else if (both && (t.fit === 'fill' || t.fit === 'thumb' || t.fit === 'crop')) {
      image = image.resize(t.w, t.h, { fit: 'cover', position: position(t.f) });
    } else if (t.w !== undefined || t.h !== undefined) {
      image = image.resize(t.w, t.h, { fit: 'inside' });
    }

    if (t.r !== undefined) {
      const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const { width, height } = info;
      const rx = t.r === 'max' ? width / 2 : Math.min(t.r, width / 2);
      const ry = t.r === 'max' ? height / 2 : Math.min(t.r, height / 2);
      const mask = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="0" y="0" width="${width}" height="${height}" rx="${rx}" ry="${ry}" fill="#fff"/></svg>`,
      );
      // Composition runs after flattening in one sharp pipeline: the rounded image is encoded (losslessly) first.
      const rounded = sharp(data, { raw: { width, height, channels: info.channels } }).composite([{ input: mask, blend: 'dest-in' }]);
      image = sharp(await rounded.png({ compressionLevel: 0 }).toBuffer());
      if (t.bg) image = image.flatten({ background });
    }
    if (!alpha) image = image.flatten({ background: t.bg ? background : WHITE });

    const progressive = t.fl?.includes('progressive') ?? false;
    switch (format) {
      case 'jpg':
        image = image.jpeg({ quality: t.q, progressive });
        break;
      case 'png':
        image = image.png({ palette: t.fl?.includes('png8') ?? false, progressive });
        break;
      case 'webp':
        image = image.webp({ quality: t.q });
        break;
      case 'avif':
        image = image.avif({ quality: t.q });
        break;
      case 'gif':
        image = image.gif();
        break;
      case 'tiff':
        image = image.tiff({ quality: t.q });
        break;
    }
    return { data: await image.toBuffer(), contentType: IMAGE_CONTENT_TYPES[format] };
  } catch (err) {
    if ((err as { status?: number }).status) throw err;
    throw badRequest(`The file cannot be transformed as an image: ${(err as Error).message}`);
  }
}
