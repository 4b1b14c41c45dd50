/** Configuration, for admins only: organisations, users and their tokens, routing rules, SLA policies. */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { requireRole } from '../request-helpers.js';
import { createOrg, createUser, listOrgs, orgOfType } from '../../orgs/org-store.js';
import { loadRoutingRules, replaceRoutingRules } from '../../routing/routing-rules.js';
import { SlaPolicySchema, loadSlaPolicies, replaceSlaPolicies } from '../../deadlines/sla-policies.js';
import { inTransaction } from '../../../db/client.js';
import { ROLES } from '../../../workflows/case-machine.js';
import { WORKER_TYPES } from '../../cases/case-types.js';
import { OrgSchema, errors } from '../schemas.js';
import type { App, AppDeps } from '../app.js';

const requireAdmin = (request: FastifyRequest) => requireRole(request, ['admin'], '配置 configuration ');

const OrgInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.Enum(['branch', 'platform', 'department', 'convener']),
  parentId: Type.Optional(Type.String({ format: 'uuid' })),
  platform: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  sectors: Type.Optional(Type.Array(Type.Enum([...WORKER_TYPES]), { maxItems: 10 })),
  areas: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 100 })),
  webhookUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
}, { additionalProperties: false });

const UserInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  orgId: Type.String({ format: 'uuid' }),
  role: Type.Enum([...ROLES]),
}, { additionalProperties: false });

const RoutingRule = Type.Object({
  step: Type.Enum(['forward', 'hand_off']),
  match: Type.Object({
    platform: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    workerType: Type.Optional(Type.Enum([...WORKER_TYPES])),
    category: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    area: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  }, { additionalProperties: false }),
  toOrgId: Type.String({ format: 'uuid' }),
}, { additionalProperties: false });

const SlaPolicy = SlaPolicySchema;

export async function adminRoutes(app: App, { deps }: { deps: AppDeps }) {
  const tags = ['configuration 配置'];

  app.post('/orgs', { schema: { tags, body: OrgInput, response: { 201: OrgSchema, ...errors(400, 401, 403) } } }, async (request, reply) => {
    requireAdmin(request);
    const org = await inTransaction(deps.sql, (tx) => createOrg(tx, request.body));
    return reply.status(201).send(org);
  });

  app.get('/me', {
    schema: {
      tags, description: '当前登录者 / who this token belongs to',
      response: { 200: Type.Object({ userId: Type.Union([Type.String(), Type.Null()]), name: Type.String(), role: Type.String(), orgId: Type.Union([Type.String(), Type.Null()]), orgName: Type.Union([Type.String(), Type.Null()]), orgType: Type.Union([Type.String(), Type.Null()]) }), ...errors(401) },
    },
  }, async (request) => {
    const { userId, role, orgId } = request.caller;
    if (!userId) return { userId, role, orgId, name: '管理员 Admin', orgName: null, orgType: null };
    const [me] = await deps.sql<{ name: string; orgName: string | null; orgType: string | null }[]>`
      select u.name, o.name as org_name, o.type as org_type from users u left join orgs o on o.id = u.org_id where u.id = ${userId}`;
    return { userId, role, orgId, ...me };
  });

  app.get('/orgs', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(OrgSchema) }), ...errors(401) } } },
    async () => ({ items: await listOrgs(deps.sql) }));

  app.get('/categories', {
    schema: {
      tags, description: '诉求目录 / grievance catalogue',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({
        code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), defaultDepartment: Type.String(),
        subItems: Type.Array(Type.Object({ zh: Type.String(), en: Type.String() })),
      })) }), ...errors(401) },
    },
  }, async () => ({
    items: await deps.sql<{ code: string; nameZh: string; nameEn: string; defaultDepartment: string; subItems: { zh: string; en: string }[] }[]>`
      select code, name_zh, name_en, default_department, sub_items from categories order by code`,
  }));

  app.post('/users', {
    schema: {
      tags, description: '令牌只显示这一次 / the token is shown once', body: UserInput,
      response: { 201: Type.Object({ id: Type.String(), name: Type.String(), orgId: Type.Union([Type.String(), Type.Null()]), role: Type.String(), token: Type.String() }), ...errors(400, 401, 403) },
    },
  }, async (request, reply) => {
    requireAdmin(request);
    const user = await inTransaction(deps.sql, (tx) => createUser(tx, request.body));
    return reply.status(201).send(user);
  });

  app.get('/routing-rules', { schema: { tags, response: { 200: Type.Array(RoutingRule), ...errors(401, 403) } } }, async (request) => {
    requireAdmin(request);
    return loadRoutingRules(deps.sql);
  });

  app.put('/routing-rules', {
    schema: { tags, description: '整体替换 / replaces the whole rule set', body: Type.Array(RoutingRule, { maxItems: 5000 }), response: { 200: Type.Array(RoutingRule), ...errors(400, 401, 403) } },
  }, async (request) => {
    requireAdmin(request);
    return inTransaction(deps.sql, async (tx) => {
      for (const [i, rule] of request.body.entries()) {
        await orgOfType(tx, rule.toOrgId, [rule.step === 'forward' ? 'platform' : 'department'], `body[${i}].toOrgId`);
      }
      await replaceRoutingRules(tx, request.body);
      return loadRoutingRules(tx);
    }).finally(() => deps.settings.routingRules.invalidate());
  });

  app.get('/sla-policies', { schema: { tags, response: { 200: Type.Array(SlaPolicy), ...errors(401, 403) } } }, async (request) => {
    requireAdmin(request);
    return loadSlaPolicies(deps.sql);
  });

  app.put('/sla-policies', {
    schema: { tags, description: '整体替换 / replaces the whole policy set', body: Type.Array(SlaPolicy, { maxItems: 5000 }), response: { 200: Type.Array(SlaPolicy), ...errors(400, 401, 403) } },
  }, async (request) => {
    requireAdmin(request);
    return inTransaction(deps.sql, async (tx) => {
      await replaceSlaPolicies(tx, request.body);
      return loadSlaPolicies(tx);
    }).finally(() => deps.settings.slaPolicies.invalidate());
  });
}
