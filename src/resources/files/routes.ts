import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, notFound } from '../../domain/errors.js';
import { queryValue } from '../../http/route-schemas.js';
import { parseImageParameters } from '../../images/parameters.js';
import { TRANSFORMABLE_CONTENT_TYPES } from '../../images/transform.js';
import { type ImageVariants, MAX_TRANSFORM_SOURCE_BYTES } from '../../images/variants.js';
import type { BlobInfo, BlobStore, ByteRange } from '../../storage/blob-store.js';
import { assetBlobKey } from './urls.js';

/** Parses a single `bytes=a-b` range; undefined for none, 'invalid' when it cannot be satisfied. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined | 'invalid' {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

/** Not held to the resource id rule: an unknown file is a 404, whatever its name. */
const fileParams = z.object({ spaceId: z.string(), fileId: z.string(), fileName: z.string() });
type FileParams = { Params: z.output<typeof fileParams> };

/** Whether the Images API transforms this file: an image of a format sharp reads, 20 MB at most (as Contentful). */
const transformable = (info: BlobInfo) =>
  info.contentType !== undefined &&
  TRANSFORMABLE_CONTENT_TYPES.has(info.contentType.toLowerCase()) &&
  info.size <= MAX_TRANSFORM_SOURCE_BYTES;

/**
 * Public, immutable file serving (like Contentful's asset CDN): ETag, 304, ranges, long caching. Images take
 * the Images API parameters (`w`, `h`, `fit`, `f`, `r`, `bg`, `fm`, `fl`, `q`); other files ignore them.
 */
/** Contentful's Images API parameters, for the document: src/images/parameters.ts checks them (400 naming the parameter). */
const imageQuery = z.looseObject({
  w: queryValue.describe('Width in pixels, 1 to 4000'),
  h: queryValue.describe('Height in pixels, 1 to 4000'),
  fit: queryValue.describe('pad, fill, scale, crop or thumb'),
  f: queryValue.describe('Focus: center, top, right, left, bottom, top_right, top_left, bottom_right, bottom_left, face, faces'),
  r: queryValue.describe('Corner radius in pixels, or max'),
  bg: queryValue.describe('Background colour, rgb:RRGGBB'),
  fm: queryValue.describe('Format: jpg, png, webp, gif, avif, tiff'),
  fl: queryValue.describe('progressive (JPEG) or png8'),
  q: queryValue.describe('Quality 1 to 100 (lossy formats)'),
});

export const fileRoutes: FastifyPluginAsyncZod<{ blobs: BlobStore; images: ImageVariants }> = async (app, { blobs, images }) => {
  const serve = async (request: FastifyRequest<FileParams>, reply: FastifyReply) => {
    const fileKey = assetBlobKey(request.params.spaceId, request.params.fileId);
    const original = await blobs.stat(fileKey).catch(() => undefined);
    if (!original) throw notFound('File');
    const transform = transformable(original) ? parseImageParameters(request.query as Record<string, unknown>) : undefined;
    const { key, info } = transform ? await images.variant(fileKey, transform) : { key: fileKey, info: original };
    const etag = `"${info.etag}"`;
    reply.header('ETag', etag);
    reply.header('Cache-Control', 'public, max-age=31536000, immutable');
    reply.header('Accept-Ranges', 'bytes');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    const range = parseRange(request.headers.range, info.size);
    if (range === 'invalid') {
      throw new ApiError('RangeNotSatisfiable', 'The requested range cannot be served', undefined, {
        'Content-Range': `bytes */${info.size}`,
      });
    }
    reply.type(info.contentType ?? 'application/octet-stream');
    reply.header('Content-Length', range ? range.end - range.start + 1 : info.size);
    if (range) reply.status(206).header('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
    return reply.send(blobs.get(key, range));
  };
  app.get(
    '/files/:spaceId/:fileId/:fileName',
    {
      compress: false,
      schema: {
        params: fileParams,
        querystring: imageQuery,
        description: "An asset file: ETag, byte ranges, long caching. Images take Contentful's Images API parameters.",
      },
    },
    serve,
  );
};
