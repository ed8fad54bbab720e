import { createHash } from 'node:crypto';
import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  getNamedType,
  getOperationAST,
  GraphQLError as GraphQLErrorClass,
  isInputObjectType,
  type OperationDefinitionNode,
  parse,
  typeFromAST,
  validate,
} from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/availability.js';
import { ApiError } from '../domain/errors.js';
import { isDeliveredLocale } from '../domain/field-types.js';
import type { DeliveryService } from '../delivery/service.js';
import type { DeliveryPrincipal } from '../resources/api-keys/service.js';
import type { ActiveContentType } from '../resources/content-types/service.js';
import type { PublishableSearch } from '../resources/publishable/search.js';
import { MAX_COMPLEXITY, MAX_DEPTH, queryComplexity, queryDepth } from './complexity.js';
import { GraphContext, type GraphScope } from './context.js';
import { GraphQLRequestError } from './errors.js';
import { SchemaGenerationError } from './names.js';
import type { ParsedFields } from './parsed-fields.js';
import type { WorkPool } from '../domain/work-pool.js';
import type { GraphRepository } from './repository.js';
import { buildSchema } from './schema.js';

/** Parsed and validated queries kept per schema (oldest first out). */
const KEPT_QUERIES = 500;

interface CheckedQuery {
  document: DocumentNode;
  invalid: readonly GraphQLError[];
  /** How each operation runs, by operation name (`''`: the only operation), decided on its first run. */
  runners: Map<string, Runner>;
}

/** Contentful's limit on a query's text (8 kB without persisted queries). */
export const MAX_QUERY_BYTES = 8 * 1024;

export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphQLAnswer {
  status: number;
  body: ExecutionResult;
  cost?: number;
  /** The body already serialized (a kept answer). */
  payload?: Buffer;
}

/** Runs one operation of a checked query. */
type Runner = (context: GraphContext, variables: Record<string, unknown>) => Promise<ExecutionResult> | ExecutionResult;

/** An answer that must not be kept (it has errors): thrown out of the cache's load, answered all the same. */
class UnkeptAnswer extends Error {
  constructor(readonly answer: GraphQLAnswer) {
    super('not kept');
  }
}

/**
 * The GraphQL Content API over the delivery data: one generated schema per environment and content model
 * (rebuilt when the active content types change), queries checked for size and complexity before they
 * run, and answers with Contentful's error codes.
 */
export class GraphQLService {
  private readonly schemas = new Map<string, { fingerprint: string; schema: GraphQLSchema | SchemaGenerationError }>();
  private readonly seen = new WeakMap<object, { fingerprint: string }>();
  private readonly documents = new WeakMap<GraphQLSchema, Map<string, CheckedQuery>>();

  constructor(
    private readonly delivery: DeliveryService,
    private readonly search: PublishableSearch,
    private readonly rows: GraphRepository,
    private readonly fields: ParsedFields,
    /**
     * Executions at once (`GRAPHQL_CONCURRENCY`): each holds its answer's objects, hundreds of entities for
     * a page with links, until it is sent. Beyond the cores' worth, more at once only interleave on one
     * thread: 16 at once peaked at 406 MB RSS, 4 at 353 MB, at the same answers/s (bench/README.md).
     */
    private readonly executions: WorkPool,
    private readonly logger: Logger,
  ) {}

  /** The key's space and environment (an alias counts), as the CDA resolves them; else UNKNOWN_SPACE/ENVIRONMENT. */
  async scope(principal: DeliveryPrincipal, spaceId: string, environmentId: string | undefined): Promise<GraphScope> {
    if (principal.spaceId !== spaceId)
      throw new GraphQLRequestError(400, 'UNKNOWN_SPACE', 'Query cannot be executed. The space could not be found.');
    try {
      return await this.delivery.scope(principal, 'delivery', spaceId, environmentId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        throw new GraphQLRequestError(
          400,
          'UNKNOWN_ENVIRONMENT',
          'Query cannot be executed. Requested environment does not exist in the space',
          {
            requestedEnvironment: environmentId,
          },
        );
      throw err;
    }
  }

  /** The schema of an environment's active content types, generated once per content model. */
  async schema(scope: GraphScope): Promise<GraphQLSchema> {
    const definitions = await this.delivery.metadata.activeContentTypes(scope);
    let known = this.seen.get(definitions);
    if (!known) {
      known = { fingerprint: fingerprintOf([...definitions.values()]) };
      this.seen.set(definitions, known);
    }
    const key = `${scope.spaceId}/${scope.environmentId}`;
    let cached = this.schemas.get(key);
    if (cached?.fingerprint !== known.fingerprint) {
      let schema: GraphQLSchema | SchemaGenerationError;
      try {
        schema = buildSchema([...definitions.values()]);
      } catch (err) {
        if (!(err instanceof SchemaGenerationError)) throw err;
        schema = err;
      }
      cached = { fingerprint: known.fingerprint, schema };
      this.schemas.set(key, cached);
    }
    if (cached.schema instanceof SchemaGenerationError) throw cached.schema;
    return cached.schema;
  }

  async run(
    principal: DeliveryPrincipal,
    spaceId: string,
    environmentId: string | undefined,
    request: GraphQLRequest,
    options: { protocol: string; fresh: boolean; localeBased: boolean },
  ): Promise<GraphQLAnswer> {
    try {
      const scope = await this.scope(principal, spaceId, environmentId);
      if (options.fresh) return await this.answer(principal, scope, request, options);
      const { query, variables, operationName } = request;
      // Kept by everything the answer depends on, locale-based publishing included.
      const kept = await this.delivery.responses.graphql(
        principal.kind,
        scope,
        [query, variables, operationName, options.protocol, options.localeBased],
        async () => {
          const answer = await this.answer(principal, scope, request, options);
          if (answer.status !== 200 || answer.body.errors) throw new UnkeptAnswer(answer);
          return { payload: Buffer.from(JSON.stringify(answer.body)), cost: answer.cost ?? 0 };
        },
      );
      return { status: 200, body: {}, payload: kept.payload, cost: kept.cost };
    } catch (err) {
      if (err instanceof UnkeptAnswer) return err.answer;
      if (err instanceof GraphQLRequestError) return { status: err.status, body: { errors: [err.toGraphQL()] } };
      if (err instanceof SchemaGenerationError) return { status: 422, body: { errors: [err.error] } };
      throw err;
    }
  }

  private async answer(
    principal: DeliveryPrincipal,
    scope: GraphScope,
    request: GraphQLRequest,
    { protocol, localeBased }: { protocol: string; localeBased: boolean },
  ): Promise<GraphQLAnswer> {
    const text = request.query;
    if (typeof text !== 'string' || text.trim() === '')
      throw new GraphQLRequestError(400, 'MISSING_QUERY', 'Query cannot be executed. The request does not contain a query');
    if (Buffer.byteLength(text) > MAX_QUERY_BYTES)
      throw new GraphQLRequestError(
        400,
        'QUERY_TOO_BIG',
        `Query cannot be executed. The maximum allowed size for a query is ${MAX_QUERY_BYTES} bytes`,
        {
          maximumSize: MAX_QUERY_BYTES,
          size: Buffer.byteLength(text),
        },
      );
    const variables = parseVariables(request.variables);
    const operationName = typeof request.operationName === 'string' && request.operationName !== '' ? request.operationName : undefined;
    const schema = await this.schema(scope);

    const checked = this.checked(schema, text);
    const { document, invalid } = checked;
    if (invalid.length) return { status: 400, body: { errors: invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) } };
    const operation = getOperationAST(document, operationName);
    if (!operation)
      throw new GraphQLRequestError(
        400,
        'QUERY_OPERATION_NAME_MISMATCH',
        'Query cannot be executed. The operation name does not match an operation of the query',
        {
          operationName,
        },
      );
    const depth = queryDepth(document, operation);
    if (depth > MAX_DEPTH)
      throw new GraphQLRequestError(
        400,
        'TOO_COMPLEX_QUERY',
        `Query cannot be executed. The maximum allowed depth for a query is ${MAX_DEPTH} but it was ${depth}. Simplify the query e.g. by following fewer levels of links.`,
        { maximumDepth: MAX_DEPTH, depth },
      );
    const cost = queryComplexity(schema, document, operation, variables);
    if (cost > MAX_COMPLEXITY)
      throw new GraphQLRequestError(
        400,
        'TOO_COMPLEX_QUERY',
        `Query cannot be executed. The maximum allowed complexity for a query is ${MAX_COMPLEXITY} but it was ${cost}. Simplify the query e.g. by setting lower limits for collections.`,
        { maximumCost: MAX_COMPLEXITY, cost },
      );

    const [locales, tags] = await Promise.all([this.delivery.metadata.locales(scope), this.delivery.metadata.publicTags(scope)]);
    const context = new GraphContext(
      { rows: this.rows, search: this.search, metadata: this.delivery.metadata, fields: this.fields },
      scope,
      principal.kind,
      locales.filter(isDeliveredLocale),
      new Map(tags.map((t) => [t.id, t.name])),
      protocol,
      localeBased,
    );
    const run = this.runner(schema, checked, operation);
    const result = await this.executions.run(async () => run(context, variables));
    const errors = result.errors?.map((e) => this.located(e));
    if (result.errors?.some((e) => isDatabaseUnavailable(e.originalError) || (e.originalError as ApiError | undefined)?.status === 503))
      throw new ApiError('ServiceUnavailable', 'The database is not available; retry shortly', undefined, { 'Retry-After': '1' });
    return { status: 200, body: { ...(errors ? { errors } : {}), data: result.data ?? null }, cost };
  }

  /** A query parsed and validated against a schema, kept for the next request sending the same text. */
  private checked(schema: GraphQLSchema, text: string): CheckedQuery {
    let documents = this.documents.get(schema);
    if (!documents) {
      documents = new Map();
      this.documents.set(schema, documents);
    }
    const known = documents.get(text);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (err) {
      throw new GraphQLRequestError(400, 'INVALID_QUERY_FORMAT', `Query cannot be executed. ${(err as Error).message}`);
    }
    const checked = { document, invalid: validate(schema, document), runners: new Map() };
    if (documents.size >= KEPT_QUERIES) documents.delete(documents.keys().next().value!);
    documents.set(text, checked);
    return checked;
  }

  /**
   * The operation compiled to a function of its own (graphql-jit): its plan is made once per query text
   * instead of walking the document again for every field of every entity of every answer, which cut a
   * computed page of 100 entries with two levels of links from 31 to 51 answers/s (bench/README.md).
   * An operation with a variable of an input object type (a `where` filter) runs on graphql-js:
   * graphql-jit writes the variable's parser out in full, and the filters nest into each other (`AND`,
   * `OR`, filters of linked types) until compiling one runs out of memory.
   */
  private runner(schema: GraphQLSchema, checked: CheckedQuery, operation: OperationDefinitionNode): Runner {
    const name = operation.name?.value ?? '';
    let runner = checked.runners.get(name);
    if (!runner) {
      runner = runnerOf(schema, checked.document, operation);
      checked.runners.set(name, runner);
    }
    return runner;
  }

  /** Errors of the query's own making keep their code; anything else is logged and answered as internal. */
  private located(error: GraphQLError): GraphQLError {
    if (error.extensions?.contentful) return error;
    const original = error.originalError;
    if (original instanceof ApiError && original.status < 500) return withCode(error, 'BAD_USER_INPUT');
    if (!original) return withCode(error, 'GRAPHQL_VALIDATION_FAILED');
    this.logger.error({ err: original, path: error.path }, 'GraphQL resolver failed');
    return new GraphQLErrorClass('Internal server error', {
      nodes: error.nodes,
      path: error.path,
      extensions: { contentful: { code: 'INTERNAL_SERVER_ERROR' } },
    });
  }
}

function runnerOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Runner {
  const operationName = operation.name?.value;
  const filtered = (operation.variableDefinitions ?? []).some((definition) => {
    const type = typeFromAST(schema, definition.type as never);
    return type !== undefined && isInputObjectType(getNamedType(type));
  });
  if (!filtered) {
    const compiled = compileQuery(schema, document, operationName);
    if (isCompiledQuery(compiled)) return (context, variables) => compiled.query(undefined, context, variables);
  }
  return (context, variables) => execute({ schema, document, variableValues: variables, operationName, contextValue: context });
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLErrorClass(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, contentful: { code } },
  });
}

function parseVariables(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new GraphQLRequestError(400, 'INVALID_VARIABLES_FORMAT', 'Query cannot be executed. The variables are not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new GraphQLRequestError(400, 'INVALID_VARIABLES_FORMAT', 'Query cannot be executed. The variables must be a JSON object');
  return value as Record<string, unknown>;
}

function fingerprintOf(definitions: ActiveContentType[]): string {
  const ordered = [...definitions].sort((a, b) => a.id.localeCompare(b.id));
  return createHash('sha256').update(JSON.stringify(ordered)).digest('hex');
}
