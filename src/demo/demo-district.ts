/**
 * A demo district, seeded once: two branches, three platform committees, four departments,
 * the social work department as convener, a user per role, routing rules, default SLA policies
 * and about thirty cases in varied states — all driven through the engine, so their records
 * are real. Each start issues fresh sign-in tokens for the demo users.
 */
import { inTransaction, type Sql } from '../../db/client.js';
import { issueToken, type Caller } from '../access/callers.js';
import type { CaseEngine } from '../cases/case-engine.js';
import type { ActionBody, RegisterInput } from '../cases/case-types.js';
import { DEFAULT_SLA_POLICIES, replaceSlaPolicies } from '../deadlines/sla-policies.js';
import { createOrg, createUser, type OrgRow } from '../orgs/org-store.js';
import { replaceRoutingRules, type RoutingRule } from '../routing/routing-rules.js';
import type { Role } from '../../workflows/case-machine.js';

const CONVENER_NAME = '区委社会工作部';

export interface DemoToken { role: Role; name: string; org: string; token: string }

export async function isSeeded(sql: Sql): Promise<boolean> {
  const [row] = await sql`select id from orgs where name = ${CONVENER_NAME}`;
  return Boolean(row);
}

/** Seeds the district once; returns the orgs by short name. */
export async function seedDemoDistrict(sql: Sql, engine: CaseEngine): Promise<void> {
  const org = await inTransaction(sql, async (tx) => {
    const make = (name: string, type: OrgRow['type'], extra: Partial<OrgRow> = {}) =>
      createOrg(tx, { name, type, sectors: extra.sectors ?? [], areas: extra.areas ?? [], platform: extra.platform ?? null });
    const o = {
      branchA: await make('朝阳街道新兴领域第一党支部（快递物流）', 'branch', { areas: ['朝阳街道'] }),
      branchB: await make('望京街道新兴领域第二党支部（外卖网约车）', 'branch', { areas: ['望京街道'] }),
      meituan: await make('美团平台党委诉求处理小组', 'platform', { platform: '美团' }),
      eleme: await make('饿了么平台党委诉求处理小组', 'platform', { platform: '饿了么' }),
      sf: await make('顺丰平台党委诉求处理小组', 'platform', { platform: '顺丰' }),
      postal: await make('区邮政管理局', 'department', { sectors: ['courier'] }),
      transport: await make('区交通运输局', 'department', { sectors: ['ride_hailing', 'freight'] }),
      market: await make('区市场监管局', 'department', { sectors: ['delivery'] }),
      hr: await make('区人社局', 'department', { sectors: ['courier', 'delivery', 'ride_hailing', 'freight', 'streamer', 'other'] }),
      convener: await make(CONVENER_NAME, 'convener'),
    };
    const users: [string, Role, OrgRow][] = [
      ['李联络（第一支部）', 'liaison', o.branchA], ['王联络（第二支部）', 'liaison', o.branchB],
      ['美团诉求专员', 'committee', o.meituan], ['饿了么诉求专员', 'committee', o.eleme], ['顺丰诉求专员', 'committee', o.sf],
      ['邮政管理局督办员', 'officer', o.postal], ['交通运输局督办员', 'officer', o.transport],
      ['市场监管局督办员', 'officer', o.market], ['人社局督办员', 'officer', o.hr],
      ['社会工作部协调员', 'convener', o.convener],
    ];
    for (const [name, role, unit] of users) await createUser(tx, { name, role, orgId: unit.id });
    const rules: RoutingRule[] = [
      { step: 'forward', match: { platform: '美团' }, toOrgId: o.meituan.id },
      { step: 'forward', match: { platform: '饿了么' }, toOrgId: o.eleme.id },
      { step: 'forward', match: { platform: '顺丰' }, toOrgId: o.sf.id },
      ...['PAY', 'HRS', 'INS', 'EMP'].map((category) => ({ step: 'hand_off' as const, match: { category }, toOrgId: o.hr.id })),
      { step: 'hand_off', match: { workerType: 'courier' }, toOrgId: o.postal.id },
      { step: 'hand_off', match: { workerType: 'delivery' }, toOrgId: o.market.id },
      { step: 'hand_off', match: { workerType: 'ride_hailing' }, toOrgId: o.transport.id },
      { step: 'hand_off', match: { workerType: 'freight' }, toOrgId: o.transport.id },
      { step: 'hand_off', match: {}, toOrgId: o.hr.id },
    ];
    await replaceRoutingRules(tx, rules);
    await replaceSlaPolicies(tx, DEFAULT_SLA_POLICIES);
    return o;
  });
  await seedDemoCases(sql, engine, org);
}

type Orgs = Record<'branchA' | 'branchB' | 'meituan' | 'eleme' | 'sf' | 'postal' | 'transport' | 'market' | 'hr' | 'convener', OrgRow>;

async function seedDemoCases(sql: Sql, engine: CaseEngine, o: Orgs) {
  const people = await sql<{ id: string; orgId: string; role: Role }[]>`select id, org_id, role from users`;
  const callerAt = (unit: OrgRow): Caller => {
    const user = people.find((u) => u.orgId === unit.id)!;
    return { userId: user.id, orgId: unit.id, role: user.role };
  };
  const committeeOf: Record<string, OrgRow> = { 美团: o.meituan, 饿了么: o.eleme, 顺丰: o.sf };
  const departmentFor = (input: RegisterInput) =>
    ['PAY', 'HRS', 'INS', 'EMP'].includes(input.category) ? o.hr
      : input.worker.workerType === 'courier' ? o.postal
        : input.worker.workerType === 'delivery' ? o.market : o.transport;

  // Platforms cycle every 3 and stages every 10, so each committee gets cases at every stage.
  const grievances: RegisterInput[] = [
    g('delivery', '美团', 'DED', '恶劣天气下配送超时被扣款 30 元，申诉未通过', '望京街道'),
    g('delivery', '饿了么', 'ALG', '系统派单时限过紧，高峰期无法按时送达', '望京街道'),
    g('courier', '顺丰', 'PAY', '上月派件补贴未兑现，站点称由总部核算', '朝阳街道'),
    g('delivery', '美团', 'ACC', '账号被无故封禁三天，无法申诉人工复核', '望京街道'),
    g('delivery', '饿了么', 'INS', '送餐途中摔伤，职业伤害保障申报无人受理', '望京街道', 'urgent'),
    g('courier', '顺丰', 'ACS', '小区物业禁止快递员进入，只能在门口等候', '朝阳街道'),
    g('delivery', '美团', 'FAC', '商圈附近没有可以休息和充电的暖心驿站', '望京街道'),
    g('delivery', '饿了么', 'DED', '顾客差评后被罚款 50 元，未核实情况', '望京街道'),
    g('courier', '顺丰', 'HRS', '旺季连续两周每天工作超过 12 小时', '朝阳街道'),
    g('delivery', '美团', 'SAF', '电动车在小区门口被交警处罚，认为停放点未标识', '望京街道'),
    g('delivery', '饿了么', 'CON', '咨询如何参加职业伤害保障', '望京街道'),
    g('courier', '顺丰', 'EMP', '离职后押金和最后一个月工资未结清', '朝阳街道'),
    g('delivery', '美团', 'PAY', '夜间配送补贴计算规则不透明', '望京街道'),
    g('delivery', '饿了么', 'ALG', '规则变更未公示，准时率考核突然提高', '望京街道'),
    g('courier', '顺丰', 'DSP', '派件时遭到顾客辱骂推搡', '朝阳街道', 'critical'),
  ];
  // Case n gets platform n % 3 and stage n % 10, so every committee has a case at every stage.
  const cases = grievances.concat(grievances.map((x) => ({ ...x, description: `${x.description}（同类诉求）` })));
  for (const [n, input] of cases.entries()) {
    const branch = input.worker.workerType === 'courier' ? o.branchA : o.branchB;
    const liaison = callerAt(branch);
    const committee = callerAt(committeeOf[input.platform]);
    const officer = callerAt(departmentFor(input));
    let c = await engine.register(liaison, input);
    const step = async (who: Caller, body: ActionBody) => { c = await engine.act(who, c.id, c.version, body); };
    const forwardAndAccept = async () => { await step(liaison, { action: 'forward' }); await step(committee, { action: 'accept' }); };
    const handOffAndAccept = async () => {
      await forwardAndAccept();
      await step(committee, { action: 'hand_off', reason: '涉及主管部门职责，移交处理' });
      await step(officer, { action: 'accept' });
    };
    switch (n % 10) {
      case 0: // registered; in the last cycle withdrawn instead
        if (n >= 20) await step(liaison, { action: 'withdraw', reason: '劳动者与站点协商解决，撤回诉求' });
        break;
      case 1: // answered at the branch, satisfied
        await step(liaison, { action: 'resolve', resolution: '支部已当场解答政策问题' });
        await step(liaison, { action: 'feedback', rating: 'satisfied' });
        break;
      case 2: // forwarded, awaiting acceptance
        await step(liaison, { action: 'forward' });
        break;
      case 3: // returned once to the branch
        await step(liaison, { action: 'forward' });
        await step(committee, { action: 'return', reason: '材料不全，请补充订单号' });
        break;
      case 4: // in the platform's hands
        await forwardAndAccept();
        break;
      case 5: // resolved by the platform, awaiting the worker's feedback
        await forwardAndAccept();
        await step(committee, { action: 'resolve', resolution: '平台已退还扣款并致歉' });
        break;
      case 6: // resolved by the platform, satisfied
        await forwardAndAccept();
        await step(committee, { action: 'resolve', resolution: '平台已核实并补发' });
        await step(liaison, { action: 'feedback', rating: 'satisfied', comment: '处理及时' });
        break;
      case 7: // handed off, awaiting the department
        await forwardAndAccept();
        await step(committee, { action: 'hand_off', reason: '涉及主管部门职责，移交处理' });
        break;
      case 8: // supervised back to the platform
        await handOffAndAccept();
        await step(officer, { action: 'supervise', instructions: '请平台五个工作日内核实并答复劳动者', amount: 5, unit: 'working_days' });
        break;
      case 9: // the department resolved; the worker was dissatisfied: on the meeting's agenda
        await handOffAndAccept();
        await step(officer, { action: 'resolve', resolution: '已约谈平台，责令整改' });
        await step(liaison, { action: 'feedback', rating: 'dissatisfied', comment: '问题没有解决' });
        break;
    }
  }
  // A few clocks already ran out while the demo was "away": they escalate on the first sweep.
  await sql`
    update deadlines set due_at = now() - interval '1 hour', warn_at = now() - interval '2 hours', rev = rev + 1
    where id in (select id from deadlines where status = 'pending' and step in ('l2_accept', 'l3_accept') order by started_at limit 4)`;
}

function g(workerType: RegisterInput['worker']['workerType'], platform: string, category: string, description: string, area: string,
  urgency: RegisterInput['urgency'] = 'normal'): RegisterInput {
  return {
    worker: { name: '张师傅', phone: '13812345678', workerType, platforms: [platform] },
    channel: 'station', category, description, platform, area, urgency,
  };
}

/** The demo user printed for each role: the ones whose units hold most of the demo cases. */
const SIGN_IN_USERS = ['李联络（第一支部）', '美团诉求专员', '市场监管局督办员', '社会工作部协调员'];

/** Fresh tokens for one demo user per role (tokens are stored only as hashes, so they are reissued). */
export async function issueDemoTokens(sql: Sql): Promise<DemoToken[]> {
  const rows = await sql<{ id: string; name: string; role: Role; org: string }[]>`
    select u.id, u.name, u.role, o.name as org from users u join orgs o on o.id = u.org_id where u.name in ${sql(SIGN_IN_USERS)}`;
  rows.sort((a, b) => SIGN_IN_USERS.indexOf(a.name) - SIGN_IN_USERS.indexOf(b.name));
  const tokens: DemoToken[] = [];
  for (const user of rows) tokens.push({ role: user.role, name: user.name, org: user.org, token: await issueToken(sql, user.id) });
  return tokens;
}
