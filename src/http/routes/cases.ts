/** Cases: register, read, list, act, the record, and the audited reveal. Thin: validate, call the engine or a service, shape. */
import { requireCapability } from '../../access/permissions.js';
import { Type } from 'typebox';
import { RegisteredCaseSchema, caseSummary } from '../../cases/case-view.js';
import { ACTION_SCHEMAS, PhoneSchema, RegisterInputSchema, parseActionBody } from '../../cases/case-types.js';
import { RevealedContactSchema } from '../../privacy/contact-reveal.js';
import { BadRequest } from '../../errors.js';
import { CaseSchema, CaseSummarySchema, EventSchema, errors } from '../schemas.js';
import { FINAL_STATES, LEVELS, STATES } from '../../../workflows/case-rules.js';
import { CASE_SORTS, SORT_ORDERS } from '../../cases/case-queries.js';
import { OPEN_CASE_REFERENCES, WORKER_MESSAGE_STATUSES } from '../../worker-loop/worker-loop.js';
import type { Api, App } from '../app.js';

const tags = ['cases 案件'];
const Count = (description: string) => Type.Integer({ minimum: 0, description });
const CaseListSchema = Type.Object({
  items: Type.Array(CaseSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: '下一页游标，null 为最后一页 / the next page\'s cursor; null on the last page' }),
  counts: Type.Union([Type.Object({
    total: Count('全部 / all'), open: Count('未终结 / not final'), overdue: Count('未终结且超期 / open and overdue'),
    dueSoon: Count('24 小时内到期（未超期）/ due within 24 h, not yet overdue'), waitingMe: Count('本单位承办中 / open and held by the caller\'s unit'),
    mine: Count('分派给我的未结案件 / open and assigned to the caller'),
    closed: Count(`已终结（办结、撤回、合并）/ final: ${FINAL_STATES.join(', ')}`),
  }, { description: '各桶数量，仅第一页（无 cursor）给出，之后为 null / cases per bucket; on the first page (no cursor), null on later pages' }), Type.Null()]),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * The actions endpoint's body: one of the `action_*` schemas, chosen by `action` (an OpenAPI
 * discriminator; Ajv validates only the chosen schema, so a refusal names the field at fault).
 */
const ActionBodySchema = Type.Unsafe<{ action: string } & Record<string, unknown>>({
  type: 'object',
  required: ['action'],
  discriminator: { propertyName: 'action' },
  oneOf: Object.keys(ACTION_SCHEMAS).map((name) => ({ $ref: `action_${name}#` })),
});

const OpenForWorkerSchema = Type.Object({
  count: Count('本支部此电话的未结诉求数 / the branch\'s open cases with this phone'),
  references: Type.Array(Type.String(), { description: `最近的至多 ${OPEN_CASE_REFERENCES} 个编号 / the newest ${OPEN_CASE_REFERENCES} references at most` }),
});
const WorkerMessagesSchema = Type.Object({
  items: Type.Array(Type.Object({
    kind: Type.String({ description: 'worker_feedback_link | worker_appeal_invitation' }),
    sms: Type.String({ description: '短信正文（编号与链接随后，链接不在此给出）/ the SMS text as sent (the reference and the link follow it; the link is never given here)' }),
    phone: Type.Union([Type.String(), Type.Null()], { description: '脱敏手机号 / the phone, masked' }),
    status: Type.Enum([...WORKER_MESSAGE_STATUSES], { description: 'sent 已发送 | pending 待发送 | failed 发送失败 | unsent 未发送（支部未配置短信通道）/ not sent: the branch has no SMS gateway' }),
    createdAt: Type.String({ format: 'date-time' }),
    sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }, { additionalProperties: false })),
});

export async function caseRoutes(app: App, { engine, caseQueries, limits, privacy, workerLoop }: Api) {
  app.post('/cases', {
    preHandler: limits.registrations,
    schema: {
      tags, summary: '登记诉求 / register a grievance', operationId: 'registerCase',
      description: '联络员登记；`Idempotency-Key` 使重试安全；每用户每分钟有登记上限（429）/ a liaison registers; `Idempotency-Key` makes retries safe; registrations per user per minute are limited (429).',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      body: RegisterInputSchema, response: { 201: RegisteredCaseSchema, ...errors(400, 401, 403, 422) },
    },
  }, async (request, reply) => {
    const answer = await engine.register(request.caller, request.body, request.headers['idempotency-key']);
    return reply.status(201).send(answer);
  });

  app.get('/cases', {
    preHandler: async (request) => { if ((request.query as { q?: string }).q) await limits.searches(request); },
    schema: {
      tags, summary: '案件列表 / list cases', operationId: 'listCases',
      description: [
        '仅本单位范围（承办、曾承办、督办的案件；召集人全部）。`sort=newest`（默认）按登记时间倒序；`sort=due` 按当前时限到期先后，无时限（已结、待回访）在后——队列用 `open=true&sort=due`，旧的未结案件不会被新的已结案件挡住；`sort=created|updated|reference` 与 `order=asc|desc` 按登记时间、最后更新、编号排序，游标分页稳定。',
        '`q` 匹配编号、诉求描述，4 位数字还匹配劳动者手机尾号；每用户每分钟有上限（429），超时答 503。`counts` 为各桶数量（本范围，按 level/holderOrgId/category/platform/assignee/q 筛选，不按 state/open/overdue）。',
        '/ Cases in the caller\'s scope (held, once held or supervised; a convener: all). `sort=newest` (default): newest registration first; `sort=due`: the running clock\'s due time, soonest first, cases without one (closed, awaiting feedback) last — queues use `open=true&sort=due`, so newer closed cases never hide older open ones; `sort=created|updated|reference` with `order=asc|desc` sort by registration, last change or reference, with stable cursor paging.',
        '`q` matches the reference, the description and, for 4 digits, the last 4 digits of the worker\'s phone; limited per user (429), times out (503: narrow the search). `counts`: cases per bucket in the scope, narrowed by level/holderOrgId/category/platform/assignee/q but not by state/open/overdue.',
      ].join(' '),
      querystring: Type.Object({
        state: Type.Optional(Type.Enum([...STATES])),
        level: Type.Optional(Type.Enum([...LEVELS])),
        holderOrgId: Type.Optional(Type.String({ format: 'uuid' })),
        overdue: Type.Optional(Type.Enum(['true', 'false'])),
        open: Type.Optional(Type.Enum(['true', 'false'], { description: `true: 未终结 / not final (${FINAL_STATES.join(', ')})` })),
        sort: Type.Optional(Type.Enum([...CASE_SORTS], {
          description: 'newest (default: registration, newest first) | due (soonest deadline first, none last) | created | updated | reference — 排序键 / the sort key',
        })),
        order: Type.Optional(Type.Enum([...SORT_ORDERS], {
          description: 'asc | desc; default: due, created, reference asc; newest, updated desc — 升序 / 降序. A cursor belongs to its sort and order',
        })),
        category: Type.Optional(Type.String({ maxLength: 10 })),
        assignee: Type.Optional(Type.String({
          pattern: '^(me|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$',
          description: 'me（我的）或用户 id：分派给该人员的案件 / `me` or a user id: the cases assigned to that person',
        })),
        platform: Type.Optional(Type.String({ maxLength: 50 })),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '编号、描述或手机尾号 4 位 / reference, description text, or the worker\'s phone last 4 digits' })),
        limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$', description: '1–100, default 20' })),
        cursor: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: CaseListSchema, ...errors(400, 401, 403, 503) },
    },
  }, async (request) => {
    requireCapability(request.caller, 'readCases');
    const { overdue, open, limit, ...rest } = request.query;
    const flag = (value?: 'true' | 'false') => (value === undefined ? undefined : value === 'true');
    const page = await caseQueries.listCases(request.caller, {
      ...rest, overdue: flag(overdue), open: flag(open), limit: limit ? Number(limit) : undefined,
    });
    return { items: page.items.map((row) => caseSummary(row)), nextCursor: page.nextCursor, counts: page.counts };
  });

  app.get('/cases/open-for-worker', {
    preHandler: limits.searches,
    schema: {
      tags, summary: '劳动者在本支部的未结诉求 / the worker\'s open cases in the branch', operationId: 'openCasesForWorker',
      description: '登记时的提示：本支部（仅本支部）未结诉求中电话相同（按数字比对）的数量与编号；不回显电话；每用户每分钟有上限（429）/ a hint while registering: the caller\'s own branch\'s open cases whose worker phone has the same digits (this branch only); the phone is never echoed; limited per user (429).',
      querystring: Type.Object({ phone: PhoneSchema }, { additionalProperties: false }),
      response: { 200: OpenForWorkerSchema, ...errors(400, 401, 403, 429) },
    },
  }, async (request) => workerLoop.openCasesOfWorker(request.caller, request.query.phone));

  app.get('/cases/:id', {
    schema: { tags, summary: '案件详情 / read a case', operationId: 'getCase', params: IdParams, response: { 200: CaseSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => engine.read(request.caller, request.params.id));

  app.post('/cases/:id/actions', {
    schema: {
      tags, summary: '执行操作 / act on a case', operationId: 'actOnCase',
      description: '对案件执行操作；需 `If-Match: <version>`；请求体按 `action` 取对应的 `action_*` 结构 / act on a case. `If-Match: <version>` is required. The body is the `action_*` schema named by `action`.',
      params: IdParams,
      headers: Type.Object({ 'if-match': Type.String({ pattern: '^(W/)?"?[0-9]{1,9}"?$', description: 'the case version you last read' }) }),
      body: ActionBodySchema,
      response: { 200: CaseSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const version = Number(request.headers['if-match'].replace(/[^0-9]/g, ''));
    if (!Number.isSafeInteger(version)) throw new BadRequest('If-Match: 需要案件版本号 / give the case version');
    const body = parseActionBody(request.body as Parameters<typeof parseActionBody>[0]);
    return engine.act(request.caller, request.params.id, version, body);
  });

  app.get('/cases/:id/events', {
    schema: {
      tags, summary: '办理记录 / the case record', operationId: 'listCaseEvents', description: '完整办理记录（从早到晚）/ the full record, oldest first',
      params: IdParams, response: { 200: Type.Object({ items: Type.Array(EventSchema) }), ...errors(400, 401, 403, 404) },
    },
  }, async (request) => ({ items: await caseQueries.caseRecord(request.caller, request.params.id) }));

  app.get('/cases/:id/worker-messages', {
    schema: {
      tags, summary: '劳动者收到的短信 / what the worker was told', operationId: 'listWorkerMessages',
      description: '发给劳动者的短信（评价链接、申诉告知）：何时、哪条、脱敏电话、是否已发送；从不给出链接 / the SMS messages to the worker (feedback link, appeal invitation): when, which text, the phone masked, sent or pending; never the link.',
      params: IdParams, response: { 200: WorkerMessagesSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => workerLoop.workerMessages(request.caller, request.params.id));

  app.post('/cases/:id/reveal', {
    schema: {
      tags, summary: '查看完整联系方式 / reveal the contact', operationId: 'revealContact',
      description: '登记支部联络员和当前承办单位可用，须写明理由，每次记录在案（GET /audit/reveals）；匿名诉求答 422 / for the registering branch\'s liaison and the current holder\'s users; the reason is logged (GET /audit/reveals); 422 for an anonymous grievance.',
      params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500, description: '查看理由 / why the contact is needed' }) }, { additionalProperties: false }),
      response: { 200: RevealedContactSchema, ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request) => privacy.reveal(request.caller, request.params.id, request.body.reason));
}
