import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorResponse } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ensureWebAppBuilt } from '../helpers/web-app.js';

let server: TestServer;
let appDir: string;

beforeAll(async () => {
  appDir = await ensureWebAppBuilt();
  server = await startTestServer();
}, 240_000);
afterAll(async () => {
  await server?.close();
});

describe('the web app at /app/', () => {
  it('answers index.html, never cached and with its security headers, for /app and every client-side route under it', async () => {
    const index = fs.readFileSync(path.join(appDir, 'index.html'), 'utf8');
    for (const route of ['/app', '/app/', '/app/sign-in', '/app/spaces/abc/environments/master/content-model?x=1']) {
      const response = await fetch(`${server.baseUrl}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await response.text()).toBe(index);
    }
  });

  it('serves the hashed assets with a year of immutable caching, compressed, and 404s what is not there', async () => {
    const index = await (await fetch(`${server.baseUrl}/app/`)).text();
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(script).toBeDefined();
    const response = await fetch(`${server.baseUrl}${script}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript|^application\/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
    expect(await response.text()).toBe(fs.readFileSync(path.join(appDir, script!.slice('/app/'.length)), 'utf8'));

    await expectErrorResponse(await fetch(`${server.baseUrl}/app/assets/missing-00000000.js`), 404, 'NotFound');
    await expectErrorResponse(await fetch(`${server.baseUrl}/app/api/unknown`), 404, 'NotFound');
    await expectErrorResponse(await fetch(`${server.baseUrl}/apple`), 404, 'NotFound');
  });
});
