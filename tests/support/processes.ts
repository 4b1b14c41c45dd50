/** Real processes for durability tests: a private redis-server, and deadline worker processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY } from './harness.js';
import { nodeArgsOf } from './npm-scripts.js';

/** Polls `check` until it gives a value; `progress` says how far it got when time runs out. */
export async function eventually<T>(
  check: () => Promise<T | false | null | undefined>, timeoutMs: number, what: string, progress?: () => Promise<unknown>,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) {
      const seen = progress ? ` (last seen: ${JSON.stringify(await progress())})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A redis-server of our own, so FLUSHALL wipes nothing but this test's queue. */
export async function startPrivateRedis(): Promise<{ url: string; client: Redis; stop(): Promise<void> }> {
  for (let attempt = 0; ; attempt++) {
    // Below the kernel's ephemeral range, so no client socket holds the port.
    const port = 20000 + Math.floor(Math.random() * 12000);
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let exited = false;
    server.on('exit', () => { exited = true; });
    const url = `redis://127.0.0.1:${port}`;
    const client = await eventually(async () => {
      if (exited) return 'exited' as const;
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      probe.on('error', () => {});
      return probe.connect().then(() => probe, () => { probe.disconnect(); return null; });
    }, 20_000, 'redis-server to answer');
    if (client === 'exited') {
      if (attempt < 5) continue;
      throw new Error('redis-server would not start');
    }
    return {
      url, client,
      async stop() {
        client.disconnect();
        server.kill('SIGKILL');
      },
    };
  }
}

export interface WorkerProcess { child: ChildProcess; started: Promise<void>; exited: Promise<void> }

/** `src/worker.ts` in its own Node process (no npx wrapper, so a signal reaches it directly); `env` may change the sweep interval too. */
export function spawnWorker(env: {
  DATABASE_URL: string; REDIS_URL?: string; QUEUE_PREFIX?: string; EXPORT_DIR?: string; EXPORT_MAX_RUNNING_PER_USER?: string;
  SWEEP_INTERVAL_SECONDS?: string; OTEL_EXPORTER_OTLP_ENDPOINT?: string; OTEL_BSP_SCHEDULE_DELAY?: string;
  /** Off unless a test asks (several workers run at once); a worker listens on METRICS_PORT + 1. */
  METRICS_PORT?: string;
}): WorkerProcess {
  const child = spawn(process.execPath, nodeArgsOf('worker'), {
    env: { ...process.env, ADMIN_TOKEN, RECORD_PEPPER, LINK_KEY, LOG_LEVEL: 'info', SWEEP_INTERVAL_SECONDS: '2', METRICS_PORT: '0', ...env, ...(env.REDIS_URL ? {} : { REDIS_URL: '' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (process.env.WORKER_LOG) child.stdout!.pipe(process.stderr), child.stderr!.pipe(process.stderr);
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('deadline worker started')) resolve(); });
    child.on('exit', () => reject(new Error('worker exited before it started')));
  });
  started.catch(() => {});
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, started, exited };
}
