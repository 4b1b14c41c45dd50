/** Answers about meetings and exports: one TypeBox schema each, from which the OpenAPI schema and the view type derive. */
import { Type, type Static } from 'typebox';
import type { Tx } from '../../db/client.js';
import { HotSpotSchema } from '../metrics/measures-view.js';
import { maskFreeText } from '../privacy/masking.js';
import type { ExportJob } from './export-jobs.js';
import type { Meeting, MeetingRow } from './coordination-meeting.js';
import { AGENDA_REASONS, LEVELS, STATES, TIME_UNITS } from '../../workflows/case-rules.js';
import { handlingCounts } from '../cases/case-record.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);

export const AgendaItemSchema = Type.Object({
  itemId: Str, caseId: Str, reference: Str, state: Type.Enum([...STATES]), level: Type.Enum([...LEVELS]), holderOrgId: Str, holderName: Str,
  category: Str, platform: Str, area: NStr, overdue: Type.Boolean(), dueAt: NStr,
  reasons: Type.Array(Type.Enum([...AGENDA_REASONS]), { description: '上会原因 / why the case is on the agenda' }),
  decision: Type.Union([Type.Object({ leadOrgId: Str, amount: Type.Integer(), unit: Type.Enum([...TIME_UNITS]), decision: Str, at: Str }), Type.Null()]),
  summary: Type.String({ description: '诉求摘要（前 80 字，个人信息已遮蔽）/ the grievance, first 80 characters, personal data masked' }),
  categoryName: Type.String({ description: '类别名称 / category name' }),
  overdueMinutes: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: '已超期分钟数；未超期为 null / minutes past the running clock; null when not overdue' }),
  returns: Type.Integer({ description: '退回次数 / times returned' }),
  transfers: Type.Integer({ description: '转办次数 / times transferred' }),
  reopenings: Type.Integer({ description: '不满意重办次数 / times reopened' }),
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

const SUMMARY_LENGTH = 80;
type AgendaFacts = { caseId: string; description: string; categoryName: string | null; returns: number; transfers: number; reopenings: number };

/** What the agenda shows per case beyond its state: what it is about and how often it went round. */
async function agendaFacts(tx: Tx, caseIds: string[]): Promise<Map<string, AgendaFacts>> {
  if (caseIds.length === 0) return new Map();
  const rows = await tx<AgendaFacts[]>`
    select c.id as case_id, c.description, k.name_zh as category_name,
      ${handlingCounts(tx)}
    from cases c left join categories k on k.code = c.category left join case_events e on e.case_id = c.id
    where c.id = any(${caseIds}) group by c.id, k.name_zh`;
  return new Map(rows.map((r) => [r.caseId, r]));
}

export async function meetingView(tx: Tx, m: Meeting, now = new Date()): Promise<MeetingView> {
  const facts = await agendaFacts(tx, m.agenda.map((a) => a.caseId));
  return {
    id: m.id, title: m.title, periodFrom: iso(m.periodFrom), periodTo: iso(m.periodTo), attendees: m.attendees,
    minutes: m.minutes, createdAt: iso(m.createdAt), hotSpots: m.hotSpots,
    agenda: m.agenda.map((a) => {
      const f = facts.get(a.caseId);
      const late = a.overdue && a.dueAt ? Math.max(0, Math.floor((now.getTime() - new Date(a.dueAt).getTime()) / 60_000)) : null;
      return {
        ...a, dueAt: a.dueAt ? iso(a.dueAt) : null, decision: a.decision ? { ...a.decision, at: iso(a.decision.at) } : null,
        summary: maskFreeText(f?.description ?? '').slice(0, SUMMARY_LENGTH), categoryName: f?.categoryName ?? a.category,
        overdueMinutes: late, returns: f?.returns ?? 0, transfers: f?.transfers ?? 0, reopenings: f?.reopenings ?? 0,
      };
    }),
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
