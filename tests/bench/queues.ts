/**
 * `npm run bench:queues` (N=200000 by default): the case list of a committee whose scope holds
 * every case, and of a convener, on a database of N cases — the first page with its counts, the
 * second page without, for the queue filters and searches (README "Queues").
 */
import { createTestDatabase } from '../../tests/support/test-database.js';
import { connectDatabase } from '../../db/client.js';
import { listCases } from '../../src/cases/case-queries.js';

const N = Number(process.env.N ?? 200000);
const db = await createTestDatabase();
const { sql, close } = connectDatabase(db.url);
try {
  const [branch] = await sql`insert into orgs (name, type) values ('b', 'branch') returning id`;
  const [meituan] = await sql`insert into orgs (name, type, platform) values ('m', 'platform', '美团') returning id`;
  const [conv] = await sql`insert into orgs (name, type) values ('c', 'convener') returning id`;
  const [user] = await sql`insert into users (name, org_id, role) values ('u', ${branch.id}, 'liaison') returning id`;
  let t = Date.now();
  await sql`insert into cases (reference, state, level, holder_org_id, branch_org_id, platform_org_id, category, platform, urgency, channel,
      worker_type, worker_platforms, worker_name, worker_phone, description, machine_version, snapshot, created_by, created_at, due_at, closed_at, overdue)
    select 'GR-' || g, case when g % 3 = 0 then 'closed' else 'forwarded' end, 'platform', ${meituan.id}, ${branch.id}, ${meituan.id},
      (array['PAY','DED','ALG','SAF'])[1 + g % 4], '美团', 'normal', 'station', 'delivery', '{美团}', '张三',
      '138' || lpad((g * 7919 % 100000000)::text, 8, '0'), '描述 ' || md5(g::text) || ' 暴雨天配送超时被扣款', 1, '{}'::jsonb, ${user.id},
      now() - (g || ' minutes')::interval,
      case when g % 3 = 0 then null else now() + ((g % 500) - 50 || ' hours')::interval end,
      case when g % 3 = 0 then now() else null end, g % 3 <> 0 and g % 500 < 50
    from generate_series(1, ${N}) g`;
  await sql`insert into case_participants (case_id, org_id) select id, ${branch.id}::uuid from cases union all select id, ${meituan.id}::uuid from cases`;
  await sql`analyze`;
  console.log(`loaded ${N} cases in ${Date.now() - t} ms`);
  const committee = { userId: user.id, orgId: meituan.id, role: 'committee' as const };
  const convener = { userId: user.id, orgId: conv.id, role: 'convener' as const };
  const runs: [string, any, any][] = [
    ['committee newest', committee, {}],
    ['committee open&sort=due', committee, { open: true, sort: 'due' }],
    ['committee overdue', committee, { overdue: true, open: true, sort: 'due' }],
    ['committee category=PAY', committee, { category: 'PAY' }],
    ['committee q=last4', committee, { q: '1234' }],
    ['committee q=text', committee, { q: '超时被扣' }],
    ['convener newest', convener, {}],
    ['convener open&sort=due', convener, { open: true, sort: 'due' }],
  ];
  for (const [name, caller, filter] of runs) {
    const times: number[] = [];
    let page: any;
    for (let i = 0; i < 5; i++) { const s = performance.now(); page = await listCases(sql, caller, { ...filter, limit: 50 }, 10000, [caller.orgId]); times.push(performance.now() - s); }
    times.sort((a, b) => a - b);
    const next = page.nextCursor ? await (async () => { const s = performance.now(); await listCases(sql, caller, { ...filter, limit: 50, cursor: page.nextCursor }, 10000, [caller.orgId]); return performance.now() - s; })() : 0;
    console.log(`${name.padEnd(28)} median ${times[2].toFixed(1)} ms (page 2: ${next.toFixed(1)} ms) items ${page.items.length} counts ${JSON.stringify(page.counts)}`);
  }
} finally {
  await close();
  await db.drop();
}
