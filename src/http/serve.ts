import type { Logger } from 'pino';
import type { Runtime } from '../runtime.js';
import { buildApp, type App } from './app.js';

/** The HTTP app over a runtime (kept apart so a worker process never loads Fastify). */
export function serveHttp(runtime: Runtime, opts: { adminToken: string; logger: Logger }): Promise<App> {
  return buildApp({
    sql: runtime.database.sql, engine: runtime.engine, settings: runtime.settings,
    adminToken: opts.adminToken, logger: opts.logger, exports: runtime.exports, pingQueue: () => runtime.queue.ping(),
  });
}
