/** Response schemas shared by the routes (every status a route sends is declared). */
import { Type } from 'typebox';
import type { App } from './app.js';

export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(), error: Type.String(), message: Type.String(),
  code: Type.String({ description: 'stable name of the rule at fault, e.g. field_required, field_invalid, action_not_allowed, version_stale, not_found, rate_limited, database_unavailable' }),
  field: Type.Optional(Type.String({ description: 'the request field at fault, when one is (body.worker.phone, toOrgId, If-Match)' })),
}, { $id: 'Error', description: '错误 / error: the message names the field or rule at fault; `code` and `field` let pages show their own words' });

const errorRef = Type.Ref('Error');
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, errorRef]));

/**
 * Every route of a scope may answer 429 (the failed sign-in limit blocks an IP before its token
 * is read) and 503 while the database is away; the OpenAPI document says so, with the Retry-After header.
 */
export function declareLimits(scope: App) {
  scope.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    const schema = (route.schema ??= {}) as { response?: Record<string, unknown> };
    schema.response = {
      // Any route needs the database: while it is away the answer is 503 with Retry-After (a route's own 503 says more).
      503: { ...errorRef, description: '数据库暂不可用，见 Retry-After / the database is unavailable: retry after the Retry-After header (seconds)' },
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

export { CaseSchema, CaseSummarySchema, DeadlineSchema, EventSchema } from '../cases/case-view.js';

export { OrgSchema } from '../orgs/org-store.js';

