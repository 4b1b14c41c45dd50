/**
 * `npm run bench:oversight [-- --cases N]`: 1,000,000 cases with a realistic spread (levels, states,
 * categories, platforms, areas, worker types, channels, a year of dates), generated in set-based SQL
 * with the record's typed columns, and the measures' daily counters generated from them in SQL as the
 * writer would have kept them. Prints the seeding time, the oversight page p50/p95, one month's
 * measures by every grouping, and the time and peak RSS of a 100,000-case xlsx export.
 * Targets: oversight p95 ≤ 20 ms, a month's measures ≤ 100 ms by any grouping (≤ 200 ms at 10M cases),
 * export ≤ 5 s under 300 MB.
 *
 *   --cases N or BENCH_CASES (1000000)   BENCH_KEEP_DB=1 keeps the generated database (its name is printed)
 */
import { createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import pino from 'pino';
import { connectDatabase } from '../../db/client.js';
import { createMeeting } from '../../src/meetings/coordination-meeting.js';
import { writeMeetingExport } from '../../src/meetings/meeting-export.js';
import { oversightBoard } from '../../src/oversight/oversight-board.js';
import { unitMeasures } from '../../src/metrics/unit-measures.js';
import { GROUP_BYS } from '../../src/metrics/measures-view.js';
import { benchDatabase, fmt, summary } from './bench-support.js';

const casesArg = process.argv.indexOf('--cases');
const CASES = Number(casesArg > 0 ? process.argv[casesArg + 1] : process.env.BENCH_CASES ?? 1_000_000);
const WORKER_TYPES = ['delivery', 'courier', 'ride_hailing', 'freight', 'streamer', 'other'];
const CHANNELS = ['station', 'online', 'hotline', 'visit', 'group'];
const CATEGORIES = ['PAY', 'DED', 'ALG', 'ACC', 'HRS', 'INS', 'SAF', 'ACS', 'FAC', 'EMP', 'DSP', 'DEV', 'LIV', 'CON', 'SUG'];
const PLATFORMS = ['美团', '饿了么', '顺丰', '京东', '滴滴', '货拉拉'];
const AREAS = ['朝阳街道', '望京街道', '建外街道', '三里屯街道', '酒仙桥街道', '大屯街道', '奥运村街道', '亚运村街道', '小关街道', '左家庄街道'];

async function main() {
  const database = await benchDatabase('bench_oversight');
  const { sql, close } = connectDatabase(database.url);
  try {
    const t0 = performance.now();
    await sql`insert into orgs (name, type, areas) select '第' || g || '党支部', 'branch', array[(${AREAS}::text[])[1 + g % 10]] from generate_series(1, 20) g`;
    await sql`insert into orgs (name, type, platform) select p || '平台党委', 'platform', p from unnest(${PLATFORMS}::text[]) p`;
    await sql`insert into orgs (name, type) select d, 'department' from unnest(${['邮政管理局', '交通运输局', '市场监管局', '人社局', '公安交管', '网信办', '朝阳街道办', '望京街道办']}::text[]) d`;
    await sql`insert into orgs (name, type) values ('社会工作部', 'convener')`;
    const [{ id: liaison }] = await sql<{ id: string }[]>`insert into users (name, org_id, role) select '联络员', id, 'liaison' from orgs where type = 'branch' limit 1 returning id`;
    const [{ id: convener }] = await sql<{ id: string }[]>`insert into users (name, org_id, role) select '协调员', id, 'convener' from orgs where type = 'convener' returning id`;

    process.stdout.write(`generating ${CASES} cases… `);
    await sql`select setseed(0.42)`;
    await sql`
      create temp table spec as
      with o as (
        select array_agg(id order by name) filter (where type = 'branch') as branches,
               array_agg(id order by name) filter (where type = 'platform') as platforms,
               array_agg(id order by name) filter (where type = 'department') as departments from orgs
      ), g as (
        select g, now() - interval '365 days' + (g::float8 / ${CASES}) * interval '365 days' as created_at, random() as r,
          1 + floor(random() * 20)::int as b, 1 + floor(random() * 6)::int as p, 1 + floor(random() * 8)::int as dp,
          1 + floor(random() * 15)::int as cat, 1 + floor(random() * 10)::int as ar, random() as s,
          1 + floor(random() * 6)::int as wt, 1 + floor(random() * 5)::int as ch
        from generate_series(1, ${CASES}) g
      )
      select g.*, o.branches[g.b] as branch_id, o.platforms[g.p] as platform_id, o.departments[g.dp] as department_id,
        case when g.created_at < now() - interval '45 days'
          then case when g.r < 0.9 then 'closed' when g.r < 0.95 then 'withdrawn' when g.r < 0.98 then 'department_handling' else 'platform_handling' end
          else case when g.r < 0.1 then 'registered' when g.r < 0.25 then 'forwarded' when g.r < 0.45 then 'platform_handling'
            when g.r < 0.55 then 'handed_off' when g.r < 0.7 then 'department_handling' when g.r < 0.8 then 'resolved' else 'closed' end
        end as state
      from g, o`;
    await sql`
      insert into cases (id, reference, state, level, holder_org_id, branch_org_id, platform_org_id, department_org_id,
        supervising_org_id, supervised, overdue, due_at, category, platform, area, urgency, channel, worker_type, worker_platforms,
        worker_name, worker_phone, description, machine_version, snapshot, created_by, created_at, updated_at, closed_at)
      select md5('case' || g)::uuid, 'SQ-B-' || lpad(g::text, 7, '0'), state,
        case when state in ('registered', 'withdrawn') then 'branch' when state in ('handed_off', 'department_handling') then 'department' else 'platform' end,
        case when state in ('registered', 'withdrawn') then branch_id when state in ('handed_off', 'department_handling') then department_id else platform_id end,
        branch_id, platform_id, case when state in ('handed_off', 'department_handling') then department_id end,
        case when s < 0.2 and state in ('forwarded', 'platform_handling', 'handed_off', 'department_handling') then department_id end,
        s < 0.2 and state in ('forwarded', 'platform_handling'), s < 0.3 and state not in ('closed', 'withdrawn', 'resolved'),
        case when state not in ('closed', 'withdrawn') then greatest(created_at + interval '5 days', now() - interval '20 days') + s * interval '40 days' end,
        (${CATEGORIES}::text[])[cat], (${PLATFORMS}::text[])[p], (${AREAS}::text[])[ar], case when s < 0.05 then 'urgent' else 'normal' end,
        (${CHANNELS}::text[])[ch], (${WORKER_TYPES}::text[])[wt], array[(${PLATFORMS}::text[])[p]], '张三', '13812341234', '基准测试诉求', 1, '{}'::jsonb, ${liaison},
        created_at, created_at, case when state in ('closed', 'withdrawn') then created_at + interval '6 days' end
      from spec`;
    // Each case's record: register, forward, accept, hand-off, accept … as deep as its state.
    await sql`
      insert into case_events (case_id, seq, at, action, from_state, to_state, level, holder_org_id, actor_org_id, data,
        to_org_id, resolved_by_org_id, rating, solved)
      select md5('case' || g)::uuid, k, created_at + k * interval '3 hours',
        (array['register', 'forward', 'accept', 'hand_off', 'accept', 'resolve', 'feedback'])[k], null, state,
        case when k = 1 then 'branch' when k <= 3 then 'platform' else 'department' end,
        case when k = 1 then branch_id when k <= 3 then platform_id else department_id end,
        case when k = 1 then branch_id when k <= 3 then platform_id when k = 7 then branch_id else department_id end,
        case when k = 7 then jsonb_build_object('rating', case when s < 0.15 then 'dissatisfied' else 'satisfied' end, 'resolvedByOrgId', department_id) else '{}'::jsonb end,
        case k when 2 then platform_id when 4 then department_id end,
        case when k >= 6 then department_id end,
        case when k = 7 then case when s < 0.15 then 'dissatisfied' else 'satisfied' end end,
        case when k = 7 then case when s < 0.15 then 'no' when s < 0.3 then 'partly' when s < 0.9 then 'yes' end end
      from spec, generate_series(1, case state when 'registered' then 1 when 'withdrawn' then 2 when 'forwarded' then 2
        when 'platform_handling' then 3 when 'handed_off' then 4 when 'department_handling' then 5 when 'resolved' then 6 else 7 end) k`;
    // The holder timeline as the case writer keeps it: the seeded records change holder at the register, the forward and the hand-off.
    await sql`
      update cases c set holder_timeline = t.timeline from (
        select case_id, jsonb_agg(jsonb_build_object('level', level, 'orgId', holder_org_id, 'at', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
          order by seq) as timeline
        from case_events where seq in (1, 2, 4) group by case_id) t
      where t.case_id = c.id`;
    await sql`
      insert into deadlines (case_id, step, level, org_id, started_at, due_at, warn_at, status, closed_at)
      select md5('case' || g)::uuid, step, lvl, org, created_at + k * interval '3 hours', created_at + k * interval '3 hours' + interval '1 day',
        created_at + k * interval '3 hours' + interval '19 hours',
        case when k < depth then (case when s < 0.1 then 'missed' else 'met' end) else 'pending' end,
        case when k < depth then created_at + (k + 1) * interval '3 hours' end
      from (select *, case state when 'registered' then 1 when 'withdrawn' then 1 when 'forwarded' then 2
        when 'platform_handling' then 3 when 'handed_off' then 4 when 'department_handling' then 5 else 6 end as depth from spec) x,
      lateral (select k, (array['l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback'])[k] as step,
          case when k = 1 or k = 6 then 'branch' when k <= 3 then 'platform' else 'department' end as lvl,
          case when k = 1 or k = 6 then branch_id when k <= 3 then platform_id else department_id end as org
        from generate_series(1, depth) k) d`;
    // The daily counters as the writer keeps them, per day (Asia/Shanghai), unit, grouping and value: arrivals, registrations,
    // acceptance clocks judged, resolutions, feedback, clocks closed and missed (the seeded cases are never reclassified).
    await sql`
      insert into measure_days (day, org_id, dimension, value, received, accepts_judged, accepted_on_time, resolved, on_time, overdue, escalated,
        reopened, feedback, satisfied, solved_answered, solved, handled, handling_ms)
      select x.day, x.org_id, g.dimension, g.value, sum(case when g.dimension = 'org' then x.arrival else x.registered end), sum(x.judged),
        sum(x.judged_met), sum(x.resolved), sum(x.resolved), sum(x.missed), sum(x.missed), sum(x.reopened), sum(x.feedback), sum(x.satisfied),
        sum(x.solved_answered), sum(x.solved), sum(x.handled), sum(x.handling_ms)
      from (
        select (e.at at time zone 'Asia/Shanghai')::date as day,
          case when e.action in ('resolve', 'feedback') then e.resolved_by_org_id when e.action = 'register' then e.holder_org_id else e.to_org_id end as org_id,
          c.category, c.platform, c.area, c.worker_type, c.channel,
          (e.action = 'register' or e.to_org_id is not null)::int as arrival, (e.action = 'register')::int as registered, 0 as judged, 0 as judged_met,
          (e.action = 'resolve')::int as resolved, 0 as missed, coalesce(e.rating = 'dissatisfied', false)::int as reopened, (e.action = 'feedback')::int as feedback,
          coalesce(e.rating = 'satisfied', false)::int as satisfied, (e.solved is not null)::int as solved_answered, coalesce(e.solved = 'yes', false)::int as solved,
          0 as handled, 0::bigint as handling_ms
        from case_events e join cases c on c.id = e.case_id
        union all
        select (d.closed_at at time zone 'Asia/Shanghai')::date, d.org_id, c.category, c.platform, c.area, c.worker_type, c.channel, 0, 0,
          (d.step in ('l1_forward', 'l2_accept', 'l3_accept'))::int, (d.step in ('l1_forward', 'l2_accept', 'l3_accept') and d.status = 'met')::int,
          0, (d.status = 'missed')::int, 0, 0, 0, 0, 0, 1, (extract(epoch from d.closed_at - d.started_at) * 1000)::bigint
        from deadlines d join cases c on c.id = d.case_id where d.status in ('met', 'missed')
      ) x cross join lateral (values ('org', null), ('category', x.category), ('platform', x.platform), ('area', x.area),
        ('workerType', x.worker_type), ('channel', x.channel)) g(dimension, value)
      where x.org_id is not null
      group by 1, 2, 3, 4`;
    await sql`vacuum analyze`; // what autovacuum does in production: index-only scans need the visibility map
    const [{ cases, events, clocks, counters }] = await sql<{ cases: number; events: number; clocks: number; counters: number }[]>`
      select (select count(*)::int from cases) as cases, (select count(*)::int from case_events) as events, (select count(*)::int from deadlines) as clocks,
        (select count(*)::int from measure_days) as counters`;
    console.log(`${cases} cases, ${events} events, ${clocks} deadlines, ${counters} daily counter rows, seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s (set-based SQL); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    const departments = await sql<{ id: string; name: string }[]>`select id, name from orgs where type = 'department' order by name`;
    const board: number[] = [];
    for (let i = 0; i < 200; i++) {
      const dept = departments[i % departments.length];
      const t = performance.now();
      await oversightBoard(sql, { orgId: dept.id, limit: 50, offset: 0 });
      if (i >= 20) board.push(performance.now() - t);
    }
    const b = summary(board);
    const p95 = [...board].sort((x, y) => x - y)[Math.floor(board.length * 0.95)];
    console.log(`\noversight page (50 most overdue of a department, with deadlines and level history): p50 ${fmt(b.p50)}, p95 ${fmt(p95)}  (target p95 ≤ 20 ms: ${p95 <= 20 ? 'met' : 'NOT met'})`);

    const monthTo = new Date();
    const monthFrom = new Date(monthTo.getTime() - 30 * 86_400_000);
    const target = CASES > 1_000_000 ? 200 : 100;
    for (const groupBy of GROUP_BYS) {
      const metricTimes: number[] = [];
      let rows: Awaited<ReturnType<typeof unitMeasures>> = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        rows = await unitMeasures(sql, { from: monthFrom, to: monthTo, groupBy });
        metricTimes.push(performance.now() - t);
      }
      const m = summary(metricTimes);
      const received = rows.reduce((n, r) => n + r.received, 0);
      console.log(`one month's measures by ${groupBy} (${rows.length} rows, ${received} received): median ${fmt(m.p50)}, max ${fmt(m.max)}  (target ≤ ${target} ms: ${m.max <= target ? 'met' : 'NOT met'})`);
    }
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    // A meeting whose period holds 100,000 cases: the most recent 10 % of the year.
    const [{ periodFrom }] = await sql<{ periodFrom: Date }[]>`
      select created_at as period_from from cases order by created_at desc offset ${Math.min(99_999, CASES - 1)} limit 1`;
    const meeting = await createMeeting(sql, { userId: convener, orgId: null, role: 'convener' }, {
      title: '基准协调会', periodFrom, periodTo: new Date(Date.now() + 60_000),
    });
    const file = `/tmp/bench-export-${Date.now()}.xlsx`;
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const t = performance.now();
    const out = createWriteStream(file);
    let lastProgress = -1;
    await writeMeetingExport(sql, meeting.id, 'xlsx', out, (p) => {
      if (p % 10 === 0 && p !== lastProgress) { lastProgress = p; process.stdout.write(`\r  export ${p}%   `); }
    });
    if (!out.writableFinished) await once(out, 'finish');
    const seconds = (performance.now() - t) / 1000;
    const peak = process.resourceUsage().maxRSS / 1024;
    const size = (await stat(file)).size / 1e6;
    console.log(`\n${Math.min(100_000, CASES)}-case xlsx export (${meeting.agenda.length} agenda items): ${seconds.toFixed(1)} s, ${size.toFixed(1)} MB, process peak RSS ${peak.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before)  (target ≤ 5 s, < 300 MB: ${seconds <= 5 && peak < 300 ? 'met' : 'NOT met'}); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    await unlink(file);
  } finally {
    await close();
    if (process.env.BENCH_KEEP_DB) console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

main().catch((err) => {
  pino().error(err);
  process.exit(1);
});
