/** Coordination meetings (the convener's): agenda, decisions, minutes, exports and export jobs. */
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { inTransaction } from '../../../db/client.js';
import { createMeeting, decide, getMeeting, listMeetings, recordMinutes, type Meeting } from '../../meetings/coordination-meeting.js';
import { CONTENT_TYPES, EXPORT_FORMATS, writeMeetingExport, type ExportFormat } from '../../meetings/meeting-export.js';
import type { ExportJob } from '../../meetings/export-jobs.js';
import { CaseSchema, FileDownloadSchema, HotSpotSchema, errors } from '../schemas.js';
import { iso, period, requireRole } from '../request-helpers.js';
import { TIME_UNITS } from '../../../workflows/case-machine.js';
import type { App, AppDeps } from '../app.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
/** A file streamed back (xlsx, csv or md). */
const FileBody = FileDownloadSchema;
const MeetingId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['meetings 协调会'];

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

/** A meeting's export as a download: streamed now, or a finished job's file. */
function sendExport(reply: FastifyReply, meetingId: string, format: ExportFormat, body: Readable) {
  return reply.header('content-type', CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="meeting-${meetingId}.${format}"`)
    .send(body);
}

export async function meetingRoutes(app: App, { deps }: { deps: AppDeps }) {
  // Meetings and their exports are the convener's.
  app.addHook('preHandler', async (request) => requireRole(request, ['convener'], '协调会 '));


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
    const { from, to } = period({ from: request.body.periodFrom, to: request.body.periodTo });
    const meeting = await createMeeting(deps.sql, request.caller, { ...request.body, periodFrom: from, periodTo: to });
    return reply.status(201).send(meetingView(meeting));
  });

  app.get('/meetings', {
    schema: { tags, response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Str, title: Str, periodFrom: Str, periodTo: Str, createdAt: Str })) }), ...errors(401, 403) } },
  }, async (request) => {
    const rows = await listMeetings(deps.sql);
    return { items: rows.map((m) => ({ id: m.id, title: m.title, periodFrom: iso(m.periodFrom)!, periodTo: iso(m.periodTo)!, createdAt: iso(m.createdAt)! })) };
  });

  app.get('/meetings/:id', {
    schema: { tags, params: MeetingId, response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
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
    return decide(deps.sql, deps.engine, request.caller, request.params.id, request.body);
  });

  app.put('/meetings/:id/minutes', {
    schema: {
      tags, description: '会议纪要与参会人员 / minutes and attendees', params: MeetingId,
      body: Type.Object({ attendees: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }), minutes: Type.String({ maxLength: 50_000 }) }, { additionalProperties: false }),
      response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => {
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
    const meeting = await getMeeting(deps.sql, request.params.id);
    const format = request.query.format as ExportFormat;
    const out = new PassThrough();
    writeMeetingExport(deps.sql, meeting.id, format, out).catch((err) => {
      request.log.error({ err: String(err) }, 'export stream failed');
      out.destroy(err);
    });
    return sendExport(reply, meeting.id, format, out);
  });

  app.post('/meetings/:id/exports', {
    schema: {
      tags, description: '后台导出任务（大数据量，带进度；排队后由工作进程执行，文件保留 EXPORT_RETENTION_HOURS 小时）/ start an export job (large periods): it waits queued for a worker process; poll its progress, then download (files are kept EXPORT_RETENTION_HOURS hours)', params: MeetingId, body: Format,
      response: { 202: ExportJobSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const job = await deps.exports.start(request.caller, request.params.id, request.body.format as ExportFormat);
    return reply.status(202).send(exportView(job));
  });

  app.get('/exports/:id', {
    schema: { tags, params: MeetingId, response: { 200: ExportJobSchema, ...errors(400, 401, 403, 404) } },
  }, async (request) => {
    return exportView(await deps.exports.find(request.params.id));
  });

  app.get('/exports/:id/file', {
    schema: { tags, params: MeetingId, response: { 200: FileBody, ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    const job = await deps.exports.find(request.params.id);
    return sendExport(reply, job.meetingId, job.format, await deps.exports.file(job));
  });
}
