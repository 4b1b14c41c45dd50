/**
 * `npm run worker`: a worker process (deadlines, export jobs, notifications) without the HTTP server, for running workers
 * apart from the API (DATABASE_URL required; REDIS_URL optional, else BullMQ's Postgres backend).
 */
import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { createRuntime } from './runtime.js';

async function main() {
  const config = readConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for a worker process');
  const log = createLogger(config.logLevel);
  const runtime = await createRuntime({
    databaseUrl: config.databaseUrl,
    queue: config.redisUrl ? { kind: 'redis', url: config.redisUrl, prefix: config.queuePrefix } : { kind: 'postgres', url: config.databaseUrl },
    adminToken: config.adminToken!,
    logger: log,
    workingHours: config.workingHours,
    runWorkers: true,
    sweepHorizonMs: config.sweepHorizonMs,
    sweepIntervalMs: config.sweepIntervalMs,
    storage: config.storage,
    exportLimits: config.exportLimits,
  });
  log.info({ backend: runtime.queue.backend }, 'deadline worker started');
  const stop = async () => {
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
