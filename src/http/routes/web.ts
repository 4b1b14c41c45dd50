/**
 * The web pages: the built client (src/web/dist, made by `npm start` / the tests' set-up from
 * src/web). Hashed assets are cached for a year; the page and the service worker are revalidated
 * every time. Files are served pre-compressed (brotli / gzip, written at build). The public pages
 * /status, /feedback/<token>, /submit/<branchId>, /submission/<code> and /demo/sms are the app's own paths (the app shows them without sign-in).
 * The installable app: its manifest (hashed, under /assets/) and its icons /icon.svg, /icon-192.png, /icon-512.png.
 */
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { CLIENT_DIST } from '../../web/build-client.js';
import type { App } from '../app.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

export async function webRoutes(app: App) {
  if (!existsSync(CLIENT_DIST)) {
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.status(503).type('text/plain; charset=utf-8')
      .send('页面尚未构建：运行 npm start，或 node --import tsx src/web/build-client.ts / pages not built: run npm start'));
    return;
  }
  await app.register(fastifyStatic, {
    root: CLIENT_DIST, prefix: '/', index: false, schemaHide: true, preCompressed: true, cacheControl: false,
    allowedPath: (pathName) => !pathName.startsWith('/.'),
    setHeaders: (res, filePath) => {
      res.header('cache-control', filePath.includes('/assets/') ? IMMUTABLE : REVALIDATE);
    },
  });
  // The API's and Open311's paths are never files: a request no API route takes (a path parameter over its length)
  // gets the API's own 404 / 405, not the file server's answer (it may refuse odd paths with 403).
  for (const url of ['/api/*', '/open311/*']) {
    app.route({ method: ['GET', 'HEAD'], url, schema: { hide: true }, handler: (_request, reply) => reply.callNotFound() });
  }
  const page = (_request: unknown, reply: FastifyReply) => reply.header('cache-control', REVALIDATE).sendFile('index.html');
  // Explicit: @fastify/static answers 404 for the index of '/' when the browser accepts br and preCompressed is on.
  app.get('/', { schema: { hide: true } }, page);
  app.get('/status', { schema: { hide: true } }, page);
  app.get('/feedback/:token', { schema: { hide: true } }, page);
  app.get('/submit/:branchId', { schema: { hide: true } }, page);
  app.get('/submission/:code', { schema: { hide: true } }, page);
  // Demo mode's SMS page (the app's; its API answers 404 outside demo mode, and the page says so).
  app.get('/demo/sms', { schema: { hide: true } }, page);
}
