/**
 * `npm run bench:timers`: pending deadlines in Postgres, a burst of them coming due, fired by
 * separate worker processes on Redis. Prints lateness (due → escalation recorded) p50/p99/max,
 * escalations per second, each phase's worker peak RSS, Redis memory, missed / doubled / early.
 * Targets: p99 lateness ≤ 1 s, worker RSS ≤ 250 MB, 0 missed, 0 doubled, 0 early.
 *
 *   default:  100,000 pending (beyond the due cases' own, 3 per case on copied cases), the 10,000 cases' clocks due within 60 s, 1 worker
 *   --peak:   1,000,000 pending, 500 due per second for 60 s, with 1 worker, then with 2
 *             (Double 11, the days after Spring Festival); then the same burst drained by the
 *             engine's claim in this process (no queue, no worker process): where the time goes
 *   --pending N: that many pending (e.g. 10000000: Redis memory, the sweeper's pass and the rate must stay flat)
 *
 *   BENCH_PENDING  BENCH_RATE (due per second)  BENCH_WINDOW_SECONDS
 *   BENCH_WORKERS (e.g. "1,2,0"; 0 = the engine's claim alone, in this process, 2 drains at a time)
 *
 * Its own database and queue prefix, both removed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createRuntime } from '../../src/runtime.js';
import { inTransaction } from '../../db/client.js';
import { createOrg, createUser } from '../../src/orgs/org-store.js';
import { replaceRoutingRules } from '../../src/routing/routing-rules.js';
import { DEFAULT_SLA_POLICIES, replaceSlaPolicies } from '../../src/deadlines/sla-policies.js';
import { nodeArgsOf } from '../support/npm-scripts.js';
import { BENCH_REDIS_URL, benchDatabase, fmt, summary } from './bench-support.js';

const PEAK = process.argv.includes('--peak');
const argPending = process.argv.indexOf('--pending');
const PENDING = Number(argPending > 0 ? process.argv[argPending + 1] : process.env.BENCH_PENDING ?? (PEAK ? 1_000_000 : 100_000));
const WINDOW_S = Number(process.env.BENCH_WINDOW_SECONDS ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? (PEAK ? 500 : 10_000 / WINDOW_S));
const WORKERS = (process.env.BENCH_WORKERS ?? (PEAK ? '1,2,0' : '1')).split(',').map(Number);
const DUE = Math.round(RATE * WINDOW_S);
/** Cases registered through the engine; the rest are copies made in SQL (same state, snapshot, clock). */
const REGISTERED = Math.min(2000, DUE);
/** Pending clocks per case beyond the phases' own cases (a case holds a few: its level's step, a warning, a co-handler's). */
const CLOCKS_PER_CASE = 3;
const ADMIN = 'bench-timers-admin-token';
const RECORD_PEPPER = 'bench-timers-record-pepper-0123456789-abc';
const LINK_KEY = 'bench-link-key-0123456789-abcdefghijklmnop';
const PREFIX = `bench-timers-${Date.now()}`;
const LEAD_S = 20;

const rssOf = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field));
    return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
const cpuOf = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};
/** CPU seconds of every Postgres server process on the machine (shared: other users' queries count too). */
const postgresCpu = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).reduce((sum, pid) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres' ? sum + cpuOf(Number(pid)) : sum;
  } catch {
    return sum;
  }
}, 0);

async function main() {
  const started = performance.now();
  const database = await benchDatabase('bench_timers');
  const runtime = await createRuntime({
    databaseUrl: database.url, queue: { kind: 'redis', url: BENCH_REDIS_URL, prefix: PREFIX },
    adminToken: ADMIN, recordPepper: RECORD_PEPPER, linkKey: LINK_KEY, logger: pino({ level: 'silent' }), runWorkers: false,
  });
  const redis = new Redis(BENCH_REDIS_URL);
  const { sql } = runtime.database;
  const workers: ChildProcess[] = [];
  try {
    const liaison = await inTransaction(sql, async (tx) => {
      const branch = await createOrg(tx, { name: '支部', type: 'branch' });
      const meituan = await createOrg(tx, { name: '美团平台党委', type: 'platform', platform: '美团' });
      const market = await createOrg(tx, { name: '市场监管局', type: 'department' });
      await replaceRoutingRules(tx, [{ step: 'forward', match: {}, toOrgId: meituan.id }, { step: 'hand_off', match: {}, toOrgId: market.id }]);
      await replaceSlaPolicies(tx, DEFAULT_SLA_POLICIES);
      const user = await createUser(tx, { name: 'liaison', orgId: branch.id, role: 'liaison' });
      return { userId: user.id, orgId: branch.id, role: 'liaison' as const };
    });

    const phases = WORKERS.length;
    process.stdout.write(`registering ${REGISTERED} cases through the engine… `);
    let made = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (made < REGISTERED) {
        made++;
        await runtime.engine.register(liaison, {
          worker: { workerType: 'delivery', platforms: ['美团'] }, channel: 'station', category: 'DED',
          description: '基准测试', platform: '美团', urgency: 'normal',
        });
      }
    }));
    // Copies, so that each phase has DUE cases of its own whose l1_forward clock will come due.
    const copies = Math.ceil((DUE * phases) / REGISTERED) - 1;
    if (copies > 0) {
      await sql`create table bench_copies as
        select c.id as original, gen_random_uuid() as id, g from cases c cross join generate_series(1, ${copies}) g`;
      await sql`insert into cases select (jsonb_populate_record(c, jsonb_build_object('id', m.id, 'reference', c.reference || '-' || m.g))).*
        from bench_copies m join cases c on c.id = m.original`;
      await sql`insert into deadlines select (jsonb_populate_record(d, jsonb_build_object('id', gen_random_uuid(), 'case_id', m.id))).*
        from bench_copies m join deadlines d on d.case_id = m.original and d.status = 'pending'`;
      await sql`drop table bench_copies`;
    }
    // Every phase's deadlines wait for weeks until the phase starts; so do the others, up to PENDING.
    await sql`update deadlines set due_at = now() + interval '20 days', warn_at = now() + interval '19 days', warned_at = null, rev = rev + 1 where status = 'pending'`;
    const [{ n: clocks }] = await sql<{ n: number }[]>`select count(*)::int as n from deadlines where status = 'pending'`;
    // The rest wait on cases of their own, CLOCKS_PER_CASE each as real cases have: a transition
    // reads all of its case's clocks, so piling them onto the phases' cases would measure the seeding.
    const extra = Math.max(0, PENDING - clocks);
    if (extra > 0) {
      const [{ n: cases }] = await sql<{ n: number }[]>`select count(*)::int as n from cases`;
      await sql`create table bench_background as
        select gen_random_uuid() as id, s.id as original, g
        from generate_series(0, ${Math.ceil(extra / CLOCKS_PER_CASE) - 1}) g
        join (select id, row_number() over (order by id) - 1 as k from cases) s on s.k = g % ${cases}`;
      await sql`insert into cases select (jsonb_populate_record(c, jsonb_build_object('id', b.id, 'reference', c.reference || '-b' || b.g))).*
        from bench_background b join cases c on c.id = b.original`;
      await sql`insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status)
        select b.id, 'l3_resolve', 'department', c.holder_org_id, now(), now() + make_interval(days => 1 + (b.g + j) % 30), now() + make_interval(days => (b.g + j) % 30), 'pending'
        from bench_background b join cases c on c.id = b.original cross join generate_series(1, ${CLOCKS_PER_CASE}) j limit ${extra}`;
      await sql`drop table bench_background`;
      await sql`vacuum analyze cases`;
    }
    await sql`create table bench_phase as
      select id as deadline_id, case_id, (row_number() over (order by id) - 1) / ${DUE} + 1 as phase
      from deadlines where status = 'pending' and step = 'l1_forward'`;
    await sql`vacuum analyze deadlines`;
    const [{ pending }] = await sql<{ pending: number }[]>`select count(*)::int as pending from deadlines where status = 'pending'`;
    console.log(`done (${((performance.now() - started) / 1000).toFixed(0)} s): ${pending.toLocaleString('en')} pending deadlines`);

    const results: string[] = [];
    const label = (count: number) => (count === 0 ? 'the claim alone, in this process (no queue)' : `${count} worker${count > 1 ? 's' : ''}`);
    /** The workers' path without queue or worker process: the engine's claim, drained by 2 loops until the phase's last due time has passed and nothing is due. */
    async function fireDirectly(until: Date) {
      await Promise.all(Array.from({ length: 2 }, async () => {
        for (;;) {
          const group = await runtime.engine.fireDue(64, []);
          if (group.claimed > 0) continue;
          if (Date.now() > until.getTime() + 1000) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      }));
    }
    for (let phase = 1; phase <= phases; phase++) {
      const count = WORKERS[phase - 1];
      // This phase's clocks come due at RATE per second over the window, after a lead for start-up.
      await sql`update deadlines d set rev = d.rev + 1,
          due_at = now() + make_interval(secs => ${LEAD_S} + (p.n - 1)::float8 / ${RATE}),
          warn_at = now() - interval '1 hour', warned_at = now()
        from (select deadline_id, row_number() over (order by random()) as n from bench_phase where phase = ${phase}) p
        where d.id = p.deadline_id`;
      const [{ first, last }] = await sql<{ first: Date; last: Date }[]>`
        select min(d.due_at) as first, max(d.due_at) as last from deadlines d join bench_phase p on p.deadline_id = d.id and p.phase = ${phase}`;
      const redisBase = Number((await redis.info('memory')).match(/used_memory:(\d+)/)?.[1] ?? 0);
      // One sweeper pass over the table as it is now (the horizon's seconds, by index): what every worker does each minute.
      const sweepStarted = performance.now();
      const swept = await runtime.sweep();
      const sweepMs = performance.now() - sweepStarted;
      // The engine alone: the claim drained in this process, no queue.
      const direct = count === 0 ? fireDirectly(last) : null;
      // Each worker sweeps at start-up: the horizon's jobs (this phase's) go to Redis, the rest stay in Postgres.
      for (let i = 0; i < count; i++) {
        workers.push(spawn(process.execPath, nodeArgsOf('worker'), {
          env: {
            ...process.env, DATABASE_URL: database.url, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: PREFIX, ADMIN_TOKEN: ADMIN, RECORD_PEPPER, LINK_KEY, LOG_LEVEL: 'warn', METRICS_PORT: '0',
          },
          stdio: 'ignore',
        }));
      }
      const mine = count === 0 ? [] : workers.slice(-count);
      const cpuAtStart = { workers: 0, postgres: postgresCpu(), self: process.cpuUsage() };
      const workerCpu = new Map<number, number>();
      const peakRss = new Map<number, number>();
      let redisPeak = 0;
      let escalated = 0;
      // Until every one has fired, or nothing has moved for 30 s after the last due time: a
      // backlog still draining is late, not lost.
      let moved = Date.now();
      while (Date.now() < last.getTime() || Date.now() - moved < 30_000) {
        const before = escalated;
        await new Promise((r) => setTimeout(r, 1000));
        for (const w of mine) {
          peakRss.set(w.pid!, Math.max(peakRss.get(w.pid!) ?? 0, rssOf(w.pid!, 'VmRSS')));
          workerCpu.set(w.pid!, Math.max(workerCpu.get(w.pid!) ?? 0, cpuOf(w.pid!)));
        }
        redisPeak = Math.max(redisPeak, Number((await redis.info('memory')).match(/used_memory:(\d+)/)?.[1] ?? 0));
        [{ n: escalated }] = await sql<{ n: number }[]>`
          select count(*)::int as n from case_events e join bench_phase p on p.case_id = e.case_id and p.phase = ${phase} where e.action = 'deadline_missed'`;
        process.stdout.write(`\r  phase ${phase} (${label(count)}): escalated ${escalated}/${DUE}, worker RSS ${mine.map((w) => rssOf(w.pid!, 'VmRSS').toFixed(0)).join(' + ')} MB   `);
        if (escalated > before) moved = Date.now();
        if (escalated >= DUE && Date.now() > last.getTime()) break;
      }
      await direct;
      for (const w of mine) workerCpu.set(w.pid!, Math.max(workerCpu.get(w.pid!) ?? 0, cpuOf(w.pid!)));
      const selfCpu = process.cpuUsage(cpuAtStart.self);
      const cpu = {
        node: count === 0 ? (selfCpu.user + selfCpu.system) / 1e6 : [...workerCpu.values()].reduce((a, b) => a + b, 0),
        postgres: postgresCpu() - cpuAtStart.postgres,
      };
      await new Promise((r) => setTimeout(r, 3000)); // a late duplicate would show up here
      for (const w of mine) peakRss.set(w.pid!, Math.max(peakRss.get(w.pid!) ?? 0, rssOf(w.pid!, 'VmHWM')));
      mine.forEach((w) => w.kill('SIGKILL'));
      console.log('');

      const lateness = (await sql<{ ms: number }[]>`
        select extract(epoch from (e.at - d.due_at)) * 1000 as ms
        from bench_phase p join deadlines d on d.id = p.deadline_id join case_events e on e.case_id = p.case_id and e.action = 'deadline_missed'
        where p.phase = ${phase}`).map((r) => Number(r.ms));
      const [c] = await sql<{ events: number; cases: number; first: Date; last: Date; missed: number; early: number }[]>`
        select count(e.*)::int as events, count(distinct e.case_id)::int as cases, min(e.at) as first, max(e.at) as last,
          (select count(*)::int from bench_phase p2 join deadlines d2 on d2.id = p2.deadline_id where p2.phase = ${phase} and d2.status = 'pending') as missed,
          count(*) filter (where e.at < d.due_at)::int as early
        from bench_phase p join deadlines d on d.id = p.deadline_id join case_events e on e.case_id = p.case_id and e.action = 'deadline_missed'
        where p.phase = ${phase}`;
      const s = summary(lateness);
      const spanS = (c.last.getTime() - c.first.getTime()) / 1000;
      const rss = [...peakRss.values()];
      const line = [
        `${label(count)}: ${DUE} due over ${((last.getTime() - first.getTime()) / 1000).toFixed(0)} s (${RATE}/s offered)`,
        `  lateness due → escalation recorded: p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)}  (target p99 ≤ 1000 ms: ${s.p99 <= 1000 ? 'met' : 'NOT met'})`,
        `  escalations: ${c.events} over ${spanS.toFixed(1)} s = ${(c.events / Math.max(spanS, 0.001)).toFixed(0)}/s sustained`,
        count === 0 ? '  (no worker process, no queue)'
          : `  worker peak RSS: ${rss.map((r) => r.toFixed(0)).join(' + ')} MB  (target ≤ 250 MB each: ${rss.every((r) => r <= 250) ? 'met' : 'NOT met'});  Redis used_memory peak ${mb(redisPeak)} (${mb(redisBase)} before the phase; the machine's Redis is shared)`,
        `  sweeper pass: ${sweepMs.toFixed(0)} ms (${swept.seconds} seconds of the horizon hold a due time)`,
        `  missed: ${c.missed}   doubled: ${c.events - c.cases}   fired early: ${c.early}`,
        `  CPU per escalation: ${count === 0 ? 'this process' : 'worker'} ${((cpu.node * 1000) / Math.max(c.events, 1)).toFixed(1)} ms, Postgres ${((cpu.postgres * 1000) / Math.max(c.events, 1)).toFixed(1)} ms (all Postgres processes on the machine)`,
      ];
      console.log(line.join('\n'));
      results.push(...line);
    }
    console.log(`\nbench:timers${PEAK ? ' --peak' : ''} — ${pending.toLocaleString('en')} pending deadlines; workers on Redis, one wake-up job per second of the horizon (1 h) that holds a due time; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(results.join('\n'));
  } finally {
    workers.forEach((w) => w.kill('SIGKILL'));
    await runtime.queue.queue.obliterate({ force: true }).catch(() => {});
    await runtime.exports.queue.obliterate({ force: true }).catch(() => {});
    redis.disconnect();
    await runtime.close();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
