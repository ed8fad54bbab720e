import { type Cma, type Collection, environmentPath, type Link } from './cma';

/** The CMA calls of the settings pages for locales, tags, API keys and webhooks. */

export interface Locale {
  name: string;
  code: string;
  fallbackCode: string | null;
  default: boolean;
  optional: boolean;
  contentDeliveryApi: boolean;
  contentManagementApi: boolean;
  sys: { id: string; version: number };
}
export type LocaleInput = Pick<Locale, 'name' | 'code' | 'fallbackCode' | 'optional' | 'contentDeliveryApi' | 'contentManagementApi'>;

export type TagVisibility = 'public' | 'private';
export interface Tag {
  name: string;
  sys: { id: string; version: number; visibility: TagVisibility };
}

export interface ApiKey {
  name: string;
  description: string | null;
  accessToken: string;
  environments: Link[];
  preview_api_key?: Link | null;
  sys: { id: string; version: number; type: 'ApiKey' | 'PreviewApiKey' };
}
export interface ApiKeyInput {
  name: string;
  description: string | null;
  /** Environment or alias ids. */
  environments: string[];
}

export interface WebhookHeader {
  key: string;
  /** Absent on a secret header the server keeps (it never answers a secret's value). */
  value?: string;
  secret?: boolean;
}
export interface Webhook {
  name: string;
  url: string;
  topics: string[];
  filters?: unknown[] | null;
  headers: WebhookHeader[];
  httpBasicUsername?: string | null;
  transformation?: Record<string, unknown>;
  active: boolean;
  sys: { id: string; version: number };
}
/** What a create or an update sends: an absent password keeps the stored one, null removes it. */
export interface WebhookInput extends Omit<Webhook, 'sys' | 'httpBasicUsername'> {
  httpBasicUsername: string | null;
  httpBasicPassword?: string | null;
}
export interface WebhookHealth {
  calls: { total: number; healthy: number };
}
export interface WebhookCall {
  sys: { id: string };
  url?: string;
  statusCode: number | null;
  errors: string[];
  eventType: string;
  status?: string;
  attempts?: number;
  requestAt: string;
  responseAt: string;
}
export interface WebhookCallDetails extends WebhookCall {
  request: { url?: string; method?: string; headers?: Record<string, string>; body?: string } | null;
  response: { url?: string; statusCode?: number; headers?: Record<string, string>; body?: string } | null;
}

const id = encodeURIComponent;

export function settingsContent(cma: Cma, spaceId: string, environmentId: string) {
  const env = environmentPath(spaceId, environmentId);
  const space = `/spaces/${id(spaceId)}`;
  const { request } = cma;
  return {
    locales: () => request<Collection<Locale>>('GET', `${env}/locales?limit=1000`),
    locale: (localeId: string) => request<Locale>('GET', `${env}/locales/${id(localeId)}`),
    createLocale: (input: LocaleInput) => request<Locale>('POST', `${env}/locales`, { body: input }),
    updateLocale: (locale: Locale, input: LocaleInput) =>
      request<Locale>('PUT', `${env}/locales/${id(locale.sys.id)}`, { body: input, version: locale.sys.version }),
    deleteLocale: (locale: Locale) => request<void>('DELETE', `${env}/locales/${id(locale.sys.id)}`, { version: locale.sys.version }),

    tags: () => request<Collection<Tag>>('GET', `${env}/tags?limit=1000`),
    /** The visibility is chosen once, when the tag is created. */
    createTag: (tagId: string, name: string, visibility: TagVisibility) =>
      request<Tag>('PUT', `${env}/tags/${id(tagId)}`, { body: { name }, headers: { 'X-Contentful-Tag-Visibility': visibility } }),
    renameTag: (tag: Tag, name: string) =>
      request<Tag>('PUT', `${env}/tags/${id(tag.sys.id)}`, { body: { name }, version: tag.sys.version }),
    deleteTag: (tag: Tag) => request<void>('DELETE', `${env}/tags/${id(tag.sys.id)}`, { version: tag.sys.version }),

    apiKeys: () => request<Collection<ApiKey>>('GET', `${space}/api_keys?limit=1000`),
    apiKey: (keyId: string) => request<ApiKey>('GET', `${space}/api_keys/${id(keyId)}`),
    previewApiKey: (keyId: string) => request<ApiKey>('GET', `${space}/preview_api_keys/${id(keyId)}`),
    createApiKey: (input: ApiKeyInput) => request<ApiKey>('POST', `${space}/api_keys`, { body: apiKeyBody(input) }),
    updateApiKey: (key: ApiKey, input: ApiKeyInput) =>
      request<ApiKey>('PUT', `${space}/api_keys/${id(key.sys.id)}`, { body: apiKeyBody(input), version: key.sys.version }),
    deleteApiKey: (key: ApiKey) => request<void>('DELETE', `${space}/api_keys/${id(key.sys.id)}`, { version: key.sys.version }),

    webhooks: () => request<Collection<Webhook>>('GET', `${space}/webhook_definitions?limit=1000`),
    webhook: (webhookId: string) => request<Webhook>('GET', `${space}/webhook_definitions/${id(webhookId)}`),
    createWebhook: (input: WebhookInput) => request<Webhook>('POST', `${space}/webhook_definitions`, { body: input }),
    updateWebhook: (webhook: Webhook, input: WebhookInput) =>
      request<Webhook>('PUT', `${space}/webhook_definitions/${id(webhook.sys.id)}`, { body: input, version: webhook.sys.version }),
    deleteWebhook: (webhook: Webhook) =>
      request<void>('DELETE', `${space}/webhook_definitions/${id(webhook.sys.id)}`, { version: webhook.sys.version }),
    webhookHealth: (webhookId: string) => request<WebhookHealth>('GET', `${space}/webhooks/${id(webhookId)}/health`),
    webhookCalls: (webhookId: string) => request<Collection<WebhookCall>>('GET', `${space}/webhooks/${id(webhookId)}/calls?limit=100`),
    webhookCall: (webhookId: string, callId: string) =>
      request<WebhookCallDetails>('GET', `${space}/webhooks/${id(webhookId)}/calls/${id(callId)}`),
  };
}

export type SettingsContent = ReturnType<typeof settingsContent>;

function apiKeyBody(input: ApiKeyInput) {
  return {
    name: input.name,
    description: input.description,
    environments: input.environments.map((environmentId) => ({ sys: { type: 'Link', linkType: 'Environment', id: environmentId } })),
  };
}
