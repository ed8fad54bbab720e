import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pathIds } from '../../http/route-schemas.js';

/** The Upload API: raw bodies are passed through as streams, to be written straight to storage. */
export const uploadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { uploads } = app;
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
  // Uploads are bounded by UPLOAD_LIMIT_BYTES while streaming, not by the JSON body limit.
  const bodyLimit = Number.MAX_SAFE_INTEGER;
  const description = 'The file as `application/octet-stream`; answers with the Upload to link from an asset.';

  for (const [prefix, prefixIds] of [
    ['/spaces/:spaceId', ['spaceId']],
    ['/spaces/:spaceId/environments/:environmentId', ['spaceId', 'environmentId']],
  ] as const) {
    const spaceParams = pathIds(...prefixIds);
    const uploadParams = pathIds(...prefixIds, 'uploadId');
    app.post(
      `${prefix}/uploads`,
      { bodyLimit, schema: { params: spaceParams, description, consumes: ['application/octet-stream'] } },
      async (request, reply) => {
        // The body is the stream the parser above passed through; the params are one of the two prefixes'.
        const { spaceId, environmentId } = request.params as { spaceId: string; environmentId?: string };
        const upload = await uploads.create(request.actor, spaceId, environmentId, request.body as Readable);
        return reply.status(201).send(upload);
      },
    );
    app.get(`${prefix}/uploads/:uploadId`, { schema: { params: uploadParams } }, async (request) =>
      uploads.get(request.actor, request.params.spaceId, request.params.uploadId),
    );
    app.delete(`${prefix}/uploads/:uploadId`, { schema: { params: uploadParams } }, async (request, reply) => {
      await uploads.delete(request.actor, request.params.spaceId, request.params.uploadId);
      return reply.status(204).send();
    });
  }
};
