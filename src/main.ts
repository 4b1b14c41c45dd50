/**
 * `npm start`: the engine in one process — API, web pages, deadline workers.
 * With DATABASE_URL (and REDIS_URL) set it uses them; without, it starts an embedded Postgres
 * in .data/ and runs BullMQ on its Postgres backend, seeds a demo district and prints tokens.
 */
import { migrateDatabase } from '../db/migrate.js';
import { readConfig } from './config.js';
import { localSecrets, startEmbeddedPostgres, type EmbeddedDatabase } from './embedded/embedded-postgres.js';
import { issueDemoTokens, isSeeded, seedDemoDistrict } from './demo/demo-district.js';
import { createLogger } from './logger.js';
import { createRuntime } from './runtime.js';
import { serveHttp } from './http/serve.js';

const DATA_DIR = '.data';

async function main() {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  let adminToken = config.adminToken;
  if (!databaseUrl) {
    const secrets = await localSecrets(DATA_DIR);
    embedded = await startEmbeddedPostgres(DATA_DIR, Number(process.env.EMBEDDED_PG_PORT ?? 54329), secrets.password, log);
    databaseUrl = embedded.url;
    adminToken ??= secrets.adminToken;
  }
  await migrateDatabase(databaseUrl);

  const runtime = await createRuntime({
    databaseUrl,
    queue: config.redisUrl ? { kind: 'redis', url: config.redisUrl, prefix: config.queuePrefix } : { kind: 'postgres', url: databaseUrl },
    adminToken: adminToken!,
    logger: log,
    workingHours: config.workingHours,
    runWorkers: config.runWorkers,
    sweepHorizonMs: config.sweepHorizonMs,
    sweepIntervalMs: config.sweepIntervalMs,
    storage: config.storage,
    exportLimits: config.exportLimits,
  });

  const demo = embedded !== null || process.env.DEMO_DATA === 'true';
  if (demo && !(await isSeeded(runtime.database.sql))) {
    log.info('写入示范数据 / seeding the demo district');
    await seedDemoDistrict(runtime.database.sql, runtime.engine);
    await runtime.sweep();
  }

  const app = await serveHttp(runtime, { adminToken: adminToken!, logger: log });
  const address = await app.listen({ port: config.port, host: config.host });

  const lines = [
    '',
    '三级联动诉求办理引擎 grievance-engine',
    `  地址 URL:            ${address}`,
    `  接口文档 API docs:   ${address}/docs`,
    `  数据库 database:     ${embedded ? 'embedded Postgres (.data/postgres)' : 'DATABASE_URL'}`,
    `  队列 queue:          BullMQ on ${config.redisUrl ? 'Redis (REDIS_URL)' : 'Postgres (embedded default)'}`,
  ];
  if (demo) {
    lines.push('', '登录令牌 sign-in tokens (Authorization: Bearer <token>):');
    if (embedded) lines.push(`  admin      ${adminToken}   管理员（配置）`);
    for (const t of await issueDemoTokens(runtime.database.sql)) lines.push(`  ${t.role.padEnd(10)} ${t.token}   ${t.name}（${t.org}）`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close().catch((err) => log.error({ err: String(err) }, 'error while closing the server'));
    await runtime.close().catch((err) => log.error({ err: String(err) }, 'error while closing'));
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`启动失败 / start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
