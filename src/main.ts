/**
 * `npm start`: the engine in one process — API, web pages, deadline workers.
 * With DATABASE_URL (and REDIS_URL) set it uses them; without, it starts an embedded Postgres
 * and runs BullMQ on its Postgres backend, seeds a demo district and prints sign-in tokens.
 * The banner is the last thing it prints at start; Ctrl-C / SIGTERM closes every part in turn.
 */
import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { migrateDatabase } from '../db/migrate.js';
import { createRecordKey } from './cases/case-record.js';
import { readConfig, type Config } from './config.js';
import { DEFAULT_EMBEDDED_PORT, databaseDirFor, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded/embedded-postgres.js';
import { localSecrets, saveLocalSecrets } from './embedded/local-secrets.js';
import { demoTokens, isSeeded, seedDemoDistrict } from './demo/demo-district.js';
import { createLogger } from './logger.js';
import { createRuntime, runtimeOptionsFrom, type RuntimeOptions } from './runtime.js';
import { serveHttp } from './http/serve.js';
import { describeError, stopOnSignals } from './shutdown.js';
import { startTracingIfSet } from './observability/start-tracing.js';
import { serveMetrics, type MetricsServer } from './observability/metrics-server.js';

const DATA_DIR = '.data';
/** `service.name` of this process's spans when OTEL_SERVICE_NAME is unset. */
const SERVICE_NAME = 'grievance-engine-api';

async function main() {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const shutdown = stopOnSignals(log);
  // First in, last out: the spans of the other parts' closing are sent too.
  const tracing = await startTracingIfSet(config, SERVICE_NAME, log);
  if (tracing) shutdown.add('traces', () => tracing.shutdown());

  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  let adminToken = config.adminToken;
  let recordPepper = config.recordPepper;
  let linkKey = config.linkKey;
  if (!databaseUrl) {
    const secrets = await localSecrets(DATA_DIR);
    embedded = await startEmbeddedPostgres({
      databaseDir: await databaseDirFor(DATA_DIR), port: config.embeddedPgPort, password: secrets.password, database: 'grievance',
    });
    shutdown.add('embedded Postgres', () => embedded!.stop());
    const portNote = config.embeddedPgPort === null && embedded.port !== DEFAULT_EMBEDDED_PORT ? ` (${DEFAULT_EMBEDDED_PORT} is taken)` : '';
    log.info(`内置数据库 / embedded Postgres on port ${embedded.port}${portNote}; data in ${embedded.databaseDir}; binaries in ${embedded.binDir}`);
    databaseUrl = embedded.url;
    adminToken ??= secrets.adminToken;
    if (!secrets.recordPepper || !secrets.linkKey) {
      await saveLocalSecrets(DATA_DIR, {
        ...secrets, recordPepper: secrets.recordPepper ?? randomBytes(32).toString('base64url'), linkKey: secrets.linkKey ?? randomBytes(32).toString('base64url'),
      });
    }
    const kept = await localSecrets(DATA_DIR);
    recordPepper ??= kept.recordPepper!;
    linkKey ??= kept.linkKey!;
  }
  await migrateDatabase(databaseUrl, createRecordKey(recordPepper!));

  // Demo mode is the embedded database: only then are the worker's texts kept for the demo's SMS page.
  const runtimeOptions = runtimeOptionsFrom(config, {
    databaseUrl, adminToken: adminToken!, recordPepper: recordPepper!, linkKey: linkKey!, logger: log, runWorkers: config.runWorkers, demoSms: embedded !== null,
  });
  if (config.demoData) await seedOnce(runtimeOptions, log);

  const runtime = await createRuntime(runtimeOptions);
  shutdown.add(null, () => runtime.close());
  const app = await serveHttp(runtime, {
    adminToken: adminToken!, logger: log, security: config.security, redisUrl: config.redisUrl, queuePrefix: config.queuePrefix,
    attachmentLimits: config.attachmentLimits,
    // On a terminal the request lines are debug (LOG_LEVEL=debug shows them): the start banner stays the last thing printed.
    requestLogLevel: process.stdout.isTTY ? 'debug' : 'info',
  });
  shutdown.add('HTTP server', () => app.close());
  const address = await app.listen({ port: config.port, host: config.host }).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'EADDRINUSE' ? new Error(`端口 ${config.port} 已被占用 / port ${config.port} is taken: set PORT to a free port`) : err;
  });
  let metrics: MetricsServer | null = null;
  if (config.metrics.port !== null) {
    metrics = await serveMetrics(runtime.metrics.registry, { port: config.metrics.port, host: config.metrics.host, log });
    shutdown.add('metrics listener', () => metrics!.close());
  }

  const tokens = config.demoData ? await signInTokens(runtime.database.sql, adminToken!) : [];
  process.stdout.write(banner(config, address, metrics, embedded, embedded ? adminToken : null, tokens));
}

/** The demo district, once per database, written by an engine of its own whose clock walks through the past six weeks. */
async function seedOnce(options: RuntimeOptions, log: Logger) {
  // No workers and a silent log: nothing of the seeding's own machinery reaches the terminal.
  const seeding = await createRuntime({ ...options, runWorkers: false, logger: log.child({}, { level: 'silent' }) });
  try {
    if (await isSeeded(seeding.database.sql)) return;
    const started = Date.now();
    const summary = await seedDemoDistrict(seeding);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log.info(`示范数据 / demo district seeded in ${seconds} s: ${summary.cases} cases over the past ${summary.days} days, ${summary.open} open, ${summary.overdue} overdue, ${summary.onMeetingAgenda} on the meeting agenda`);
    for (const refusal of summary.refused) log.warn(`示范数据中一步被拒绝 / a demo step was refused: ${refusal}`);
  } finally {
    await seeding.close();
  }
}

/** The demo users' tokens: the ones kept in .data/secrets.json while they still work, else new ones. */
async function signInTokens(sql: Parameters<typeof demoTokens>[0], adminToken: string) {
  const secrets = await localSecrets(DATA_DIR);
  const tokens = await demoTokens(sql, adminToken, secrets.demoTokens ?? {});
  await saveLocalSecrets(DATA_DIR, { ...secrets, demoTokens: Object.fromEntries(tokens.map((t) => [t.name, t.token])) });
  return tokens;
}

function banner(
  config: Config, address: string, metrics: MetricsServer | null, embedded: EmbeddedDatabase | null, adminToken: string | null,
  tokens: Awaited<ReturnType<typeof demoTokens>>,
): string {
  const where = (url: string) => { const u = new URL(url); return `${u.hostname}:${u.port || '(default port)'}${u.pathname}`; };
  const lines = [
    '',
    '三级联动诉求办理引擎 grievance-engine',
    `  地址 URL:            ${address}`,
    `  接口文档 API docs:   ${address}/docs`,
    ...(embedded ? [`  示范短信 demo SMS:   ${address}/demo/sms (劳动者会收到的短信 / the texts workers would have received)`] : []),
    `  数据库 database:     ${embedded ? `embedded Postgres on port ${embedded.port}, data in ${embedded.databaseDir}` : `DATABASE_URL (${where(config.databaseUrl!)})`}`,
    `  队列 queue:          BullMQ on ${config.redisUrl ? `Redis (REDIS_URL, ${where(config.redisUrl)})` : 'Postgres (no REDIS_URL)'}`,
    ...(config.tracing ? [`  链路追踪 traces:     OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, service ${config.tracing.serviceName ?? SERVICE_NAME}`] : []),
    `  指标 metrics:        ${metrics ? `${metrics.url} (Prometheus)` : 'off (METRICS_PORT=0)'}`,
  ];
  if (adminToken || tokens.length > 0) {
    lines.push('', '登录令牌 sign-in tokens (Authorization: Bearer <token>):');
    if (adminToken) lines.push(`  admin      ${adminToken}   管理员（配置）`);
    for (const t of tokens) lines.push(`  ${t.role.padEnd(10)} ${t.token}   ${t.name}（${t.org}）`);
  }
  return lines.join('\n') + '\n\n';
}

main().catch((err) => {
  process.stderr.write(`启动失败 / start-up failed: ${describeError(err)}\n`);
  process.exit(1);
});
