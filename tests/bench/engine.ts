/**
 * `npm run bench:engine`: a register → forward → accept → resolve → feedback cycle, driven by one
 * HTTP load generator (its own process, N concurrent clients) against two servers on the same
 * database in the same run:
 *
 * - the ceiling: a bare `node:http` server that does, per request, the least SQL for the same
 *   durable outcome as the engine — the token lookup, then in one transaction a locking read (for
 *   the chain head and the version; `nextval` for a registration), every write pipelined in one
 *   batch (case row, chained event with its hash, deadline rows, participants, outbox and
 *   notification rows, personal-data reads, the worker's feedback link, the measures' daily counters
 *   through the writer's own upsert), commit. Configuration
 *   (who the platform is, clock lengths) is in memory. No validation, no chart, no view.
 * - the full stack: Fastify → the engine → Postgres, BullMQ and outbox delivery after commit.
 *
 * Prints per phase cycles/s, p50/p99 per action, CPU ms per cycle (this process — the server —
 * by getrusage, and the Postgres backends of the bench database from /proc; the load generator's
 * own beside), the load average; that one cycle leaves the same rows and adds the same counts through both; then the round trips per action (tests/support/round-trips.ts) and,
 * last, `ratio (full / ceiling)`. Target: at least 0.70. Below it (or with --profile) one more
 * profiled run of the full stack gives CPU ms per cycle by component (V8's CPU profiler, by file).
 *
 *   --seconds N (BENCH_SECONDS, 15 per phase)   --clients N (BENCH_CLIENTS, 8)
 *   --rounds N (BENCH_ROUNDS, 3): ceiling and full stack alternate N times; the median round's ratio is the figure
 *   --warmup N (BENCH_WARMUP, 5): seconds of unmeasured load against each server before the first round
 *   --profile: profile both servers whatever the ratio   --no-profile: never
 *   --processes N: then the full stack again on N API processes (this one plus N-1 `src/main.ts`
 *   on the same database and Redis), the client going round-robin over them: 1 vs N processes.
 *   --traces: then the full stack with traces off and on, alternating (3 rounds of each), spans
 *   sent to a receiver process that only answers 200: the cost of traces, CPU ms per cycle.
 *   (With OTEL_EXPORTER_OTLP_ENDPOINT set the whole run is traced, as an API process would be.)
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import pino from 'pino';
import postgres from 'postgres';
import { COLUMN_NAMES } from '../../db/client.js';
import { createRuntime } from '../../src/runtime.js';
import { serveHttp } from '../../src/http/serve.js';
import { DEFAULT_SECURITY, readConfig } from '../../src/config.js';
import { startTracingIfSet } from '../../src/observability/start-tracing.js';
import { startTracing } from '../../src/observability/tracing.js';
import { hashToken } from '../../src/access/callers.js';
import { DEFAULT_SLA_POLICIES } from '../../src/deadlines/sla-policies.js';
import { GENESIS_HASH, RECORD_SCHEMA_VERSION, createRecordKey, eventHash, sealPersonal } from '../../src/cases/case-record.js';
import { createRecordAudit } from '../../src/cases/record-audit.js';
import { createFileStorage } from '../../src/storage/file-storage.js';
import { CASE_MACHINE_VERSION } from '../../workflows/case-machine.js';
import { COUNTERS, COUNTER_COLUMNS, countStatement, type CountRow, type Counts } from '../../src/metrics/measure-rollup.js';
import { CLOCKS, type DeadlineStep } from '../../workflows/case-rules.js';
import { GROUP_BYS } from '../../src/metrics/measures-view.js';
import { shanghaiDay } from '../../src/calendar/working-calendar.js';
import { BENCH_REDIS_URL, benchDatabase, fmt, postgresCpuBetween, postgresProcessCpu, summary } from './bench-support.js';
import { countActions, createRoundTripCounter, isWarm, roundTripLine, startCountedEngine, type RoundTripCounter, type Tally } from '../support/round-trips.js';
import { nodeArgsOf } from '../support/npm-scripts.js';

const option = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const CLIENTS = Number(option('--clients') ?? process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(option('--seconds') ?? process.env.BENCH_SECONDS ?? 15);
const ROUNDS = Number(option('--rounds') ?? process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(option('--warmup') ?? process.env.BENCH_WARMUP ?? 5);
const PROCESSES = Number(option('--processes') ?? 1);
const TRACES = process.argv.includes('--traces');
const PROFILE = process.argv.includes('--profile') ? 'always' : process.argv.includes('--no-profile') ? 'never' : 'below target';
const TARGET = 0.7;
const ADMIN = `bench-admin-${randomUUID()}`;
const RECORD_PEPPER = `bench-record-pepper-${randomUUID()}`;
const LINK_KEY = 'bench-link-key-0123456789-abcdefghijklmnop';
const recordKey = createRecordKey(RECORD_PEPPER);
const ACTIONS = ['register', 'forward', 'accept', 'resolve', 'feedback'] as const;
type Action = (typeof ACTIONS)[number];
type Timings = Record<Action, number[]>;
interface LoadResult { cycles: number; seconds: number; t: Timings; clientCpuMs: number }

const grievance = {
  worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团'] },
  channel: 'station', category: 'DED', description: '暴雨天配送超时被扣款', platform: '美团', area: '朝阳街道', urgency: 'normal',
};

/** Requests go round-robin over the servers' base URLs. */
function httpClient(base: string) {
  const bases = base.split(',');
  let next = 0;
  return async (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(bases[next++ % bases.length] + path, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

const emptyTimings = (): Timings => ({ register: [], forward: [], accept: [], resolve: [], feedback: [] });

/** One cycle as a client sends it, the same to either server. */
function cycleOver(http: ReturnType<typeof httpClient>, liaison: string, committee: string, lap: (action: Action) => void = () => {}) {
  return async () => {
    let c = await http(liaison, 'POST', '/api/v1/cases', grievance); lap('register');
    c = await http(liaison, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'forward' }, { 'if-match': String(c.version) }); lap('forward');
    c = await http(committee, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'accept' }, { 'if-match': String(c.version) }); lap('accept');
    c = await http(committee, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'resolve', resolution: '已退还' }, { 'if-match': String(c.version) }); lap('resolve');
    await http(liaison, 'POST', `/api/v1/cases/${c.id}/actions`, { action: 'feedback', rating: 'satisfied' }, { 'if-match': String(c.version) }); lap('feedback');
  };
}

/**
 * The load generator's own process (HTTP clients must not share the server's event loop): 3
 * cycles of warm-up per client, then CLIENTS loops for `seconds`. Says `start` and `end` around the timed
 * part on stdout (the server reads its CPU there), then its result.
 */
async function loadGenerator(base: string, liaison: string, committee: string, seconds: number) {
  const http = httpClient(base);
  // Warm-up with every client at once, so that every pooled connection has its statements prepared.
  await Promise.all(Array.from({ length: CLIENTS }, async () => { for (let i = 0; i < 3; i++) await cycleOver(http, liaison, committee)(); }));
  const t = emptyTimings();
  process.stdout.write('start\n');
  const cpu = process.cpuUsage();
  const began = performance.now();
  const end = began + seconds * 1000;
  let cycles = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end) {
      let at = performance.now();
      await cycleOver(http, liaison, committee, (action) => { const now = performance.now(); t[action].push(now - at); at = now; })();
      cycles++;
    }
  }));
  const elapsed = (performance.now() - began) / 1000;
  const used = process.cpuUsage(cpu);
  process.stdout.write(`end\n${JSON.stringify({ cycles, seconds: elapsed, t, clientCpuMs: (used.user + used.system) / 1000 } satisfies LoadResult)}\n`);
}

/** What the server side spent during the timed part: this process, and Postgres. */
interface Spent { serverMs: number; postgresMs: number; postgresServerMs: number; load: number[] }

/** Runs the load generator against `base`; measures this process's and Postgres's CPU between its `start` and `end`. */
function runLoad(base: string, who: { liaison: string; committee: string }, seconds: number, pg: { admin: postgres.Sql; database: string }): Promise<LoadResult & Spent> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/engine.ts'], {
      env: { ...process.env, BENCH_LOAD: JSON.stringify({ base, ...who, seconds }), BENCH_CLIENTS: String(CLIENTS) }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let cpu: NodeJS.CpuUsage | null = null;
    let pgBefore = new Map<number, number>();
    let spent: Promise<Spent> | null = null;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!cpu && out.includes('start\n')) { cpu = process.cpuUsage(); pgBefore = postgresProcessCpu(); }
      if (!spent && out.includes('end\n')) {
        const used = process.cpuUsage(cpu!);
        const pgAfter = postgresProcessCpu();
        const load = os.loadavg();
        spent = postgresCpuBetween(pg.admin, pg.database, pgBefore, pgAfter)
          .then((p) => ({ serverMs: (used.user + used.system) / 1000, postgresMs: p.backends, postgresServerMs: p.server, load }));
      }
    });
    child.on('exit', (code) => {
      if (code !== 0 || !spent) return reject(new Error(`load generator exited with ${code}`));
      const result = JSON.parse(out.slice(out.indexOf('end\n') + 4)) as LoadResult;
      spent.then((s) => resolve({ ...result, ...s }), reject);
    });
  });
}

const loadAverage = (load: number[]) => `load average ${load.map((l) => l.toFixed(2)).join(' ')}`;

function report(name: string, r: LoadResult & Spent) {
  const rate = r.cycles / r.seconds;
  const per = (ms: number) => (ms / r.cycles).toFixed(2);
  console.log(`\n${name}\n  ${r.cycles} cycles in ${r.seconds.toFixed(1)} s = ${rate.toFixed(1)} cycles/s (${CLIENTS} clients; ${loadAverage(r.load)} on ${os.cpus().length} cores)`);
  for (const action of ACTIONS) {
    const s = summary(r.t[action]);
    console.log(`  ${action.padEnd(9)} p50 ${fmt(s.p50).padStart(9)}   p99 ${fmt(s.p99).padStart(9)}`);
  }
  console.log(`  CPU per cycle: server ${per(r.serverMs)} ms + Postgres ${per(r.postgresMs)} ms = ${per(r.serverMs + r.postgresMs)} ms`
    + `   (beside: load generator ${per(r.clientCpuMs)} ms; Postgres's own processes ${per(r.postgresServerMs)} ms, machine-wide)`);
  return rate;
}

// --- The ceiling ------------------------------------------------------------------------------

type Tx = postgres.TransactionSql<Record<string, unknown>>;
type Row = Record<string, unknown> & { id: string; version: number; state: string; reference: string; eventSeq: number; eventHash: string; branchOrgId: string };
const DAY = 86_400_000;
const clockLength = (step: string) => (DEFAULT_SLA_POLICIES.find((p) => p.step === step && !('urgency' in p) && !('category' in p))?.amount ?? 1) * DAY;
const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/** What each action of the cycle does, decided in JS: the chart's answer for this path, as a table. */
const TRANSITIONS = {
  forward: { from: 'registered', to: 'forwarded', stop: ['l1_forward'], start: 'l2_accept', arrives: true, liaison: true },
  accept: { from: 'forwarded', to: 'platform_handling', stop: ['l2_accept'], start: 'l2_resolve', arrives: false, liaison: false },
  resolve: { from: 'platform_handling', to: 'resolved', stop: ['l2_resolve', 'supervision'], start: 'feedback', arrives: false, liaison: false },
  feedback: { from: 'resolved', to: 'closed', stop: ['feedback'], start: null, arrives: false, liaison: true },
} as const;

const snapshotOf = (level: string, outcome: string | null) => ({
  level, outcome, cohandlers: {}, supervised: false, algorithmic: false, reopenCount: 0, returnCount: 0, humanReviewed: false,
  transferCount: 0, resolvedAtLevel: outcome ? 'platform' : null, pendingExtension: null,
});

/**
 * What each step of the cycle adds to the measures' daily counters (src/metrics/measure-rollup.ts)
 * for the platform, beside the clock it closes: on the unit's row only (`unit`, per arrival) or on
 * its grouping rows too (`both`, per case). A closed clock counts for its own unit, as the chart's
 * clock table judges it, with its time from start to close.
 */
const COUNTED: Record<keyof typeof TRANSITIONS, { counts: Counts; rows: 'both' | 'unit' } | null> = {
  forward: { counts: { received: 1 }, rows: 'unit' },
  accept: null,
  resolve: { counts: { resolved: 1, onTime: 1 }, rows: 'both' },
  feedback: { counts: { feedback: 1, satisfied: 1 }, rows: 'both' },
};
const GROUPINGS = GROUP_BYS.filter((g) => g !== 'org');
const VALUES = { category: grievance.category, platform: grievance.platform, area: grievance.area, workerType: grievance.worker.workerType, channel: grievance.channel };

/** The counter rows of one step: the unit's row (`org`) and, when the case counts, one per grouping. */
function counterRows(at: Date, counted: { orgId: string; counts: Counts; rows: 'both' | 'unit' }[]): CountRow[] {
  const day = shanghaiDay(at);
  return counted.flatMap(({ orgId, counts, rows }) => [
    { day, orgId, dimension: 'org' as const, value: null, counts },
    ...(rows === 'both' ? GROUPINGS.map((g) => ({ day, orgId, dimension: g, value: VALUES[g], counts })) : []),
  ]);
}

interface Caller { userId: string; orgId: string; role: string }
class Refused extends Error { constructor(readonly status: number, message: string) { super(message); } }

/** The least SQL for the engine's durable outcome of each request; `sql` as db/client.ts makes it. */
function ceilingHandler(sql: postgres.Sql<Record<string, unknown>>, platformOrgId: string) {
  const json = (tx: Tx, value: unknown) => tx.json(value as postgres.JSONValue);

  async function authenticate(authorization: string | undefined): Promise<Caller> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const [caller] = token ? await sql<Caller[]>`select u.id as user_id, u.org_id, u.role from api_tokens t join users u on u.id = t.user_id
      where t.token_hash = ${hashToken(token)} and t.revoked_at is null and (t.expires_at is null or t.expires_at > now()) and u.deactivated_at is null` : [];
    if (!caller) throw new Refused(401, 'unauthorized');
    return caller;
  }

  function register(caller: Caller, input: typeof grievance): Promise<Row> {
    const id = randomUUID();
    const at = new Date();
    const due = new Date(at.getTime() + clockLength('l1_forward'));
    return sql.begin(async (tx) => {
      const [{ n }] = await tx<{ n: string }[]>`select nextval('case_reference_seq') as n`;
      const reference = `SQ-${at.getUTCFullYear()}-${String(n).padStart(6, '0')}`;
      // Personal fields as keyed digests, their text beside the chain: as the engine's record writer does.
      const { data, texts } = sealPersonal(recordKey, id, 'register', {
        reference, category: input.category, platform: input.platform, urgency: input.urgency, channel: input.channel, anonymous: false,
        description: input.description, workerName: input.worker.name, workerPhone: input.worker.phone,
        deadline: { step: 'l1_forward', dueAt: due.toISOString() },
      });
      const actor = { userId: caller.userId, orgId: caller.orgId };
      const hash = eventHash({ caseId: id, seq: 1, at, actor, action: 'register', fromState: null, toState: 'registered', level: 'branch', data, prevHash: GENESIS_HASH });
      const [[row]] = await Promise.all([
        tx<Row[]>`insert into cases (id, reference, state, level, holder_org_id, branch_org_id, category, platform, area, urgency, channel, worker_type,
            worker_platforms, worker_name, worker_phone, description, machine_version, snapshot, created_by, created_at, updated_at, due_at,
            event_seq, event_hash, receipt_code_hash)
          values (${id}, ${reference}, 'registered', 'branch', ${caller.orgId}, ${caller.orgId}, ${input.category}, ${input.platform}, ${input.area},
            ${input.urgency}, ${input.channel}, ${input.worker.workerType}, ${input.worker.platforms}, ${input.worker.name}, ${input.worker.phone},
            ${input.description}, ${CASE_MACHINE_VERSION}, ${json(tx, snapshotOf('branch', null))}, ${caller.userId}, ${at}, ${at}, ${due},
            1, ${hash}, ${digest(randomBytes(16).toString('hex'))})
          returning *`,
        tx`insert into case_participants (case_id, org_id) values (${id}, ${caller.orgId}) on conflict do nothing`,
        tx`insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status, amount, unit)
          values (${id}, 'l1_forward', 'branch', ${caller.orgId}, ${at}, ${due}, ${new Date(at.getTime() + 0.8 * clockLength('l1_forward'))}, 'pending', 1, 'working_days')`,
        appendEvent(tx, { caseId: id, seq: 1, at, actor, action: 'register', fromState: null, toState: 'registered', level: 'branch', holder: caller.orgId, data, texts, prevHash: GENESIS_HASH, hash }),
        tx`insert into personal_data_reads (case_id, user_id) values (${id}, ${caller.userId})`,
        countStatement(tx as never, counterRows(at, [{ orgId: caller.orgId, counts: { received: 1 }, rows: 'both' }])),
      ]);
      return row;
    });
  }

  function appendEvent(tx: Tx, e: { caseId: string; seq: number; at: Date; actor: { userId: string; orgId: string }; action: string; fromState: string | null;
    toState: string; level: string; holder: string; data: unknown; texts: Record<string, string> | null; prevHash: string; hash: string; step?: string | null; rating?: string | null }) {
    return tx`insert into case_events (case_id, seq, at, action, from_state, to_state, level, holder_org_id, data, texts, actor_user_id, actor_org_id,
        actor_system, schema_version, step, rating, solved, resolved_by_org_id, reason_code, to_org_id, prev_hash, hash)
      values (${e.caseId}, ${e.seq}, ${e.at}, ${e.action}, ${e.fromState}, ${e.toState}, ${e.level}, ${e.holder}, ${json(tx, e.data)}, ${json(tx, e.texts ?? {})}, ${e.actor.userId},
        ${e.actor.orgId}, ${null}, ${RECORD_SCHEMA_VERSION}, ${e.step ?? null}, ${e.rating ?? null}, ${null}, ${e.action === 'feedback' ? platformOrgId : null},
        ${null}, ${e.action === 'forward' ? platformOrgId : null}, ${e.prevHash}, ${e.hash})`;
  }

  function act(caller: Caller, caseId: string, ifMatch: number, body: { action: keyof typeof TRANSITIONS; resolution?: string; rating?: string }): Promise<Row> {
    const move = TRANSITIONS[body.action];
    if (!move) throw new Refused(400, `the ceiling does not do '${body.action}'`);
    const at = new Date();
    return sql.begin(async (tx) => {
      const [[c], clocks] = await Promise.all([
        tx<Row[]>`select id, state, version, reference, event_seq, event_hash, branch_org_id from cases where id = ${caseId} for update`,
        tx<{ step: DeadlineStep; orgId: string; startedAt: Date }[]>`select step, org_id, started_at from deadlines where case_id = ${caseId} and status in ('pending', 'paused')`,
      ]);
      if (!c) throw new Refused(404, 'no such case');
      if (c.version !== ifMatch) throw new Refused(409, `version ${c.version}, not ${ifMatch}`);
      if (c.state !== move.from) throw new Refused(422, `${body.action} in ${c.state}`);
      const due = move.start ? new Date(at.getTime() + clockLength(move.start)) : null;
      const deadline = move.start ? { deadline: { step: move.start, dueAt: due!.toISOString() } } : {};
      const { data, texts } = sealPersonal(recordKey, caseId, body.action, body.action === 'forward' ? { fromOrgId: c.branchOrgId, toOrgId: platformOrgId, ...deadline }
        : body.action === 'resolve' ? { resolution: body.resolution, ...deadline }
        : body.action === 'feedback' ? { rating: body.rating, resolvedByOrgId: platformOrgId }
        : deadline);
      const actor = { userId: caller.userId, orgId: caller.orgId };
      const seq = c.eventSeq + 1;
      const level = 'platform';
      const hash = eventHash({ caseId, seq, at, actor, action: body.action, fromState: c.state, toState: move.to, level, data, prevHash: c.eventHash });
      const closes = move.to === 'closed';
      const writes: Promise<unknown>[] = [
        tx`update deadlines set status = 'met', closed_at = ${at} where case_id = ${caseId} and step = any(${move.stop as unknown as string[]}) and status in ('pending', 'paused')`,
      ];
      if (move.start) {
        writes.push(tx`insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status, amount, unit)
          values (${caseId}, ${move.start}, ${level}, ${platformOrgId}, ${at}, ${due}, ${new Date(at.getTime() + 0.8 * clockLength(move.start))}, 'pending', 1, 'working_days')`);
      }
      writes.push(appendEvent(tx, { caseId, seq, at, actor, action: body.action, fromState: c.state, toState: move.to, level, holder: platformOrgId, data, texts,
        prevHash: c.eventHash, hash, rating: body.rating ?? null }));
      const updated = tx<Row[]>`update cases set state = ${move.to}, level = ${level}, holder_org_id = ${platformOrgId}, platform_org_id = ${platformOrgId},
          version = version + 1, snapshot = ${json(tx, snapshotOf(level, closes ? (body.rating ?? null) : null))}, event_seq = ${seq}, event_hash = ${hash},
          due_at = ${due}, updated_at = ${at}, resolution = coalesce(${body.resolution ?? null}, resolution),
          outcome = ${closes ? (body.rating ?? null) : null}, closed_at = ${closes ? at : null}
        where id = ${caseId} returning *`;
      writes.push(updated);
      if (move.arrives) {
        writes.push(tx`insert into case_participants (case_id, org_id) values (${caseId}, ${platformOrgId}) on conflict do nothing`);
        writes.push(tx`insert into outbox (org_id, case_id, kind, channel, payload)
          values (${platformOrgId}, ${caseId}, 'case_arrived', 'webhook', ${json(tx, { state: move.to, action: body.action, reference: c.reference })})`);
        writes.push(tx`insert into notifications (org_id, role, case_id, kind, reference, title, body)
          values (${platformOrgId}, ${null}, ${caseId}, 'case_arrived', ${c.reference}, '新案件 / a case arrived', ${`案件 / case ${c.reference} · 已转交平台待受理`})`);
      }
      if (body.action === 'resolve') {
        const token = randomBytes(24).toString('base64url');
        writes.push(tx`update worker_feedback_links set expires_at = ${at} where case_id = ${caseId} and used_at is null and expires_at > ${at}`);
        writes.push(tx`insert into worker_feedback_links (token_hash, case_id, expires_at, created_at) values (${digest(token)}, ${caseId}, ${due}, ${at})`);
        writes.push(tx`insert into outbox (org_id, case_id, kind, channel, payload)
          values (${c.branchOrgId}, ${caseId}, 'worker_feedback_link', 'sms', ${json(tx, { reference: c.reference, link: `http://127.0.0.1:3000/feedback/${token}` })})`);
      }
      if (body.action === 'feedback') {
        // The liaison recorded the rating, not the worker: the worker is told they may appeal.
        writes.push(tx`insert into outbox (org_id, case_id, kind, channel, payload)
          values (${c.branchOrgId}, ${caseId}, 'worker_appeal_invitation', 'sms', ${json(tx, { reference: c.reference })})`);
      }
      if (move.liaison) writes.push(tx`insert into personal_data_reads (case_id, user_id) values (${caseId}, ${caller.userId})`);
      const closed = clocks.filter((k) => (move.stop as readonly string[]).includes(k.step)).map((k) => ({
        orgId: k.orgId, rows: 'both' as const,
        counts: { ...(CLOCKS[k.step].judges === 'acceptance' ? { acceptsJudged: 1, acceptedOnTime: 1 } : {}), handled: 1, handlingMs: at.getTime() - k.startedAt.getTime() },
      }));
      const forPlatform = COUNTED[body.action];
      writes.push(countStatement(tx as never, counterRows(at, [...closed, ...(forPlatform ? [{ orgId: platformOrgId, ...forPlatform }] : [])]))!);
      await Promise.all(writes);
      return (await updated)[0];
    });
  }

  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : {};
      const caller = await authenticate(req.headers.authorization);
      const actionOn = /^\/api\/v1\/cases\/([0-9a-f-]{36})\/actions$/.exec(req.url ?? '')?.[1];
      let row: Row;
      if (req.method === 'POST' && req.url === '/api/v1/cases') row = await register(caller, body);
      else if (req.method === 'POST' && actionOn) row = await act(caller, actionOn, Number(req.headers['if-match']), body);
      else throw new Refused(404, 'not found');
      res.writeHead(actionOn ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify(row));
    } catch (err) {
      const status = err instanceof Refused ? err.status : 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: status, message: String(err) }));
    }
  };
}

/** As db/client.ts `connectDatabase` makes the engine's pool (plus a counting socket when given). */
const ceilingSql = (url: string, socket?: RoundTripCounter['socket']) =>
  postgres(url, { max: 10, onnotice: () => {}, transform: { column: COLUMN_NAMES, undefined: null }, ...(socket ? { socket } : {}) } as postgres.Options<{}>) as
    unknown as postgres.Sql<Record<string, unknown>>;

async function listen(handler: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer({ keepAliveTimeout: 60_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

// --- Round trips ------------------------------------------------------------------------------

/** The engine's round trips per action (a counted engine on a database of its own). */
async function engineRoundTrips() {
  const database = await benchDatabase('bench_engine_rt');
  const engine = await startCountedEngine({ databaseUrl: database.url, redisUrl: BENCH_REDIS_URL });
  try {
    return await countActions(engine, { minRounds: 1, maxRounds: 4 });
  } finally {
    await engine.close();
    await database.drop();
  }
}

/** The ceiling's round trips per action: its server on a counted pool, a cycle sent from here, until every action was warm. */
async function ceilingRoundTrips(url: string, platformOrgId: string, who: { liaison: string; committee: string }) {
  const counter = createRoundTripCounter();
  const sql = ceilingSql(url, counter.socket);
  const server = await listen(ceilingHandler(sql, platformOrgId));
  const http = httpClient(server.base);
  let last: Tally[] = [];
  const counted = ((token, method, path, body, headers) => counter.measure(() => http(token, method, path, body, headers))
    .then(({ value, tally }) => { last.push(tally); return value; })) as typeof http;
  try {
    for (let round = 0; round < 6; round++) {
      last = [];
      await cycleOver(counted, who.liaison, who.committee)();
      if (round >= 1 && last.every(isWarm)) break;
    }
    return Object.fromEntries(ACTIONS.map((a, i) => [a, last[i]]));
  } finally {
    await server.close();
    await sql.end();
  }
}

/** The rows one cycle left, per table: the engine's and the ceiling's must be the same. */
const DURABLE = ['case_events', 'deadlines', 'case_participants', 'outbox', 'notifications', 'personal_data_reads', 'worker_feedback_links'] as const;
async function durableRows(sql: postgres.Sql<Record<string, unknown>>, caseId: string) {
  const counts = await Promise.all(DURABLE.map((table) => sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)} where case_id = ${caseId}`));
  const chain = await createRecordAudit({ sql: sql as never, storage: createFileStorage({ kind: 'local', dir: '.data/bench-anchors' }), log: pino({ level: 'silent' }), deliver: () => {} }).verifyCase(caseId);
  if (!chain.ok) throw new Error(`case ${caseId}: its record does not verify (${JSON.stringify(chain)})`);
  return Object.fromEntries(DURABLE.map((table, i) => [table, counts[i][0].n])) as Record<(typeof DURABLE)[number], number>;
}

/** Every counter of the measures (but the handling time, which is a duration), summed per grouping: `org.received` … */
async function measureTotals(sql: postgres.Sql<Record<string, unknown>>): Promise<Map<string, number>> {
  const counters = COUNTERS.filter((c) => c !== 'handlingMs');
  // Read back camel-cased, as the pool transforms column names.
  const rows = await sql<Record<string, unknown>[]>`select dimension, ${sql.unsafe(counters.map((c) => `sum(${COUNTER_COLUMNS[c]})::int as ${COUNTER_COLUMNS[c]}`).join(', '))}
    from measure_days group by dimension`;
  return new Map(rows.flatMap((r) => counters.map((c) => [`${r.dimension as string}.${c}`, Number(r[c])] as const)));
}
/** What `work` added to the measures' counters (the non-zero changes, as `grouping.counter n`). */
async function countedBy(sql: postgres.Sql<Record<string, unknown>>, work: () => Promise<string>): Promise<{ caseId: string; counted: string }> {
  const before = await measureTotals(sql);
  const caseId = await work();
  const after = await measureTotals(sql);
  const counted = [...after].filter(([k, n]) => n !== (before.get(k) ?? 0)).map(([k, n]) => `${k} ${n - (before.get(k) ?? 0)}`).sort().join(', ');
  return { caseId, counted };
}

/** One cycle through `base`; the case it made. */
async function oneCycle(base: string, who: { liaison: string; committee: string }) {
  const http = httpClient(base);
  let id = '';
  const remember = (async (...args: Parameters<typeof http>) => {
    const answer = await http(...args);
    id ||= answer.id;
    return answer;
  }) as typeof http;
  await cycleOver(remember, who.liaison, who.committee)();
  return id;
}

// --- Profile ----------------------------------------------------------------------------------

/** The component a source file belongs to; null: ask its caller (node internals, natives). */
function componentOf(url: string): string | null {
  if (url.includes('/node_modules/postgres/')) return 'postgres.js';
  if (/\/node_modules\/(bullmq|ioredis|msgpackr|cron-parser)\//.test(url) || url.includes('/src/deadlines/deadline-queue') || url.includes('/src/workers/')) return 'queue (after commit)';
  if (/\/node_modules\/(typebox|ajv|ajv-formats)\//.test(url) || url.includes('/src/cases/case-types')) return 'validation';
  if (url.includes('/node_modules/xstate/') || url.includes('/workflows/')) return 'chart';
  if (/\/node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio|fast-json-stringify|fast-uri|fast-querystring|secure-json-parse|pino|abstract-logging|toad-cache|process-warning|rfdc|json-schema-ref-resolver)\//.test(url)
    || url.includes('/src/http/') || url.startsWith('node:_http') || url === 'node:http') return 'HTTP';
  if (url.includes('/tests/bench/')) return 'bench script (the ceiling server)';
  if (url.includes('/src/') || url.includes('/db/') || url.includes('/node_modules/canonicalize/')) return 'writer (engine, record, view)';
  if (url.includes('/node_modules/')) return 'other packages';
  return null;
}

const SPECIAL_FRAMES = new Map([
  ['(garbage collector)', 'GC'], ['(program)', 'V8 / native (program)'], ['(idle)', 'idle'], ['(root)', 'node internals (event loop, I/O)'],
]);

interface ProfileNode { id: number; callFrame: { url: string; functionName: string }; children?: number[] }

/** Self time per component, in ms: each sample goes to the nearest frame on its stack that belongs to one. */
function byComponent(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }): Map<string, number> {
  const parent = new Map<number, number>();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const component = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = component.get(id);
    if (known) return known;
    const n = nodes.get(id)!;
    const special = SPECIAL_FRAMES.get(n.callFrame.functionName);
    const up = parent.get(id);
    const name = special ?? componentOf(n.callFrame.url) ?? (up === undefined ? 'node internals (event loop, I/O)' : resolve(up));
    component.set(id, name);
    return name;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = resolve(id);
    ms.set(name, (ms.get(name) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  ms.delete('idle');
  return ms;
}

async function profiled<T>(work: () => Promise<T>) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    const value = await work();
    const { profile } = await session.post('Profiler.stop');
    return { value, components: byComponent(profile as unknown as Parameters<typeof byComponent>[0]) };
  } finally {
    session.disconnect();
  }
}

/**
 * The profile's samples are wall time while the main thread ran; on a loaded machine that
 * includes time it waited for a core. So each component's share of the samples is applied to
 * this process's measured CPU.
 */
function printComponents(name: string, r: LoadResult & Spent, components: Map<string, number>) {
  const sampled = [...components.values()].reduce((a, b) => a + b, 0);
  const per = (ms: number) => (ms / r.cycles).toFixed(2).padStart(6);
  const rows = [...components.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`\nCPU ms per cycle by component: ${name} (a profiled run: ${r.cycles} cycles in ${r.seconds.toFixed(1)} s, ${(r.cycles / r.seconds).toFixed(1)} cycles/s under the profiler; ${loadAverage(r.load)})`);
  for (const [component, ms] of rows) {
    console.log(`  ${component.padEnd(34)} ${per((ms / sampled) * r.serverMs)} ms  (${((100 * ms) / sampled).toFixed(1).padStart(4)} % of the server's samples)`);
  }
  console.log(`  ${'= server process (getrusage)'.padEnd(34)} ${per(r.serverMs)} ms`);
  console.log(`  ${'Postgres backends (/proc)'.padEnd(34)} ${per(r.postgresMs)} ms`);
}

/** Another API replica: `src/main.ts` without workers on the same database and queue. */
function startApiProcess(databaseUrl: string, prefix: string): Promise<{ base: string; child: ReturnType<typeof spawn> }> {
  const child = spawn(process.execPath, nodeArgsOf('start'), {
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: prefix, ADMIN_TOKEN: ADMIN, RECORD_PEPPER, LINK_KEY, RUN_WORKERS: 'false', PORT: '0', LOG_LEVEL: 'warn', METRICS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const url = chunk.toString().match(/URL:\s+(http\S+)/)?.[1];
      if (url) resolve({ base: url, child });
    });
    child.on('exit', (code) => reject(new Error(`API process exited with ${code}`)));
  });
}

/** A collector that takes OTLP/HTTP and answers 200, in a process of its own (its CPU is not the server's). */
async function startSpanSink(): Promise<{ url: string; stop(): void }> {
  const source = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.writeHead(200, { 'content-type': 'application/json' }).end('{}')); })
    .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (chunk) => resolve(String(chunk).trim())));
  return { url: `http://127.0.0.1:${port}/v1/traces`, stop: () => child.kill() };
}

/** The full stack with traces off, then on, three times: CPU ms per cycle of each (this process: the server, the SDK's export included). */
async function tracesOffAndOn(base: string, who: { liaison: string; committee: string }, pg: { admin: postgres.Sql; database: string }) {
  const sink = await startSpanSink();
  const runs: Record<'off' | 'on', (LoadResult & Spent)[]> = { off: [], on: [] };
  try {
    for (let round = 0; round < 3; round++) {
      runs.off.push(await runLoad(base, who, SECONDS, pg));
      const tracing = startTracing({ serviceName: 'grievance-engine-bench', url: sink.url, batchDelayMs: 500 });
      runs.on.push(await runLoad(base, who, SECONDS, pg));
      await tracing.shutdown();
    }
  } finally {
    sink.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const perCycle = (r: LoadResult & Spent) => r.serverMs / r.cycles;
  console.log('\ntraces off / on, alternating (server CPU ms per cycle; cycles/s; load average at the end of each run)');
  for (const mode of ['off', 'on'] as const) {
    console.log(`  ${mode.padEnd(3)}  ${runs[mode].map((r) => `${perCycle(r).toFixed(2)} ms, ${(r.cycles / r.seconds).toFixed(1)}/s (${r.load.map((l) => l.toFixed(2)).join(' ')})`).join('   ')}`);
  }
  const [off, on] = [median(runs.off.map(perCycle)), median(runs.on.map(perCycle))];
  console.log(`  median: off ${off.toFixed(2)} ms, on ${on.toFixed(2)} ms per cycle: traces cost ${(on - off).toFixed(2)} ms (${(((on - off) / off) * 100).toFixed(0)} %) of server CPU per cycle`);
}

async function main() {
  // Traces as an API process has them: on with OTEL_EXPORTER_OTLP_ENDPOINT (README "Traces"), the SDK not even loaded without.
  const tracing = await startTracingIfSet(readConfig(), 'grievance-engine-bench');
  console.log(`bench:engine — ${CLIENTS} concurrent clients, ${SECONDS} s per phase, Postgres + Redis on this machine (${os.cpus().length} cores, ${loadAverage(os.loadavg())}); traces ${tracing ? 'on (OTEL_EXPORTER_OTLP_ENDPOINT)' : 'off'}`);
  const database = await benchDatabase('bench_engine');
  const databaseName = new URL(database.url).pathname.slice(1);
  const prefix = `bench-${Date.now()}`;
  const runtime = await createRuntime({
    databaseUrl: database.url, queue: { kind: 'redis', url: BENCH_REDIS_URL, prefix },
    adminToken: ADMIN, recordPepper: RECORD_PEPPER, linkKey: LINK_KEY, logger: pino({ level: 'silent' }), runWorkers: false,
  });
  // One liaison registers hundreds of cases a second: the per-user limits stay out of the measurement.
  const app = await serveHttp(runtime, {
    adminToken: ADMIN, logger: pino({ level: 'silent' }),
    security: { ...DEFAULT_SECURITY, limits: { ...DEFAULT_SECURITY.limits, registrationsPerMinute: 1e9, searchesPerMinute: 1e9 } },
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  const sql = ceilingSql(database.url);
  try {
    const http = httpClient(base);
    const org = (body: object) => http(ADMIN, 'POST', '/api/v1/orgs', body).then((o) => o.id as string);
    const branch = await org({ name: '支部', type: 'branch' });
    const meituan = await org({ name: '美团平台党委', type: 'platform', platform: '美团' });
    const market = await org({ name: '市场监管局', type: 'department', sectors: ['delivery'] });
    const user = (orgId: string, role: string) => http(ADMIN, 'POST', '/api/v1/users', { name: role, orgId, role }).then((u) => u.token as string);
    const who = { liaison: await user(branch, 'liaison'), committee: await user(meituan, 'committee') };
    await http(ADMIN, 'PUT', '/api/v1/routing-rules', [
      { step: 'forward', match: { platform: '美团' }, toOrgId: meituan }, { step: 'hand_off', match: {}, toOrgId: market },
    ]);
    await http(ADMIN, 'PUT', '/api/v1/sla-policies', DEFAULT_SLA_POLICIES);
    const ceilingServer = await listen(ceilingHandler(sql, meituan));
    const pg = { admin, database: databaseName };

    const engineTrips = await engineRoundTrips();
    const ceilingTrips = await ceilingRoundTrips(database.url, meituan, who);
    const engineCycle = await countedBy(sql, () => oneCycle(base, who));
    const ceilingCycle = await countedBy(sql, () => oneCycle(ceilingServer.base, who));
    const [engineRows, ceilingRows] = [await durableRows(sql, engineCycle.caseId), await durableRows(sql, ceilingCycle.caseId)];
    console.log(`\ndurable rows of one cycle, engine / ceiling (both records verify): ${DURABLE.map((t) => `${t} ${engineRows[t]}/${ceilingRows[t]}`).join(', ')}`);
    console.log(`  measures' counters added by one cycle ${engineCycle.counted === ceilingCycle.counted ? '(the same through both)' : 'DIFFER'}: ${engineCycle.counted}`);
    if (engineCycle.counted !== ceilingCycle.counted) console.log(`    ceiling: ${ceilingCycle.counted}`);
    if (DURABLE.some((t) => engineRows[t] !== ceilingRows[t]) || engineCycle.counted !== ceilingCycle.counted) {
      console.log('  NOTE: the ceiling no longer writes what the engine writes: this ratio is not fair');
    }

    // The ceiling writes outbox rows and delivers none: left undelivered, they would be the engine's
    // backlog, delivered (and claimed, eight at a time) while the full stack is measured. Marked
    // delivered, they would leave as many dead entries in the undelivered index for the full stack's
    // claims to walk: the vacuum takes them out (and the full stack's own from the round before, so
    // each full-stack phase starts cleaner than production between autovacuum passes).
    const settleCeilingOutbox = async () => {
      const settled = await sql`update outbox set delivered_at = now() where delivered_at is null`;
      await sql`vacuum outbox`;
      console.log(`  (the ceiling's ${settled.count} undelivered outbox rows marked delivered, and vacuumed out of the outbox's indexes, before the full stack runs)`);
    };
    // Ceiling and full stack alternate, ROUNDS times: a shared machine's speed drifts over a minute,
    // so each ratio compares two neighbouring phases, and the median round is the figure.
    // V8 compiles the hot code over the first thousands of requests, on threads this process's CPU
    // figure counts: one unmeasured load against each server first, meant to keep that out of the figures.
    if (WARMUP > 0) {
      console.log(`\nwarm-up: ${WARMUP} s of load against each server, not measured`);
      await runLoad(ceilingServer.base, who, WARMUP, pg);
      await settleCeilingOutbox();
      await runLoad(base, who, WARMUP, pg);
    }
    const rounds: { ceilingRun: LoadResult & Spent; ceilingRate: number; fullRun: LoadResult & Spent; fullRate: number; ratio: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const of = ROUNDS > 1 ? ` — round ${round} of ${ROUNDS}` : '';
      const ceilingRun = await runLoad(ceilingServer.base, who, SECONDS, pg);
      const ceilingRate = report(`ceiling (same load generator → bare node:http → the least SQL: auth, BEGIN, one locking read, one pipelined batch, COMMIT)${of}`, ceilingRun);
      await settleCeilingOutbox();
      const fullRun = await runLoad(base, who, SECONDS, pg);
      const fullRate = report(`full stack (same load generator → Fastify → engine → Postgres; BullMQ and outbox delivery after commit)${of}`, fullRun);
      rounds.push({ ceilingRun, ceilingRate, fullRun, fullRate, ratio: fullRate / ceilingRate });
    }
    const { ceilingRun, ceilingRate, fullRun, fullRate, ratio } = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)];

    if (PROFILE === 'always' || (PROFILE === 'below target' && ratio < TARGET)) {
      const seconds = Math.min(SECONDS, 10);
      const full = await profiled(() => runLoad(base, who, seconds, pg));
      printComponents('full stack', full.value, full.components);
      if (PROFILE === 'always') {
        const bare = await profiled(() => runLoad(ceilingServer.base, who, seconds, pg));
        printComponents('ceiling', bare.value, bare.components);
        await settleCeilingOutbox();
      }
    }
    await ceilingServer.close();

    if (TRACES && tracing) console.log('\n--traces: skipped, the whole run is traced (OTEL_EXPORTER_OTLP_ENDPOINT)');
    else if (TRACES) await tracesOffAndOn(base, who, pg);

    if (PROCESSES > 1) {
      const others = await Promise.all(Array.from({ length: PROCESSES - 1 }, () => startApiProcess(database.url, prefix)));
      try {
        const multiRate = report(`full stack on ${PROCESSES} API processes (round-robin; CPU figures: this process only)`,
          await runLoad([base, ...others.map((o) => o.base)].join(','), who, SECONDS, pg));
        console.log(`\n1 API process ${fullRate.toFixed(1)} cycles/s, ${PROCESSES} API processes ${multiRate.toFixed(1)} cycles/s: ×${(multiRate / fullRate).toFixed(2)}`);
      } finally {
        others.forEach((o) => o.child.kill('SIGTERM'));
      }
    }

    const cpu = (r: LoadResult & Spent) => ((r.serverMs + r.postgresMs) / r.cycles).toFixed(2);
    console.log(`\nsummary (${loadAverage(os.loadavg())})`);
    console.log(`  ceiling     ${ceilingRate.toFixed(1).padStart(7)} cycles/s   ${cpu(ceilingRun)} ms CPU per cycle (server + Postgres)`);
    console.log(`  full stack  ${fullRate.toFixed(1).padStart(7)} cycles/s   ${cpu(fullRun)} ms CPU per cycle (server + Postgres)`);
    console.log(roundTripLine(engineTrips));
    console.log(`ceiling's round trips per action: ${ACTIONS.map((a) => `${a} ${ceilingTrips[a].roundTrips}`).join(', ')}`);
    // Less sensitive than cycles/s to what else the machine runs meanwhile.
    const cpuRatio = (ceilingRun.serverMs + ceilingRun.postgresMs) / ceilingRun.cycles / ((fullRun.serverMs + fullRun.postgresMs) / fullRun.cycles);
    console.log(`CPU per cycle (ceiling / full) = ${cpuRatio.toFixed(2)}`);
    if (ROUNDS > 1) console.log(`ratio per round: ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')} (the median round is the figure)`);
    console.log(`ratio (full / ceiling) = ${ratio.toFixed(2)}  (target ≥ ${TARGET.toFixed(2)}: ${ratio >= TARGET ? 'met' : 'NOT met'})`);
  } finally {
    await app.close();
    await runtime.close();
    await sql.end();
    await admin.end();
    await database.drop();
    await tracing?.shutdown();
  }
}

const load = process.env.BENCH_LOAD ? JSON.parse(process.env.BENCH_LOAD) as { base: string; liaison: string; committee: string; seconds: number } : null;
(load ? loadGenerator(load.base, load.liaison, load.committee, load.seconds) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
