/**
 * What a caller sees of a case. Workers' names and phones are personal information (PIPL):
 * only the liaison of the registering branch (who relays the outcome to the worker) sees them
 * in full, and each such read is recorded; everyone else sees them masked (138****1234), and
 * the numbers written into free text (description, resolution, the record's comments and
 * answers) masked too. An unmasked contact otherwise comes only from a reveal (src/privacy).
 */
import { Type, type Static } from 'typebox';
import type { CohandlerRow } from './case-plan.js';
import type { CaseRow } from './case-store.js';
import { actorOf, personalFieldsOf, type CaseEventRow, type PersonalKind } from './case-record.js';
import type { DeadlineRow } from '../deadlines/deadline-store.js';
import { maskFreeText, maskName, maskPhone, maskStrings } from '../privacy/masking.js';
import { LEVELS, STATES, STATE_LABELS } from '../../workflows/case-rules.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const NStr = Nullable(Type.String());

// One definition per answer: the OpenAPI response schemas and the view types below come from these.
export const DeadlineSchema = Type.Object({
  id: Str, step: Str, level: Str, orgId: Str, startedAt: Str, dueAt: Str, warnAt: Str,
  status: Type.Enum(['pending', 'paused', 'met', 'missed', 'cancelled']), closedAt: NStr,
  provisional: Type.Boolean({ description: '到期时间计入了尚未公布节假日安排的年份，公布后重算 / the due time counts days of a year whose official schedule is not loaded yet; recomputed when it is' }),
});

const caseFields = {
  id: Str, reference: Type.String({ description: '案件编号，如 SQ-2026-000123' }),
  state: Type.Enum([...STATES], { description: '状态机状态名 / statechart state' }), stateLabel: Str,
  level: Type.Enum([...LEVELS], { description: 'branch | platform | department' }),
  holderOrgId: Str, branchOrgId: Str, platformOrgId: NStr, departmentOrgId: NStr, supervisingOrgId: NStr,
  category: Str,
  subcategory: Type.Union([Type.String(), Type.Null()], { description: '目录子项代码 / catalogue sub-item code' }),
  requestType: Type.Union([Type.String(), Type.Null()], { description: 'consult | help | complaint | report | suggestion' }),
  platform: Type.Union([Type.String(), Type.Null()], { description: '属地案件（街道办理）为 null / null for territorial cases (a street office holds them)' }),
  area: NStr, urgency: Str, channel: Str,
  hotlineOrgId: Type.Union([Type.String(), Type.Null()], { description: '转办工单的 12345 热线 / the 12345 hotline whose work order the case is' }),
  hotlineOrderNo: Type.Union([Type.String(), Type.Null()], { description: '12345 热线工单号 / the hotline\'s work order number' }),
  algorithm: Type.Union([Type.Object({
    orderId: Str, ruleVersion: Str, decidedAt: Str, amount: Type.Optional(Type.Number()),
  }), Type.Null()], { description: '算法类诉求（ALG）的订单、规则版本、决定时间和金额 / ALG cases: the order, rule version, decision time and amount' }),
  humanReview: Type.Union([Type.Object({ outcome: Str, explanation: Str, at: Str }), Type.Null()], { description: '平台对算法决定的人工复核 / the committee\'s human review (ALG cases)' }),
  description: Type.String({ description: '电话和身份证号按角色脱敏 / phone and ID numbers masked unless the role needs them' }),
  occurredAt: NStr,
  worker: Type.Object({
    name: NStr, phone: NStr, anonymous: Type.Boolean(), workerType: Str, platforms: Type.Array(Str),
  }, { description: '个人信息按角色脱敏；完整联系方式请用 reveal / personal data masked unless the role needs it; see POST /cases/{id}/reveal' }),
  resolution: NStr, outcome: NStr, mergedInto: NStr, version: Type.Integer(),
  overdue: Type.Boolean(), dueAt: Type.Union([Type.String(), Type.Null()], { description: '当前环节到期时间 / due time of the running clock' }),
  supervised: Type.Boolean(), onMeetingAgenda: Type.Boolean(),
  assigneeUserId: Type.Union([Type.String(), Type.Null()], { description: '承办单位内的承办人（action assign）；案件离开本单位时清空 / the person of the holding unit the case is assigned to (action assign); cleared when the case leaves the unit' }),
  createdAt: Str, updatedAt: Str, closedAt: NStr,
};

export const CohandlerSchema = Type.Object({
  orgId: Str, orgName: Str, reason: Str, addedAt: Str,
  dueAt: Type.String({ description: '会办意见期限（contribute 时限）/ due time of the contribution' }),
  contributedAt: NStr, opinion: NStr,
});

export const CaseSummarySchema = Type.Object(caseFields);
export const CaseSchema = Type.Object({
  ...caseFields,
  holderOrgType: Type.Union([Type.String(), Type.Null()], { description: 'platform: 平台党委；territorial: 街道/镇（level 仍为 platform）/ at level platform: a platform committee or a street office' }),
  cohandlers: Type.Array(CohandlerSchema, { description: '横向联动的会办部门 / co-handling departments (横向联动)' }),
  deadlines: Type.Array(DeadlineSchema),
  allowedActions: Type.Array(Str, { description: '当前调用者可执行的操作 / actions this caller may send now' }),
  linkedOpenCases: Type.Optional(Type.Object({
    count: Type.Integer({ minimum: 0 }), references: Type.Array(Str),
    cases: Type.Array(Type.Object({ id: Str, reference: Str }), { description: '同上，附案件 id（便于链接）/ the same cases with their ids (for links)' }),
  }, { description: '劳动者同意识别身份时：同一劳动者在您范围内的其他未结诉求（仅编号，从不含电话）；未同意时不出现 / only when the worker consented (worker.consentToLink): the same worker\'s other open cases in your scope (references only, never the phone); absent otherwise. Liaisons and committees' })),
  actionTargets: Type.Object({
    forward: Type.Optional(Type.Array(Str)), transfer: Type.Optional(Type.Array(Str)), hand_off: Type.Optional(Type.Array(Str)), refer: Type.Optional(Type.Array(Str)),
  }, { additionalProperties: false, description: '对需指定单位的操作（当前可执行者），规则此刻接受的单位 id / for each action that names a unit and that this caller may send now, the unit ids the rules accept now' }),
}, { $id: 'Case' });

/** A registration's answer: the case plus the worker's receipt code, shown here only (and in the idempotent replay). */
export const RegisteredCaseSchema = Type.Object({
  ...CaseSchema.properties,
  receiptCode: Type.Optional(Type.String({ description: '回执码（6 位，仅此一次显示）：劳动者凭它查询进度 / the worker\'s receipt code (6 characters, shown once): their key to the public status page' })),
}, { $id: 'RegisteredCase' });

export const EventSchema = Type.Object({
  seq: Type.Integer(), at: Str,
  actor: Type.Object({ userId: Type.Optional(Str), orgId: Type.Optional(Str), system: Type.Optional(Str) }),
  action: Str, fromState: NStr, toState: Str, level: Str, holderOrgId: NStr,
  data: Type.Object({}, { additionalProperties: true, description: '按操作类型化的记录数据 / typed per action (schemaVersion 2)' }),
  schemaVersion: Type.Integer({ description: '1: written before the typed record; 2: typed data' }),
  prevHash: Type.String({ description: 'the previous event\'s hash; 64 zeros for the first' }),
  hash: Type.String({ description: 'hex SHA-256 of the RFC 8785 canonical JSON of {caseId, seq, at, actor, action, fromState, toState, level, data, prevHash}' }),
});

export type DeadlineView = Static<typeof DeadlineSchema>;
export type CohandlerView = CohandlerRow & { orgName: string };
export type CaseSummary = Static<typeof CaseSummarySchema>;
export type CaseView = Static<typeof CaseSchema>;
export type EventView = Static<typeof EventSchema>;


export function deadlineView(d: DeadlineRow): DeadlineView {
  return {
    id: d.id, step: d.step, level: d.level, orgId: d.orgId,
    startedAt: d.startedAt.toISOString(), dueAt: d.dueAt.toISOString(), warnAt: d.warnAt.toISOString(),
    status: d.status, closedAt: d.closedAt?.toISOString() ?? null, provisional: d.provisional,
  };
}

export function caseSummary(row: CaseRow, unmasked = false): CaseSummary {
  return {
    id: row.id,
    reference: row.reference,
    state: row.state,
    stateLabel: STATE_LABELS[row.state],
    level: row.level,
    holderOrgId: row.holderOrgId,
    branchOrgId: row.branchOrgId,
    platformOrgId: row.platformOrgId,
    departmentOrgId: row.departmentOrgId,
    supervisingOrgId: row.supervisingOrgId,
    category: row.category,
    subcategory: row.subcategory,
    requestType: row.requestType,
    platform: row.platform,
    area: row.area,
    urgency: row.urgency,
    channel: row.channel,
    hotlineOrgId: row.hotlineOrgId,
    hotlineOrderNo: row.hotlineOrderNo,
    algorithm: row.algorithm,
    humanReview: row.humanReview
      ? { outcome: row.humanReview.outcome, explanation: unmasked ? row.humanReview.explanation : maskFreeText(row.humanReview.explanation), at: row.humanReview.at }
      : null,
    description: unmasked ? row.description : maskFreeText(row.description),
    occurredAt: row.occurredAt?.toISOString() ?? null,
    worker: {
      name: unmasked ? row.workerName : maskName(row.workerName),
      phone: unmasked ? row.workerPhone : maskPhone(row.workerPhone),
      anonymous: row.anonymous,
      workerType: row.workerType,
      platforms: row.workerPlatforms,
    },
    resolution: unmasked ? row.resolution : maskFreeText(row.resolution),
    outcome: row.outcome,
    mergedInto: row.mergedInto,
    version: row.version,
    overdue: row.overdue,
    dueAt: row.dueAt?.toISOString() ?? null,
    supervised: row.supervised,
    onMeetingAgenda: row.onMeetingAgenda,
    assigneeUserId: row.assigneeUserId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}


export function caseView(
  row: CaseRow, deadlines: DeadlineRow[], allowedActions: string[], unmasked: boolean,
  more: { holderOrgType: string | null; cohandlers: CohandlerView[]; actionTargets: CaseView['actionTargets'] },
): CaseView {
  return {
    ...caseSummary(row, unmasked), deadlines: deadlines.map(deadlineView), allowedActions, actionTargets: more.actionTargets, holderOrgType: more.holderOrgType,
    cohandlers: more.cohandlers.map((h) => ({
      orgId: h.orgId, orgName: h.orgName, reason: h.reason, addedAt: h.addedAt.toISOString(), dueAt: h.dueAt.toISOString(),
      contributedAt: h.contributedAt?.toISOString() ?? null, opinion: unmasked ? h.opinion : maskFreeText(h.opinion),
    })),
  };
}


/** How a personal field shows to those who see contacts masked. */
const MASKS = {
  name: maskName, phone: maskPhone, text: maskFreeText,
  /** A file's name may be anyone's: only its extension shows. */
  file: (name: string | null) => (name === null ? null : `***${/\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? ''}`),
} satisfies Record<PersonalKind, (text: string | null) => string | null>;

/**
 * An event as the API shows it: the fields its hash covers, plus the holder and the hashes. Its
 * personal fields show their text (masked for those who see contacts masked; null once erased),
 * never their digests: the hashed form is `/audit/export`'s.
 */
export function eventView(e: CaseEventRow, unmasked = false): EventView {
  const personal = personalFieldsOf(e.action);
  const data: Record<string, unknown> = { ...(unmasked ? e.data : maskStrings(e.data)) as Record<string, unknown> };
  for (const [field, kind] of Object.entries(personal)) {
    if (!(field in data)) continue;
    const text = e.texts?.[field] ?? null;
    data[field] = unmasked ? text : MASKS[kind](text);
  }
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    actor: actorOf(e),
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    level: e.level,
    holderOrgId: e.holderOrgId,
    data,
    schemaVersion: e.schemaVersion,
    prevHash: e.prevHash ?? '',
    hash: e.hash ?? '',
  };
}

// The meeting export masks with the same rules.
export { maskName, maskPhone } from '../privacy/masking.js';
