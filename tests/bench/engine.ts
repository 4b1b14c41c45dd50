/**
 * `npm run bench:engine`: a register → forward → accept → resolve → feedback cycle through the full
 * stack over HTTP with N concurrent clients, beside the same SQL statements issued directly on the
 * same database in the same run (the raw ceiling: the engine's statements for each action, in
 * the same transactions, issued directly by one process). Prints cycles/s for both, the ratio, and
 * p50/p99 per action. Target: the full stack reaches at least 0.70 of the raw-SQL ceiling.
 *
 *   BENCH_CLIENTS (8)   BENCH_SECONDS (15 per phase)
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import postgres from 'postgres';
import { createRuntime } from '../../src/runtime.js';
import { serveHttp } from '../../src/http/serve.js';
import { hashToken, newToken } from '../../src/access/callers.js';
import { DEFAULT_SLA_POLICIES } from '../../src/deadlines/sla-policies.js';
import { GENESIS_HASH, eventHash, personalDigest } from '../../src/cases/case-record.js';
import { BENCH_REDIS_URL, benchDatabase, fmt, summary } from './bench-support.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ADMIN = `bench-admin-${randomUUID()}`;
const ACTIONS = ['register', 'forward', 'accept', 'resolve', 'feedback'] as const;
type Timings = Record<(typeof ACTIONS)[number], number[]>;

const grievance = {
  worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团'] },
  channel: 'station', category: 'DED', description: '暴雨天配送超时被扣款', platform: '美团', area: '朝阳街道', urgency: 'normal',
};

function httpClient(base: string) {
  return async (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(base + path, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

const emptyTimings = (): Timings => ({ register: [], forward: [], accept: [], resolve: [], feedback: [] });

/** Runs `cycle` on CLIENTS concurrent loops for SECONDS, after a short warm-up. */
async function drive(cycle: (t: Timings) => Promise<void>) {
  const t = emptyTimings();
  for (let i = 0; i < 20; i++) await cycle(emptyTimings());
  const end = performance.now() + SECONDS * 1000;
  let cycles = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end) { await cycle(t); cycles++; }
  }));
  return { cycles, t };
}

/** The load generator's own process: HTTP clients must not share the server's event loop. */
async function loadGenerator(base: string, liaison: string, committee: string) {
  const http = httpClient(base);
  const result = await drive(async (t) => {
    let at = performance.now();
    const lap = (action: keyof Timings) => { const now = performance.now(); t[action].push(now - at); at = now; };
    let c = await http(liaison, 'POST', '/api/v1/cases', grievance); lap('register');
    c = await http(liaison, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'forward' }, { 'if-match': String(c.version) }); lap('forward');
    c = await http(committee, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'accept' }, { 'if-match': String(c.version) }); lap('accept');
    c = await http(committee, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'resolve', resolution: '已退还' }, { 'if-match': String(c.version) }); lap('resolve');
    await http(liaison, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'feedback', rating: 'satisfied' }, { 'if-match': String(c.version) }); lap('feedback');
  });
  process.stdout.write(JSON.stringify(result));
}

function runLoadGenerator(base: string, liaison: string, committee: string): Promise<{ cycles: number; t: Timings }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/engine.ts'], {
      env: { ...process.env, BENCH_LOAD: JSON.stringify({ base, liaison, committee }) }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited with ${code}`))));
  });
}

function report(name: string, { cycles, t }: { cycles: number; t: Timings }) {
  const rate = cycles / SECONDS;
  console.log(`\n${name}: ${cycles} cycles in ${SECONDS} s = ${rate.toFixed(1)} cycles/s (${CLIENTS} clients)`);
  for (const action of ACTIONS) {
    const s = summary(t[action]);
    console.log(`  ${action.padEnd(9)} p50 ${fmt(s.p50).padStart(9)}   p99 ${fmt(s.p99).padStart(9)}`);
  }
  return rate;
}

async function main() {
  const database = await benchDatabase('bench_engine');
  const runtime = await createRuntime({
    databaseUrl: database.url, queue: { kind: 'redis', url: BENCH_REDIS_URL, prefix: `bench-${Date.now()}` },
    adminToken: ADMIN, logger: pino({ level: 'silent' }), runWorkers: false,
  });
  const app = await serveHttp(runtime, { adminToken: ADMIN, logger: pino({ level: 'silent' }), exportDir: '/tmp/bench-exports' });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const http = httpClient(base);
    const org = (body: object) => http(ADMIN, 'POST', '/api/v1/orgs', body).then((o) => o.id as string);
    const branch = await org({ name: '支部', type: 'branch' });
    const meituan = await org({ name: '美团平台党委', type: 'platform', platform: '美团' });
    const market = await org({ name: '市场监管局', type: 'department', sectors: ['delivery'] });
    const user = (orgId: string, role: string) => http(ADMIN, 'POST', '/api/v1/users', { name: role, orgId, role }).then((u) => u.token as string);
    const liaison = await user(branch, 'liaison');
    const committee = await user(meituan, 'committee');
    await http(ADMIN, 'PUT', '/api/v1/routing-rules', [
      { step: 'forward', match: { platform: '美团' }, toOrgId: meituan }, { step: 'hand_off', match: {}, toOrgId: market },
    ]);
    await http(ADMIN, 'PUT', '/api/v1/sla-policies', DEFAULT_SLA_POLICIES);

    const raw = postgres(database.url, { max: CLIENTS, onnotice: () => {} });
    const [{ id: liaisonUser }] = await raw<{ id: string }[]>`select id from users where role = 'liaison'`;

    // The raw ceiling: the statements the engine issues for the same cycle, in the same transactions.
    const tokenHash = hashToken(newToken());
    await raw`insert into api_tokens (token_hash, user_id) values (${tokenHash}, ${liaisonUser})`;
    const authenticate = () => raw`select u.id, u.org_id, u.role from api_tokens t join users u on u.id = t.user_id where t.token_hash = ${tokenHash} and t.revoked_at is null`;
    /** The chain head per case, as the engine keeps it on the case row. */
    const heads = new Map<string, { seq: number; hash: string }>();
    const appendRawEvent = async (tx: postgres.TransactionSql, caseId: string, action: string, fromState: string | null, toState: string, level: string, holder: string, data: Record<string, unknown>) => {
      const head = heads.get(caseId) ?? { seq: 0, hash: GENESIS_HASH };
      const at = new Date();
      const seq = head.seq + 1;
      const hash = eventHash({ caseId, seq, at, actor: { userId: liaisonUser }, action, fromState, toState, level, data, prevHash: head.hash });
      await tx`insert into case_events (case_id, seq, at, action, from_state, to_state, level, holder_org_id, data, actor_user_id, actor_org_id, actor_system, schema_version, step, rating, solved, resolved_by_org_id, reason_code, to_org_id, prev_hash, hash)
        values (${caseId}, ${seq}, ${at}, ${action}, ${fromState}, ${toState}, ${level}, ${holder}, ${tx.json(data as postgres.JSONValue)}, ${liaisonUser}, ${branch}, ${null}, 2, ${null}, ${null}, ${null}, ${null}, ${null}, ${null}, ${head.hash}, ${hash})`;
      heads.set(caseId, { seq, hash });
      return { seq, hash };
    };
    /** One transition as the engine issues it (configuration comes from its in-memory cache). */
    const transitionTx = (caseId: string, action: string, fromState: string, toState: string, o: { holder: string; newHolder: boolean; stop: string[]; step: string | null; byLiaison: boolean }) => raw.begin(async (tx) => {
      await tx`select * from cases where id = ${caseId} for update`;
      await tx`update deadlines set status = 'met', closed_at = ${new Date()} where case_id = ${caseId} and step = any(${o.stop}) and status in ('pending', 'paused') returning step`;
      if (o.newHolder) {
        await tx`select platform from orgs where id = ${o.holder}`;
        await tx`insert into case_participants (case_id, org_id) values (${caseId}, ${o.holder}) on conflict do nothing`;
      }
      if (o.step) {
        await tx`insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status) values (${caseId}, ${o.step}, 'platform', ${o.holder}, now(), now() + interval '5 days', now() + interval '4 days', 'pending') returning *`;
      }
      const head = await appendRawEvent(tx, caseId, action, fromState, toState, 'platform', o.holder, o.step ? { deadline: { step: o.step, dueAt: new Date().toISOString() } } : {});
      await tx`update cases set state = ${toState}, holder_org_id = ${o.holder}, version = version + 1, snapshot = ${tx.json({ level: 'platform' })}, event_seq = ${head.seq}, event_hash = ${head.hash}, updated_at = now() where id = ${caseId} returning *`;
      if (o.newHolder) await tx`insert into outbox ${tx([{ org_id: o.holder, case_id: caseId, kind: 'case_arrived', payload: tx.json({}) }])}`;
      if (o.byLiaison) await tx`insert into personal_data_reads (case_id, user_id) values (${caseId}, ${liaisonUser})`;
      await tx`select * from deadlines where case_id = ${caseId} order by started_at, id`;
    });
    const rawCycle = async (t: Timings) => {
      let at = performance.now();
      const lap = (action: keyof Timings) => { const now = performance.now(); t[action].push(now - at); at = now; };
      await authenticate();
      const caseId = await raw.begin(async (tx) => {
        await tx`select code from categories where code = 'DED'`;
        await tx`select * from orgs where type = 'platform' and platform = '美团'`;
        const [{ n }] = await tx`select nextval('case_reference_seq') as n`;
        const [row] = await tx`insert into cases (reference, state, level, holder_org_id, branch_org_id, category, platform, area, urgency, channel, worker_type, worker_platforms, worker_name, worker_phone, description, machine_version, snapshot, created_by)
          values (${`SQ-B-${n}`}, 'registered', 'branch', ${branch}, ${branch}, 'DED', '美团', '朝阳街道', 'normal', 'station', 'delivery', ${['美团']}, '张三', '13812341234', '暴雨天配送超时被扣款', 2, ${tx.json({ level: 'branch' })}, ${liaisonUser}) returning *`;
        await tx`insert into case_participants (case_id, org_id) values (${row.id}, ${branch}) on conflict do nothing`;
        await tx`insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status) values (${row.id}, 'l1_forward', 'branch', ${branch}, now(), now() + interval '1 day', now() + interval '20 hours', 'pending') returning *`;
        const head = await appendRawEvent(tx, row.id, 'register', null, 'registered', 'branch', branch,
          { reference: row.reference, category: 'DED', platform: '美团', urgency: 'normal', channel: 'station', anonymous: false, workerNameDigest: personalDigest(row.id, '张三'), workerPhoneDigest: personalDigest(row.id, '13812341234') });
        await tx`update cases set due_at = now() + interval '1 day', overdue = false, event_seq = ${head.seq}, event_hash = ${head.hash}, updated_at = now() where id = ${row.id} returning *`;
        await tx`insert into personal_data_reads (case_id, user_id) values (${row.id}, ${liaisonUser})`;
        await tx`select * from deadlines where case_id = ${row.id} order by started_at, id`;
        return row.id as string;
      });
      lap('register');
      await authenticate(); await transitionTx(caseId, 'forward', 'registered', 'forwarded', { holder: meituan, newHolder: true, stop: ['l1_forward'], step: 'l2_accept', byLiaison: true }); lap('forward');
      await authenticate(); await transitionTx(caseId, 'accept', 'forwarded', 'platform_handling', { holder: meituan, newHolder: false, stop: ['l2_accept'], step: 'l2_resolve', byLiaison: false }); lap('accept');
      await authenticate(); await transitionTx(caseId, 'resolve', 'platform_handling', 'resolved', { holder: meituan, newHolder: false, stop: ['l2_resolve', 'supervision'], step: 'feedback', byLiaison: false }); lap('resolve');
      await authenticate(); await transitionTx(caseId, 'feedback', 'resolved', 'closed', { holder: meituan, newHolder: false, stop: ['feedback'], step: null, byLiaison: true }); lap('feedback');
      heads.delete(caseId);
    };

    console.log(`bench:engine — ${CLIENTS} concurrent clients, ${SECONDS} s per phase, Postgres + Redis on this machine`);
    const rawRate = report('raw SQL (same statements, issued directly)', await drive(rawCycle));
    const httpRate = report('full stack (HTTP client process → Fastify → engine → Postgres, BullMQ after commit)',
      await runLoadGenerator(base, liaison, committee));
    const ratio = httpRate / rawRate;
    console.log(`\nratio full stack / raw SQL = ${ratio.toFixed(2)}  (target ≥ 0.70: ${ratio >= 0.7 ? 'met' : 'NOT met'})`);
    await raw.end();
  } finally {
    await app.close();
    await runtime.close();
    await database.drop();
  }
}

const load = process.env.BENCH_LOAD ? JSON.parse(process.env.BENCH_LOAD) as { base: string; liaison: string; committee: string } : null;
(load ? loadGenerator(load.base, load.liaison, load.committee) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
