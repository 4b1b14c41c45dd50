/**
 * Issue 21 item 10: the demo district shows every new capability, all written through the real
 * services — every category of the catalogue has a hand-off route to a department (a critical SAF
 * case is told to 公安交管 at once), two workers' submissions wait in a branch's 待核实 list, a 12345
 * work order naming a platform was forwarded to its committee, a referral was answered, and a case
 * closed by the call-back user's rating was appealed by its worker and is back at the level above.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoDistrict, type DemoSummary } from '../../src/demo/demo-district.js';
import { loadRoutingRules, pickRoute } from '../../src/routing/routing-rules.js';
import { WORKER_TYPES } from '../../workflows/case-rules.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';

let engine: TestEngine;
let sql: postgres.Sql;
let summary: DemoSummary;
beforeAll(async () => {
  engine = await startTestEngine();
  sql = postgres(engine.databaseUrl, { max: 1, onnotice: () => {} });
  summary = await seedDemoDistrict(engine.runtime);
}, 300_000);
afterAll(async () => {
  await sql?.end();
  await engine?.close();
});

const orgNamed = async (name: string) => (await sql<{ id: string }[]>`select id from orgs where name = ${name}`)[0].id;
/** The one case whose description holds `words`. */
const caseAbout = async (words: string) => {
  const rows = await sql<{ id: string; state: string; level: string; holderOrgId: string }[]>`
    select id, state, level, holder_org_id as "holderOrgId" from cases where description like ${`%${words}%`}`;
  expect(rows).toHaveLength(1);
  return rows[0];
};

describe('the demo district', () => {
  it('replays every step of its history without a refusal', () => {
    expect(summary.refused).toEqual([]);
  });

  it('routes every category of the catalogue to a department, for every worker type; SAF to 公安交管', async () => {
    const rules = await loadRoutingRules(engine.runtime.database.sql);
    const categories = await sql<{ code: string }[]>`select code from categories`;
    expect(categories.length).toBeGreaterThanOrEqual(15);
    const departments = new Map((await sql<{ id: string; name: string }[]>`select id, name from orgs where type = 'department'`).map((o) => [o.id, o.name]));
    for (const name of ['区公安交管大队', '区网信办', '区商务局']) expect([...departments.values()]).toContain(name);
    for (const { code } of categories) {
      for (const workerType of WORKER_TYPES) {
        const to = pickRoute(rules, 'hand_off', { platform: null, workerType, category: code, area: null });
        expect(departments.has(to ?? ''), `${code} ${workerType}`).toBe(true);
      }
    }
    const saf = pickRoute(rules, 'hand_off', { platform: '美团', workerType: 'delivery', category: 'SAF', area: '望京街道' });
    expect(departments.get(saf!)).toBe('区公安交管大队');
    expect(departments.get(pickRoute(rules, 'hand_off', { platform: null, workerType: 'streamer', category: 'ALG', area: null })!)).toBe('区网信办');
  });

  it('told 公安交管 of the critical SAF injury case at once', async () => {
    const c = await caseAbout('被机动车撞伤');
    const traffic = await orgNamed('区公安交管大队');
    const [told] = await sql`select 1 from notifications where case_id = ${c.id} and org_id = ${traffic} and kind = 'urgent_case'`;
    expect(told).toBeDefined();
    expect(await sql`select 1 from case_participants where case_id = ${c.id} and org_id = ${traffic}`).toHaveLength(1);
  });

  it('has a grievance and a suggestion waiting in the first branch\'s 待核实 list', async () => {
    const branch = await orgNamed('朝阳街道新兴领域第一党支部（快递物流）');
    const waiting = await sql<{ kind: string }[]>`select kind from submissions where branch_id = ${branch} and state = 'waiting' order by kind`;
    expect(waiting.map((s) => s.kind)).toEqual(['grievance', 'suggestion']);
  });

  it('has a 12345 work order naming a platform, forwarded to the platform\'s committee', async () => {
    const [order] = await sql<{ holder: string; level: string; hotline: string }[]>`
      select h.name as holder, c.level, o.name as hotline from cases c join orgs h on h.id = c.holder_org_id join orgs o on o.id = c.hotline_org_id
      where c.hotline_order_no is not null`;
    expect(order).toMatchObject({ holder: '饿了么平台党委诉求处理小组', level: 'platform', hotline: '区 12345 市民服务热线' });
  });

  it('has a referral the mediation centre answered', async () => {
    const c = await caseAbout('拖欠两个月配送费');
    const actions = (await sql<{ action: string }[]>`select action from case_events where case_id = ${c.id} order by seq`).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['refer', 'refer_outcome']));
  });

  it('has a case closed by the call-back user\'s rating, appealed by the worker and back at the level above', async () => {
    const c = await caseAbout('社保如何转移');
    const actions = (await sql<{ action: string }[]>`select action from case_events where case_id = ${c.id} order by seq`).map((e) => e.action);
    const appeal = actions.indexOf('appeal');
    expect(actions.slice(appeal - 2, appeal + 1)).toEqual(['resolve', 'feedback', 'appeal']);
    expect(c.level).toBe('platform');
    expect(c.holderOrgId).toBe(await orgNamed('顺丰平台党委诉求处理小组'));
  });
});
