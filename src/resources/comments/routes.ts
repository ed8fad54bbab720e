import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parsePaging } from '../../domain/collections.js';
import { pagingParameters, pathIds } from '../../http/route-schemas.js';
import { readVersionHeader } from '../../http/version.js';
import { environmentScoped } from '../environments/scoped-routes.js';
import type { BodyFormat } from './body.js';
import type { CommentParentType } from './repository.js';

const status = z.enum(['active', 'resolved']);
const commentBody = z.looseObject({
  body: z.union([z.string(), z.looseObject({ nodeType: z.string() })]).describe('Plain text, or a rich text document'),
  status: status.optional(),
});
const commentQuery = z
  .looseObject({ ...pagingParameters, status: status.optional().describe('Only comments of this status') })
  .transform((query) => ({ paging: parsePaging(query), status: query.status }));

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string) => {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};
/** `x-contentful-comment-body-format: rich-text` asks for rich text bodies; plain text otherwise. */
const formatOf = (headers: Headers): BodyFormat =>
  header(headers, 'x-contentful-comment-body-format') === 'rich-text' ? 'rich-text' : 'plain-text';

/** The comment routes of one kind of parent, at `/{plural}/{id}/comments`. */
function commentRoutes(plural: string, param: string, type: CommentParentType): FastifyPluginAsyncZod {
  return async (app) => {
    const { comments } = app;
    const parentParams = pathIds(param);
    const commentParams = pathIds(param, 'commentId');
    const parentOf = (params: Record<string, string>) => ({ type, id: params[param] });
    const base = `/${plural}/:${param}/comments`;
    app.get(base, { schema: { params: parentParams, querystring: commentQuery } }, async (request) =>
      comments.list(request.actor, request.scope, parentOf(request.params), request.query, formatOf(request.headers)),
    );
    app.post(base, { schema: { params: parentParams, body: commentBody } }, async (request, reply) => {
      const placement = {
        parentCommentId: header(request.headers, 'x-contentful-parent-id'),
        reference: header(request.headers, 'x-contentful-parent-entity-reference'),
      };
      const created = await comments.create(
        request.actor,
        request.scope,
        parentOf(request.params),
        request.body,
        placement,
        formatOf(request.headers),
      );
      return reply.status(201).send(created);
    });
    app.get(`${base}/:commentId`, { schema: { params: commentParams } }, async (request) =>
      comments.get(request.actor, request.scope, parentOf(request.params), request.params.commentId, formatOf(request.headers)),
    );
    app.put(`${base}/:commentId`, { schema: { params: commentParams, body: commentBody } }, async (request) =>
      comments.update(
        request.actor,
        request.scope,
        parentOf(request.params),
        request.params.commentId,
        request.body,
        readVersionHeader(request.headers),
        formatOf(request.headers),
      ),
    );
    app.delete(`${base}/:commentId`, { schema: { params: commentParams } }, async (request, reply) => {
      await comments.delete(
        request.actor,
        request.scope,
        parentOf(request.params),
        request.params.commentId,
        readVersionHeader(request.headers),
      );
      return reply.status(204).send();
    });
  };
}

/** Comments on entries and content types, as the SDK's `comment.*` calls them (`parentEntityType` Entry or ContentType). */
export const entryCommentRoutes = environmentScoped(commentRoutes('entries', 'entryId', 'Entry'));
export const contentTypeCommentRoutes = environmentScoped(commentRoutes('content_types', 'contentTypeId', 'ContentType'));
