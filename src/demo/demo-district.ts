/**
 * A demo district, seeded once: two branches, three platform committees, two street offices
 * (望京街道, 酒仙桥街道: territorial matters go there by area, 以块为主), seven departments (every
 * category of TAXONOMY.md has its hand-off route: a critical SAF case reaches 公安交管 at once), the
 * social work department as convener, a user per role, routing rules, default SLA policies, and 46
 * cases registered over the past six weeks (territorial ones at the street offices, algorithm-decision
 * ones with their order, rule version and the committee's human review; a referral answered by the
 * mediation centre; a case closed by the call-back user's rating and appealed by its worker). Today a
 * 12345 work order came in and two workers' submissions wait in a branch's 待核实 list.
 *
 * The cases are written through the engine's public functions by an engine of their own whose
 * clock (`now`) walks through those six weeks: every registration and action happens at its own
 * working-hours moment, deadlines are computed from those moments on the working-day calendar,
 * and the clocks that ran out in the meantime fire (`fireDeadline`) at their warning and due
 * times, just as the deadline worker would have. So an overdue case is overdue by the time it
 * shows, the last 30 days' measures and hot spots have something to say, and a coordination
 * meeting over the last 30 days finds cases that are really stuck.
 */
import chineseDays from 'chinese-days';
import { inTransaction, type Sql } from '../../db/client.js';
import { authenticate, issueToken, type Caller } from '../access/callers.js';
import { createCaseEngine, type CaseEngineDeps } from '../cases/case-engine.js';
import type { ActionBody, RegisterInput } from '../cases/case-types.js';
import type { CaseView } from '../cases/case-view.js';
import type { Wakeup } from '../deadlines/deadline-store.js';
import { DEFAULT_SLA_POLICIES, replaceSlaPolicies } from '../deadlines/sla-policies.js';
import { createOrg, createUser, type OrgRow } from '../orgs/org-store.js';
import { pickRoute, replaceRoutingRules, type RoutingRule } from '../routing/routing-rules.js';
import { withdrawUnsentFeedbackLinks } from '../worker-access/feedback-links.js';
import { shanghaiDayStart } from '../calendar/working-calendar.js';
import { isFinal, type Role } from '../../workflows/case-rules.js';
import { DEFAULT_ATTACHMENT_LIMITS } from '../attachments/attachment-kinds.js';
import { createSubmissionService } from '../submissions/submission-service.js';
import type { Runtime } from '../runtime.js';

const CONVENER_NAME = '区委社会工作部';
const HISTORY_DAYS = 42;

export interface DemoToken { role: Role; name: string; org: string; token: string }
export interface DemoSummary { cases: number; days: number; open: number; overdue: number; onMeetingAgenda: number; refused: string[] }

export async function isSeeded(sql: Sql): Promise<boolean> {
  const [row] = await sql`select id from orgs where name = ${CONVENER_NAME}`;
  return Boolean(row);
}

/**
 * Seeds the district on the runtime's engine dependencies (the history's `now`, `wake` and `deliver`
 * are the demo's own); `until` is the present, where the history stops and today's arrivals come in.
 */
export async function seedDemoDistrict(runtime: Pick<Runtime, 'engineDeps' | 'storage'>, until = new Date()): Promise<DemoSummary> {
  const deps = runtime.engineDeps;
  const { orgs, rules } = await seedOrganisation(deps.sql);
  const summary = await replayHistory(deps, orgs, rules, until);
  await todaysArrivals(runtime, orgs, until);
  // The history's notifications belong to the past: marked delivered without sending (no webhooks in the demo).
  // No worker received a feedback link either: none is kept, and none works.
  await inTransaction(deps.sql, async (tx) => {
    for (const statement of withdrawUnsentFeedbackLinks(tx)) await statement;
    await tx`update outbox set delivered_at = now() where delivered_at is null`;
  });
  return summary;
}

type Orgs = Record<
  'branchA' | 'branchB' | 'meituan' | 'eleme' | 'sf' | 'wangjing' | 'jiuxianqiao' | 'postal' | 'transport' | 'market' | 'hr'
  | 'traffic' | 'cyberspace' | 'commerce' | 'convener' | 'mediation' | 'union' | 'hotline', OrgRow>;

/** Territorial categories (TAXONOMY.md): no platform, the street office of the area acts at L2. */
const TERRITORIAL = ['ACS', 'FAC', 'LIV'];

async function seedOrganisation(sql: Sql): Promise<{ orgs: Orgs; rules: RoutingRule[] }> {
  return inTransaction(sql, async (tx) => {
    const make = (name: string, type: OrgRow['type'], extra: Partial<OrgRow> = {}) => createOrg(tx, {
      name, type, sectors: extra.sectors ?? [], areas: extra.areas ?? [], services: extra.services ?? [], platform: extra.platform ?? null,
      defaultBranchId: extra.defaultBranchId ?? null,
    });
    const branches = {
      branchA: await make('朝阳街道新兴领域第一党支部（快递物流）', 'branch', { areas: ['朝阳街道'] }),
      branchB: await make('望京街道新兴领域第二党支部（外卖网约车）', 'branch', { areas: ['望京街道'] }),
    };
    const o: Orgs = {
      ...branches,
      meituan: await make('美团平台党委诉求处理小组', 'platform', { platform: '美团' }),
      eleme: await make('饿了么平台党委诉求处理小组', 'platform', { platform: '饿了么' }),
      sf: await make('顺丰平台党委诉求处理小组', 'platform', { platform: '顺丰' }),
      wangjing: await make('望京街道办事处', 'territorial', { areas: ['望京街道'] }),
      jiuxianqiao: await make('酒仙桥街道办事处', 'territorial', { areas: ['酒仙桥街道'] }),
      postal: await make('区邮政管理局', 'department', { sectors: ['courier'] }),
      transport: await make('区交通运输局', 'department', { sectors: ['ride_hailing', 'freight'] }),
      market: await make('区市场监管局', 'department', { sectors: ['delivery'] }),
      hr: await make('区人社局', 'department', { sectors: ['courier', 'delivery', 'ride_hailing', 'freight', 'streamer', 'other'] }),
      traffic: await make('区公安交管大队', 'department', { sectors: ['courier', 'delivery', 'ride_hailing', 'freight'] }),
      cyberspace: await make('区网信办', 'department', { sectors: ['streamer'] }),
      commerce: await make('区商务局', 'department', { sectors: ['delivery'] }),
      convener: await make(CONVENER_NAME, 'convener'),
      mediation: await make('区劳动人事争议调解中心', 'mediation', { services: ['mediation', 'legal_aid', 'arbitration'] }),
      union: await make('区新就业形态劳动者联合工会', 'union'),
      // Orders of an area no branch covers go to the first branch.
      hotline: await make('区 12345 市民服务热线', 'hotline', { defaultBranchId: branches.branchA.id }),
    };
    const users: [string, Role, OrgRow][] = [
      ['李联络（第一支部）', 'liaison', o.branchA], ['王联络（第二支部）', 'liaison', o.branchB],
      ['美团诉求专员', 'committee', o.meituan], ['饿了么诉求专员', 'committee', o.eleme], ['顺丰诉求专员', 'committee', o.sf],
      ['望京街道诉求专干', 'committee', o.wangjing], ['酒仙桥街道诉求专干', 'committee', o.jiuxianqiao],
      ['邮政管理局督办员', 'officer', o.postal], ['交通运输局督办员', 'officer', o.transport],
      ['市场监管局督办员', 'officer', o.market], ['人社局督办员', 'officer', o.hr],
      ['公安交管督办员', 'officer', o.traffic], ['网信办督办员', 'officer', o.cyberspace], ['商务局督办员', 'officer', o.commerce],
      ['社会工作部协调员', 'convener', o.convener], ['社会工作部回访员', 'callback', o.convener],
      ['调解中心调解员', 'mediator', o.mediation], ['联合工会干部', 'mediator', o.union],
      ['12345 热线话务员', 'hotline', o.hotline],
    ];
    for (const [name, role, unit] of users) await createUser(tx, { name, role, orgId: unit.id });
    // The competent department (TAXONOMY.md): by category where the category names one, else the sector's
    // department by worker type (条); the catch-all sends anything else to 人社局. An urgent or critical
    // case's department is told at once (the hand_off rule's unit): a critical SAF case reaches 公安交管.
    const rules: RoutingRule[] = [
      { step: 'forward', match: { platform: '美团' }, toOrgId: o.meituan.id },
      { step: 'forward', match: { platform: '饿了么' }, toOrgId: o.eleme.id },
      { step: 'forward', match: { platform: '顺丰' }, toOrgId: o.sf.id },
      // Territorial cases (no platform) by area; these rules never catch a case that names a platform.
      { step: 'forward', match: { area: '望京街道' }, toOrgId: o.wangjing.id },
      { step: 'forward', match: { area: '酒仙桥街道' }, toOrgId: o.jiuxianqiao.id },
      ...['PAY', 'HRS', 'INS', 'EMP'].map((category) => ({ step: 'hand_off' as const, match: { category }, toOrgId: o.hr.id })),
      { step: 'hand_off', match: { category: 'SAF' }, toOrgId: o.traffic.id },
      // A food-delivery rider's conflict with a merchant: 市场监管局 with 商务局 (TAXONOMY.md); the demo gives it to 商务局.
      { step: 'hand_off', match: { category: 'DSP', workerType: 'delivery' }, toOrgId: o.commerce.id },
      { step: 'hand_off', match: { workerType: 'streamer' }, toOrgId: o.cyberspace.id },
      { step: 'hand_off', match: { workerType: 'courier' }, toOrgId: o.postal.id },
      { step: 'hand_off', match: { workerType: 'delivery' }, toOrgId: o.market.id },
      { step: 'hand_off', match: { workerType: 'ride_hailing' }, toOrgId: o.transport.id },
      { step: 'hand_off', match: { workerType: 'freight' }, toOrgId: o.transport.id },
      { step: 'hand_off', match: {}, toOrgId: o.hr.id },
    ];
    await replaceRoutingRules(tx, rules);
    await replaceSlaPolicies(tx, DEFAULT_SLA_POLICIES);
    return { orgs: o, rules };
  });
}

// ---------------------------------------------------------------------------------------------
// The story. A step is [working hours after the previous one, who acts, what they do].

type Who = 'liaison' | 'committee' | 'officer' | 'callback' | 'mediator' | 'worker';
/** A step's body, or (naming a unit) the body made from the district's units. The worker's step is their appeal, with the receipt code. */
type Step = [hours: number, who: Who, body: ActionBody | ((o: Orgs) => ActionBody)];

const forward: Step = [2, 'liaison', { action: 'forward' }];
const accept = (hours = 3): Step => [hours, 'committee', { action: 'accept' }];
const handOff: Step = [8, 'committee', { action: 'hand_off', reason: '涉及主管部门职责，移交处理' }];
const departmentAccepts = (hours = 5): Step => [hours, 'officer', { action: 'accept' }];
/** An algorithm's decision: the committee reviews it (human_review) before it resolves or hands off. */
const humanReview: Step = [3, 'committee', { action: 'human_review', outcome: 'revised', explanation: '人工复核：算法未计入恶劣天气和商家出餐时间，调整处罚' }];
const withHumanReview = (steps: Step[]): Step[] => {
  const accepted = steps.findIndex((s) => s[1] === 'committee' && typeof s[2] !== 'function' && s[2].action === 'accept');
  const later = steps.slice(accepted + 1).some((s) => s[1] === 'committee');
  return accepted < 0 || !later ? steps : [...steps.slice(0, accepted + 1), humanReview, ...steps.slice(accepted + 1)];
};
/** The worker's feedback, relayed by the liaison; on the branch's own resolution by the convener's call-back user (回访: never the resolver). */
const feedback = (rating: 'satisfied' | 'basically_satisfied' | 'dissatisfied', comment?: string, hours = 6, who: Who = 'liaison'): Step =>
  [hours, who, { action: 'feedback', rating, ...(comment ? { comment } : {}) }];

const STORIES: Record<string, Step[]> = {
  /** The liaison answers it on the spot. */
  answeredAtBranch: [[1, 'liaison', { action: 'resolve', resolution: '支部联络员当场解答了政策问题' }], feedback('satisfied', undefined, 6, 'callback')],
  /** The platform fixes it in a few days. */
  platformFixes: [forward, accept(), [20, 'committee', { action: 'resolve', resolution: '平台核实后已退还扣款并向劳动者说明' }], feedback('satisfied', '处理及时')],
  platformFixesBasically: [forward, accept(4), [26, 'committee', { action: 'resolve', resolution: '平台已调整规则说明，补发部分款项' }], feedback('basically_satisfied', '基本解决')],
  /** Critical: everything within the hour or two it allows. */
  critical: [[0.3, 'liaison', { action: 'forward' }], accept(0.4), [1, 'committee', { action: 'resolve', resolution: '平台已报警并安排站点负责人陪同处理，劳动者安全' }], feedback('satisfied')],
  /** The worker never answers: closed as no feedback after three working days. */
  noFeedback: [forward, accept(), [18, 'committee', { action: 'resolve', resolution: '平台已撤销罚款' }]],
  /** The committee accepts a day too late: the department supervises it from then on. */
  acceptedLate: [forward, accept(15), [24, 'committee', { action: 'resolve', resolution: '平台已恢复派单并补发补贴' }], feedback('satisfied')],
  /** The liaison forwards it too late: escalated at the branch already. */
  forwardedLate: [[17, 'liaison', { action: 'forward' }], accept(2), [20, 'committee', { action: 'resolve', resolution: '平台已更正考核记录' }], feedback('basically_satisfied')],
  /** The committee has had it for more than five working days: overdue, under the department's supervision. */
  platformOverdue: [forward, accept()],
  /** Returned twice for missing papers, then taken up. */
  returnedTwice: [
    forward, [4, 'committee', { action: 'return', reason: '材料不全，请补充订单号' }],
    [10, 'liaison', { action: 'forward' }], [5, 'committee', { action: 'return', reason: '请补充扣款截图和申诉记录' }],
    [9, 'liaison', { action: 'forward' }], accept(3),
  ],
  /** The department resolves it. */
  departmentResolves: [forward, accept(), handOff, departmentAccepts(), [45, 'officer', { action: 'resolve', resolution: '已约谈平台，平台已补发款项并整改' }], feedback('satisfied', '部门出面后解决了')],
  departmentAtWork: [forward, accept(), handOff, departmentAccepts(6)],
  /** Handed off and never accepted: on the coordination meeting's agenda. */
  departmentNeverAccepts: [forward, accept(), handOff],
  /** Accepted and not resolved in ten working days: on the agenda. */
  departmentStuck: [forward, accept(), handOff, departmentAccepts(4)],
  /** The department resolved it, the worker was not satisfied: reopened and on the agenda. */
  reopened: [forward, accept(), handOff, departmentAccepts(), [40, 'officer', { action: 'resolve', resolution: '已督促平台复核' }], feedback('dissatisfied', '问题没有解决，仍被扣款')],
  /** The department sends it back to the platform with a supervision order; the platform then resolves. */
  supervisedBack: [
    forward, accept(), handOff, departmentAccepts(),
    [6, 'officer', { action: 'supervise', instructions: '请平台五个工作日内核实并答复劳动者', amount: 5, unit: 'working_days' }],
    [22, 'committee', { action: 'resolve', resolution: '平台按督办意见完成整改' }], feedback('satisfied'),
  ],
  /** The platform asks the worker for information; the clock waits meanwhile. */
  waitedForInfo: [
    forward, accept(), [5, 'committee', { action: 'request_info', question: '请提供被封号当天的订单截图' }],
    [12, 'committee', { action: 'resume', answer: '联络员转来劳动者补充的订单截图' }], [14, 'committee', { action: 'resolve', resolution: '平台已解封账号' }], feedback('satisfied'),
  ],
  withdrawn: [[6, 'liaison', { action: 'withdraw', reason: '劳动者与站点协商解决，撤回诉求' }]],
  /** The platform refers a pay dispute to the mediation centre, which answers; the platform's clock ran on from the answer. */
  referred: [
    forward, accept(), [6, 'committee', (o) => ({ action: 'refer', toOrgId: o.mediation.id, kind: 'mediation', reason: '劳动报酬争议，双方同意先行调解' })],
    [10, 'mediator', { action: 'refer_outcome', outcome: 'settled', note: '双方达成调解协议，平台分两期补发报酬' }],
  ],
  /** The branch answers it; the call-back user's rating closes it; the worker disagrees and appeals: it goes to the level above. */
  appealed: [
    [1, 'liaison', { action: 'resolve', resolution: '支部联络员解答了社保转移流程' }], feedback('basically_satisfied', undefined, 4, 'callback'),
    [6, 'worker', { action: 'appeal', reason: '按支部说的流程办理，社保仍未转移成功，请平台协助' }],
  ],
  justRegistered: [],
  justForwarded: [forward],
};

type Story = keyof typeof STORIES;
type Platform = '美团' | '饿了么' | '顺丰';

/** [days ago, platform, category, story, description, urgency]. Three clusters grow in the last 30 days (hot spots). */
const CASES: [number, Platform, string, Story, string, RegisterInput['urgency']?][] = [
  [41, '美团', 'DED', 'platformFixes', '恶劣天气下配送超时被扣款 30 元，申诉未通过'],
  [40, '顺丰', 'PAY', 'departmentResolves', '上月派件补贴未兑现，站点称由总部核算'],
  [39, '饿了么', 'ACC', 'answeredAtBranch', '账号被封禁三天，想了解人工申诉渠道'],
  [38, '顺丰', 'HRS', 'departmentStuck', '旺季连续两周每天工作超过 12 小时'],
  [37, '美团', 'FAC', 'platformFixesBasically', '商圈附近没有可以休息和充电的暖心驿站'],
  [36, '饿了么', 'DED', 'noFeedback', '顾客差评后被罚款 50 元，未核实情况'],
  [35, '顺丰', 'ACS', 'supervisedBack', '小区物业禁止快递员进入，只能在门口等候'],
  [34, '美团', 'INS', 'reopened', '送餐途中摔伤，职业伤害保障申报无人受理'],
  [33, '饿了么', 'SAF', 'withdrawn', '电动车在小区门口被处罚，认为停放点未标识'],
  [32, '美团', 'ACC', 'acceptedLate', '系统误判定位异常，账号被限制接单'],
  [31, '顺丰', 'EMP', 'departmentResolves', '离职后押金和最后一个月工资未结清'],
  [29, '美团', 'DED', 'returnedTwice', '暴雨天配送超时被扣款，申诉被驳回'],
  [28, '饿了么', 'ALG', 'platformFixes', '系统派单时限过紧，高峰期无法按时送达'],
  [27, '顺丰', 'PAY', 'departmentNeverAccepts', '夜间派件补贴计算规则不透明'],
  [26, '美团', 'DED', 'platformFixes', '商家出餐慢导致超时，扣款由骑手承担'],
  [25, '饿了么', 'CON', 'answeredAtBranch', '咨询如何参加职业伤害保障'],
  [24, '美团', 'PAY', 'departmentResolves', '冲单奖励规则临时变更，奖励未发放'],
  [23, '顺丰', 'DSP', 'critical', '派件时遭到顾客辱骂推搡', 'critical'],
  [22, '饿了么', 'ALG', 'platformOverdue', '规则变更未公示，准时率考核突然提高'],
  [21, '美团', 'DED', 'forwardedLate', '定位漂移被判超时，扣款 20 元'],
  [20, '顺丰', 'PAY', 'platformFixes', '大件派送费未按约定结算'],
  [19, '饿了么', 'INS', 'departmentResolves', '骑行途中被撞，平台保险理赔迟迟未到', 'urgent'],
  [18, '美团', 'ACC', 'waitedForInfo', '账号因人脸识别失败被封，无法申诉'],
  [17, '顺丰', 'HRS', 'departmentAtWork', '站点要求每周只休息半天'],
  [16, '美团', 'DED', 'supervisedBack', '顾客未收到餐品投诉，骑手被全额扣款'],
  [15, '饿了么', 'ALG', 'platformFixes', '恶劣天气未延长配送时限'],
  [14, '顺丰', 'ACS', 'departmentNeverAccepts', '写字楼禁止快递车辆停靠，多次被罚'],
  [13, '美团', 'FAC', 'withdrawn', '驿站夜间关闭，无处取暖'],
  [12, '饿了么', 'DED', 'returnedTwice', '系统显示已送达仍被判超时'],
  [11, '美团', 'DED', 'platformFixes', '取餐等待超过 20 分钟仍被判超时扣款'],
  [10, '顺丰', 'PAY', 'departmentAtWork', '代收货款差额被从工资中扣除'],
  [9, '饿了么', 'ALG', 'acceptedLate', '派单距离越来越远，收入明显下降'],
  [8, '美团', 'SAF', 'platformFixesBasically', '配送箱固定支架断裂，站点不予更换'],
  [7, '顺丰', 'EMP', 'departmentAtWork', '签订的是承揽协议，想确认劳动关系'],
  [6, '美团', 'DED', 'platformFixes', '因交通管制绕行超时被扣款'],
  [5, '饿了么', 'ACC', 'answeredAtBranch', '咨询账号注销后保证金如何退还'],
  [4, '顺丰', 'PAY', 'forwardedLate', '春节值班补贴至今未发放'],
  [3, '美团', 'ALG', 'platformFixes', '新规则要求每单拍照，耗时增加却不计入时限'],
  [3, '美团', 'SAF', 'critical', '送餐途中被机动车撞伤腿部，肇事车辆驶离现场', 'critical'],
  [3, '饿了么', 'PAY', 'referred', '平台拖欠两个月配送费，协商不成，希望调解'],
  [4, '顺丰', 'CON', 'appealed', '咨询离职后社保如何转移到新单位'],
  [2, '饿了么', 'DED', 'platformFixes', '餐品洒漏责任认定不清，被扣款 40 元'],
  [2, '美团', 'LIV', 'justForwarded', '子女入学需要居住证明，希望街道协助开具'],
  [1, '顺丰', 'DSP', 'justForwarded', '派件车辆被人故意划伤，要求站点协助报警', 'urgent'],
  [0, '美团', 'DED', 'justRegistered', '暴雨预警期间仍要求按时送达，超时被扣款'],
  [0, '饿了么', 'HRS', 'justRegistered', '午高峰后被要求继续在线，不能休息'],
];

const WORKERS = [
  ['张师傅', '13812345678'], ['李师傅', '13987654321'], ['王女士', '13600001111'], ['赵师傅', '13711112222'],
  ['刘师傅', '15012345678'], ['陈女士', '18600002222'], [null, null],
] as const;

/** Replays the stories in time order, firing the clocks that run out on the way. */
async function replayHistory(deps: CaseEngineDeps, o: Orgs, rules: RoutingRule[], until: Date): Promise<DemoSummary> {
  let clock = new Date(until.getTime() - HISTORY_DAYS * DAY_MS);
  const timers: { at: Date; id: string; rev: number; kind: 'warn' | 'due' }[] = [];
  const engine = createCaseEngine({
    ...deps,
    now: () => clock,
    // The demo is its own deadline worker while it replays; the runtime's sweeper takes over the future.
    wake: async (wakeups: Wakeup[]) => {
      for (const w of wakeups) {
        if (!w.warnedAt && w.warnAt < w.dueAt) timers.push({ at: w.warnAt, id: w.id, rev: w.rev, kind: 'warn' });
        timers.push({ at: w.dueAt, id: w.id, rev: w.rev, kind: 'due' });
      }
    },
    deliver: () => {},
  });

  const people = await deps.sql<{ id: string; orgId: string; role: Role }[]>`select id, org_id, role from users`;
  const callerAt = (unit: OrgRow, role?: Role): Caller => {
    const user = people.find((u) => u.orgId === unit.id && (!role || u.role === role))!;
    return { userId: user.id, orgId: unit.id, role: user.role };
  };
  const convener = callerAt(o.convener, 'convener');
  const committeeOf: Record<Platform, OrgRow> = { 美团: o.meituan, 饿了么: o.eleme, 顺丰: o.sf };
  const streetOf = (area: string) => (area === '望京街道' ? o.wangjing : o.jiuxianqiao);
  const units = Object.values(o);
  /** The department the case's hand-off goes to: the routing rules' pick, as the engine makes it. */
  const departmentFor = (c: RegisterInput) => units.find((u) => u.id === pickRoute(rules, 'hand_off', {
    platform: c.platform ?? null, workerType: c.worker.workerType, category: c.category, area: c.area ?? null,
  }))!;

  const runs = CASES.map(([daysAgo, platform, category, story, description, urgency = 'normal'], n) => {
    const courier = platform === '顺丰';
    const territorial = TERRITORIAL.includes(category);
    const [name, phone] = WORKERS[n % WORKERS.length];
    const area = courier ? (territorial ? '酒仙桥街道' : '朝阳街道') : '望京街道';
    const random = seededRandom(n + 1);
    // Urgent and critical cases come in the morning and move at the pace their hour-long clocks ask for.
    const registeredAt = daysAgo === 0
      ? new Date(until.getTime() - (90 + n) * 60_000)
      : workingMoment(new Date(until.getTime() - daysAgo * DAY_MS), 30 + Math.floor(random() * (urgency === 'normal' ? 400 : 60)));
    const input: RegisterInput = {
      worker: name ? { name, phone: phone!, workerType: courier ? 'courier' : 'delivery', platforms: [platform] }
        : { anonymous: true, workerType: courier ? 'courier' : 'delivery', platforms: [platform] },
      channel: (['station', 'online', 'hotline', 'visit'] as const)[n % 4], category, description, area, urgency,
      requestType: category === 'CON' ? 'consult' : category === 'LIV' ? 'help' : 'complaint',
      ...(territorial ? {} : { platform }),
      ...(category === 'ALG' ? { algorithm: {
        orderId: `${courier ? 'SF' : platform === '美团' ? 'MT' : 'ELM'}${String(2026_0000 + n * 37)}`, ruleVersion: 'dispatch-rules-v7.3',
        decidedAt: new Date(registeredAt.getTime() - DAY_MS).toISOString(),
      } } : {}),
    };
    const actors: Record<Exclude<Who, 'worker'>, Caller> = {
      liaison: callerAt(courier ? o.branchA : o.branchB), committee: callerAt(territorial ? streetOf(area) : committeeOf[platform]),
      officer: callerAt(departmentFor(input)), callback: callerAt(o.convener, 'callback'), mediator: callerAt(o.mediation),
    };
    const pace = urgency === 'urgent' ? 0.25 : 1;
    const steps = category === 'ALG' ? withHumanReview(STORIES[story]) : STORIES[story];
    return { input, actors, steps, pace, random, next: -1, at: registeredAt, caseId: '', reference: '', receiptCode: '', version: 0, done: false };
  });
  const caseOfDeadline = new Map<string, (typeof runs)[number]>();
  const refused: string[] = [];

  for (;;) {
    const run = runs.filter((r) => !r.done && r.at <= until).sort((a, b) => +a.at - +b.at)[0];
    timers.sort((a, b) => +a.at - +b.at);
    const timer = timers.length > 0 && timers[0].at <= until ? timers[0] : undefined;
    if (!run && !timer) break;
    if (timer && (!run || timer.at <= run.at)) {
      timers.shift();
      clock = timer.at;
      const { retryAt } = await engine.fireDeadline(timer.id, timer.rev, timer.kind);
      if (retryAt) timers.push({ ...timer, at: retryAt });
      const owner = caseOfDeadline.get(timer.id);
      if (owner) owner.version = (await engine.read(convener, owner.caseId)).version;
      continue;
    }
    clock = run!.at;
    try {
      let view: CaseView;
      if (run!.next < 0) {
        const registered = await engine.register(run!.actors.liaison, run!.input);
        Object.assign(run!, { reference: registered.reference, receiptCode: registered.receiptCode ?? '' });
        view = registered;
      } else {
        const [, who, made] = run!.steps[run!.next];
        const body = typeof made === 'function' ? made(o) : made;
        if (who === 'worker' && body.action === 'appeal') {
          // The worker has no account: the receipt code is their proof. The case as it stands after, for its new clock.
          await engine.workerAppeal(run!.reference, run!.receiptCode, { reason: body.reason });
          view = await engine.read(convener, run!.caseId);
        } else {
          view = await engine.act(run!.actors[who as Exclude<Who, 'worker'>], run!.caseId, run!.version, body);
        }
      }
      run!.caseId = view.id;
      run!.version = view.version;
      for (const d of view.deadlines) caseOfDeadline.set(d.id, run!);
    } catch (err) {
      refused.push(`${run!.input.description}: ${(err as Error).message}`);
      run!.done = true;
      continue;
    }
    run!.next++;
    if (run!.next >= run!.steps.length) run!.done = true;
    else {
      const minutes = run!.steps[run!.next][0] * 60 * run!.pace;
      run!.at = laterWorkingMoment(run!.at, minutes + Math.floor(run!.random() * Math.min(40, minutes / 4)));
    }
  }

  const final = await Promise.all(runs.filter((r) => r.caseId).map((r) => engine.read(convener, r.caseId)));
  // CaseView's state is typed string (src/cases/case-view.ts); the engine only writes the chart's states.
  const open = final.filter((c) => !isFinal(c.state));
  return {
    cases: final.length, days: HISTORY_DAYS, open: open.length,
    overdue: open.filter((c) => c.overdue).length, onMeetingAgenda: open.filter((c) => c.onMeetingAgenda).length, refused,
  };
}

/**
 * What came in this morning and waits: two workers' submissions from the first branch's QR code (a
 * grievance and a suggestion) in its 待核实 list, and a 12345 work order naming a platform, forwarded
 * to the platform's committee as it is handed over.
 */
async function todaysArrivals(runtime: Pick<Runtime, 'engineDeps' | 'storage'>, o: Orgs, until: Date) {
  // Delivered like the history's (marked so at the end): written now, sent to no one.
  const deps = { ...runtime.engineDeps, now: () => until, deliver: () => {} };
  const engine = createCaseEngine(deps);
  const submissions = createSubmissionService({
    ...deps, engine, storage: runtime.storage, limits: DEFAULT_ATTACHMENT_LIMITS, publicUrl: deps.publicUrl ?? '',
  });
  await submissions.submit({
    branchId: o.branchA.id, kind: 'grievance', category: 'PAY', workerType: 'courier', platform: '顺丰', area: '朝阳街道', phone: '13512340000',
    description: '站点扣下了上个月的全勤奖，说是系统考核不达标，但考核规则从没公示过',
  });
  await submissions.submit({
    branchId: o.branchA.id, kind: 'suggestion', workerType: 'courier', anonymous: true,
    description: '建议在朝阳街道快递集中的写字楼附近设置临时停车点，方便快递车辆装卸',
  });
  const [operator] = await deps.sql<{ id: string }[]>`select id from users where org_id = ${o.hotline.id} and role = 'hotline'`;
  await engine.registerOrder({ userId: operator.id, orgId: o.hotline.id, role: 'hotline' }, {
    orderNo: `12345-${until.toISOString().slice(0, 10).replaceAll('-', '')}-0001`, category: 'DED', platform: '饿了么', area: '望京街道',
    workerType: 'delivery', name: '孙师傅', phone: '13912340000',
    description: '来电反映：骑手因商家出餐慢被判超时，平台扣款 30 元，申诉被驳回',
  });
}

// ---------------------------------------------------------------------------------------------
// Working time (09:00–18:00 Asia/Shanghai on China's working days), for when people act.

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3600_000; // no daylight saving time in China
const OPEN_MIN = 9 * 60;
const CLOSE_MIN = 18 * 60;

const dayOf = (ms: number) => new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);
const at = (day: string, minutes: number) => shanghaiDayStart(day).getTime() + minutes * 60_000;
const isWorkday = (day: string) => chineseDays.isWorkday(day);

/** `minutes` into the working day that holds `t`, or the last working day before it. */
function workingMoment(t: Date, minutes: number): Date {
  let day = dayOf(t.getTime());
  while (!isWorkday(day)) day = dayOf(at(day, 0) - DAY_MS);
  return new Date(at(day, OPEN_MIN + Math.min(minutes, CLOSE_MIN - OPEN_MIN - 10)));
}

/** `minutes` of working time after `t`. */
function laterWorkingMoment(t: Date, minutes: number): Date {
  let ms = t.getTime();
  let left = minutes;
  for (;;) {
    const day = dayOf(ms);
    if (!isWorkday(day) || ms >= at(day, CLOSE_MIN)) {
      ms = at(dayOf(at(day, 0) + DAY_MS), OPEN_MIN);
      continue;
    }
    ms = Math.max(ms, at(day, OPEN_MIN));
    const room = (at(day, CLOSE_MIN) - ms) / 60_000;
    if (left <= room) return new Date(ms + left * 60_000);
    left -= room;
    ms = at(day, CLOSE_MIN);
  }
}

/** The same story at every seeding (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------

/** The demo user printed for each role: the ones whose units hold most of the demo cases. */
const SIGN_IN_USERS = ['李联络（第一支部）', '美团诉求专员', '市场监管局督办员', '社会工作部协调员', '社会工作部回访员', '12345 热线话务员'];

/**
 * One sign-in token per role. The database keeps only hashes, so the plain tokens come from
 * `saved` (user name → token, kept by the caller) and are reused while they still sign in that
 * user; a missing or revoked one is replaced by a new one.
 */
export async function demoTokens(sql: Sql, adminToken: string, saved: Record<string, string>): Promise<DemoToken[]> {
  const rows = await sql<{ id: string; name: string; role: Role; org: string }[]>`
    select u.id, u.name, u.role, o.name as org from users u join orgs o on o.id = u.org_id where u.name in ${sql(SIGN_IN_USERS)}`;
  rows.sort((a, b) => SIGN_IN_USERS.indexOf(a.name) - SIGN_IN_USERS.indexOf(b.name));
  const tokens: DemoToken[] = [];
  for (const user of rows) {
    const kept = saved[user.name];
    const works = kept && (await authenticate(sql, adminToken, `Bearer ${kept}`).then((c) => c.userId === user.id, () => false));
    tokens.push({ role: user.role, name: user.name, org: user.org, token: works ? kept : await issueToken(sql, user.id) });
  }
  return tokens;
}
