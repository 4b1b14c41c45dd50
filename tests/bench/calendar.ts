/**
 * `npm run bench:calendar`: 10,000 cases registered through the engine while the next year's
 * schedule is unpublished, so each has a provisional clock; their wake-up jobs are set to fire
 * 90–120 s from now (the "old time"). Then the year's schedule is loaded (what
 * `PUT /calendar/years/:year` does) and every provisional deadline is recomputed from its start,
 * one transaction per case, with real workers running. Prints the recompute time, and after the
 * old times have passed, how many fired on them.
 * Targets: all recomputed in ≤ 60 s, none fired on the old time.
 *
 *   BENCH_CASES (10000)   BENCH_QUEUE (redis | postgres)
 */
import pino from 'pino';
import { createRuntime } from '../../src/runtime.js';
import { inTransaction } from '../../db/client.js';
import { createOrg, createUser } from '../../src/orgs/org-store.js';
import { replaceRoutingRules } from '../../src/routing/routing-rules.js';
import { replaceSlaPolicies } from '../../src/deadlines/sla-policies.js';
import { saveCalendarYear } from '../../src/calendar/calendar-years.js';
import { statutoryHolidays } from '../../src/calendar/statutory-holidays.js';
import { OFFICIAL_YEARS, WorkingCalendar } from '../../src/calendar/working-calendar.js';
import type { Wakeup } from '../../src/deadlines/deadline-store.js';
import { BENCH_REDIS_URL, benchDatabase } from './bench-support.js';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const BACKEND = process.env.BENCH_QUEUE === 'postgres' ? 'postgres' : 'redis';
const OLD_TIME_S = [90, 120];

let year = new Date().getUTCFullYear();
while (OFFICIAL_YEARS.has(year)) year++;

/** Working days from now to the middle of the unpublished year: every clock reaches into it. */
function workingDaysToMidYear(): number {
  const calendar = new WorkingCalendar();
  let n = 0;
  for (let t = Date.now(); t < Date.UTC(year, 5, 1); t += 86_400_000) if (calendar.isWorkday(new Date(t + 8 * 3600_000).toISOString().slice(0, 10))) n++;
  return n;
}

async function main() {
  const database = await benchDatabase('bench_calendar');
  const runtime = await createRuntime({
    databaseUrl: database.url,
    queue: BACKEND === 'redis' ? { kind: 'redis', url: BENCH_REDIS_URL, prefix: `bench-calendar-${Date.now()}` } : { kind: 'postgres', url: database.url },
    adminToken: 'bench-calendar-admin', recordPepper: 'bench-calendar-record-pepper-0123456789-ab', linkKey: 'bench-calendar-link-key-0123456789-abcdef', logger: pino({ level: 'silent' }), runWorkers: true,
  });
  const { sql } = runtime.database;
  try {
    const amount = workingDaysToMidYear();
    const liaison = await inTransaction(sql, async (tx) => {
      const branch = await createOrg(tx, { name: '支部', type: 'branch' });
      const meituan = await createOrg(tx, { name: '美团平台党委', type: 'platform', platform: '美团' });
      await replaceRoutingRules(tx, [{ step: 'forward', match: {}, toOrgId: meituan.id }]);
      await replaceSlaPolicies(tx, [{ step: 'l1_forward', amount, unit: 'working_days' }]);
      const user = await createUser(tx, { name: 'liaison', orgId: branch.id, role: 'liaison' });
      return { userId: user.id, orgId: branch.id, role: 'liaison' as const };
    });
    runtime.settings.slaPolicies.invalidate();

    const t0 = performance.now();
    process.stdout.write(`registering ${CASES} cases (l1_forward ${amount} working days, into ${year})… `);
    let made = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (made < CASES) {
        made++;
        await runtime.engine.register(liaison, {
          worker: { workerType: 'delivery', platforms: ['美团'] }, channel: 'station', category: 'DED',
          description: '基准测试', platform: '美团', urgency: 'normal',
        });
      }
    }));
    console.log(`done (${((performance.now() - t0) / 1000).toFixed(0)} s)`);

    // The old time: each provisional clock falls due 90–120 s from now, its wake-ups queued.
    const wakeups = await sql<Wakeup[]>`
      update deadlines set due_at = now() + make_interval(secs => ${OLD_TIME_S[0]} + random() * ${OLD_TIME_S[1] - OLD_TIME_S[0]}),
        rev = rev + 1, warned_at = null
      where provisional and status = 'pending' returning id, rev, due_at, warn_at, warned_at`;
    await sql`update deadlines set warn_at = due_at - interval '5 seconds' where provisional and status = 'pending'`;
    const old = await sql<Wakeup[]>`select id, rev, due_at, warn_at, warned_at from deadlines where provisional and status = 'pending'`;
    for (let i = 0; i < old.length; i += 2000) await runtime.queue.schedule(old.slice(i, i + 2000));
    const lastOld = Math.max(...old.map((w) => w.dueAt.getTime()));
    console.log(`${wakeups.length} provisional deadlines, wake-ups queued for their old time (${BACKEND} backend, workers running)`);

    const mondays: string[] = [];
    for (let t = Date.UTC(year, 2, 1); t < Date.UTC(year, 4, 1); t += 86_400_000) {
      if (new Date(t).getUTCDay() === 1) mondays.push(new Date(t).toISOString().slice(0, 10));
    }
    const t1 = performance.now();
    await inTransaction(sql, (tx) => saveCalendarYear(tx, year, { holidays: [...new Set([...statutoryHolidays(year), ...mondays])].sort(), workdays: [] }));
    const { recomputed } = await runtime.reloadCalendar();
    const seconds = (performance.now() - t1) / 1000;
    console.log(`year ${year} loaded: ${recomputed} deadlines recomputed in ${seconds.toFixed(1)} s (${(recomputed / seconds).toFixed(0)}/s)  (target ≤ 60 s: ${seconds <= 60 && recomputed >= wakeups.length ? 'met' : 'NOT met'})`);

    const wait = lastOld + 5000 - Date.now();
    if (wait > 0) {
      process.stdout.write(`waiting ${(wait / 1000).toFixed(0)} s past the last old time… `);
      await new Promise((r) => setTimeout(r, wait));
    }
    const [counts] = await sql<{ missed: number; warned: number; provisional: number; events: number }[]>`
      select (select count(*)::int from case_events where action = 'deadline_missed') as missed,
        (select count(*)::int from case_events where action = 'deadline_warning') as warned,
        (select count(*)::int from deadlines where provisional and status in ('pending', 'paused')) as provisional,
        (select count(*)::int from case_events where action = 'deadline_recomputed') as events`;
    console.log(`\nbench:calendar — ${CASES} cases, ${BACKEND} backend`);
    console.log(`  recomputed: ${recomputed} in ${seconds.toFixed(1)} s; ${counts.events} deadline_recomputed events; ${counts.provisional} still provisional`);
    console.log(`  fired on the old time: ${counts.missed} missed, ${counts.warned} warnings  (target 0: ${counts.missed + counts.warned === 0 ? 'met' : 'NOT met'})`);
  } finally {
    if (BACKEND === 'redis') await runtime.queue.queue.obliterate({ force: true }).catch(() => {});
    await runtime.close();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
