/**
 * `npm run worker`: a worker process (deadlines, export jobs, notifications) without the HTTP server, for running workers
 * apart from the API (DATABASE_URL required; REDIS_URL optional, else BullMQ's Postgres backend).
 * SIGINT / SIGTERM: running jobs finish, then the queue and the pool close; exit 0.
 */
import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { createRuntime } from './runtime.js';
import { describeError, stopOnSignals } from './shutdown.js';

async function main() {
  const config = readConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for a worker process');
  const log = createLogger(config.logLevel);
  const shutdown = stopOnSignals(log);
  const runtime = await createRuntime({
    databaseUrl: config.databaseUrl,
    queue: config.redisUrl ? { kind: 'redis', url: config.redisUrl, prefix: config.queuePrefix } : { kind: 'postgres', url: config.databaseUrl },
    adminToken: config.adminToken!,
    logger: log,
    workingHours: config.workingHours,
    runWorkers: true,
    sweepHorizonMs: config.sweepHorizonMs,
    sweepIntervalMs: config.sweepIntervalMs,
    piiRetentionDays: config.piiRetentionDays,
    storage: config.storage,
    exportLimits: config.exportLimits,
    receiptSecret: config.receiptSecret ?? undefined,
    publicUrl: config.publicUrl,
    delivery: { mail: config.notifications.mail, publicUrl: config.publicUrl },
  });
  shutdown.add(null, () => runtime.close());
  log.info({ backend: runtime.queue.backend }, 'deadline worker started');
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${describeError(err)}\n`);
  process.exit(1);
});
