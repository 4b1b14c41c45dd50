/** The audit trails: admin changes, and reveals of workers' contacts. */
import { Type } from 'typebox';
import { ADMIN_ENTITIES, AdminChangeSchema } from '../../admin/admin-changes.js';
import { RevealLogSchema } from '../../privacy/contact-reveal.js';
import { errors } from '../schemas.js';
import { PeriodQuery, period } from '../request-helpers.js';
import type { Api, App } from '../app.js';

const tags = ['audit 审计'];

export async function auditRoutes(app: App, { configuration, privacy }: Api) {
  app.get('/audit/admin', {
    schema: {
      tags, summary: '配置变更记录 / admin changes', operationId: 'listAdminChanges',
      description: '单位、用户、令牌、规则、时限、日历、通知渠道的每次变更（最近的在前，默认 30 天）/ every change to units, users, tokens, rules, policies, calendar and channels, newest first (default: the last 30 days)',
      querystring: Type.Object({ ...PeriodQuery, entity: Type.Optional(Type.Enum([...ADMIN_ENTITIES])) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(AdminChangeSchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => ({ items: await configuration.adminChanges(request.caller, { ...period(request.query), entity: request.query.entity }) }));

  app.get('/audit/reveals', {
    schema: {
      tags, summary: '联系方式查看记录 / contact reveals', operationId: 'listReveals',
      description: '谁在何时以何理由查看了哪个案件的联系方式（协调员、管理员）/ who revealed which case\'s contact, when and why (conveners, admins)',
      querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(RevealLogSchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => ({ items: await privacy.reveals(request.caller, period(request.query)) }));
}
