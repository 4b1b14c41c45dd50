/** Oversight, measures, coordination meetings and their exports. */
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { caseSummary, deadlineView } from '../../cases/case-view.js';
import { BadRequest, Conflict, Forbidden } from '../../errors.js';
import { inTransaction } from '../../../db/client.js';
import { oversightBoard } from '../../oversight/oversight-board.js';
import { hotSpots, unitMeasures } from '../../metrics/unit-measures.js';
import { createMeeting, decide, getMeeting, listMeetings, recordMinutes, type Meeting } from '../../meetings/coordination-meeting.js';
import { CONTENT_TYPES, EXPORT_FORMATS, writeMeetingExport, type ExportFormat } from '../../meetings/meeting-export.js';
import { findExportJob, startExportJob, type ExportJob } from '../../meetings/export-jobs.js';
import { CaseSchema, CaseSummarySchema, DeadlineSchema, errors } from '../schemas.js';
import { STATES, TIME_UNITS } from '../../../workflows/case-machine.js';
import type { App, AppDeps } from '../app.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const NNum = Type.Union([Type.Number(), Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
/** A file streamed back (xlsx, csv or md). */
const FileBody = Type.Unsafe<unknown>({ type: 'string', format: 'binary' });
const Period = { from: Type.Optional(DateTime), to: Type.Optional(DateTime) };

function period(q: { from?: string; to?: string }, defaultDays = 30) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - defaultDays * 86_400_000);
  if (!(from < to)) throw new BadRequest('from: 开始时间须早于结束时间 / from must be before to');
  return { from, to };
}

function requireRole(request: FastifyRequest, roles: string[], what: string) {
  if (!roles.includes(request.caller.role)) throw new Forbidden(`${what}仅限 ${roles.join('/')} / ${what.trim()} is for ${roles.join(', ')}`);
}

const LevelStay = Type.Object({ level: Str, orgId: Str, orgName: Str, enteredAt: Str, leftAt: NStr, hours: Type.Number() });
const OversightItem = Type.Object({
  ...CaseSummarySchema.properties,
  deadlines: Type.Array(DeadlineSchema),
  secondsLeft: Type.Union([Type.Integer(), Type.Null()], { description: '距到期秒数；负数为已超期 / seconds left; negative = overdue by' }),
  levelHistory: Type.Array(LevelStay),
});

const MeasureSchema = Type.Object({
  key: Str, label: Str, received: Type.Integer(), accepted_on_time: Type.Integer(), resolved: Type.Integer(),
  on_time: Type.Integer(), overdue: Type.Integer(), escalated: Type.Integer(), reopened: Type.Integer(),
  feedback: Type.Integer(), satisfied: Type.Integer(), response_rate: NNum, on_time_rate: NNum,
  resolution_rate: NNum, satisfaction_rate: NNum, avg_handling_hours: NNum,
});
const HotSpotSchema = Type.Object({ category: Str, platform: Str, area: Str, count: Type.Integer(), previous: Type.Integer(), growth: Type.Integer() });

const AgendaItemSchema = Type.Object({
  itemId: Str, caseId: Str, reference: Str, state: Str, level: Str, holderOrgId: Str, holderName: Str,
  category: Str, platform: Str, area: NStr, overdue: Type.Boolean(), dueAt: NStr, reasons: Type.Array(Str),
  decision: Type.Union([Type.Object({ leadOrgId: Str, amount: Type.Integer(), unit: Str, decision: Str, at: Str }), Type.Null()]),
});
const MeetingSchema = Type.Object({
  id: Str, title: Str, periodFrom: Str, periodTo: Str, attendees: Type.Array(Str), minutes: NStr, createdAt: Str,
  agenda: Type.Array(AgendaItemSchema), hotSpots: Type.Array(HotSpotSchema),
});
const ExportJobSchema = Type.Object({
  id: Str, meetingId: Str, format: Str, status: Str, progress: Type.Integer({ description: '0–100' }), error: NStr,
  downloadUrl: NStr, createdAt: Str,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
function meetingView(m: Meeting) {
  return {
    id: m.id, title: m.title, periodFrom: iso(m.periodFrom)!, periodTo: iso(m.periodTo)!, attendees: m.attendees,
    minutes: m.minutes, createdAt: iso(m.createdAt)!, hotSpots: m.hotSpots,
    agenda: m.agenda.map((a) => ({ ...a, dueAt: iso(a.dueAt), decision: a.decision ? { ...a.decision, at: iso(a.decision.at)! } : null })),
  };
}
function exportView(job: ExportJob) {
  return {
    id: job.id, meetingId: job.meetingId, format: job.format, status: job.status, progress: job.progress, error: job.error,
    downloadUrl: job.status === 'done' ? `/api/v1/exports/${job.id}/file` : null, createdAt: iso(job.createdAt)!,
  };
}

export async function oversightRoutes(app: App, { deps }: { deps: AppDeps }) {
  app.get('/oversight', {
    schema: {
      tags: ['oversight 督办'],
      description: '主管部门督办台账：所办理或督办的案件，最超期的在前 / the cases a department holds or supervises, most overdue first. Officers see their own department; conveners any (orgId) or all.',
      querystring: Type.Object({
        orgId: Type.Optional(Type.String({ format: 'uuid' })), ...Period, state: Type.Optional(Type.Enum([...STATES])),
        category: Type.Optional(Type.String({ maxLength: 10 })), platform: Type.Optional(Type.String({ maxLength: 50 })),
        area: Type.Optional(Type.String({ maxLength: 50 })),
        limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|1[0-9][0-9]|200)$', description: '1–200, default 50' })),
        offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(OversightItem) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    requireRole(request, ['officer', 'convener'], '督办台账 ');
    const q = request.query;
    if (request.caller.role === 'officer' && q.orgId && q.orgId !== request.caller.orgId) {
      throw new Forbidden('只能查看本部门的督办台账 / officers see their own department\'s board');
    }
    const orgId = request.caller.role === 'officer' ? request.caller.orgId : q.orgId ?? null;
    const entries = await oversightBoard(deps.sql, {
      orgId, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, state: q.state,
      category: q.category, platform: q.platform, area: q.area, limit: Number(q.limit ?? 50), offset: Number(q.offset ?? 0),
    });
    return {
      items: entries.map((e) => ({
        ...caseSummary(e.row), deadlines: e.deadlines.map(deadlineView), secondsLeft: e.secondsLeft,
        levelHistory: e.levelHistory.map((s) => ({ ...s, enteredAt: iso(s.enteredAt)!, leftAt: iso(s.leftAt) })),
      })),
    };
  });

  app.get('/metrics', {
    schema: {
      tags: ['measures 考核'],
      description: '考核指标（公式见 README）/ measures per unit, category, platform or area over a period (formulas in the README). Conveners see every unit; others their own unit\'s work.',
      querystring: Type.Object({ ...Period, groupBy: Type.Optional(Type.Enum(['org', 'category', 'platform', 'area'])) }, { additionalProperties: false }),
      response: { 200: Type.Object({ from: Str, to: Str, groupBy: Str, rows: Type.Array(MeasureSchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    requireRole(request, ['liaison', 'committee', 'officer', 'convener'], '考核指标 ');
    const { from, to } = period(request.query);
    const groupBy = request.query.groupBy ?? 'org';
    const rows = await unitMeasures(deps.sql, { from, to, groupBy, orgId: request.caller.role === 'convener' ? null : request.caller.orgId });
    return {
      from: from.toISOString(), to: to.toISOString(), groupBy,
      rows: rows.map((r) => ({
        key: r.key, label: r.label, received: r.received, accepted_on_time: r.acceptedOnTime, resolved: r.resolved,
        on_time: r.onTime, overdue: r.overdue, escalated: r.escalated, reopened: r.reopened, feedback: r.feedback,
        satisfied: r.satisfied, response_rate: r.responseRate, on_time_rate: r.onTimeRate, resolution_rate: r.resolutionRate,
        satisfaction_rate: r.satisfactionRate, avg_handling_hours: r.avgHandlingHours,
      })),
    };
  });

  app.get('/metrics/hotspots', {
    schema: {
      tags: ['measures 考核'], description: '热点：比上一等长期间增长的 类别×平台×区域 / clusters that grew against the previous period of the same length',
      querystring: Type.Object(Period, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(HotSpotSchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    requireRole(request, ['officer', 'convener'], '热点 ');
    const { from, to } = period(request.query);
    return { items: await hotSpots(deps.sql, from, to) };
  });

  const MeetingId = Type.Object({ id: Type.String({ format: 'uuid' }) });
  const tags = ['meetings 协调会'];

  app.post('/meetings', {
    schema: {
      tags, description: '召开协调会：按期间生成议程 / create a meeting; its agenda is built from the period\'s stuck cases',
      body: Type.Object({
        title: Type.String({ minLength: 1, maxLength: 200 }), periodFrom: DateTime, periodTo: DateTime,
        attendees: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
      }, { additionalProperties: false }),
      response: { 201: MeetingSchema, ...errors(400, 401, 403) },
    },
  }, async (request, reply) => {
    requireRole(request, ['convener'], '召开协调会');
    const { from, to } = period({ from: request.body.periodFrom, to: request.body.periodTo });
    const meeting = await createMeeting(deps.sql, request.caller, { ...request.body, periodFrom: from, periodTo: to });
    return reply.status(201).send(meetingView(meeting));
  });

  app.get('/meetings', {
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Str, title: Str, periodFrom: Str, periodTo: Str, createdAt: Str })) }), ...errors(401, 403) } },
  }, async (request) => {
    requireRole(request, ['convener'], '协调会');
    const rows = await listMeetings(deps.sql);
    return { items: rows.map((m) => ({ id: m.id, title: m.title, periodFrom: iso(m.periodFrom)!, periodTo: iso(m.periodTo)!, createdAt: iso(m.createdAt)! })) };
  });

  app.get('/meetings/:id', {
    schema: { tags, params: MeetingId, response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    requireRole(request, ['convener'], '协调会');
    return meetingView(await getMeeting(deps.sql, request.params.id));
  });

  app.post('/meetings/:id/decisions', {
    schema: {
      tags, description: '会议决定：议程案件的牵头单位和期限（即 assign_lead）/ a decision on an agenda case: new lead unit and deadline',
      params: MeetingId,
      body: Type.Object({
        caseId: Type.String({ format: 'uuid' }), leadOrgId: Type.String({ format: 'uuid' }),
        amount: Type.Integer({ minimum: 1, maximum: 10_000 }), unit: Type.Enum([...TIME_UNITS]), decision: Type.String({ minLength: 1, maxLength: 5000 }),
      }, { additionalProperties: false }),
      response: { 200: CaseSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (request) => {
    requireRole(request, ['convener'], '会议决定');
    return decide(deps.sql, deps.engine, request.caller, request.params.id, request.body);
  });

  app.put('/meetings/:id/minutes', {
    schema: {
      tags, description: '会议纪要与参会人员 / minutes and attendees', params: MeetingId,
      body: Type.Object({ attendees: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }), minutes: Type.String({ maxLength: 50_000 }) }, { additionalProperties: false }),
      response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => {
    requireRole(request, ['convener'], '会议纪要');
    await inTransaction(deps.sql, (tx) => recordMinutes(tx, request.params.id, request.body));
    return meetingView(await getMeeting(deps.sql, request.params.id));
  });

  const Format = Type.Object({ format: Type.Enum([...EXPORT_FORMATS]) }, { additionalProperties: false });

  app.get('/meetings/:id/export', {
    schema: {
      tags, description: '导出案件摘要（个人信息已脱敏）/ the meeting\'s case summaries, streamed; personal data masked. For large periods start an export job instead.',
      params: MeetingId, querystring: Format,
      response: { 200: FileBody, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    requireRole(request, ['convener'], '导出');
    const meeting = await getMeeting(deps.sql, request.params.id);
    const format = request.query.format as ExportFormat;
    const out = new PassThrough();
    writeMeetingExport(deps.sql, meeting.id, format, out).catch((err) => {
      request.log.error({ err: String(err) }, 'export stream failed');
      out.destroy(err);
    });
    return reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="meeting-${meeting.id}.${format}"`)
      .send(out);
  });

  app.post('/meetings/:id/exports', {
    schema: {
      tags, description: '后台导出任务（大数据量，带进度）/ start an export job (large periods): poll its progress, then download', params: MeetingId, body: Format,
      response: { 202: ExportJobSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    requireRole(request, ['convener'], '导出');
    const job = await startExportJob({ sql: deps.sql, dir: deps.exportDir, log: request.log as never }, request.caller, request.params.id, request.body.format as ExportFormat);
    return reply.status(202).send(exportView(job));
  });

  app.get('/exports/:id', {
    schema: { tags, params: MeetingId, response: { 200: ExportJobSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    requireRole(request, ['convener'], '导出');
    return exportView(await findExportJob(deps.sql, request.params.id));
  });

  app.get('/exports/:id/file', {
    schema: { tags, params: MeetingId, response: { 200: FileBody, ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    requireRole(request, ['convener'], '导出');
    const job = await findExportJob(deps.sql, request.params.id);
    if (job.status !== 'done' || !job.path) throw new Conflict(`导出尚未完成（${job.progress}%）/ the export is ${job.status} (${job.progress}%)`);
    const format = job.format as ExportFormat;
    return reply.header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="meeting-${job.meetingId}.${format}"`)
      .send(createReadStream(job.path));
  });
}
