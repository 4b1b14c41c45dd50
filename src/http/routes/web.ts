/** The web pages: a small client in plain ES modules (src/web), no build step, calling the public API. */
import fastifyStatic from '@fastify/static';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../app.js';

const WEB_ROOT = fileURLToPath(new URL('../../web', import.meta.url));
// The package exports no path to its browser build; it sits beside the main entry in dist/.
const CHART_DIR = path.dirname(createRequire(import.meta.url).resolve('chart.js'));

export async function webRoutes(app: App) {
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: 'index.html', schemaHide: true, cacheControl: false });
  app.get('/vendor/chart.js', { schema: { hide: true } }, (_request, reply) =>
    reply.sendFile('chart.umd.min.js', CHART_DIR));
}
