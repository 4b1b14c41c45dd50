/**
 * Every user action, declared once: the body a caller sends (API.md's table), as a TypeBox schema.
 * The HTTP route validates and documents it, the chart's events (case-machine.ts) and the record's
 * data (src/cases/case-record.ts) are derived from it, and every map keyed by action is
 * `satisfies Record<UserAction, …>`, so a new action missing anywhere fails `npm run typecheck`.
 * No xstate here.
 */
import { Type, type Static, type TSchema } from 'typebox';
import {
  RATINGS, REFERRAL_KINDS, REFERRAL_OUTCOMES, REQUEST_TYPES, REVIEW_OUTCOMES, SOLVED_ANSWERS, TIME_UNITS, URGENCIES, WORKER_TYPES,
} from './case-rules.js';

export const USER_ACTIONS = [
  'forward', 'resolve', 'withdraw', 'merge', 'accept', 'return', 'transfer',
  'request_info', 'resume', 'provide_info', 'request_extension', 'approve_extension', 'deny_extension',
  'hand_off', 'supervise', 'feedback', 'assign_lead', 'reclassify', 'add_cohandler', 'contribute', 'human_review',
  'refer', 'refer_outcome', 'appeal', 'assign',
] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

/** A string enumeration (JSON Schema `enum`, so a refusal lists the allowed values). */
export const oneOf = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Enum([...values] as T[number][], description ? { description } : {});
/**
 * Free text (a resolution, a reason, an answer, a comment, a note): personal data may be written
 * into it, so the record keeps it beside the chain and hashes only its keyed digest
 * (`x-personal`, read by src/cases/case-record.ts).
 */
export const text = (max: number, description?: string) =>
  Type.String({ minLength: 1, maxLength: max, 'x-personal': 'text', ...(description ? { description } : {}) });
const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });
const Amount = Type.Integer({ minimum: 1, maximum: 10_000 });
const Unit = oneOf(TIME_UNITS);

const action = <A extends UserAction, P extends Record<string, TSchema>>(name: A, props: P, description: string) =>
  Type.Object({ action: Type.Literal(name), ...props }, { additionalProperties: false, description, $id: `action_${name}` });

/** One body schema per action of API.md's table. */
export const ACTION_SCHEMAS = {
  forward: action('forward', { toOrgId: Type.Optional(Uuid('平台党委；省略时按路由规则')) }, '转交平台党委 / forward to the platform committee'),
  resolve: action('resolve', { resolution: text(5000) }, '办结 / resolve'),
  withdraw: action('withdraw', { reason: text(2000) }, '撤回 / withdraw'),
  merge: action('merge', {
    intoCaseId: Type.Optional(Uuid('目标案件 id')),
    intoReference: Type.Optional(Type.String({ pattern: '^SQ-[0-9]{4}-[0-9]{6}$', description: '目标案件编号，如 SQ-2026-000123 / the target case\'s reference' })),
  }, '合并到已有案件（编号或 id 二选一）；平台党委在平台层级可跨支部合并同一劳动者（双方均同意识别身份）的诉求 / merge into another case (its reference or its id); at L2 the committee merges one consenting worker\'s cases across branches'),
  accept: action('accept', {}, '受理 / accept'),
  return: action('return', { reason: text(2000) }, '退回支部 / return to the branch'),
  transfer: action('transfer', { toOrgId: Uuid(), reason: text(2000) }, '转同级单位 / transfer at the same level'),
  request_info: action('request_info', { question: text(2000) }, '补充材料（暂停计时）/ ask for information (clock pauses)'),
  resume: action('resume', { answer: text(5000) }, '恢复办理（继续计时）/ resume (clock restarts)'),
  provide_info: action('provide_info', { answer: text(5000) }, '支部联络员补充材料（继续计时）/ the branch liaison answers a request for information (clock restarts)'),
  request_extension: action('request_extension', { amount: Amount, unit: Unit, reason: text(2000) }, '申请延期 / ask the level above for more time'),
  approve_extension: action('approve_extension', { reason: Type.Optional(text(2000)) }, '批准延期 / approve the extension'),
  deny_extension: action('deny_extension', { reason: Type.Optional(text(2000)) }, '驳回延期 / deny the extension'),
  hand_off: action('hand_off', { toOrgId: Type.Optional(Uuid('主管部门；省略时按路由规则')), reason: text(2000) }, '移交主管部门 / hand off to the department'),
  supervise: action('supervise', { instructions: text(5000), amount: Amount, unit: Unit }, '督办 / supervision order back to the platform'),
  feedback: action('feedback', {
    rating: oneOf(RATINGS, '满意度 / satisfaction'),
    solved: Type.Optional(oneOf(SOLVED_ANSWERS, '问题是否解决 / was the problem solved')),
    comment: Type.Optional(text(2000)),
  }, '劳动者评价 / the worker\'s feedback'),
  reclassify: action('reclassify', {
    category: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    subcategory: Type.Optional(Type.String({ pattern: '^[A-Z]{3}[0-9]{2}$', description: '新类别的子项 / a sub-item of the (new) category' })),
    urgency: Type.Optional(oneOf(URGENCIES)), workerType: Type.Optional(oneOf(WORKER_TYPES)), requestType: Type.Optional(oneOf(REQUEST_TYPES)),
    platforms: Type.Optional(Type.Array(text(50), {
      minItems: 1, maxItems: 10, uniqueItems: true,
      description: '更正后的劳动者所服务平台（每个须有平台党委）；此后可转办给其中的平台 / the worker\'s platforms, corrected (each with a platform committee); a transfer may then go to any of them',
    })),
    reason: text(2000),
  }, '分类整理：更正类别、紧急程度、劳动者类型、诉求性质、劳动者所服务平台；此后的时限按新值计算 / reclassify; later clocks use the new values'),
  add_cohandler: action('add_cohandler', {
    orgIds: Type.Array(Uuid(), { minItems: 1, maxItems: 10, uniqueItems: true, description: '会办部门 / co-handling departments' }), reason: text(2000),
  }, '横向联动：请其他部门会办，各有期限 / ask other departments for opinions, each with its own deadline'),
  contribute: action('contribute', { opinion: text(5000) }, '会办部门提交意见（一次）/ a co-handling department gives its opinion (once)'),
  human_review: action('human_review', {
    outcome: oneOf(REVIEW_OUTCOMES, 'upheld 维持 / revised 变更 / revoked 撤销 平台的算法决定'), explanation: text(5000),
  }, '算法决定的人工复核（ALG）/ human review of the algorithm\'s decision (ALG cases)'),
  assign_lead: action('assign_lead', { leadOrgId: Uuid(), amount: Amount, unit: Unit, decision: text(5000), meetingId: Type.Optional(Uuid('作出决定的协调会')) }, '协调会决定牵头单位 / meeting decision: lead unit and deadline'),
  refer: action('refer', {
    toOrgId: Uuid('调解组织、法律援助、劳动仲裁或工会 / a mediation unit offering the kind, or a union'),
    kind: oneOf(REFERRAL_KINDS, '调解 / 法律援助 / 劳动仲裁 / 工会 (mediation, legal_aid, arbitration, union)'), reason: text(2000),
  }, '转介调解（矛盾调解、法律援助、劳动仲裁、工会）：承办单位的时限暂停，等待答复 / refer the case (mediation, legal aid, arbitration, a union): the holder\'s clock pauses until the answer'),
  refer_outcome: action('refer_outcome', {
    outcome: oneOf(REFERRAL_OUTCOMES, 'settled 已调解 / not_settled 未达成 / declined 不予受理'), note: text(5000),
  }, '受转介单位答复：承办单位继续计时，再办结或继续办理 / the referred unit\'s answer: the holder\'s clock resumes; it then resolves or goes on'),
  appeal: action('appeal', { reason: text(2000, '申诉理由 / why the worker appeals') },
    '劳动者申诉：未经本人评价而结案的，结案后 10 个工作日内可申诉一次，案件回到上一级重办 / the worker appeals a case closed without their own rating (once, within 10 working days): it reopens one level above the last resolver'),
  assign: action('assign', { userId: Uuid('本单位的在职人员 / an active user of the holding unit') }, '分派给本单位的承办人（不影响时限）/ assign the case to a person of the holding unit (no clock changes)'),
} satisfies Record<UserAction, TSchema>;

export type ActionBody = { [A in UserAction]: Static<(typeof ACTION_SCHEMAS)[A]> }[UserAction];
/** An action's body without its name: what the action says. */
export type BodyOf<A extends UserAction> = Omit<Static<(typeof ACTION_SCHEMAS)[A]>, 'action'>;

/** An action's body fields as schema properties (its name aside), for the record's data schema. */
export function bodyProperties(action: UserAction): Record<string, TSchema> {
  const { action: _name, ...fields } = ACTION_SCHEMAS[action].properties as Record<string, TSchema>;
  return fields;
}
