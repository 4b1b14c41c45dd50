/** Configuration, for admins only: organisations, routing rules, SLA policies, the calendar. Thin: validate, call the service, shape. */
import { Type } from 'typebox';
import { SlaPolicySchema } from '../../deadlines/sla-policies.js';
import { WORKER_TYPES } from '../../../workflows/case-rules.js';
import { MeSchema } from '../../orgs/users.js';
import { OrgSchema } from '../../orgs/org-store.js';
import { SuccessionSchema } from '../../admin/configuration.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';
import { MEDIATION_SERVICES, ORG_TYPES, ROUTING_STEPS } from '../../../workflows/case-rules.js';

const Uuid = Type.String({ format: 'uuid' });
const IdParams = Type.Object({ id: Uuid });
const orgFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  parentId: Type.Optional(Uuid),
  sectors: Type.Optional(Type.Array(Type.Enum([...WORKER_TYPES]), { maxItems: 10 })),
  areas: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 100 })),
  services: Type.Optional(Type.Array(Type.Enum([...MEDIATION_SERVICES]), {
    uniqueItems: true, maxItems: MEDIATION_SERVICES.length,
    description: '调解组织提供的服务（调解、法律援助、劳动仲裁），必填 / what a mediation unit offers (required for type mediation)',
  })),
  webhookUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
  defaultBranchId: Type.Optional(Type.String({
    format: 'uuid', description: '12345 热线必填：区域无支部覆盖时登记工单的支部 / required for type hotline: the branch that registers an order whose area no branch covers',
  })),
};
const OrgInput = Type.Object({
  ...orgFields,
  type: Type.Enum([...ORG_TYPES], { description: 'territorial: 街道/镇，属地类别在 L2 办理 / a street or town office acting at L2 for territorial categories; union: 工会/群团; mediation: 调解组织、法律援助、劳动仲裁 (转介 referrals); hotline: 12345 热线（须填 defaultBranchId）/ a 12345 hotline (needs defaultBranchId)' }),
  platform: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
}, { additionalProperties: false });
const OrgPatch = Type.Object({
  ...orgFields, name: Type.Optional(orgFields.name),
  webhookUrl: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 500 }), Type.Null()], { description: 'null 取消该单位的 webhook / null removes the unit\'s webhook' })),
}, { additionalProperties: false, minProperties: 1 });
/** Checked at save (and again at send) by the outbound guard. */
const webhookRule = '`webhookUrl` 须为 https（http 仅限 OUTBOUND_ALLOW_HOSTS 所列主机）并指向公网地址，否则 400 `outbound_url_refused` / `webhookUrl` must be https (http only for a host in OUTBOUND_ALLOW_HOSTS) and reach a public address, else 400 `outbound_url_refused`';
const OrgInUse = Type.Object({
  statusCode: Type.Integer(), error: Type.String(), message: Type.String(),
  openCases: Type.Array(Type.Object({ id: Type.String(), reference: Type.String(), state: Type.String() })),
  routingRules: Type.Integer({ description: '指向该单位的路由规则数 / routing rules that name the unit' }),
}, { description: '单位仍有未结案件或路由规则，先转办 / the unit still holds open cases or routing rules: reassign them first' });

const RoutingRule = Type.Object({
  step: Type.Enum([...ROUTING_STEPS]),
  match: Type.Object({
    platform: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    workerType: Type.Optional(Type.Enum([...WORKER_TYPES])),
    category: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    area: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  }, { additionalProperties: false }),
  toOrgId: Uuid,
}, { additionalProperties: false });

const SlaPolicy = SlaPolicySchema;

const CalendarOverride = Type.Object({
  day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' }),
  kind: Type.Enum(['workday', 'holiday']),
  note: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

export async function adminRoutes(app: App, { configuration }: Api) {
  const tags = ['configuration 配置'];

  app.get('/me', {
    schema: { tags, summary: '当前登录者 / who this token belongs to', operationId: 'getMe', response: { 200: MeSchema, ...errors(401) } },
  }, async (request) => configuration.me(request.caller));

  app.get('/orgs', {
    schema: {
      tags, summary: '单位列表 / the units', operationId: 'listOrgs', description: '`webhookUrl` 仅管理员可见 / only admins see `webhookUrl`',
      response: { 200: Type.Object({ items: Type.Array(OrgSchema) }), ...errors(401) },
    },
  }, async (request) => ({ items: await configuration.orgs(request.caller) }));

  app.post('/orgs', {
    schema: { tags, summary: '新建单位 / create a unit', operationId: 'createOrg', description: webhookRule, body: OrgInput, response: { 201: OrgSchema, ...errors(400, 401, 403, 422) } },
  }, async (request, reply) => reply.status(201).send(await configuration.createOrg(request.caller, request.body)));

  app.patch('/orgs/:id', {
    schema: {
      tags, summary: '修改单位 / change a unit', operationId: 'updateOrg', description: `类型和平台不可改 / type and platform stay. ${webhookRule}`,
      params: IdParams, body: OrgPatch, response: { 200: OrgSchema, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => configuration.updateOrg(request.caller, request.params.id, request.body));

  app.delete('/orgs/:id', {
    schema: {
      tags, summary: '停用单位 / deactivate a unit', operationId: 'deactivateOrg',
      description: '单位仍承办未结案件或被路由规则指向时答 409 并列出 / 409 listing its open cases and routing rules until they are reassigned',
      params: IdParams, response: { 200: OrgSchema, 409: OrgInUse, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => configuration.deactivateOrg(request.caller, request.params.id));

  app.post('/orgs/:id/succession', {
    schema: {
      tags, summary: '单位撤并：移交承继单位 / a unit merges into its successor', operationId: 'succeedOrg',
      description: [
        '一个事务内把本单位的未结案件（承办、登记、督办等）、计时、路由规则、用户和通知渠道移交承继单位（同类型、在用），每件案件记录一条 succession 事件，然后停用本单位；记入管理审计。',
        '承继单位为本单位、已停用或类型不同答 422（field successorId）；单位不存在答 404；承继热线已有相同工单号答 409。',
        '/ In one transaction, every open case the unit plays a part in, its clocks, routing rules, users and channels move to the successor (active, same type),',
        'one `succession` event in each moved case\'s record; then the unit is deactivated; in the admin audit. A successor that is the unit, inactive or of another type: 422 (field successorId); unknown: 404; a successor hotline that has one of the open orders\' numbers already: 409.',
      ].join(' '),
      params: IdParams, body: Type.Object({ successorId: Uuid }, { additionalProperties: false }),
      response: { 200: SuccessionSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => configuration.succession(request.caller, request.params.id, request.body.successorId));

  app.get('/routing-rules', {
    schema: { tags, summary: '路由规则 / the routing rules', operationId: 'getRoutingRules', response: { 200: Type.Array(RoutingRule), ...errors(401, 403) } },
  }, async (request) => configuration.routingRules(request.caller));

  app.put('/routing-rules', {
    schema: {
      tags, summary: '替换路由规则 / replace the routing rules', operationId: 'replaceRoutingRules',
      description: '整体替换；目标单位须在用 / replaces the whole rule set; every target unit must be active (else 422)',
      body: Type.Array(RoutingRule, { maxItems: 5000 }), response: { 200: Type.Array(RoutingRule), ...errors(400, 401, 403, 422) },
    },
  }, async (request) => configuration.replaceRoutingRules(request.caller, request.body));

  app.get('/sla-policies', {
    schema: { tags, summary: '办理时限 / the SLA policies', operationId: 'getSlaPolicies', response: { 200: Type.Array(SlaPolicy), ...errors(401, 403) } },
  }, async (request) => configuration.slaPolicies(request.caller));

  app.put('/sla-policies', {
    schema: {
      tags, summary: '替换办理时限 / replace the SLA policies', operationId: 'replaceSlaPolicies', description: '整体替换 / replaces the whole policy set',
      body: Type.Array(SlaPolicy, { maxItems: 5000 }), response: { 200: Type.Array(SlaPolicy), ...errors(400, 401, 403) },
    },
  }, async (request) => configuration.replaceSlaPolicies(request.caller, request.body));

  app.get('/calendar-overrides', {
    schema: {
      tags, summary: '日历更正 / calendar overrides', operationId: 'getCalendarOverrides', description: '对官方节假日安排的更正 / corrections to the official calendar',
      response: { 200: Type.Array(CalendarOverride), ...errors(401, 403) },
    },
  }, async (request) => configuration.calendarOverrides(request.caller));

  app.put('/calendar-overrides', {
    schema: {
      tags, summary: '替换日历更正 / replace the calendar overrides', operationId: 'replaceCalendarOverrides',
      description: '整体替换；只更正单日，不会使未公布的年份变为已知 / replaces the whole set; corrects single days, never makes a year known (load a year with PUT /calendar/years/:year)',
      body: Type.Array(CalendarOverride, { maxItems: 2000 }), response: { 200: Type.Array(CalendarOverride), ...errors(400, 401, 403) },
    },
  }, async (request) => configuration.replaceCalendarOverrides(request.caller, request.body));
}
