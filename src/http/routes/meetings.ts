/** Coordination meetings (the convener's): agenda, decisions, minutes, exports and export jobs. Validate, call the service, answer. */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { ExportDownload } from '../../meetings/meeting-service.js';
import { CONTENT_TYPES, EXPORT_FORMATS, type ExportFormat } from '../../meetings/meeting-export.js';
import { ExportJobSchema, MeetingListSchema, MeetingSchema } from '../../meetings/meeting-view.js';
import { NewScheduleSchema, ScheduleSchema } from '../../meetings/meeting-schedules.js';
import { CaseSchema, FileDownloadSchema, errors } from '../schemas.js';
import { period } from '../request-helpers.js';
import { TIME_UNITS } from '../../../workflows/case-rules.js';
import type { Api, App } from '../app.js';

const DateTime = Type.String({ format: 'date-time' });
/** A file streamed back (xlsx, csv or md). */
const FileBody = FileDownloadSchema;
const MeetingId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Format = Type.Object({ format: Type.Enum([...EXPORT_FORMATS]) }, { additionalProperties: false });
const tags = ['meetings 协调会'];

function sendFile(reply: FastifyReply, file: ExportDownload) {
  return reply.header('content-type', CONTENT_TYPES[file.format])
    .header('content-disposition', `attachment; filename="meeting-${file.meetingId}.${file.format}"`)
    .send(file.body);
}

export async function meetingRoutes(app: App, { meetings, meetingSchedules }: Api) {
  app.post('/meeting-schedules', {
    schema: {
      tags, summary: '定期召开协调会 / meetings on a schedule', operationId: 'createMeetingSchedule',
      description: '每月第一个工作日起草上月的协调会（议程同手动召开）；firstDay（默认今天）之前不起草；every 仅支持 month，否则 400 / ' +
        'on each month\'s first working day the meeting for the month before is drafted (its agenda built as a convener\'s own); nothing before firstDay (default today); every other than month: 400',
      body: NewScheduleSchema, response: { 201: ScheduleSchema, ...errors(400, 401, 403) },
    },
  }, async (request, reply) => reply.status(201).send(await meetingSchedules.create(request.caller, request.body)));

  app.get('/meeting-schedules', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(ScheduleSchema) }), ...errors(401, 403) } } },
    async (request) => meetingSchedules.list(request.caller));

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
    return reply.status(201).send(await meetings.open(request.caller, { ...request.body, periodFrom: from, periodTo: to }));
  });

  app.get('/meetings', { schema: { tags, response: { 200: MeetingListSchema, ...errors(401, 403) } } },
    async (request) => meetings.list(request.caller));

  app.get('/meetings/:id', { schema: { tags, params: MeetingId, response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) } } },
    async (request) => meetings.read(request.caller, request.params.id));

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
  }, async (request) => meetings.decide(request.caller, request.params.id, request.body));

  app.put('/meetings/:id/minutes', {
    schema: {
      tags, description: '会议纪要与参会人员 / minutes and attendees', params: MeetingId,
      body: Type.Object({ attendees: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }), minutes: Type.String({ maxLength: 50_000 }) }, { additionalProperties: false }),
      response: { 200: MeetingSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request) => meetings.recordMinutes(request.caller, request.params.id, request.body));

  app.get('/meetings/:id/export', {
    schema: {
      tags, description: '导出案件摘要（系统性问题在前；个人信息已脱敏）/ the meeting\'s case summaries, systemic issues first, streamed; personal data masked. For large periods start an export job instead.',
      params: MeetingId, querystring: Format,
      response: { 200: FileBody, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => sendFile(reply, await meetings.export(request.caller, request.params.id, request.query.format as ExportFormat)));

  app.post('/meetings/:id/exports', {
    schema: {
      tags, description: '后台导出任务（大数据量，带进度；排队后由工作进程执行，文件保留 EXPORT_RETENTION_HOURS 小时）/ start an export job (large periods): it waits queued for a worker process; poll its progress, then download (files are kept EXPORT_RETENTION_HOURS hours)', params: MeetingId, body: Format,
      response: { 202: ExportJobSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.status(202).send(await meetings.startExport(request.caller, request.params.id, request.body.format as ExportFormat)));

  app.get('/exports/:id', { schema: { tags, params: MeetingId, response: { 200: ExportJobSchema, ...errors(400, 401, 403, 404) } } },
    async (request) => meetings.exportJob(request.caller, request.params.id));

  app.get('/exports/:id/file', { schema: { tags, params: MeetingId, response: { 200: FileBody, ...errors(400, 401, 403, 404, 409) } } },
    async (request, reply) => sendFile(reply, await meetings.exportFile(request.caller, request.params.id)));
}
