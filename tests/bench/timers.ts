/**
 * `npm run bench:timers`: 100,000 pending deadlines over 10,000 cases, 10,000 of them coming due
 * within one minute, fired by a separate worker process on Redis. Prints lateness (due → escalation
 * recorded) p50/p99/max, escalations per second, the worker's peak RSS, missed and doubled counts.
 * Targets: p99 lateness ≤ 1 s, worker RSS ≤ 250 MB, 0 missed, 0 doubled.
 *
 *   BENCH_CASES (10000)   BENCH_PENDING (100000)   BENCH_DUE_WINDOW_SECONDS (60)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { createRuntime } from '../../src/runtime.js';
import { inTransaction } from '../../db/client.js';
import { createOrg, createUser } from '../../src/orgs/org-store.js';
import { replaceRoutingRules } from '../../src/routing/routing-rules.js';
import { DEFAULT_SLA_POLICIES, replaceSlaPolicies } from '../../src/deadlines/sla-policies.js';
import type { Wakeup } from '../../src/deadlines/deadline-store.js';
import { BENCH_REDIS_URL, benchDatabase, fmt, summary } from './bench-support.js';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const PENDING = Number(process.env.BENCH_PENDING ?? 100_000);
const WINDOW_S = Number(process.env.BENCH_DUE_WINDOW_SECONDS ?? 60);
const ADMIN = 'bench-timers-admin-token';
const PREFIX = `bench-timers-${Date.now()}`;

const rssOf = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
};

async function main() {
  const started = performance.now();
  const database = await benchDatabase('bench_timers');
  const runtime = await createRuntime({
    databaseUrl: database.url, queue: { kind: 'redis', url: BENCH_REDIS_URL, prefix: PREFIX },
    adminToken: ADMIN, logger: pino({ level: 'silent' }), runWorkers: false,
  });
  const { sql } = runtime.database;
  let worker: ReturnType<typeof spawn> | null = null;
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

    process.stdout.write(`registering ${CASES} cases through the engine… `);
    let made = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (made < CASES) {
        made++;
        await runtime.engine.register(liaison, {
          worker: { workerType: 'delivery', platforms: ['美团'] }, channel: 'station', category: 'DED',
          description: '基准测试', platform: '美团', urgency: 'normal',
        });
      }
    }));
    console.log(`done (${((performance.now() - started) / 1000).toFixed(0)} s)`);

    // The cases' own clocks come due within the window; the rest of the 100,000 wait for weeks.
    const lead = 25;
    await sql`update deadlines set due_at = now() + make_interval(secs => ${lead} + random() * ${WINDOW_S}),
      rev = rev + 1, warned_at = null where status = 'pending'`;
    await sql`update deadlines set warn_at = due_at - interval '2 seconds' where status = 'pending'`;
    const extra = PENDING - CASES;
    await sql`insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status)
      select c.id, 'l3_resolve', 'department', c.holder_org_id, now(), now() + make_interval(days => 1 + g % 30), now() + make_interval(days => 1 + g % 30) - interval '1 day', 'pending'
      from cases c cross join generate_series(1, ${Math.ceil(extra / CASES)}) g limit ${extra}`;
    const wakeups = await sql<Wakeup[]>`select id, rev, due_at, warn_at, warned_at from deadlines where status = 'pending'`;
    const t0 = performance.now();
    for (let i = 0; i < wakeups.length; i += 2000) await runtime.queue.schedule(wakeups.slice(i, i + 2000));
    const queued = await runtime.queue.queue.getJobCounts('delayed', 'wait');
    console.log(`${wakeups.length} pending deadlines; ${queued.delayed + queued.wait} wake-up jobs within the 1 h horizon queued in ${((performance.now() - t0) / 1000).toFixed(1)} s (later ones wait in Postgres for the sweeper)`);

    worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: BENCH_REDIS_URL, QUEUE_PREFIX: PREFIX, ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const pid = worker.pid!;
    let peakRss = 0;
    const deadline = Date.now() + (lead + WINDOW_S + 120) * 1000;
    let escalated = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      peakRss = Math.max(peakRss, rssOf(pid, 'VmRSS'));
      [{ n: escalated }] = await sql<{ n: number }[]>`select count(*)::int as n from case_events where action = 'deadline_missed'`;
      process.stdout.write(`\r  escalated ${escalated}/${CASES}, worker RSS ${rssOf(pid, 'VmRSS').toFixed(0)} MB   `);
      if (escalated >= CASES) break;
    }
    await new Promise((r) => setTimeout(r, 3000)); // a late duplicate would show up here
    peakRss = Math.max(peakRss, rssOf(pid, 'VmHWM'));
    console.log('');

    const lateness = (await sql<{ ms: number }[]>`
      select extract(epoch from (e.at - d.due_at)) * 1000 as ms
      from case_events e join deadlines d on d.case_id = e.case_id and d.status = 'missed' and d.step = e.data->>'step'
      where e.action = 'deadline_missed'`).map((r) => Number(r.ms));
    const [counts] = await sql<{ events: number; cases: number; first: Date; last: Date; dueMissed: number; early: number }[]>`
      select count(*)::int as events, count(distinct case_id)::int as cases, min(at) as first, max(at) as last,
        (select count(*)::int from deadlines where status = 'pending' and due_at < now() - interval '2 seconds') as due_missed,
        (select count(*)::int from case_events e join deadlines d on d.case_id = e.case_id and d.status = 'missed'
          where e.action = 'deadline_missed' and e.at < d.due_at) as early
      from case_events where action = 'deadline_missed'`;
    const s = summary(lateness);
    const spanS = (counts.last.getTime() - counts.first.getTime()) / 1000;
    const missed = CASES - counts.cases + counts.dueMissed;
    const doubled = counts.events - counts.cases;
    console.log(`\nbench:timers — ${wakeups.length} pending deadlines over ${CASES} cases; ${CASES} due within ${WINDOW_S} s; worker on Redis`);
    console.log(`  lateness due → escalation recorded: p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)}  (target p99 ≤ 1000 ms: ${s.p99 <= 1000 ? 'met' : 'NOT met'})`);
    console.log(`  escalations: ${counts.events} over ${spanS.toFixed(1)} s = ${(counts.events / Math.max(spanS, 0.001)).toFixed(0)}/s (arrival rate ≈ ${(CASES / WINDOW_S).toFixed(0)}/s)`);
    console.log(`  worker peak RSS: ${peakRss.toFixed(0)} MB  (target ≤ 250 MB: ${peakRss <= 250 ? 'met' : 'NOT met'})`);
    console.log(`  missed: ${missed}   doubled: ${doubled}   fired early: ${counts.early}`);
  } finally {
    worker?.kill('SIGKILL');
    await runtime.queue.queue.obliterate({ force: true }).catch(() => {});
    await runtime.close();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
