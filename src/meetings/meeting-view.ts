/** Answers about meetings and exports: one TypeBox schema each, from which the OpenAPI schema and the view type derive. */
import { Type, type Static } from 'typebox';
import { HotSpotSchema } from '../metrics/measures-view.js';
import type { ExportJob } from './export-jobs.js';
import type { Meeting, MeetingRow } from './coordination-meeting.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);

export const AgendaItemSchema = Type.Object({
  itemId: Str, caseId: Str, reference: Str, state: Str, level: Str, holderOrgId: Str, holderName: Str,
  category: Str, platform: Str, area: NStr, overdue: Type.Boolean(), dueAt: NStr, reasons: Type.Array(Str),
  decision: Type.Union([Type.Object({ leadOrgId: Str, amount: Type.Integer(), unit: Str, decision: Str, at: Str }), Type.Null()]),
});
export const MeetingSchema = Type.Object({
  id: Str, title: Str, periodFrom: Str, periodTo: Str, attendees: Type.Array(Str), minutes: NStr, createdAt: Str,
  agenda: Type.Array(AgendaItemSchema), hotSpots: Type.Array(HotSpotSchema),
});
export const MeetingListSchema = Type.Object({ items: Type.Array(Type.Object({ id: Str, title: Str, periodFrom: Str, periodTo: Str, createdAt: Str })) });
export const ExportJobSchema = Type.Object({
  id: Str, meetingId: Str, format: Str, status: Str, progress: Type.Integer({ description: '0–100' }), error: NStr,
  downloadUrl: NStr, createdAt: Str,
});

export type MeetingView = Static<typeof MeetingSchema>;
export type MeetingListView = Static<typeof MeetingListSchema>;
export type ExportJobView = Static<typeof ExportJobSchema>;

const iso = (d: Date | string) => new Date(d).toISOString();

export function meetingView(m: Meeting): MeetingView {
  return {
    id: m.id, title: m.title, periodFrom: iso(m.periodFrom), periodTo: iso(m.periodTo), attendees: m.attendees,
    minutes: m.minutes, createdAt: iso(m.createdAt), hotSpots: m.hotSpots,
    agenda: m.agenda.map((a) => ({
      ...a, dueAt: a.dueAt ? iso(a.dueAt) : null, decision: a.decision ? { ...a.decision, at: iso(a.decision.at) } : null,
    })),
  };
}

export function meetingListView(rows: MeetingRow[]): MeetingListView {
  return { items: rows.map((m) => ({ id: m.id, title: m.title, periodFrom: iso(m.periodFrom), periodTo: iso(m.periodTo), createdAt: iso(m.createdAt) })) };
}

export function exportJobView(job: ExportJob): ExportJobView {
  return {
    id: job.id, meetingId: job.meetingId, format: job.format, status: job.status, progress: job.progress, error: job.error,
    downloadUrl: job.status === 'done' ? `/api/v1/exports/${job.id}/file` : null, createdAt: iso(job.createdAt),
  };
}
