import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

interface Operation {
  tags?: string[];
  parameters?: { in: string; name: string }[];
  responses: Record<string, { description: string }>;
}

let server: TestServer;
let document: { openapi: string; paths: Record<string, Record<string, Operation>> };

beforeAll(async () => {
  server = await startTestServer();
  const response = await fetch(`${server.baseUrl}/openapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});
afterAll(() => server?.close());

/**
 * Every route the app serves, from Fastify's route tree (each line a path segment below the line it is
 * indented under), but the reference's own pages, the web app's files and Fastify's HEAD copies. Routes that name a path
 * parameter differently at the same place share a node (`:entryId|:id`), so a route is given as the
 * urls it may be, one of which the document must list.
 */
function servedRoutes() {
  const routes: { method: string; urls: string[] }[] = [];
  const stack: string[][] = [];
  for (const line of server.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│├└─]*)(\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    stack.length = Math.floor(match[1].length / 4);
    const [first, ...others] = match[2].split(/\|(?=:)/);
    stack.push([first, ...others.map((other) => first.slice(0, first.indexOf(':')) + other)]);
    const urls = stack.reduce<string[]>((prefixes, segment) => prefixes.flatMap((prefix) => segment.map((s) => prefix + s)), ['']);
    if (match[3]) for (const method of match[3].split(', ')) routes.push({ method, urls });
  }
  // The web app's pages and files (/app, /app/*, /app/assets/*) are not an API; its sign-in (/app/api) is.
  const webAppFiles = (url: string) => /^\/app(\/|\*|$)/.test(url) && !url.startsWith('/app/api/');
  return routes.filter(
    ({ method, urls }) =>
      method !== 'HEAD' && method !== 'OPTIONS' && !urls[0].startsWith('/docs') && urls[0] !== '/openapi.json' && !webAppFiles(urls[0]),
  );
}

describe('the API reference', () => {
  it('documents every route with its path parameters, tag and error ids', () => {
    expect(document.openapi).toBe('3.1.0');
    const routes = servedRoutes();
    expect(routes.length).toBeGreaterThan(100);
    for (const { method, urls } of routes) {
      const documented = urls.find((url) => document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]);
      expect(documented, `${method} ${urls.join(' or ')}`).toBeDefined();
      const url = documented as string;
      const operation = document.paths[url.replace(/:(\w+)/g, '{$1}')][method.toLowerCase()];
      const pathParameters = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParameters.sort(), `${method} ${url}`).toEqual([...url.matchAll(/:(\w+)/g)].map((m) => m[1]).sort());
      expect(operation.tags?.length, `${method} ${url}`).toBe(1);
    }
    const entries = document.paths['/spaces/{spaceId}/environments/{environmentId}/entries/{entryId}'].put;
    expect(entries.tags).toEqual(['Management']);
    expect(entries.responses['422'].description).toContain('ValidationFailed');
    expect(entries.responses['409'].description).toContain('VersionMismatch');
    expect(document.paths['/spaces/{spaceId}/uploads'].post.tags).toEqual(['Upload']);
    expect(document.paths['/cdn/spaces/{spaceId}/entries'].get.tags).toEqual(['Delivery']);
    expect(document.paths['/preview/spaces/{spaceId}/entries'].get.tags).toEqual(['Preview']);
    expect(document.paths['/cdn/spaces/{spaceId}/environments/{environmentId}/sync'].get.tags).toEqual(['Sync']);
    const search = (document.paths['/cdn/spaces/{spaceId}/entries'].get.parameters ?? []).map((p) => p.name);
    expect(search).toEqual(expect.arrayContaining(['skip', 'limit', 'order', 'select', 'include', 'locale', 'content_type', 'query']));
    expect(document.paths['/cdn/spaces/{spaceId}/entries'].get.responses['401'].description).toContain('AccessTokenInvalid');
  });

  it('serves the reference page without a token or rate limit', async () => {
    const response = await fetch(`${server.baseUrl}/docs/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('x-contentful-ratelimit-second-limit')).toBeNull();
  });
});
