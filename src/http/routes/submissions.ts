/**
 * Worker-direct intake (src/submissions): the worker's public calls (no token, limited per IP and
 * per phone or tracking code) and the branch liaison's 待核实 queue. Thin: validate, call the service, shape.
 */
import { Type } from 'typebox';
import { RegisteredCaseSchema } from '../../cases/case-view.js';
import {
  SubmissionInputSchema, SubmissionRegistrationSchema, TRACKING_CODE_PATTERN, type SubmissionService,
} from '../../submissions/submission-service.js';
import { SUBMISSION_KINDS, SUBMISSION_SOURCES, SUBMISSION_STATES } from '../../../workflows/submission-rules.js';
import { text } from '../../../workflows/case-actions.js';
import { errors } from '../schemas.js';
import type { App } from '../app.js';
import type { Limits } from '../limits.js';
import { AttachmentSchema, UploadBody, multipartValidator, receiveFile } from './attachments.js';

const publicTags = ['public 劳动者自助'];
const tags = ['submissions 待核实'];
const Str = Type.String();
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const State = Type.Enum([...SUBMISSION_STATES], { description: 'waiting 待核实 / registered 已登记为案件 / declined 未予登记 / forwarded 已转协调会召集单位' });
const TrackingCode = Type.Object({ trackingCode: Type.String({ pattern: TRACKING_CODE_PATTERN, description: '查询码（12 位）/ the tracking code (12 characters)' }) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const PublicStatusSchema = Type.Object({
  state: State,
  reference: Type.Optional(Type.String({ description: '登记后的案件编号 / the case reference, once registered' })),
  reason: Type.Optional(Type.String({ description: '未予登记的理由（个人号码打码）/ why it was declined (personal numbers masked)' })),
}, { description: '劳动者可见：无个人信息 / what the worker sees: no personal data' });

const IntakeFormSchema = Type.Object({
  branchId: Str, branchName: Str,
  categories: Type.Array(Type.Object({ code: Str, name: Str, nameEn: Str }), { description: '诉求类别（白话）/ the catalogue\'s categories, in plain words' }),
});

const SubmissionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }), kind: Type.Enum([...SUBMISSION_KINDS]), state: State, source: Type.Enum([...SUBMISSION_SOURCES]), branchId: Str,
  description: Type.String({ description: '劳动者原话（个人号码打码）/ the worker\'s words, personal numbers masked' }),
  category: Nullable(Str), phone: Nullable(Type.String({ description: '打码 / masked' })), anonymous: Type.Boolean(),
  workerType: Nullable(Str), platform: Nullable(Str), area: Nullable(Str),
  dueAt: Type.String({ format: 'date-time', description: 'l0_verify 期限 / when the l0_verify clock ends' }), warnAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(), caseId: Nullable(Str), reason: Nullable(Str), createdAt: Type.String({ format: 'date-time' }),
  attachments: Type.Array(Type.Object({ id: Str, name: Str, contentType: Str, size: Type.Integer() })),
}, { $id: 'Submission', description: '劳动者自助提交 / a worker\'s own submission' });

export async function publicSubmissionRoutes(app: App, { submissions, limits, maxUploadBytes }: {
  submissions: SubmissionService; limits: Limits; maxUploadBytes: number;
}) {
  app.get('/public/intake/:id', {
    preHandler: (request) => limits.publicCalls(request, `intake:${(request.params as { id: string }).id}`),
    schema: {
      tags: publicTags, security: [], summary: '自助提交页：支部与诉求类别 / the submission page: the branch and the categories', operationId: 'publicIntakeForm',
      description: '二维码或链接所指支部；未知或已撤销 404 / the branch of the QR code or link; unknown or inactive 404',
      params: IdParams, response: { 200: IntakeFormSchema, ...errors(400, 404) },
    },
  }, async (request) => submissions.intakeForm(request.params.id));

  app.post('/public/submissions', {
    // Per client IP, and per phone (an anonymous worker: per IP alone).
    preHandler: (request) => {
      const { phone } = (request.body ?? {}) as { phone?: string };
      return limits.publicCalls(request, phone ? `submit-phone:${phone.replace(/\D/g, '')}` : `submit-ip:${request.ip}`);
    },
    schema: {
      tags: publicTags, security: [], summary: '劳动者自助提交诉求或建议 / a worker submits a grievance or a suggestion', operationId: 'publicSubmit',
      description: '无需登录；进入支部待核实队列（l0_verify 时限），凭查询码查看进度；每 IP、每电话限流（429）；未知或已撤销的支部 404 / ' +
        'no token; lands in the branch\'s to-verify queue (l0_verify clock); followed by the tracking code; limited per IP and per phone (429); an unknown or inactive branch 404',
      body: SubmissionInputSchema,
      response: { 201: Type.Object({ trackingCode: Type.String({ description: '查询码（仅此一次显示）/ the tracking code (shown once)' }), state: State }), ...errors(400, 404) },
    },
  }, async (request, reply) => {
    const { trackingCode, state } = await submissions.submit(request.body);
    return reply.status(201).send({ trackingCode, state });
  });

  app.get('/public/submissions/:trackingCode', {
    preHandler: (request) => limits.publicCalls(request, `submission:${(request.params as { trackingCode: string }).trackingCode.toUpperCase()}`),
    schema: {
      tags: publicTags, security: [], summary: '查看自助提交的进度 / a worker follows their submission', operationId: 'publicSubmissionStatus',
      params: TrackingCode, response: { 200: PublicStatusSchema, ...errors(400, 404) },
    },
  }, async (request) => submissions.status(request.params.trackingCode));

  app.post('/public/submissions/:trackingCode/attachments', {
    validatorCompiler: multipartValidator,
    preHandler: (request) => limits.publicCalls(request, `submission:${(request.params as { trackingCode: string }).trackingCode.toUpperCase()}`),
    schema: {
      tags: publicTags, security: [], summary: '为自助提交添加照片或语音 / add a photo or voice note to a submission', operationId: 'publicSubmissionAttachment',
      consumes: ['multipart/form-data'],
      description: '与案件附件同样的检查（类型按内容、大小、像素、去除 EXIF）；已处理的提交 409 / the same checks as case attachments; once the submission is no longer waiting 409',
      params: TrackingCode, body: UploadBody,
      response: { 201: Type.Omit(AttachmentSchema, ['createdAt']), ...errors(400, 404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const saved = await receiveFile(request, maxUploadBytes, (upload) => submissions.attach(request.params.trackingCode, upload));
    return reply.status(201).send(saved);
  });
}

export async function submissionRoutes(app: App, { submissions, limits }: { submissions: SubmissionService; limits: Limits }) {
  app.addSchema(SubmissionSchema);
  const submissionRef = Type.Ref('Submission');

  app.get('/submissions', {
    schema: {
      tags, summary: '待核实队列 / the branch\'s to-verify queue', operationId: 'listSubmissions',
      description: '本支部联络员；最早的在前；电话打码 / the branch\'s liaison; oldest first; phones masked',
      querystring: Type.Object({ state: Type.Optional(State) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(submissionRef) }), ...errors(400, 401, 403) },
    },
  }, async (request) => ({ items: await submissions.list(request.caller, request.query.state) }));

  app.post('/submissions/:id/register', {
    // A registration like any other: counted against the liaison's registrations per minute.
    preHandler: limits.registrations,
    schema: {
      tags, summary: '核实并登记为案件 / verify and register as a case', operationId: 'registerSubmission',
      description: '登记内容的每个字段均可省略，省略时取自劳动者提交；渠道为 online；附件复制到案件；案件记录关联该提交；已处理 409 / ' +
        'every registration field may be left out and is then taken from the submission; channel online; the files are copied to the case; the case\'s record links the submission; once handled 409',
      params: IdParams, body: SubmissionRegistrationSchema,
      response: { 201: RegisteredCaseSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => reply.status(201).send(await submissions.register(request.caller, request.params.id, request.body)));

  app.post('/submissions/:id/decline', {
    schema: {
      tags, summary: '不予登记 / decline', operationId: 'declineSubmission',
      description: '理由在劳动者的查询页显示 / the worker sees the reason on the status page; once handled 409',
      params: IdParams, body: Type.Object({ reason: text(2000, '理由（劳动者可见）/ the reason (the worker sees it)') }, { additionalProperties: false }),
      response: { 200: submissionRef, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (request) => submissions.decline(request.caller, request.params.id, request.body.reason));

  app.post('/submissions/:id/forward-to-convener', {
    schema: {
      tags, summary: '建言献策转协调会召集单位 / forward a suggestion to the convener', operationId: 'forwardSubmissionToConvener',
      description: '只限建言献策（suggestion），诉求 422；召集单位收到消息 / suggestions only (a grievance 422); the convener units are told',
      params: IdParams, body: Type.Object({ note: Type.Optional(text(2000, '附言 / a note')) }, { additionalProperties: false }),
      response: { 200: submissionRef, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => submissions.forwardToConvener(request.caller, request.params.id, request.body.note));

  app.get('/orgs/:id/intake-qr', {
    schema: {
      tags, summary: '支部自助提交二维码海报 / the branch\'s printable intake poster', operationId: 'intakePoster',
      description: 'SVG，中文在先：支部名称、二维码与链接；本支部联络员或管理员；非支部 422，未知或已撤销 404 / ' +
        'SVG, Chinese first: the branch\'s name, the QR code and the link; the branch\'s liaison or an admin; not a branch 422; unknown or inactive 404',
      params: IdParams,
      response: { 200: Type.Unsafe<string>({ description: 'image/svg+xml', content: { 'image/svg+xml': { schema: { type: 'string' } } } }), ...errors(400, 401, 403, 404, 422) },
    },
  }, async (request, reply) => reply.type('image/svg+xml; charset=utf-8').send(await submissions.poster(request.caller, request.params.id)));
}
