/**
 * The shapes of what callers send about cases: one schema serves validation, the OpenAPI
 * document and the engine's types.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { BadRequest } from '../errors.js';
import { USER_ACTIONS, type UserAction } from '../../workflows/case-machine.js';
import { RATINGS, REVIEW_OUTCOMES, SOLVED_ANSWERS, TIME_UNITS } from '../../workflows/case-rules.js';

export const WORKER_TYPES = ['courier', 'delivery', 'ride_hailing', 'freight', 'streamer', 'other'] as const;
const CHANNELS = ['station', 'online', 'hotline', 'visit', 'group', 'other'] as const;
export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export const REQUEST_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion'] as const;
export type WorkerType = (typeof WORKER_TYPES)[number];
export type Urgency = (typeof URGENCIES)[number];

/** A string enumeration (JSON Schema `enum`, so a refusal lists the allowed values). */
const oneOf = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Enum([...values] as T[number][], description ? { description } : {});
const text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });
const Amount = Type.Integer({ minimum: 1, maximum: 10_000 });
const Unit = oneOf(TIME_UNITS);

export const RegisterInputSchema = Type.Object({
  worker: Type.Object({
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '劳动者姓名（个人信息，按角色脱敏）' })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,19}$', description: '联系电话（个人信息，按角色脱敏）' })),
    anonymous: Type.Optional(Type.Boolean({ description: '匿名诉求：不保存姓名和电话' })),
    workerType: oneOf(WORKER_TYPES, '劳动者类型 / worker type'),
    platforms: Type.Array(text(50), { maxItems: 10, description: '劳动者服务的平台' }),
  }, { additionalProperties: false }),
  channel: oneOf(CHANNELS, '受理渠道 / channel'),
  category: Type.String({ pattern: '^[A-Z]{3}$', description: '诉求类别代码（GET /catalogue）/ catalogue code' }),
  subcategory: Type.Optional(Type.String({ pattern: '^[A-Z]{3}[0-9]{2}$', description: '子项代码（GET /catalogue）/ catalogue sub-item code' })),
  requestType: Type.Optional(oneOf(REQUEST_TYPES, '诉求性质：咨询/求助/投诉/举报/建议 / request type')),
  description: text(5000, '诉求内容 / what happened'),
  platform: Type.Optional(text(50, '涉及平台（须有平台党委）；属地类别不填 / platform with a committee; none for territorial categories')),
  area: Type.Optional(text(50, '街道或区域；属地类别据此选街道 / area; picks the street office for territorial categories')),
  urgency: oneOf(URGENCIES, '紧急程度 / urgency'),
  occurredAt: Type.Optional(Type.String({ format: 'date-time' })),
  algorithm: Type.Optional(Type.Object({
    orderId: text(100, '平台订单号 / the platform\'s order id'),
    ruleVersion: text(100, '平台适用的规则或模型版本 / the rule or model version applied'),
    decidedAt: Type.String({ format: 'date-time', description: '算法决定时间 / when the platform decided' }),
    amount: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000, description: '涉及金额（元）/ amount (CNY)' })),
  }, { additionalProperties: false, description: '算法类诉求（ALG）必填，其他类别不填 / required for ALG cases, refused for others' })),
}, { additionalProperties: false });
export type RegisterInput = Static<typeof RegisterInputSchema>;

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
  }, '合并到已有案件（编号或 id 二选一）/ merge into another case (its reference or its id)'),
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
    reason: text(2000),
  }, '分类整理：更正类别、紧急程度、劳动者类型、诉求性质；此后的时限按新值计算 / reclassify; later clocks use the new values'),
  add_cohandler: action('add_cohandler', {
    orgIds: Type.Array(Uuid(), { minItems: 1, maxItems: 10, uniqueItems: true, description: '会办部门 / co-handling departments' }), reason: text(2000),
  }, '横向联动：请其他部门会办，各有期限 / ask other departments for opinions, each with its own deadline'),
  contribute: action('contribute', { opinion: text(5000) }, '会办部门提交意见（一次）/ a co-handling department gives its opinion (once)'),
  human_review: action('human_review', {
    outcome: oneOf(REVIEW_OUTCOMES, 'upheld 维持 / revised 变更 / revoked 撤销 平台的算法决定'), explanation: text(5000),
  }, '算法决定的人工复核（ALG）/ human review of the algorithm\'s decision (ALG cases)'),
  assign_lead: action('assign_lead', { leadOrgId: Uuid(), amount: Amount, unit: Unit, decision: text(5000), meetingId: Type.Optional(Uuid('作出决定的协调会')) }, '协调会决定牵头单位 / meeting decision: lead unit and deadline'),
} satisfies Record<UserAction, TSchema>;

export type ActionBody = { [A in UserAction]: Static<(typeof ACTION_SCHEMAS)[A]> }[UserAction];

/** The envelope the route accepts; the action's own schema is checked next, to name the field at fault. */
export const ActionEnvelopeSchema = Type.Object({ action: oneOf(USER_ACTIONS, '操作 / action') }, { additionalProperties: true });

const validators = Object.fromEntries(
  Object.entries(ACTION_SCHEMAS).map(([name, schema]) => [name, Compile(schema)]),
) as Record<UserAction, ReturnType<typeof Compile>>;

export function parseActionBody(body: { action: UserAction } & Record<string, unknown>): ActionBody {
  const validator = validators[body.action];
  const [error] = validator.Errors(body).filter((e) => e.keyword !== 'boolean');
  if (error) {
    const extra = (error.params as { additionalProperties?: string[] }).additionalProperties;
    const field = extra ? extra.join(', ') : error.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'body';
    throw new BadRequest(`body.${field}: ${error.message} (action '${body.action}')`);
  }
  if (body.action === 'merge' && Boolean(body.intoCaseId) === Boolean(body.intoReference)) {
    throw new BadRequest('body.intoReference: 请填写目标案件编号（或 id，二选一）/ name the target case by intoReference or intoCaseId, one of them (action \'merge\')');
  }
  return body as ActionBody;
}
