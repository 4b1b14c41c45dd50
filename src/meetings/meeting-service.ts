/**
 * What the meeting routes call: one function per request, each checking that the caller is a
 * convener (meetings and their exports are the convener's) and answering the view.
 */
import { requireCapability, seesEveryCase } from '../access/permissions.js';
import { PassThrough, type Readable } from 'node:stream';
import type { Logger } from 'pino';
import { inTransaction, type Sql } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import type { Caller } from '../access/callers.js';
import type { CaseEngine } from '../cases/case-engine.js';
import type { CaseView } from '../cases/case-view.js';

import type { TimeUnit } from '../../workflows/case-rules.js';
import { createMeeting, decide, getMeeting, listMeetings, recordMinutes } from './coordination-meeting.js';
import type { ExportJobs } from './export-jobs.js';
import { writeMeetingExport, type ExportFormat } from './meeting-export.js';
import { exportJobView, meetingListView, meetingView, type ExportJobView, type MeetingListView, type MeetingView } from './meeting-view.js';

/** `read`: the meeting list, an agenda and a streamed export, on the read replica when there is one. */
export interface MeetingDeps { sql: Sql; read: ReadDatabase; engine: CaseEngine; exports: ExportJobs; log: Logger }

/** A file to send back: which meeting, in which format, and its bytes. */
export interface ExportDownload { meetingId: string; format: ExportFormat; body: Readable }

/** Whose items a reader sees: a convener every unit's (null), an officer its department's. */
const aboutUnit = (caller: Caller): string | null => (seesEveryCase(caller) ? null : caller.orgId);

function mustBeConvener(caller: Caller) {
  requireCapability(caller, 'runMeetings');
}

export function createMeetingService(deps: MeetingDeps) {
  return {
    async open(caller: Caller, input: { title: string; periodFrom: Date; periodTo: Date; attendees?: string[] }): Promise<MeetingView> {
      mustBeConvener(caller);
      return meetingView(deps.sql, await createMeeting(deps.sql, caller, input));
    },
    /** A convener reads every meeting; an officer those about its department, and only their items. */
    async list(caller: Caller): Promise<MeetingListView> {
      requireCapability(caller, 'readMeetings');
      return deps.read.read(async (sql) => meetingListView(await listMeetings(sql, aboutUnit(caller))), { reader: caller.userId });
    },
    async read(caller: Caller, id: string): Promise<MeetingView> {
      requireCapability(caller, 'readMeetings');
      return deps.read.read(async (sql) => meetingView(sql, await getMeeting(sql, id, aboutUnit(caller))), { reader: caller.userId });
    },
    async decide(caller: Caller, id: string, d: { caseId: string; leadOrgId: string; amount: number; unit: TimeUnit; decision: string }): Promise<CaseView> {
      mustBeConvener(caller);
      return decide(deps.sql, deps.engine, caller, id, d);
    },
    async recordMinutes(caller: Caller, id: string, m: { attendees: string[]; minutes: string }): Promise<MeetingView> {
      mustBeConvener(caller);
      await inTransaction(deps.sql, (tx) => recordMinutes(tx, id, m));
      return meetingView(deps.sql, await getMeeting(deps.sql, id));
    },
    /** The export streamed as it is written; a failure half-way ends the stream with the error. */
    async export(caller: Caller, id: string, format: ExportFormat): Promise<ExportDownload> {
      mustBeConvener(caller);
      const meeting = await getMeeting(deps.sql, id);
      const body = new PassThrough();
      // A stream cannot be run again on the primary half-way: the client is chosen once.
      const source = await deps.read.client({ reader: caller.userId });
      writeMeetingExport(source, meeting.id, format, body).catch((err) => {
        deps.log.error({ err: String(err) }, 'export stream failed');
        body.destroy(err);
      });
      return { meetingId: meeting.id, format, body };
    },
    async startExport(caller: Caller, id: string, format: ExportFormat): Promise<ExportJobView> {
      mustBeConvener(caller);
      return exportJobView(await deps.exports.start(caller, id, format));
    },
    async exportJob(caller: Caller, jobId: string): Promise<ExportJobView> {
      mustBeConvener(caller);
      return exportJobView(await deps.exports.find(jobId));
    },
    async exportFile(caller: Caller, jobId: string): Promise<ExportDownload> {
      mustBeConvener(caller);
      const job = await deps.exports.find(jobId);
      return { meetingId: job.meetingId, format: job.format, body: await deps.exports.file(job) };
    },
  };
}
export type MeetingService = ReturnType<typeof createMeetingService>;
