/**
 * Who is told what (DOMAIN.md "Territory, people, evidence"), as data. The statechart decides
 * which unit a notification goes to (`notify {to, kind}`: the holder, the approver, the branch, the
 * supervisor, the clock's owner); this table says, per kind, which of that unit's users see it in
 * their notification centre, its title (Chinese first, English beside) and whether the competent
 * department is told at once as well. Titles and bodies carry the reference, never personal data.
 */
import type { NotificationKind } from '../../workflows/case-machine.js';
import { HOTLINE, type Role } from '../../workflows/case-rules.js';

/**
 * What a unit's notification centre shows: every kind the chart's `notify` names, and `urgent_case`
 * (the chart's `tellCompetentDepartment` effect, which the engine sends under that kind).
 */
export type InAppKind = NotificationKind | 'urgent_case' | OrderUpdateKind;

/**
 * What the unit whose work order brought a case in (a 12345 hotline) is told, so that its own order
 * (回单) follows the case: every change of level, and the close (any final state). It is a party told
 * like the registering branch, by the engine rather than by the chart (the chart knows no orders).
 */
export const ORDER_UPDATES = { levelChanged: 'order_level_changed', closed: 'order_closed' } as const;
export type OrderUpdateKind = (typeof ORDER_UPDATES)[keyof typeof ORDER_UPDATES];
/** A message to the worker (`worker_*`): SMS only, never in a unit's centre, never in a log line. */
export type WorkerMessageKind = `worker_${string}`;
/**
 * The worker messages the product sends, each with its SMS text: Chinese, short, saying what to do
 * (the reference and the link follow it). The one-time feedback link; the invitation to appeal a
 * closing that was not the worker's own rating.
 */
export const WORKER_MESSAGES = {
  worker_feedback_link: { sms: '您反映的诉求已办结，请点击链接评价办理结果' },
  worker_appeal_invitation: { sms: '您的诉求已结案。如不认可结果，请在10个工作日内凭回执码点击链接申诉' },
} as const satisfies Record<WorkerMessageKind, { sms: string }>;
export type WorkerMessage = keyof typeof WORKER_MESSAGES;
export const WORKER_MESSAGE_KINDS = Object.keys(WORKER_MESSAGES) as WorkerMessage[];
/** A message to a unit's channels about no one case: never in its centre. */
export const UNIT_MESSAGES = {
  record_anchor: { unit: 'every convener unit 协调会召集单位', title: '每日记录锚点（请留存，用于核验记录）/ the daily record anchor: keep it to verify the record' },
  dormant_unit: {
    unit: 'every convener unit 协调会召集单位',
    title: '挂牌不运行：单位有未结案件但 30 天无办理动作 / a unit holds open cases but has acted on none for 30 days',
  },
  // A worker's submission (src/submissions): not a case yet, so never in a unit's centre; its 待核实 list shows it.
  submission_warning: { unit: 'the branch 支部', title: '待核实提交临期（已用 80% 时限）/ a submission to verify: 80 % of the time is used' },
  submission_missed: { unit: 'the branch and its parent unit 支部及上级单位', title: '待核实提交已超期 / a submission was not verified in time' },
  submission_forwarded: { unit: 'every convener unit 协调会召集单位', title: '建言献策转来 / a worker\'s suggestion was forwarded to you' },
} as const satisfies Record<string, Omit<NotificationRule, 'role'>>;
export type UnitMessageKind = keyof typeof UNIT_MESSAGES;
export type NoteKind = InAppKind | WorkerMessageKind | UnitMessageKind;

export interface NotificationRule {
  /** The unit the chart names (documentation; the chart's `notify.to` decides). */
  unit: string;
  /** The unit's users who see it; null = every user of the unit. */
  role: Role | null;
  title: string;
}

export const WHO_IS_TOLD = {
  case_arrived: { unit: 'the unit the case reaches 案件到达的单位', role: null, title: '新案件到达 / a case arrived at your unit' },
  case_returned: { unit: 'the branch it returns to 被退回的支部', role: null, title: '案件被退回 / a case was returned to you' },
  urgent_case: {
    unit: 'the competent department (routing hand_off rule) 主管部门', role: null,
    title: '紧急/特急案件（可督办查看）/ an urgent or critical case: you may follow it as its supervisor',
  },
  deadline_warning: { unit: "the clock's owner 期限所属单位", role: null, title: '临期预警（已用 80% 时限）/ 80 % of the time is used' },
  deadline_missed: { unit: 'the holder 承办单位', role: null, title: '已超期 / a deadline was missed' },
  escalated: { unit: 'the supervising department 督办部门', role: null, title: '超期升级，请督办 / escalated to you for supervision' },
  extension_requested: { unit: 'the approver 审批单位', role: null, title: '延期申请待审批 / an extension request awaits you' },
  extension_decided: { unit: 'the holder 承办单位', role: null, title: '延期申请已有结果 / your extension request was decided' },
  info_requested: { unit: 'the registering branch 登记支部', role: 'liaison', title: '请补充信息 / information is requested from the branch' },
  info_provided: { unit: 'the holder 承办单位', role: null, title: '信息已补充 / the information was provided' },
  supervision_order: { unit: 'the platform ordered 被督办平台', role: null, title: '督办令 / a supervision order' },
  meeting_decision: { unit: 'the lead unit 牵头单位', role: null, title: '协调会决定由本单位牵头 / a meeting made your unit the lead' },
  cohandler_added: { unit: 'each co-handling department 协办部门', role: null, title: '请提出协办意见 / your opinion is asked as a co-handling department' },
  contribution_received: { unit: 'the lead department 牵头部门', role: null, title: '协办意见已提交 / a co-handling department gave its opinion' },
  referral_requested: { unit: 'the unit referred to 受转介单位', role: 'mediator', title: '转介调解待答复 / a case is referred to your unit' },
  referral_answered: { unit: 'the holder 承办单位', role: null, title: '转介已有答复，请继续办理 / the referral was answered: the case is yours again' },
  order_level_changed: { unit: 'the hotline whose order it is 转办工单的热线', role: HOTLINE.role, title: '工单办理层级变化 / your work order\'s case moved to another level' },
  order_closed: { unit: 'the hotline whose order it is 转办工单的热线', role: HOTLINE.role, title: '工单已办结，请回单 / your work order\'s case is closed: close your order' },
} as const satisfies Record<InAppKind, NotificationRule>;

export const IN_APP_KINDS = Object.keys(WHO_IS_TOLD) as InAppKind[];
/** Every kind the product puts in the outbox. */
export const NOTE_KINDS = [...IN_APP_KINDS, ...WORKER_MESSAGE_KINDS, ...(Object.keys(UNIT_MESSAGES) as UnitMessageKind[])];

/** The rule for a kind read back from a row (outbox, centre); null for a kind this version does not know. */
export function ruleFor(kind: string): NotificationRule | null {
  return Object.hasOwn(WHO_IS_TOLD, kind) ? WHO_IS_TOLD[kind as InAppKind] : null;
}

export const isUnitMessage = (kind: string): kind is UnitMessageKind => Object.hasOwn(UNIT_MESSAGES, kind);

/** Messages to workers (receipt, feedback link) go by SMS only, to the phone on the case, resolved at send time. */
export const isWorkerMessage = (kind: string): kind is WorkerMessageKind => kind.startsWith('worker_');
