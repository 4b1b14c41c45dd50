/**
 * `npm run soak`: many processes, one truth. 2 API processes (`src/main.ts`, no workers) and 2
 * worker processes (`src/worker.ts`) on one Postgres and one Redis, behind a round-robin client;
 * mixed load (registrations, actions, reads, exports, deadlines in seconds); one worker SIGKILLed
 * (and started again) every KILL_EVERY seconds, one API process restarted once half-way.
 * Then it lets the system drain and prints the table: requests, errors by status, deadlines due /
 * fired once / fired twice / missed / early, exports started / done / failed, outbox pending.
 * Targets: 0 missed, 0 doubled, 0 early, 0 exports failed, no 5xx (requests in flight on the
 * restarted API are counted apart). The last line is the result as JSON (the test reads it).
 *
 *   SOAK_SECONDS (300)   SOAK_KILL_EVERY_SECONDS (30)   SOAK_USERS (8, concurrent clients)
 *
 * Its own database and queue prefix, removed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { BENCH_REDIS_URL, benchDatabase } from './bench-support.js';
import { nodeArgsOf } from '../support/npm-scripts.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const KILL_EVERY_S = Number(process.env.SOAK_KILL_EVERY_SECONDS ?? 30);
const USERS = Number(process.env.SOAK_USERS ?? 8);
const ADMIN = 'soak-admin-token-0123456789';
const RECORD_PEPPER = 'soak-record-pepper-0123456789-abcdefghij';
const LINK_KEY = 'bench-link-key-0123456789-abcdefghijklmnop';
const PREFIX = `soak-${Date.now()}`;

type Json = Record<string, any>;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); });
});

/** A child process that says it is ready on stdout. */
function startProcess(script: 'start' | 'worker', env: Record<string, string>, ready: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, nodeArgsOf(script), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-2000); });
  const isReady = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => { if (c.toString().includes(ready)) resolve(); });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready: ${err}`)));
  });
  isReady.catch(() => {});
  child.stdout!.resume();
  return { child, ready: isReady };
}

async function main() {
  const t0 = Date.now();
  const database = await benchDatabase('soak');
  const exportDir = await mkdtemp(path.join(os.tmpdir(), 'soak-exports-'));
  const sql = postgres(database.url, { max: 4, onnotice: () => {} });
  const env = {
    DATABASE_URL: database.url, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: PREFIX, ADMIN_TOKEN: ADMIN, RECORD_PEPPER, LINK_KEY,
    EXPORT_DIR: exportDir, LOG_LEVEL: 'warn',
    // Several processes on one machine: no metrics listeners to collide.
    METRICS_PORT: '0',
    // A few clients act for many users: the per-user limits stay out of the way (they are tested on their own).
    RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '1000000', RATE_LIMIT_SEARCHES_PER_MINUTE: '1000000', SWEEP_INTERVAL_SECONDS: '5', DEMO_DATA: 'false',
    // The webhook receiver listens here.
    OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
  };
  const apis: { port: number; child: ChildProcess }[] = [];
  const workers: ChildProcess[] = [];
  let hook: ChildProcess | null = null;
  const startApi = async (port: number) => {
    const p = startProcess('start', { ...env, PORT: String(port), RUN_WORKERS: 'false' }, 'URL');
    await p.ready;
    return p.child;
  };
  // Its start-up line is an info line.
  const spawnWorker = () => startProcess('worker', { ...env, LOG_LEVEL: 'info' }, 'deadline worker started');
  const startWorker = async () => {
    const p = spawnWorker();
    await p.ready;
    return p.child;
  };

  try {
    process.stdout.write('starting 2 API and 2 worker processes… ');
    for (let i = 0; i < 2; i++) { const port = await freePort(); apis.push({ port, child: await startApi(port) }); }
    for (let i = 0; i < 2; i++) workers.push(await startWorker());

    // The round-robin client: the next API process each time; one that refuses the connection
    // (being restarted) is skipped, as a load balancer would. Failures are counted by kind.
    const stats = { requests: 0, byStatus: new Map<string, number>(), rerouted: 0, inFlightOnRestart: 0 };
    let restarting: number | null = null;
    let next = 0;
    const down = new Map<number, number>();
    const count = (key: string) => stats.byStatus.set(key, (stats.byStatus.get(key) ?? 0) + 1);
    async function call(token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
      for (let tries = 0; ; tries++) {
        // The next process not marked down (a refused connection marks it down for 2 s).
        let target = next++ % apis.length;
        if ((down.get(target) ?? 0) > Date.now()) target = next++ % apis.length;
        stats.requests++;
        try {
          const res = await fetch(`http://127.0.0.1:${apis[target].port}${url}`, {
            method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
            body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(30_000),
          });
          const text = await res.text();
          // A server that is closing answers 503 to what still arrives on a kept-alive connection:
          // like a refused connection, the request goes to the other process (nothing was done).
          if (res.status === 503 && restarting === target) {
            stats.rerouted++;
            down.set(target, Date.now() + 2000);
            continue;
          }
          count(String(res.status));
          return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {} };
        } catch (error) {
          const refused = String((error as { cause?: { code?: string } }).cause?.code) === 'ECONNREFUSED';
          if (refused) { stats.rerouted++; down.set(target, Date.now() + 2000); }
          else if (restarting === target) stats.inFlightOnRestart++;
          else count(`network: ${(error as Error).message}`);
          if (tries >= 20) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }

    // A district whose clocks run in seconds; one department has a webhook: a receiver in a
    // process of its own, so that this busy load generator does not make it answer late.
    hook = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.statusCode = 204; s.end(); }); })
      .listen(0, '127.0.0.1', function () { console.log('port ' + this.address().port); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const hookPort = await new Promise<number>((resolve) => hook!.stdout!.on('data', (c: Buffer) => resolve(Number(c.toString().match(/port (\d+)/)![1]))));
    const admin = (method: string, url: string, body?: unknown) => call(ADMIN, method, url, body).then((r) => {
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    });
    const org = (b: Json) => admin('POST', '/api/v1/orgs', b).then((o) => o.id as string);
    const branch = await org({ name: '支部', type: 'branch' });
    const meituan = await org({ name: '美团平台党委', type: 'platform', platform: '美团' });
    const market = await org({ name: '市场监管局', type: 'department', webhookUrl: `http://127.0.0.1:${hookPort}/hook` });
    const convenerOrg = await org({ name: '社会工作部', type: 'convener' });
    const user = (name: string, orgId: string, role: string) => admin('POST', '/api/v1/users', { name, orgId, role }).then((u) => u.token as string);
    const tokens = {
      liaison: await user('联络员', branch, 'liaison'), committee: await user('专员', meituan, 'committee'),
      officer: await user('督办员', market, 'officer'), convener: await user('协调员', convenerOrg, 'convener'),
    };
    await admin('PUT', '/api/v1/routing-rules', [{ step: 'forward', match: {}, toOrgId: meituan }, { step: 'hand_off', match: {}, toOrgId: market }]);
    await admin('PUT', '/api/v1/sla-policies', [
      ['l1_forward', 15], ['l2_accept', 15], ['l2_resolve', 30], ['l3_accept', 15], ['l3_resolve', 30], ['feedback', 20],
    ].map(([step, amount]) => ({ step, amount, unit: 'seconds' })));
    const meeting = await call(tokens.convener, 'POST', '/api/v1/meetings', {
      title: '压力测试', periodFrom: new Date(t0 - 3600_000).toISOString(), periodTo: new Date(t0 + 3600_000).toISOString(),
    }).then((r) => r.body.id as string);

    // Mixed load: each client registers, moves cases along (a third are left alone so their
    // deadlines fire), reads lists, and now and then starts an export.
    const open: string[] = [];
    const exportIds: string[] = [];
    const runUntil = Date.now() + SECONDS * 1000;
    let lastExport = 0;
    const NEXT: Record<string, [keyof typeof tokens, Json][]> = {
      registered: [['liaison', { action: 'forward' }]],
      forwarded: [['committee', { action: 'accept' }]],
      platform_handling: [['committee', { action: 'resolve', resolution: '已处理' }], ['committee', { action: 'hand_off', reason: '移交' }]],
      handed_off: [['officer', { action: 'accept' }]],
      department_handling: [['officer', { action: 'resolve', resolution: '已督办' }]],
      resolved: [['liaison', { action: 'feedback', rating: 'satisfied' }]],
    };
    async function client() {
      while (Date.now() < runUntil) {
        const r = Math.random();
        if (r < 0.3) {
          const res = await call(tokens.liaison, 'POST', '/api/v1/cases', {
            worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团'] }, channel: 'station',
            category: 'DED', description: '压力测试诉求', platform: '美团', urgency: 'normal',
          });
          if (res.status === 201 && Math.random() < 0.67) open.push(res.body.id);
        } else if (r < 0.75 && open.length > 0) {
          const id = open.splice(Math.floor(Math.random() * open.length), 1)[0]; // this client's alone while it acts
          const current = await call(tokens.convener, 'GET', `/api/v1/cases/${id}`);
          const choices = NEXT[current.body.state as string];
          if (!choices) continue;
          const [who, action] = choices[Math.floor(Math.random() * choices.length)];
          const res = await call(tokens[who], 'POST', `/api/v1/cases/${id}/actions`, action, { 'if-match': String(current.body.version) });
          if (res.status === 200 && res.body.state !== 'closed') open.push(id);
        } else if (r < 0.97) {
          const who = Math.random() < 0.5 ? tokens.convener : tokens.officer;
          await call(who, 'GET', who === tokens.convener ? '/api/v1/cases?limit=20' : '/api/v1/oversight?limit=20');
        } else if (Date.now() - lastExport > 5000) {
          lastExport = Date.now();
          const res = await call(tokens.convener, 'POST', `/api/v1/meetings/${meeting}/exports`, { format: Math.random() < 0.5 ? 'xlsx' : 'csv' });
          if (res.status === 202) exportIds.push(res.body.id);
        }
      }
    }

    // Chaos: SIGKILL a worker every KILL_EVERY_S (a new one starts at once, as a supervisor would
    // start it); restart one API process once, half-way.
    let kills = 0;
    let apiRestarts = 0;
    const killWorkers = (async () => {
      for (let at = Date.now() + KILL_EVERY_S * 1000; at < runUntil; at += KILL_EVERY_S * 1000) {
        await new Promise((r) => setTimeout(r, at - Date.now()));
        const victim = kills % workers.length;
        workers[victim].kill('SIGKILL');
        kills++;
        workers[victim] = spawnWorker().child;
      }
    })();
    const restartApi = (async () => {
      await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
      apiRestarts++;
      restarting = 0;
      const old = apis[0].child;
      const exited = new Promise((r) => old.once('exit', r));
      old.kill('SIGTERM');
      await exited;
      apis[0].child = await startApi(apis[0].port);
      restarting = null;
    })();
    const chaos = Promise.all([killWorkers, restartApi]);
    console.log('ready');
    process.stdout.write(`soak: ${SECONDS} s of load on 2 API + 2 worker processes, ${USERS} clients… `);
    await Promise.all([...Array.from({ length: USERS }, client), chaos]);
    console.log('done; draining');

    // Drain: every deadline due by now fires, every export finishes, the outbox empties.
    const loadEnded = new Date();
    const drainUntil = Date.now() + 120_000;
    for (;;) {
      const [s] = await sql<{ overdue: number; exporting: number; outbox: number }[]>`
        select (select count(*)::int from deadlines where status = 'pending' and due_at < ${loadEnded}) as overdue,
          (select count(*)::int from export_jobs where status in ('queued', 'running')) as exporting,
          (select count(*)::int from outbox where delivered_at is null) as outbox`;
      if ((s.overdue === 0 && s.exporting === 0 && s.outbox === 0) || Date.now() > drainUntil) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await new Promise((r) => setTimeout(r, 3000)); // a late duplicate would show up here

    const [d] = await sql<{ due: number; once: number; twice: number; missed: number; early: number }[]>`
      with fired as (
        select case_id, data->>'step' as step, (data->>'dueAt')::timestamptz as due_at, count(*) as n, min(at) as first_at
        from case_events where action = 'deadline_missed' group by 1, 2, 3),
      due as (select * from deadlines where status in ('pending', 'missed') and due_at < ${loadEnded})
      select count(*)::int as due,
        count(*) filter (where f.n = 1)::int as once,
        count(*) filter (where f.n > 1)::int as twice,
        count(*) filter (where f.n is null)::int as missed,
        count(*) filter (where f.first_at < due.due_at)::int as early
      from due left join fired f on f.case_id = due.case_id and f.step = due.step and f.due_at = due.due_at`;
    const [e] = await sql<{ started: number; done: number; failed: number; retried: number }[]>`
      select count(*)::int as started, count(*) filter (where status = 'done')::int as done,
        count(*) filter (where status = 'failed')::int as failed, count(*) filter (where attempts > 1)::int as retried
      from export_jobs`;
    const [o] = await sql<{ total: number; pending: number; webhook: number; parked: number }[]>`
      -- Deadlines in seconds keep firing after the load: a row written in the last few seconds is on its
      -- way, not lost. Pending means older than the delivery loop's period and still undelivered.
      select count(*)::int as total, count(*) filter (where delivered_at is null and created_at < now() - interval '10 seconds')::int as pending,
        count(*) filter (where delivered_at is not null and org_id = ${market})::int as webhook,
        (select count(*)::int from delivery_receivers where parked_until is not null) as parked
      from outbox`;
    const fiveXX = [...stats.byStatus].filter(([k]) => k.startsWith('5')).reduce((a, [, n]) => a + n, 0);
    const otherErrors = [...stats.byStatus].filter(([k]) => !/^[23]/.test(k) && !k.startsWith('5')).reduce((a, [, n]) => a + n, 0);

    const rows: [string, string][] = [
      ['run', `${SECONDS} s, 2 API + 2 worker processes, ${USERS} clients; ${kills} worker SIGKILLs, ${apiRestarts} API restart`],
      ['requests', `${stats.requests} (${(stats.requests / SECONDS).toFixed(0)}/s)`],
      ['answers by status', [...stats.byStatus].sort().map(([k, n]) => `${k}: ${n}`).join(', ')],
      ['5xx', `${fiveXX}  (target 0)`],
      ['refused by the restarting API, sent to the other', String(stats.rerouted)],
      ['in flight on the restarted API (counted apart)', String(stats.inFlightOnRestart)],
      ['deadlines due', String(d.due)],
      ['  fired once', String(d.once)],
      ['  fired twice', `${d.twice}  (target 0)`],
      ['  missed', `${d.missed}  (target 0)`],
      ['  early', `${d.early}  (target 0)`],
      ['exports started / done / failed', `${e.started} / ${e.done} / ${e.failed}  (target 0 failed; ${e.retried} retried after a kill)`],
      ['outbox rows / pending > 10 s at the end', `${o.total} / ${o.pending}  (${o.webhook} delivered to the webhook; receivers parked: ${o.parked})`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nnpm run soak — ${new Date().toISOString()}`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
    const met = fiveXX === 0 && d.twice === 0 && d.missed === 0 && d.early === 0 && e.failed === 0 && e.done === e.started && o.pending === 0;
    console.log(`  targets: ${met ? 'met' : 'NOT met'}`);
    console.log(`SOAK_RESULT ${JSON.stringify({
      seconds: SECONDS, requests: stats.requests, byStatus: Object.fromEntries(stats.byStatus), fiveXX, otherErrors,
      rerouted: stats.rerouted, inFlightOnRestart: stats.inFlightOnRestart, kills, apiRestarts,
      deadlines: d, exports: e, outbox: o, met,
    })}`);
    if (!met) process.exitCode = 1;
  } finally {
    apis.forEach((a) => a.child.kill('SIGKILL'));
    workers.forEach((w) => w.kill('SIGKILL'));
    hook?.kill('SIGKILL');
    await sql.end();
    const { Redis } = await import('ioredis');
    const redis = new Redis(BENCH_REDIS_URL);
    // Our prefix only: the machine's Redis is shared.
    for (let cursor = '0'; ;) {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = nextCursor;
      if (cursor === '0') break;
    }
    redis.disconnect();
    await database.drop();
    await rm(exportDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
