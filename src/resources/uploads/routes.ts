import type { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { assertResourceId } from '../../domain/ids.js';

type SpaceParams = { Params: { spaceId: string; environmentId?: string } };
type UploadParams = { Params: { spaceId: string; environmentId?: string; uploadId: string } };

/** The Upload API: raw bodies are passed through as streams, to be written straight to storage. */
export const uploadRoutes: FastifyPluginAsync = async (app) => {
  const { uploads } = app.services;
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
  // Uploads are bounded by UPLOAD_LIMIT_BYTES while streaming, not by the JSON body limit.
  const bodyLimit = Number.MAX_SAFE_INTEGER;

  for (const prefix of ['/spaces/:spaceId', '/spaces/:spaceId/environments/:environmentId']) {
    app.post<SpaceParams>(`${prefix}/uploads`, { bodyLimit }, async (request, reply) => {
      const { spaceId, environmentId } = request.params;
      assertResourceId(spaceId, 'space');
      const upload = await uploads.create(request.actor, spaceId, environmentId, request.body as Readable);
      return reply.status(201).send(upload);
    });
    app.get<UploadParams>(`${prefix}/uploads/:uploadId`, async (request) =>
      uploads.get(request.actor, request.params.spaceId, request.params.uploadId),
    );
    app.delete<UploadParams>(`${prefix}/uploads/:uploadId`, async (request, reply) => {
      await uploads.delete(request.actor, request.params.spaceId, request.params.uploadId);
      return reply.status(204).send();
    });
  }
};
