/** Response schemas shared by the routes (every status a route sends is declared). */
import { Type } from 'typebox';
import type { App } from './app.js';

export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(), error: Type.String(), message: Type.String(),
}, { $id: 'Error', description: '错误 / error: the message names the field or rule at fault' });

const errorRef = Type.Ref('Error');
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, errorRef]));

/**
 * Every route of a scope may answer 429 (the failed sign-in limit blocks an IP before its token
 * is read); the OpenAPI document says so, with the Retry-After header.
 */
export function declareLimits(scope: App) {
  scope.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    const schema = (route.schema ??= {}) as { response?: Record<string, unknown> };
    schema.response = {
      ...schema.response,
      429: { ...errorRef, description: '请求过多，见 Retry-After / too many requests: retry after the Retry-After header (seconds)' },
      // Fastify refuses a path parameter longer than 100 characters before any route runs.
      ...(route.url.includes(':') ? { 414: { ...errorRef, description: '路径参数过长 / a path parameter is too long' } } : {}),
    };
  });
}

/** A file download: one binary body per content type it may come as (OpenAPI `content`). */
export const FileDownloadSchema = Type.Unsafe<unknown>({
  description: '文件下载 / the file, as the format asked for',
  content: Object.fromEntries(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv', 'text/markdown']
    .map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
});

/**
 * Client generators need an `operationId` and a `summary` on every operation: a route that names
 * none gets them from its method and path and from the first clause of its description.
 */
export function describeOperations(app: App) {
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide || typeof route.method !== 'string') return;
    const schema = (route.schema ??= {}) as { operationId?: string; summary?: string; description?: string };
    schema.operationId ??= route.method.toLowerCase() + route.url.replace(/^\/api\/v1/, '').split(/[/_-]/)
      .filter(Boolean).map((part) => (part.startsWith(':') ? `By${cap(part.slice(1))}` : cap(part))).join('');
    schema.summary ??= schema.description
      ? schema.description.split(' / ').map((side) => side.split(/[;；:：(（.。]/)[0].trim()).join(' / ')
      : `${route.method} ${route.url}`;
  });
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const NStr = Nullable(Type.String());

export const DeadlineSchema = Type.Object({
  id: Str, step: Str, level: Str, orgId: Str, startedAt: Str, dueAt: Str, warnAt: Str,
  status: Type.Enum(['pending', 'paused', 'met', 'missed', 'cancelled']), closedAt: NStr,
  provisional: Type.Boolean({ description: '到期时间计入了尚未公布节假日安排的年份，公布后重算 / the due time counts days of a year whose official schedule is not loaded yet; recomputed when it is' }),
});

const caseFields = {
  id: Str, reference: Type.String({ description: '案件编号，如 SQ-2026-000123' }),
  state: Type.String({ description: '状态机状态名 / statechart state' }), stateLabel: Str,
  level: Type.String({ description: 'branch | platform | department' }),
  holderOrgId: Str, branchOrgId: Str, platformOrgId: NStr, departmentOrgId: NStr, supervisingOrgId: NStr,
  category: Str, platform: Str, area: NStr, urgency: Str, channel: Str,
  description: Type.String({ description: '电话和身份证号按角色脱敏 / phone and ID numbers masked unless the role needs them' }),
  occurredAt: NStr,
  worker: Type.Object({
    name: NStr, phone: NStr, anonymous: Type.Boolean(), workerType: Str, platforms: Type.Array(Str),
  }, { description: '个人信息按角色脱敏；完整联系方式请用 reveal / personal data masked unless the role needs it; see POST /cases/{id}/reveal' }),
  resolution: NStr, outcome: NStr, mergedInto: NStr, version: Type.Integer(),
  overdue: Type.Boolean(), dueAt: Type.Union([Type.String(), Type.Null()], { description: '当前环节到期时间 / due time of the running clock' }),
  supervised: Type.Boolean(), onMeetingAgenda: Type.Boolean(),
  createdAt: Str, updatedAt: Str, closedAt: NStr,
};

export const CaseSummarySchema = Type.Object(caseFields);
export const CaseSchema = Type.Object({
  ...caseFields,
  deadlines: Type.Array(DeadlineSchema),
  allowedActions: Type.Array(Str, { description: '当前调用者可执行的操作 / actions this caller may send now' }),
}, { $id: 'Case' });

export const EventSchema = Type.Object({
  seq: Type.Integer(), at: Str,
  actor: Type.Object({ userId: Type.Optional(Str), orgId: Type.Optional(Str), system: Type.Optional(Str) }),
  action: Str, fromState: NStr, toState: Str, level: Str, holderOrgId: NStr,
  data: Type.Object({}, { additionalProperties: true, description: '按操作类型化的记录数据 / typed per action (schemaVersion 2)' }),
  schemaVersion: Type.Integer({ description: '1: written before the typed record; 2: typed data' }),
  prevHash: Type.String({ description: 'the previous event\'s hash; 64 zeros for the first' }),
  hash: Type.String({ description: 'hex SHA-256 of the RFC 8785 canonical JSON of {caseId, seq, at, actor, action, fromState, toState, level, data, prevHash}' }),
});

export { OrgSchema } from '../orgs/org-store.js';

export const HotSpotSchema = Type.Object({
  category: Str, platform: Str, area: Str, count: Type.Integer(), previous: Type.Integer(), growth: Type.Integer(),
});
