import sharp, { type Sharp } from 'sharp';
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

/**
 * A checked transform, its source's header read: the output size, the native memory its pipeline is expected
 * to hold at its peak (so the caller can bound the sum over concurrent transforms), and the work itself.
 */
export interface PlannedTransform {
  width: number;
  height: number;
  memoryBytes: number;
  run(): Promise<TransformedImage>;
}

const MB = 1024 * 1024;

/** libaom's speed for AVIF: sharp's default (4) takes ~14 s for a 1600px image on one core, 2 takes ~2 s. */
const AVIF_EFFORT = 2;

/**
 * Peak bytes per output pixel of each encoder, measured with libvips' sequential decoding (bench/README.md):
 * libwebp, libaom and cgif keep the whole picture and their analysis buffers; baseline JPEG streams, but a
 * progressive one keeps every DCT coefficient.
 */
const ENCODER_BYTES_PER_PIXEL: Record<ImageFormat, number> = { jpg: 1, png: 5, webp: 16, gif: 14, avif: 40, tiff: 1 };
const PROGRESSIVE_JPEG_BYTES_PER_PIXEL = 7;
const PALETTE_PNG_BYTES_PER_PIXEL = 8;
/** JPEG and PNG decode line by line; the other decoders hold the whole RGBA image. */
const STREAMED_SOURCES = new Set<ImageFormat>(['jpg', 'png']);
/** libvips' threads, tile caches and the pipeline's own buffers, whatever the size. */
const PIPELINE_BYTES = 16 * MB;

/** Width and height of the answer, and of the resized image before a `cover` crop. */
function outputSize(t: ImageTransform, iw: number, ih: number) {
  const both = t.w !== undefined && t.h !== undefined;
  if (t.fit === 'crop' && (t.w !== undefined || t.h !== undefined) && t.f !== 'face' && t.f !== 'faces') {
    const size = { width: Math.min(t.w ?? iw, iw), height: Math.min(t.h ?? ih, ih) };
    return { ...size, before: size };
  }
  if (both && (t.fit === 'fill' || t.fit === 'thumb' || t.fit === 'crop')) {
    const scale = Math.max(t.w! / iw, t.h! / ih);
    return { width: t.w!, height: t.h!, before: { width: Math.ceil(iw * scale), height: Math.ceil(ih * scale) } };
  }
  let size = { width: iw, height: ih };
  if (both) size = { width: t.w!, height: t.h! };
  else if (t.w !== undefined) size = { width: t.w, height: Math.max(1, Math.round((ih * t.w) / iw)) };
  else if (t.h !== undefined) size = { width: Math.max(1, Math.round((iw * t.h) / ih)), height: t.h };
  return { ...size, before: size };
}

function memoryEstimate(t: ImageTransform, source: ImageFormat, format: ImageFormat, input: Buffer, dims: Dims): number {
  const out = dims.width * dims.height * dims.frames;
  const encoder =
    format === 'jpg' && t.fl?.includes('progressive')
      ? PROGRESSIVE_JPEG_BYTES_PER_PIXEL
      : format === 'png' && t.fl?.includes('png8')
        ? PALETTE_PNG_BYTES_PER_PIXEL
        : ENCODER_BYTES_PER_PIXEL[format];
  const decoded = STREAMED_SOURCES.has(source) ? 0 : dims.iw * dims.ih * dims.frames * 4;
  // The attention strategy scores the whole resized image; rounded corners hold two RGBA copies of the answer.
  const saliency = t.f === 'face' || t.f === 'faces' ? dims.before.width * dims.before.height * 4 : 0;
  const rounding = t.r !== undefined ? out * 8 : 0;
  return PIPELINE_BYTES + input.length + out * encoder + decoded + saliency + rounding;
}

interface Dims {
  iw: number;
  ih: number;
  width: number;
  height: number;
  before: { width: number; height: number };
  frames: number;
}

/** Reads the source's header and checks it: unreadable or oversized sources are a 400, nothing is decoded. */
export async function planImageTransform(input: Buffer, t: ImageTransform, maxInputPixels = MAX_INPUT_PIXELS): Promise<PlannedTransform> {
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
  const iw = meta.autoOrient?.width ?? meta.width ?? 0;
  const ih = meta.autoOrient?.height ?? meta.height ?? 0;
  // As on Contentful, an animated GIF stays animated when the output is a GIF (every frame resized,
  // cropped and padded alike); other formats, and rounded corners, take the first frame.
  const frames = source === 'gif' && format === 'gif' && t.r === undefined ? Math.min(meta.pages ?? 1, MAX_ANIMATION_FRAMES) : 1;
  if (frames > 1 && iw * ih * frames > maxInputPixels) {
    throw badRequest(`The animation is too large to transform (more than ${maxInputPixels} pixels over its frames)`);
  }
  const dims: Dims = { iw, ih, frames, ...outputSize(t, iw, ih) };
  return {
    width: dims.width,
    height: dims.height,
    memoryBytes: memoryEstimate(t, source, format, input, dims),
    run: () => encode(open(frames), t, format, iw, ih),
  };
}

/** Applies an Images API transform to the bytes of an image. Unreadable or oversized sources are a 400. */
export async function transformImage(input: Buffer, t: ImageTransform, maxInputPixels = MAX_INPUT_PIXELS): Promise<TransformedImage> {
  return (await planImageTransform(input, t, maxInputPixels)).run();
}

async function encode(source: Sharp, t: ImageTransform, format: ImageFormat, iw: number, ih: number): Promise<TransformedImage> {
  const alpha = ALPHA_FORMATS.has(format);
  const background = t.bg ? color(t.bg) : alpha ? TRANSPARENT : WHITE;
  try {
    let image = source;
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
      const { width, height, channels } = info;
      const rx = t.r === 'max' ? width / 2 : Math.min(t.r, width / 2);
      const ry = t.r === 'max' ? height / 2 : Math.min(t.r, height / 2);
      const mask = Buffer.from(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="0" y="0" width="${width}" height="${height}" rx="${rx}" ry="${ry}" fill="#fff"/></svg>`,
      );
      // sharp flattens before it composes: the rounded pixels go through a second pipeline, uncompressed.
      const rounded = await sharp(data, { raw: { width, height, channels } })
        .composite([{ input: mask, blend: 'dest-in' }])
        .raw()
        .toBuffer();
      image = sharp(rounded, { raw: { width, height, channels } });
      if (t.bg) image = image.flatten({ background });
    }
    if (!alpha) image = image.flatten({ background: t.bg ? background : WHITE });

    const progressive = t.fl?.includes('progressive') ?? false;
    switch (format) {
      case 'jpg':
        // Huffman optimisation keeps the whole image's coefficients (~100 MB at 4000px) for a ~4% smaller file.
        image = image.jpeg({ quality: t.q, progressive, optimiseCoding: progressive });
        break;
      case 'png':
        image = image.png({ palette: t.fl?.includes('png8') ?? false, progressive });
        break;
      case 'webp':
        image = image.webp({ quality: t.q });
        break;
      case 'avif':
        image = image.avif({ quality: t.q, effort: AVIF_EFFORT });
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
