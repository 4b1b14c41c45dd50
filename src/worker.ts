/**
 * `npm run worker`: a worker process (deadlines, export jobs, notifications, record verification) without the HTTP server, for running workers
 * apart from the API (DATABASE_URL required; REDIS_URL optional, else BullMQ's Postgres backend).
 * SIGINT / SIGTERM: running jobs finish, then the queue and the pool close; exit 0.
 */
import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { createRuntime, runtimeOptionsFrom } from './runtime.js';
import { describeError, stopOnSignals } from './shutdown.js';
import { startTracingIfSet } from './observability/start-tracing.js';
import { serveMetrics } from './observability/metrics-server.js';

async function main() {
  const config = readConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required for a worker process');
  const log = createLogger(config.logLevel);
  const shutdown = stopOnSignals(log);
  const tracing = await startTracingIfSet(config, 'grievance-engine-worker', log);
  if (tracing) shutdown.add('traces', () => tracing.shutdown());
  const runtime = await createRuntime(runtimeOptionsFrom(config, { databaseUrl: config.databaseUrl, adminToken: config.adminToken!, recordPepper: config.recordPepper!, linkKey: config.linkKey!, logger: log, runWorkers: true }));
  shutdown.add(null, () => runtime.close());
  // The port after the API process's, so that one machine runs both with one METRICS_PORT.
  const metrics = config.metrics.port === null ? null
    : await serveMetrics(runtime.metrics.registry, { port: config.metrics.port + 1, host: config.metrics.host, log, setting: 'METRICS_PORT (a worker takes METRICS_PORT + 1)' });
  if (metrics) shutdown.add('metrics listener', () => metrics.close());
  log.info({ backend: runtime.queue.backend, metrics: metrics?.url ?? 'off' }, 'deadline worker started');
}

main().catch((err) => {
  process.stderr.write(`worker failed: ${describeError(err)}\n`);
  process.exit(1);
});
