/**
 * The shapes of what callers send about cases: one schema serves validation, the OpenAPI
 * document and the engine's types. The actions' bodies are declared once, in
 * workflows/case-actions.ts, where the chart's events and the record's data are derived from them.
 */
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { BadRequest } from '../errors.js';
import { ACTION_SCHEMAS, USER_ACTIONS, oneOf, text, type ActionBody, type UserAction } from '../../workflows/case-actions.js';
import { REQUEST_TYPES, URGENCIES, WORKER_TYPES } from '../../workflows/case-rules.js';

export { ACTION_SCHEMAS, type ActionBody };

const CHANNELS = ['station', 'online', 'hotline', 'visit', 'group', 'other'] as const;

/** A worker's phone as typed (digits, spaces, dashes, a leading +). */
export const PhoneSchema = Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,19}$', description: '联系电话（个人信息，按角色脱敏）' });
export const RegisterInputSchema = Type.Object({
  worker: Type.Object({
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '劳动者姓名（个人信息，按角色脱敏）' })),
    phone: Type.Optional(PhoneSchema),
    anonymous: Type.Optional(Type.Boolean({ description: '匿名诉求：不保存姓名和电话' })),
    workerType: oneOf(WORKER_TYPES, '劳动者类型 / worker type'),
    platforms: Type.Array(text(50), { maxItems: 10, description: '劳动者服务的平台' }),
    consentToLink: Type.Optional(Type.Boolean({
      default: false,
      description: '劳动者同意在本平台多个诉求间识别其身份（默认否）：同意后保存电话的密钥摘要（不入记录链），联络员和平台党委可见其其他未结诉求，平台党委可跨支部合并 / the worker agrees to be recognised across their cases (default false): a keyed digest of the phone is kept (outside the record), the liaison and the committee see their other open cases, the committee may merge them across branches',
    })),
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

const registration = RegisterInputSchema.properties;
/**
 * A 12345 hotline's work order (POST /intake/hotline): the registration's fields it can know, by the
 * same schemas; the branch classifies what the order leaves out.
 */
export const HotlineOrderSchema = Type.Object({
  orderNo: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', description: '热线工单号（本热线内唯一）/ the hotline\'s work order number (unique per hotline)' }),
  description: registration.description,
  category: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: '诉求类别代码；不填为咨询（CON），由支部联络员分类 / catalogue code; none: an inquiry (CON) that the branch\'s liaison classifies' })),
  area: registration.area,
  platform: Type.Optional(text(50, '涉及平台（须有平台党委）：填写则立即转交平台 / a platform with a committee: the case is forwarded to it at once')),
  workerType: Type.Optional(registration.worker.properties.workerType),
  urgency: Type.Optional(registration.urgency),
  phone: registration.worker.properties.phone,
  name: registration.worker.properties.name,
}, { additionalProperties: false });
export type HotlineOrder = Static<typeof HotlineOrderSchema>;

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
