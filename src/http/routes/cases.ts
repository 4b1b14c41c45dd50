/** Cases: register, read, list, act, and the record. Thin: validate, authorise, call the engine. */
import { Type } from 'typebox';
import { listCases } from '../../cases/case-queries.js';
import { eventsOf } from '../../cases/case-store.js';
import { caseSummary, eventView } from '../../cases/case-view.js';
import { ActionEnvelopeSchema, RegisterInputSchema, parseActionBody } from '../../cases/case-types.js';
import { BadRequest, Forbidden } from '../../errors.js';
import { CaseSchema, CaseSummarySchema, EventSchema, errors } from '../schemas.js';
import { STATES } from '../../../workflows/case-machine.js';
import type { App, AppDeps } from '../app.js';

const tags = ['cases 案件'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export async function caseRoutes(app: App, { deps }: { deps: AppDeps }) {
  const { engine } = deps;

  app.post('/cases', {
    schema: {
      tags, description: '登记诉求（联络员）/ register a grievance (liaison). `Idempotency-Key` makes retries safe.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      body: RegisterInputSchema, response: { 201: CaseSchema, ...errors(400, 401, 403, 422) },
    },
  }, async (request, reply) => {
    const answer = await engine.register(request.caller, request.body, request.headers['idempotency-key']);
    return reply.status(201).send(answer);
  });

  app.get('/cases', {
    schema: {
      tags, description: '案件列表（仅本单位范围）/ cases in the caller\'s scope, newest first',
      querystring: Type.Object({
        state: Type.Optional(Type.Enum([...STATES])),
        level: Type.Optional(Type.Enum(['branch', 'platform', 'department'])),
        holderOrgId: Type.Optional(Type.String({ format: 'uuid' })),
        overdue: Type.Optional(Type.Enum(['true', 'false'])),
        category: Type.Optional(Type.String({ maxLength: 10 })),
        platform: Type.Optional(Type.String({ maxLength: 50 })),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1–100, default 20' })),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(CaseSummarySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    if (request.caller.role === 'admin') throw new Forbidden('管理员只做配置 / admins configure; they do not read cases');
    const { overdue, limit, ...rest } = request.query;
    const page = await listCases(deps.sql, request.caller, {
      ...rest, overdue: overdue === undefined ? undefined : overdue === 'true', limit: limit ? Number(limit) : undefined,
    });
    return { items: page.items.map((row) => caseSummary(row)), nextCursor: page.nextCursor };
  });

  app.get('/cases/:id', {
    schema: { tags, params: IdParams, response: { 200: CaseSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => engine.read(request.caller, request.params.id));

  app.post('/cases/:id/actions', {
    schema: {
      tags,
      description: '对案件执行操作 / act on a case. `If-Match: <version>` is required. The body\'s fields depend on `action`: see the `action_*` schemas.',
      params: IdParams,
      headers: Type.Object({ 'if-match': Type.String({ pattern: '^(W/)?"?[0-9]{1,9}"?$', description: 'the case version you last read' }) }),
      body: ActionEnvelopeSchema,
      response: { 200: CaseSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const version = Number(request.headers['if-match'].replace(/[^0-9]/g, ''));
    if (!Number.isSafeInteger(version)) throw new BadRequest('If-Match: 需要案件版本号 / give the case version');
    const body = parseActionBody(request.body as Parameters<typeof parseActionBody>[0]);
    return engine.act(request.caller, request.params.id, version, body);
  });

  app.get('/cases/:id/events', {
    schema: { tags, description: '完整办理记录（从早到晚）/ the full record, oldest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(EventSchema) }), ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    const row = await engine.visibleCase(deps.sql, request.caller, request.params.id);
    return { items: (await eventsOf(deps.sql, row.id)).map(eventView) };
  });
}
