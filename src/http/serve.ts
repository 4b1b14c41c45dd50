import type { Logger } from 'pino';
import type { Runtime } from '../runtime.js';
import { DEFAULT_SECURITY, type SecuritySettings } from '../config.js';
import { buildApp, type App } from './app.js';
import type { AttachmentLimits } from '../attachments/attachment-kinds.js';
import { countJobs } from '../workers/queue-backend.js';

/** The HTTP app over a runtime (kept apart so a worker process never loads Fastify). */
export function serveHttp(runtime: Runtime, opts: {
  adminToken: string; logger: Logger;
  /** Limits and token settings; the defaults when omitted. */
  security?: SecuritySettings;
  /** The level of the one line each request logs (`debug` on a terminal, so the start banner stays in sight); default info. */
  requestLogLevel?: 'info' | 'debug';
  /** Redis for rate-limit counts shared by replicas (REDIS_URL); in-memory when null. */
  redisUrl?: string | null; queuePrefix?: string;
  /** Upload size limits per kind of attachment. */
  attachmentLimits?: AttachmentLimits;
}): Promise<App> {
  return buildApp({
    sql: runtime.database.sql, read: runtime.read, engine: runtime.engine, intake: runtime.engineDeps, settings: runtime.settings, tokens: runtime.tokens,
    adminToken: opts.adminToken, logger: opts.logger, exports: runtime.exports, meetingSchedules: runtime.meetingSchedules, pingQueue: () => runtime.queue.ping(),
    countQueues: () => Promise.all([countJobs('deadlines', runtime.queue.queue), countJobs('exports', runtime.exports.queue)]),
    storage: runtime.storage, receipts: runtime.engineDeps.receipts, recordKey: runtime.engineDeps.recordKey, recordAudit: runtime.recordAudit,
    attachmentLimits: opts.attachmentLimits, requestLogLevel: opts.requestLogLevel, outbound: runtime.outbound, metrics: runtime.metrics, demoSms: runtime.demoSms,
    security: { ...(opts.security ?? DEFAULT_SECURITY), rateLimitRedisUrl: opts.redisUrl ?? null, rateLimitPrefix: opts.queuePrefix ?? 'bull' },
  });
}
