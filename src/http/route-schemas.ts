import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parsePaging } from '../domain/collections.js';
import { RESOURCE_ID_PATTERN } from '../domain/ids.js';

/**
 * The zod pieces route schemas are built from. Fastify validates params, body and query string with them
 * (see `routeInputCompiler` in validation.ts), handlers receive their typed output, and the OpenAPI
 * document at /openapi.json is generated from the same schemas.
 */

/** The Fastify instance a route plugin gets: its routes' input is typed by their zod schemas. */
export type ZodRoutes = Parameters<FastifyPluginAsyncZod>[0];

/** An id in the path: the rule client-chosen ids follow, checked before anything looks the id up. */
export const resourceId = z.string().regex(RESOURCE_ID_PATTERN).describe('1 to 64 letters, digits, ".", "-" or "_"');

/** The params of a route whose path ids are all resource ids, e.g. `pathIds('spaceId', 'roleId')`. */
export function pathIds<const Names extends readonly string[]>(...names: Names) {
  return z.object(Object.fromEntries(names.map((name) => [name, resourceId])) as { [Name in Names[number]]: typeof resourceId });
}

/**
 * Adds the ids of the prefix a plugin is registered under (`/spaces/:spaceId/environments/:environmentId`)
 * to the params schema of each of its routes, which declare only their own ids.
 */
export function addPrefixIds(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const prefixIds = [...(route.prefix ?? '').matchAll(/:(\w+)/g)].map((match) => match[1]);
    if (prefixIds.length === 0) return;
    const own = route.schema?.params as z.ZodObject | undefined;
    route.schema = { ...route.schema, params: pathIds(...prefixIds).extend(own?.shape ?? {}) };
  });
}

/** A query parameter as Fastify parses it: one value, or every value when the parameter is repeated. */
export const queryValue = z.union([z.string(), z.array(z.string())]).optional();

const parameter = (description: string) => queryValue.describe(description);

export const pagingParameters = {
  skip: parameter('How many items to skip (default 0)'),
  limit: parameter('Items per page, 0 to 1000 (default 100)'),
};

/** `skip` and `limit`, parsed into a `Paging` (a bad value is a 400 `BadRequest` naming the parameter). */
export const pagingQuery = z.looseObject(pagingParameters).transform((query) => parsePaging(query));

const cursorParameters = {
  cursor: parameter('`true` pages by cursor: the answer has `pages` links and no `total`'),
  pageNext: parameter('The `pageNext` token of the previous cursor page'),
  pagePrev: parameter('The `pagePrev` token of the next cursor page'),
};

/** Paging by `skip`/`limit` or, with `cursor=true`, by the page tokens of a cursor page. */
export const cursorPagingQuery = z.looseObject({ ...pagingParameters, ...cursorParameters }).transform((query) => ({
  ...parsePaging(query),
  cursor: query.cursor === 'true',
  pageNext: typeof query.pageNext === 'string' ? query.pageNext : undefined,
  pagePrev: typeof query.pagePrev === 'string' ? query.pagePrev : undefined,
}));

/** The parameters of the search grammar (src/query/parse.ts), for the document; the service parses them. */
const SEARCH_PARAMETERS = {
  ...pagingParameters,
  order: parameter('Comma-separated sort keys (`sys.createdAt`, `-fields.title`, ...)'),
  select: parameter('Comma-separated properties to return (`sys`, `fields.title`, ...)'),
  include: parameter('Levels of linked entries and assets to include, 0 to 10'),
  locale: parameter('A locale code, or `*` for every locale'),
  content_type: parameter('The id of the content type to search'),
  query: parameter('Full-text search'),
  links_to_entry: parameter('Only items linking to this entry id'),
  links_to_asset: parameter('Only items linking to this asset id'),
  mimetype_group: parameter('Assets of one MIME type group (`image`, `video`, ...)'),
  cursor: parameter('`true` for cursor paging (`pageNext` / `pagePrev`)'),
  pageNext: parameter('The cursor of the next page'),
  pagePrev: parameter('The cursor of the previous page'),
  initial: parameter('Sync: `true` starts a sync'),
  type: parameter('Sync: `Entry`, `Asset`, `Deletion`, `DeletedEntry`, `DeletedAsset` or `all`'),
  sync_token: parameter('Sync: the token from `nextSyncUrl` or `nextPageUrl`'),
};

type SearchParameter = keyof typeof SEARCH_PARAMETERS;

/** Query strings a service reads as sent; the compiler hands them over unchanged (filters follow their order). */
export const queriesReadAsSent = z.registry();

/**
 * An open query string (`fields.*`, `sys.*`, operators such as `[in]`): the named parameters are
 * documented, any other passes, and the handler receives the parameters exactly as sent.
 */
export function searchQuery<const Names extends readonly SearchParameter[]>(...names: Names) {
  const documented = Object.fromEntries(names.map((name) => [name, SEARCH_PARAMETERS[name]])) as {
    [Name in Names[number]]: typeof queryValue;
  };
  const schema = z
    .looseObject(documented)
    .describe(
      'Besides these: `fields.<id>`, `sys.<property>`, `metadata.tags.sys.id`, `metadata.concepts.sys.id` and ' +
        '`metadata.concepts.descendants`, each with an optional operator such as `[in]`. ' +
        'A list is comma-separated or indexed as the official SDKs send it (`order[0]=sys.id&order[1]=-sys.createdAt`)',
    );
  queriesReadAsSent.add(schema);
  return schema;
}

/** A JSON Patch document (RFC 6902): the operations are checked when they are applied (src/domain/json-patch.ts). */
export const jsonPatch = z.array(z.looseObject({ op: z.string(), path: z.string() })).describe('JSON Patch operations (RFC 6902)');
