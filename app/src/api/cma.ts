/**
 * The app's only way to the server: the public Content Management API over fetch (plus the sign-in at
 * /app/api/sessions). Errors keep Contentful's shape: `sys.id`, message and details.
 */

export interface Link {
  sys: { type: 'Link'; linkType: string; id: string };
}
export interface Collection<T> {
  items: T[];
  total?: number;
}
export interface User {
  email: string;
  firstName: string;
  lastName: string;
  sys: { id: string };
}
export interface Organization {
  name: string;
  sys: { id: string };
}
export interface Space {
  name: string;
  sys: { id: string; version: number; organization?: Link };
}
export interface Environment {
  name: string;
  sys: { id: string; version: number; status?: Link; aliases?: Link[]; aliasedEnvironment?: Link };
}
export interface Validation {
  [key: string]: unknown;
}
export interface ContentTypeField {
  id: string;
  name: string;
  type: string;
  linkType?: string;
  items?: { type: string; linkType?: string; validations?: Validation[] };
  localized?: boolean;
  required?: boolean;
  disabled?: boolean;
  omitted?: boolean;
  deleted?: boolean;
  validations?: Validation[];
}
export interface ContentType {
  name: string;
  description?: string | null;
  displayField?: string | null;
  fields: ContentTypeField[];
  sys: { id: string; version: number; publishedVersion?: number; publishedAt?: string; updatedAt?: string };
}
export interface SignedIn {
  token: string;
  sys: { id: string; expiresAt: string | null };
}

export class CmaError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const JSON_TYPE = 'application/vnd.contentful.management.v1+json';

async function call<T>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; version?: number; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: JSON_TYPE, ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = JSON_TYPE;
  if (options.version !== undefined) headers['X-Contentful-Version'] = String(options.version);
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    throw new CmaError(0, 'NetworkError', 'The server could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => undefined)) as { sys?: { id?: string }; message?: string; details?: unknown } | undefined;
  if (!response.ok) {
    throw new CmaError(response.status, body?.sys?.id ?? 'ServerError', body?.message ?? response.statusText, body?.details);
  }
  return body as T;
}

/** Email and password for a short-lived token (the server's web app sign-in, not part of the CMA). */
export function signInWithPassword(email: string, password: string): Promise<SignedIn> {
  return call('POST', '/app/api/sessions', { body: { email, password } });
}

export type Cma = ReturnType<typeof createCma>;

export function createCma(token: string) {
  const request = <T>(method: string, path: string, options: Parameters<typeof call>[2] = {}) =>
    call<T>(method, path, { ...options, token });
  return {
    /** Any CMA call; the resource modules beside this one (entries, assets, settings) are built on it. */
    request,
    me: () => request<User>('GET', '/users/me'),
    revokeToken: (tokenId: string) => request<unknown>('PUT', `/users/me/access_tokens/${encodeURIComponent(tokenId)}/revoked`),
    organizations: () => request<Collection<Organization>>('GET', '/organizations'),
    spaces: () => request<Collection<Space>>('GET', '/spaces?limit=1000'),
    space: (spaceId: string) => request<Space>('GET', `/spaces/${encodeURIComponent(spaceId)}`),
    createSpace: (name: string, organizationId: string) =>
      request<Space>('POST', '/spaces', { body: { name }, headers: { 'X-Contentful-Organization': organizationId } }),
    deleteSpace: (space: Space) => request<void>('DELETE', `/spaces/${encodeURIComponent(space.sys.id)}`, { version: space.sys.version }),
    environments: (spaceId: string) =>
      request<Collection<Environment>>('GET', `/spaces/${encodeURIComponent(spaceId)}/environments?limit=1000`),
    aliases: (spaceId: string) =>
      request<Collection<{ sys: { id: string; version: number }; environment: Link }>>(
        'GET',
        `/spaces/${encodeURIComponent(spaceId)}/environment_aliases`,
      ),
    createEnvironment: (spaceId: string, environmentId: string, name: string, source: string) =>
      request<Environment>('PUT', `/spaces/${encodeURIComponent(spaceId)}/environments/${encodeURIComponent(environmentId)}`, {
        body: { name },
        headers: { 'X-Contentful-Source-Environment': source },
      }),
    deleteEnvironment: (spaceId: string, environment: Environment) =>
      request<void>('DELETE', `/spaces/${encodeURIComponent(spaceId)}/environments/${encodeURIComponent(environment.sys.id)}`, {
        version: environment.sys.version,
      }),
    /** The user's membership of the space (their own and their teams' combined), if they have one. */
    spaceMember: (spaceId: string, userId: string) =>
      request<Collection<{ admin: boolean; roles: Link[]; sys: { user: Link } }>>(
        'GET',
        `/spaces/${encodeURIComponent(spaceId)}/space_members?limit=1000`,
      ).then((members) => members.items.find((m) => m.sys.user.sys.id === userId)),
    role: (spaceId: string, roleId: string) =>
      request<{ name: string; policies: unknown[]; permissions: Record<string, unknown> }>(
        'GET',
        `/spaces/${encodeURIComponent(spaceId)}/roles/${encodeURIComponent(roleId)}`,
      ),
    contentTypes: (spaceId: string, environmentId: string) =>
      request<Collection<ContentType>>('GET', `${environmentPath(spaceId, environmentId)}/content_types?limit=1000`),
    contentType: (spaceId: string, environmentId: string, contentTypeId: string) =>
      request<ContentType>('GET', `${environmentPath(spaceId, environmentId)}/content_types/${encodeURIComponent(contentTypeId)}`),
    /** Creates (no version) or updates (at the version the editor started from: a newer one on the server is a 409). */
    putContentType: (
      spaceId: string,
      environmentId: string,
      contentTypeId: string,
      body: Pick<ContentType, 'name' | 'description' | 'displayField' | 'fields'>,
      version?: number,
    ) =>
      request<ContentType>('PUT', `${environmentPath(spaceId, environmentId)}/content_types/${encodeURIComponent(contentTypeId)}`, {
        body,
        version,
      }),
    activateContentType: (spaceId: string, environmentId: string, contentType: ContentType) =>
      request<ContentType>(
        'PUT',
        `${environmentPath(spaceId, environmentId)}/content_types/${encodeURIComponent(contentType.sys.id)}/published`,
        { version: contentType.sys.version },
      ),
  };
}

export function environmentPath(spaceId: string, environmentId: string) {
  return `/spaces/${encodeURIComponent(spaceId)}/environments/${encodeURIComponent(environmentId)}`;
}
