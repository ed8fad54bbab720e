import type { SecretBox } from '../auth/secret-box.js';
import type { WebhookDefinitionRow } from '../db/schema.js';
import { generateId } from '../domain/ids.js';
import {
  AWS_PROXY_CONTENT_TYPE,
  AWS_PROXY_HEADERS,
  AWS_PROXY_KEY_ID,
  AWS_PROXY_SECRET,
  awsProxyProblem,
  awsTarget,
  signForAws,
} from './aws-signing.js';
import { signRequest } from './request-signing.js';
import { formEncode, transformBody, transformUrl, type TransformationContext } from './transformation.js';

const REQUEST_BODY_LIMIT = 500 * 1024;
const MANAGEMENT_JSON = 'application/vnd.contentful.management.v1+json';
const MASK = '***';

const truncate = (text: string, limit: number) => (text.length > limit ? text.slice(0, limit) : text);

/** A webhook whose call cannot be made as configured (never worth another attempt). */
export class WebhookRequestError extends Error {
  override readonly name = 'WebhookRequestError';
}

/** What a call sends, and how its call log shows it (secret values masked). */
export interface WebhookRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Undefined for a GET. */
  body: string | undefined;
  log: { url: string; method: string; headers: Record<string, string>; body: string };
}

export interface RequestSettings {
  /** The space's signing secret, when it has one. */
  signingSecret: string | undefined;
  /** The instant the request is signed at. */
  now: Date;
}

/**
 * A call's headers by case-insensitive name (a webhook's own header replaces a default of the same name),
 * each with the text its call log shows instead of the value when that is secret.
 */
class OutgoingHeaders {
  private readonly entries = new Map<string, { name: string; value: string; masked?: string }>();

  set(name: string, value: string, masked?: string) {
    this.entries.set(name.toLowerCase(), { name, value, masked });
  }

  /** Removes a header and gives its value. */
  take(name: string): string | undefined {
    const entry = this.entries.get(name.toLowerCase());
    this.entries.delete(name.toLowerCase());
    return entry?.value;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  sent(): Record<string, string> {
    return Object.fromEntries([...this.entries.values()].map((e) => [e.name, e.value]));
  }

  /** Headers as sent (those set here, and what signing added), as the call log shows them: secret values masked. */
  logged(sent: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(sent).map(([name, value]) => {
        const own = this.entries.get(name.toLowerCase());
        return [name, own?.masked !== undefined && own.value === value ? own.masked : value];
      }),
    );
  }
}

/** A SigV4 Authorization header as the call log shows it: who signed what, not the signature. */
const maskedAwsAuthorization = (value: string) => value.replace(/Signature=\w+/, `Signature=${MASK}`);

/**
 * The request a webhook call makes: the transformation's method, content type and body (seed 000,
 * "Transforming webhook calls"), Contentful's headers and the webhook's own, basic auth, then the space's
 * request signature and, for an AWS webhook, the Signature Version 4 signing. `triggerHeaders` name the
 * action that made the change (a bulk action, ...), as Contentful names them.
 */
export function buildWebhookRequest(
  webhook: WebhookDefinitionRow,
  context: TransformationContext,
  triggerHeaders: Record<string, string>,
  secrets: SecretBox,
  settings: RequestSettings,
): WebhookRequest {
  const t = (webhook.transformation ?? {}) as { method?: string; contentType?: string; includeContentLength?: boolean; body?: unknown };
  const method = t.method ?? 'POST';
  const contentType = t.contentType ?? MANAGEMENT_JSON;
  const payload = t.body === undefined ? context.payload : transformBody(t.body, context);
  const text = contentType.startsWith('application/x-www-form-urlencoded') ? formEncode(payload) : JSON.stringify(payload);
  const body = method === 'GET' ? undefined : text;
  const headers = new OutgoingHeaders();
  headers.set('Content-Type', contentType);
  headers.set('X-Contentful-Topic', context.topic);
  headers.set('X-Contentful-Webhook-Name', webhook.name);
  headers.set('X-Contentful-Webhook-Request-Id', generateId());
  for (const [name, value] of Object.entries(triggerHeaders)) headers.set(name, value);
  for (const h of webhook.headers) {
    if (h.secret) headers.set(h.key, secrets.open(h.value), MASK);
    else headers.set(h.key, h.value);
  }
  if (webhook.http_basic_username) {
    const password = webhook.http_basic_password_sealed ? secrets.open(webhook.http_basic_password_sealed) : '';
    headers.set('Authorization', `Basic ${Buffer.from(`${webhook.http_basic_username}:${password}`).toString('base64')}`, `Basic ${MASK}`);
  }
  if (t.includeContentLength) headers.set('Content-Length', String(Buffer.byteLength(text)));

  let url = callUrl(transformUrl(webhook.url, context));
  const aws = headers.names().some((name) => AWS_PROXY_HEADERS.includes(name)) ? awsCredentials(headers, url) : undefined;
  if (aws) url = aws.target.url;

  const signature = settings.signingSecret
    ? signRequest(
        settings.signingSecret,
        { method, path: `${url.pathname}${url.search}`, headers: headers.sent(), body: body ?? '' },
        settings.now.getTime(),
      )
    : {};
  for (const [name, value] of Object.entries(signature)) headers.set(name, value);

  const sent = aws
    ? signForAws(aws.target, { method, headers: headers.sent(), body }, aws.credentials, settings.now)
    : { url: url.href, headers: headers.sent() };
  const logged = headers.logged(sent.headers);
  if (aws && logged.Authorization) logged.Authorization = maskedAwsAuthorization(logged.Authorization);
  return {
    url: sent.url,
    method,
    headers: sent.headers,
    body,
    log: { url: sent.url, method, headers: logged, body: truncate(text, REQUEST_BODY_LIMIT) },
  };
}

/** The URL a call goes to: its transformed URL, which must still be one. */
function callUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new WebhookRequestError(`"${text}" is not a valid URL`);
  }
}

/** Takes the AWS proxy headers out of the call: the credentials, the target and the content type they ask for. */
function awsCredentials(headers: OutgoingHeaders, url: URL) {
  const names = headers.names();
  const accessKeyId = headers.take(AWS_PROXY_KEY_ID);
  const secretAccessKey = headers.take(AWS_PROXY_SECRET);
  const contentType = headers.take(AWS_PROXY_CONTENT_TYPE);
  const target = awsTarget(url);
  if (accessKeyId === undefined || secretAccessKey === undefined || !target) throw new WebhookRequestError(awsProxyProblem(names, url));
  if (contentType !== undefined) headers.set('Content-Type', contentType);
  return { target, credentials: { accessKeyId, secretAccessKey } };
}
