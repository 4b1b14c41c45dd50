/**
 * The worker's own pages' API: no bearer token, strictly rate-limited per client IP and per case
 * reference or link (429 with Retry-After). Status by reference + receipt code or phone last 4;
 * feedback (回访) through the one-time link sent when the case is resolved.
 */
import { Type } from 'typebox';
import type { CaseEngine } from '../../cases/case-engine.js';
import { BadRequest } from '../../errors.js';
import type { PublicStatusService } from '../../worker-access/public-status.js';
import { RECEIPT_CODE_PATTERN } from '../../worker-access/receipt-codes.js';
import { RATINGS, SOLVED_ANSWERS } from '../../../workflows/case-rules.js';
import { errors } from '../schemas.js';
import type { App } from '../app.js';
import type { Limits } from '../limits.js';

const tags = ['public 劳动者自助'];
const Str = Type.String();
const Named = (description: string) => Type.String({ description });

const PublicStatusSchema = Type.Object({
  reference: Str, state: Str, stateName: Named('状态中文名'), stateNameEn: Named('state, in English'),
  level: Str, levelName: Named('层级中文名'), levelNameEn: Named('level, in English'),
  category: Str, categoryName: Str, categoryNameEn: Str,
  registeredAt: Type.String({ format: 'date-time' }),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: '当前环节的办理期限 / when the current step is due' }),
  steps: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), what: Str, whatEn: Str })),
  next: Named('下一步 / what happens next (Chinese)'), nextEn: Named('what happens next (English)'),
  appealUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: '未经本人评价而结案的，可凭回执码申诉至此时（POST …/appeal）；否则 null / closed without the worker\'s own rating: they may appeal until then with the receipt code (POST …/appeal); else null',
  }),
}, { $id: 'PublicStatus', description: '劳动者可见的办理进度：无个人信息、无工作人员姓名 / what the worker sees: no personal data, no staff names' });

const FeedbackSubjectSchema = Type.Object({
  reference: Str, resolution: Type.Union([Str, Type.Null()], { description: '办理结果（个人号码打码）/ the resolution, personal numbers masked' }),
  state: Str, open: Type.Boolean({ description: 'false: 评价已由联络员记录 / feedback was already recorded' }),
  expiresAt: Type.String({ format: 'date-time' }),
  ratings: Type.Array(Str), solvedAnswers: Type.Array(Str),
});

const FeedbackBody = Type.Object({
  rating: Type.Enum([...RATINGS]),
  solved: Type.Enum([...SOLVED_ANSWERS], { description: '问题是否解决 / was the problem solved?' }),
  comment: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: '个人号码会被打码 / personal numbers are masked' })),
}, { additionalProperties: false });

const Token = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,64}$' }) });

export async function publicRoutes(app: App, { engine, status, limits }: { engine: CaseEngine; status: PublicStatusService; limits: Limits }) {
  app.get('/public/cases/:reference', {
    preHandler: (request) => limits.publicCalls(request, `case:${(request.params as { reference: string }).reference}`),
    schema: {
      tags, security: [], summary: '劳动者查询办理进度 / a worker looks up their case', operationId: 'publicCaseStatus',
      description: '凭受理编号加回执码（匿名者）或手机尾号 4 位查询；不符答 404；每 IP、每编号限流（429）/ by the reference plus the receipt code (anonymous workers) or the phone\'s last 4 digits; a mismatch answers 404; limited per IP and per reference (429).',
      params: Type.Object({ reference: Type.String({ minLength: 1, maxLength: 40 }) }),
      querystring: Type.Object({
        code: Type.Optional(Type.String({ pattern: RECEIPT_CODE_PATTERN, description: '回执码 / the receipt code (6 characters)' })),
        phoneLast4: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: '手机号后 4 位 / the last 4 digits of the phone' })),
      }, { additionalProperties: false }),
      response: { 200: PublicStatusSchema, ...errors(400, 404) },
    },
  }, async (request) => {
    const { code, phoneLast4 } = request.query;
    if ((code === undefined) === (phoneLast4 === undefined)) throw new BadRequest('code: 请提供回执码或手机尾号（二选一）/ give either code or phoneLast4');
    return status.lookup(request.params.reference, code !== undefined ? { code } : { phoneLast4: phoneLast4! });
  });

  app.post('/public/cases/:reference/appeal', {
    preHandler: (request) => limits.publicCalls(request, `case:${(request.params as { reference: string }).reference}`),
    schema: {
      tags, security: [], summary: '劳动者申诉 / the worker appeals a closed case', operationId: 'publicAppeal',
      description: '凭回执码；未经本人评价而结案（超时未评价，或由联络员/回访员评价）的，结案后 10 个工作日内可申诉一次，案件回到最后办结单位的上一级重办（部门办结的上协调会议程）。回执码不符 404；不能申诉 422 appeal_not_allowed / with the receipt code; a case closed without the worker\'s own rating (no feedback in time, or rated by someone else) may be appealed once within 10 working days of closing: it reopens one level above the last resolver (a department\'s goes on the meeting\'s agenda). A wrong code 404; not appealable 422 (appeal_not_allowed).',
      params: Type.Object({ reference: Type.String({ minLength: 1, maxLength: 40 }) }),
      querystring: Type.Object({ code: Type.String({ pattern: RECEIPT_CODE_PATTERN, description: '回执码 / the receipt code (6 characters)' }) }, { additionalProperties: false }),
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000, description: '申诉理由（个人号码会被打码）/ why (personal numbers are masked)' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ reference: Str, state: Str }), ...errors(400, 404, 422) },
    },
  }, async (request) => engine.workerAppeal(request.params.reference, request.query.code, request.body));

  app.get('/public/feedback/:token', {
    preHandler: (request) => limits.publicCalls(request, `link:${(request.params as { token: string }).token}`),
    schema: {
      tags, security: [], summary: '回访链接：评价对象 / what the feedback link is about', operationId: 'publicFeedbackSubject',
      description: '未知链接 404，已用或过期 410 / unknown link 404; used or expired 410 (code feedback_link_used / feedback_link_expired)',
      params: Token, response: { 200: FeedbackSubjectSchema, ...errors(400, 404, 410) },
    },
  }, async (request) => status.feedbackSubject(request.params.token));

  app.post('/public/feedback/:token', {
    preHandler: (request) => limits.publicCalls(request, `link:${(request.params as { token: string }).token}`),
    schema: {
      tags, security: [], summary: '劳动者本人评价 / the worker gives feedback', operationId: 'publicFeedback',
      description: '一次性链接；先到的评价（联络员或劳动者本人）结束回访，后到的答 422 feedback_already_recorded；已用或过期 410 / one-time link; the first feedback, the liaison\'s or the worker\'s, closes the step: the later one answers 422 (feedback_already_recorded); used or expired 410.',
      params: Token, body: FeedbackBody,
      response: { 200: Type.Object({ reference: Str, state: Str }), ...errors(400, 404, 410, 422) },
    },
  }, async (request) => engine.workerFeedback(request.params.token, request.body));
}
