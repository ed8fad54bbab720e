import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { ApiError } from '../../domain/errors.js';

/** Where `npm run build` puts the web app (vite, app/vite.config.ts): dist/app, from src/ (tsx) and from dist/src/ alike. */
export const BUILT_WEB_APP_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  import.meta.url.includes('/dist/') ? '../../../app' : '../../../dist/app',
);

/** Hashed file names never change content: a year, immutable. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The page's own rules: scripts and connections to this server only; inline styles for the design system's
 * CSS-in-JS; images from anywhere (asset files may live on another host, PUBLIC_URL or S3).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** index.html is read for each request (it is small and never cached), so a new build shows without a restart. */
async function sendIndex(reply: FastifyReply, root: string) {
  const html = await fs.promises.readFile(path.join(root, 'index.html'), 'utf8');
  return reply
    .header('Cache-Control', 'no-cache')
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(html);
}

/**
 * The web app at /app/: its hashed assets with long caching, and index.html (never cached) for every other
 * path under /app, where the app's own router takes over. The app talks to the server through the CMA only
 * (and /app/api/sessions to sign in), so this serves files and nothing else.
 */
export const webAppRoutes: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  const root = options.root ?? BUILT_WEB_APP_DIR;
  await app.register(fastifyStatic, {
    root: path.join(root, 'assets'),
    prefix: '/app/assets/',
    wildcard: true,
    cacheControl: false,
    setHeaders(reply) {
      reply.header('Cache-Control', IMMUTABLE);
      reply.header('X-Content-Type-Options', 'nosniff');
    },
  });

  const page = async (request: { url: string }, reply: FastifyReply) => {
    if (/^\/app\/api(\/|$)/.test(request.url)) throw new ApiError('NotFound', 'The resource could not be found.');
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      throw new ApiError('NotFound', 'The web app is not built: run `npm run build`.');
    }
    return sendIndex(reply, root);
  };
  app.get('/app', { schema: { hide: true } }, page);
  app.get('/app/*', { schema: { hide: true } }, page);
};
