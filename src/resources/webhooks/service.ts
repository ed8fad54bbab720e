import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { SecretBox } from '../../auth/secret-box.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { InsertValues } from '../../db/repository.js';
import type { DB, WebhookCallRow, WebhookDefinitionRow, WebhookHeader } from '../../db/schema.js';
import { AWS_PROXY_HEADERS, awsProxyProblem } from '../../events/aws-signing.js';
import { filterErrors, isTopic } from '../../events/webhook-matching.js';
import { HELPER_NAMES } from '../../events/transformation.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound, validationFailed, type ValidationErrorItem } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, iso, link, versionedSys } from '../../http/sys.js';
import { zodIssuesToErrors } from '../../http/validation.js';
import { type PutResult, type ResourceDeclaration, VersionedResourceReader } from '../versioned-resource.js';
import { WebhookRepository, webhookTable } from './repository.js';

export const TRANSFORMATION_CONTENT_TYPES = [
  'application/vnd.contentful.management.v1+json',
  'application/vnd.contentful.management.v1+json; charset=utf-8',
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
] as const;

export const webhookBody = z.looseObject({
  name: z.string().trim().min(1).max(255),
  url: z.string().min(1).max(2048),
  topics: z.array(z.string().refine(isTopic, 'must be <Type>.<action> with * wildcards')).min(1),
  filters: z.array(z.unknown()).nullable().optional(),
  headers: z
    .array(z.object({ key: z.string().min(1).max(255), value: z.string().max(4096).optional(), secret: z.boolean().optional() }))
    .max(30)
    .optional(),
  httpBasicUsername: z.string().nullable().optional(),
  httpBasicPassword: z.string().nullable().optional(),
  transformation: z
    .object({
      method: z.enum(['POST', 'GET', 'PUT', 'PATCH', 'DELETE']).optional(),
      contentType: z.enum(TRANSFORMATION_CONTENT_TYPES).optional(),
      includeContentLength: z.boolean().optional(),
      body: z.unknown().optional(),
    })
    .strict()
    .nullable()
    .optional(),
  active: z.boolean().optional(),
});
export type WebhookInput = z.infer<typeof webhookBody>;

const EXPRESSIONS = /\{\s*(?:([a-z-]+)\s+(?:\d+\s+)?)?([^\s{}]*)\s*\}/g;

/** Pointers must start at /payload, /topic or /user, and helpers must exist. */
function templateErrors(text: string, path: (string | number)[]): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  for (const match of text.matchAll(EXPRESSIONS)) {
    const [, helper, pointer] = match;
    if (helper && !HELPER_NAMES.includes(helper))
      errors.push({ name: 'invalid', path, value: match[0], details: `Unknown helper "${helper}"` });
    if (!/^\/(payload|topic|user)(\/|$)/.test(pointer))
      errors.push({ name: 'invalid', path, value: match[0], details: 'Pointers start with /payload, /topic or /user' });
  }
  return errors;
}

function bodyTemplateErrors(body: unknown, path: (string | number)[]): ValidationErrorItem[] {
  if (typeof body === 'string') return templateErrors(body, path);
  if (Array.isArray(body)) return body.flatMap((v, i) => bodyTemplateErrors(v, [...path, i]));
  if (body && typeof body === 'object') return Object.entries(body).flatMap(([k, v]) => bodyTemplateErrors(v, [...path, k]));
  return [];
}

/** The URL with its templates filled with a placeholder, if it is an http(s) URL. */
function templateUrl(text: string): URL | undefined {
  try {
    const url = new URL(text.replace(EXPRESSIONS, 'x'));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function webhookInputErrors(input: WebhookInput): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  const url = templateUrl(input.url);
  if (!url) errors.push({ name: 'invalid', path: ['url'], value: input.url, details: 'url must be an http or https URL' });
  errors.push(...templateErrors(input.url, ['url']));
  // An AWS webhook (its proxy headers) is signed for the service and region its URL names.
  const headerNames = (input.headers ?? []).map((h) => h.key.toLowerCase());
  const awsProblem = url && headerNames.some((name) => AWS_PROXY_HEADERS.includes(name)) && awsProxyProblem(headerNames, url);
  if (awsProblem) errors.push({ name: 'invalid', path: ['headers'], details: awsProblem });
  errors.push(...filterErrors(input.filters).map((e) => ({ name: 'invalid', ...e })));
  if (input.transformation?.body !== undefined) errors.push(...bodyTemplateErrors(input.transformation.body, ['transformation', 'body']));
  return errors;
}

export function webhookCallOverview(row: WebhookCallRow) {
  return {
    sys: {
      type: 'WebhookCallOverview',
      id: row.id,
      space: link('Space', row.space_id),
      webhook: link('WebhookDefinition', row.webhook_id),
    },
    request: { url: (row.request as { url?: string } | null)?.url },
    url: (row.request as { url?: string } | null)?.url,
    statusCode: row.status_code,
    errors: row.errors,
    eventType: row.topic,
    status: row.status,
    attempts: row.attempts,
    requestAt: iso(row.created_at),
    responseAt: iso(row.updated_at),
  };
}

/** Secret header values and the basic-auth password never leave the server. */
export function webhookView(row: WebhookDefinitionRow) {
  return dropUndefined({
    name: row.name,
    url: row.url,
    topics: row.topics,
    filters: row.filters,
    headers: row.headers.map((h) => (h.secret ? { key: h.key, secret: true } : { key: h.key, value: h.value })),
    httpBasicUsername: row.http_basic_username,
    transformation: row.transformation ?? undefined,
    active: row.active,
    sys: { type: 'WebhookDefinition', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
  });
}

type WebhookView = ReturnType<typeof webhookView>;

/** A definition's columns, secrets sealed: what a create or an update writes. */
type WebhookValues = Omit<InsertValues<'webhook_definitions'>, 'id'>;

function webhookDeclaration(
  spaceAccess: SpaceAccessPolicy,
): ResourceDeclaration<'webhook_definitions', string, WebhookValues, WebhookView> {
  const manage = (actor: Actor, spaceId: string) =>
    spaceAccess.requirePermission(actor, spaceId, 'Settings', 'manage').then(() => undefined);
  return { ...webhookTable, view: webhookView, values: (values) => values, canRead: manage, canWrite: manage, changes: 'settings' };
}

/**
 * Webhook definitions and their call logs (seed 000, "Webhooks"; seed 001 for basic auth). Keyed by the
 * space id alone, the form callers (and tests) have always passed.
 */
export class WebhookService extends VersionedResourceReader<'webhook_definitions', string, WebhookValues, WebhookView> {
  private readonly webhooks: WebhookRepository;

  constructor(
    db: Kysely<DB>,
    spaceAccess: SpaceAccessPolicy,
    private readonly secrets: SecretBox,
    notices: WriteNotices,
  ) {
    const declaration = webhookDeclaration(spaceAccess);
    const webhooks = new WebhookRepository(db, declaration);
    super(db, declaration, notices, webhooks);
    this.webhooks = webhooks;
  }

  /** Secret headers sent without a value keep the value stored before. */
  private headers(input: WebhookInput, previous: WebhookHeader[]): WebhookHeader[] {
    return (input.headers ?? []).map((h, i) => {
      if (h.secret) {
        if (h.value !== undefined) return { key: h.key, value: this.secrets.seal(h.value), secret: true };
        const kept = previous.find((p) => p.key === h.key && p.secret);
        if (!kept)
          throw validationFailed([{ name: 'required', path: ['headers', i, 'value'], details: 'A new secret header needs its value' }]);
        return kept;
      }
      if (h.value === undefined)
        throw validationFailed([{ name: 'required', path: ['headers', i, 'value'], details: 'A header needs a value' }]);
      return { key: h.key, value: h.value };
    });
  }

  /** The columns `input` writes over `existing` (whose secrets it may keep). */
  private values(input: WebhookInput, existing: WebhookDefinitionRow | undefined): WebhookValues {
    const password =
      input.httpBasicPassword === undefined
        ? (existing?.http_basic_password_sealed ?? null)
        : input.httpBasicPassword === null
          ? null
          : this.secrets.seal(input.httpBasicPassword);
    return {
      name: input.name,
      url: input.url,
      topics: input.topics,
      filters: input.filters === undefined || input.filters === null ? null : JSON.stringify(input.filters),
      headers: JSON.stringify(this.headers(input, existing?.headers ?? [])),
      http_basic_username: input.httpBasicUsername ?? null,
      http_basic_password_sealed: password,
      transformation: input.transformation ? JSON.stringify(input.transformation) : null,
      active: input.active ?? true,
    };
  }

  delete(actor: Actor, spaceId: string, id: string): Promise<void> {
    return this.remove(actor, spaceId, id);
  }

  /** Creates (generated id on POST, chosen id on PUT) or, for an existing id, updates with a version. */
  async put(
    actor: Actor,
    spaceId: string,
    id: string | undefined,
    raw: unknown,
    expectedVersion: number | undefined,
  ): Promise<PutResult<WebhookView>> {
    await this.declaration.canWrite(actor, spaceId);
    const parsed = webhookBody.safeParse(raw, { reportInput: true });
    if (!parsed.success) throw validationFailed(zodIssuesToErrors(parsed.error.issues));
    const input = parsed.data;
    const errors = webhookInputErrors(input);
    if (errors.length) throw validationFailed(errors);
    const rows = this.webhooks.in(spaceId);
    const existing = id === undefined ? undefined : await rows.find(id);
    const values = this.values(input, existing);
    const row = existing
      ? await rows.update(existing.id, expectedVersion, values, actor.userId)
      : await rows.insert({ ...values, id: id ?? generateId() }, actor.userId);
    this.written();
    return { created: !existing, item: webhookView(row) };
  }

  async calls(actor: Actor, spaceId: string, webhookId: string, paging: Paging) {
    await this.get(actor, spaceId, webhookId);
    const { rows, total } = await this.webhooks.calls(spaceId, webhookId).list(paging);
    return collection(rows.map(webhookCallOverview), total, paging);
  }

  async call(actor: Actor, spaceId: string, webhookId: string, callId: string) {
    await this.get(actor, spaceId, webhookId);
    const row = await this.webhooks.call(spaceId, webhookId, callId);
    if (!row) throw notFound('WebhookCallDetails', callId);
    return {
      ...webhookCallOverview(row),
      sys: { ...webhookCallOverview(row).sys, type: 'WebhookCallDetails' },
      request: row.request,
      response: row.response,
    };
  }

  async health(actor: Actor, spaceId: string, webhookId: string) {
    await this.get(actor, spaceId, webhookId);
    return {
      sys: { type: 'Webhook', id: webhookId, space: link('Space', spaceId) },
      calls: await this.webhooks.health(spaceId, webhookId),
    };
  }
}
