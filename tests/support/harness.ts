/**
 * A real engine for a test file: its own database (cloned from the migrated template), its own
 * queue (a unique Redis prefix, or the Postgres backend inside that database), real workers.
 */
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { serveHttp } from '../../src/http/serve.js';
import { createLogger } from '../../src/logger.js';
import type { App } from '../../src/http/app.js';
import { DEFAULT_SECURITY, type SecuritySettings } from '../../src/config.js';
import type { StorageConfig } from '../../src/storage/file-storage.js';
import type { ExportLimits } from '../../src/meetings/export-jobs.js';
import { REDIS_URL, createTestDatabase, uniqueName } from './test-database.js';

import { ADMIN_TOKEN, LINK_KEY, RECORD_PEPPER } from './test-keys.js';

export { ADMIN_TOKEN, LINK_KEY, RECORD_PEPPER };
/** Tests load cases in bulk through the API: per-user limits out of the way unless a test sets them. */
export const TEST_SECURITY: SecuritySettings = {
  ...DEFAULT_SECURITY, limits: { ...DEFAULT_SECURITY.limits, registrationsPerMinute: 1_000_000, searchesPerMinute: 1_000_000 },
};

export interface TestEngine {
  runtime: Runtime;
  app: App;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function startTestEngine(opts: {
  backend?: 'redis' | 'postgres'; runWorkers?: boolean; sweepIntervalMs?: number; queueName?: string;
  redisUrl?: string; queuePrefix?: string; outboxIntervalMs?: number;
  storage?: StorageConfig; exportLimits?: Partial<ExportLimits>; delivery?: RuntimeOptions['delivery'];
  /** Where the engine's log lines go (the production logger's settings); silent by default. */
  logTo?: NodeJS.WritableStream;
  /** Limits and token settings (defaults otherwise); `rateLimitRedis` counts in Redis under the queue prefix. */
  security?: SecuritySettings; rateLimitRedis?: boolean;
  /** OUTBOUND_ALLOW_HOSTS and the resolver; by default 127.0.0.1 (any port) is allowed, where the tests' receivers listen. */
  outbound?: RuntimeOptions['outbound'];
  /** Demo mode's SMS sink (the embedded database's): off, as in production, unless a test asks. */
  demoSms?: boolean;
} = {}): Promise<TestEngine> {
  const database = await createTestDatabase();
  const backend = opts.backend ?? 'redis';
  const runtime = await createRuntime({
    databaseUrl: database.url,
    queue: backend === 'redis'
      ? { kind: 'redis', url: opts.redisUrl ?? REDIS_URL, prefix: opts.queuePrefix ?? uniqueName('bulltest') }
      : { kind: 'postgres', url: database.url },
    queueName: opts.queueName,
    adminToken: ADMIN_TOKEN,
    recordPepper: RECORD_PEPPER,
    linkKey: LINK_KEY,
    logger: opts.logTo ? createLogger('debug', opts.logTo) : pino({ level: 'silent' }),
    runWorkers: opts.runWorkers ?? false,
    sweepIntervalMs: opts.sweepIntervalMs ?? 60_000,
    outboxIntervalMs: opts.outboxIntervalMs ?? 60_000,
    storage: opts.storage ?? { kind: 'local', dir: path.join(os.tmpdir(), database.name) },
    exportLimits: opts.exportLimits,
    delivery: opts.delivery,
    outbound: opts.outbound ?? { allowHosts: [{ host: '127.0.0.1', port: null }] },
    demoSms: opts.demoSms,
  });
  const app = await serveHttp(runtime, {
    adminToken: ADMIN_TOKEN, logger: opts.logTo ? createLogger('debug', opts.logTo) : pino({ level: 'silent' }),
    security: opts.security ?? TEST_SECURITY, redisUrl: opts.rateLimitRedis ? opts.redisUrl ?? REDIS_URL : null, queuePrefix: opts.queuePrefix ?? database.name,
  });
  return {
    runtime,
    app,
    databaseUrl: database.url,
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
    },
  };
}
