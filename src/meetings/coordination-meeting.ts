/**
 * The periodic coordination meeting (诉求处理协调会). Its agenda is built from the period's stuck
 * cases; a decision is an `assign_lead` action through the case engine (so it becomes the case's
 * new lead and deadline and is recorded in the case's own record, tagged with the meeting's id).
 */
import type { Tx } from '../../db/client.js';
import { inTransaction, type Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import type { CaseEngine } from '../cases/case-engine.js';
import {
  ESCALATING_CLOCKS, FINAL_STATES, type AgendaReason, type CaseState, type Level, type TimeUnit,
} from '../../workflows/case-rules.js';
import { NotFound } from '../errors.js';
import { hotSpots } from '../metrics/unit-measures.js';
import type { HotSpot } from '../metrics/measures-view.js';
import { reopens } from '../cases/case-record.js';

/** The reasons the agenda query names itself (the rest are the record's reason codes, which the chart sets). */
const OVERDUE_L3: AgendaReason = 'overdue_l3';
const ESCALATED: AgendaReason = 'escalated';
const REOPENED: AgendaReason = 'reopened';

export interface MeetingRow {
  id: string; title: string; periodFrom: Date; periodTo: Date; attendees: string[]; minutes: string | null;
  createdBy: string; createdAt: Date;
}

export interface AgendaItem {
  itemId: string; caseId: string; reference: string; state: CaseState; level: Level; holderOrgId: string; holderName: string; supervisingOrgId: string | null;
  category: string; platform: string; area: string | null; overdue: boolean; dueAt: Date | null; reasons: AgendaReason[];
  decision: { leadOrgId: string; amount: number; unit: TimeUnit; decision: string; at: Date } | null;
}

export interface Meeting extends MeetingRow { agenda: AgendaItem[]; hotSpots: HotSpot[] }

export interface NewMeeting { title: string; periodFrom: Date; periodTo: Date; attendees?: string[] }

export async function createMeeting(sql: Sql, caller: Caller, input: NewMeeting): Promise<Meeting> {
  const id = await inTransaction(sql, (tx) => draftMeeting(tx, caller.userId!, input));
  return getMeeting(sql, id!);
}

/**
 * Writes a meeting and its agenda from the period's stuck cases. A schedule's meeting is written
 * once per period: a second draft of it (another worker, a later round) writes nothing and answers null.
 */
export async function draftMeeting(tx: Tx, createdBy: string, input: NewMeeting & { scheduleId?: string }): Promise<string | null> {
  const [meeting] = await tx<{ id: string }[]>`
    insert into meetings (title, period_from, period_to, attendees, created_by, schedule_id)
    values (${input.title}, ${input.periodFrom}, ${input.periodTo}, ${input.attendees ?? []}, ${createdBy}, ${input.scheduleId ?? null})
    on conflict (schedule_id, period_from) do nothing returning id`;
  if (!meeting) return null;
  const { periodFrom: from, periodTo: to } = input;
  await tx`
    insert into meeting_items (meeting_id, case_id, reasons)
    select ${meeting.id}, case_id, array_agg(distinct reason order by reason) from (
      -- Why the chart put a case on the agenda, from the record's typed reason codes: a missed L3
      -- step, a second return, a third transfer, a missed supervision order, a department's
      -- resolution rated dissatisfied; and every missed clock that escalates (the clock table's).
      select e.case_id, e.reason_code as reason from case_events e
        where e.reason_code is not null and e.at >= ${from} and e.at < ${to}
      union all
      select c.id, coalesce((select e.reason_code from case_events e where e.case_id = c.id and e.reason_code is not null
        order by e.seq desc limit 1), ${OVERDUE_L3}::text) from cases c where c.on_meeting_agenda
      union all
      select e.case_id, ${ESCALATED}::text from case_events e
        where e.action = 'deadline_missed' and e.step = any(${ESCALATING_CLOCKS}) and e.at >= ${from} and e.at < ${to}
      union all
      select e.case_id, ${REOPENED}::text from case_events e
        -- Rated dissatisfied, or appealed by the worker (申诉): reopened either way.
        where ${reopens(tx)} and e.at >= ${from} and e.at < ${to}
    ) stuck join cases c on c.id = stuck.case_id
    where c.state <> all(${FINAL_STATES})
    group by case_id`;
  return meeting.id;
}

/** Every meeting; with `aboutOrgId`, those whose agenda holds a case that unit holds or supervises. */
export async function listMeetings(tx: Tx, aboutOrgId: string | null = null): Promise<MeetingRow[]> {
  return tx<MeetingRow[]>`select * from meetings m
    ${aboutOrgId ? tx`where exists (select 1 from meeting_items i join cases c on c.id = i.case_id
      where i.meeting_id = m.id and ${aboutOrgId} in (c.holder_org_id, c.supervising_org_id))` : tx``}
    order by created_at desc limit 100`;
}

/** A meeting and its agenda; with `aboutOrgId`, only the items of cases that unit holds or supervises (none: 404). */
export async function getMeeting(tx: Tx, id: string, aboutOrgId: string | null = null): Promise<Meeting> {
  const [meeting] = await tx<MeetingRow[]>`select * from meetings where id = ${id}`;
  if (!meeting) throw new NotFound(`会议不存在 / no meeting '${id}'`);
  const agenda = (await agendaOf(tx, meeting.id)).filter((a) => !aboutOrgId || a.holderOrgId === aboutOrgId || a.supervisingOrgId === aboutOrgId);
  if (aboutOrgId && agenda.length === 0) throw new NotFound(`会议不存在 / no meeting '${id}'`);
  return { ...meeting, agenda, hotSpots: await hotSpots(tx, meeting.periodFrom, meeting.periodTo) };
}

async function agendaOf(tx: Tx, meetingId: string): Promise<AgendaItem[]> {
  return tx<AgendaItem[]>`
    select i.id as item_id, c.id as case_id, c.reference, c.state, c.level, c.holder_org_id, o.name as holder_name, c.supervising_org_id,
      c.category, c.platform, c.area, c.overdue, c.due_at, i.reasons,
      (select jsonb_build_object('leadOrgId', e.data->>'leadOrgId', 'amount', (e.data->>'amount')::int, 'unit', e.data->>'unit',
          'decision', e.texts->>'decision', 'at', e.at)
        from case_events e where e.case_id = c.id and e.action = 'assign_lead' and e.data->>'meetingId' = ${meetingId}
        order by e.seq desc limit 1) as decision
    from meeting_items i join cases c on c.id = i.case_id join orgs o on o.id = c.holder_org_id
    where i.meeting_id = ${meetingId}
    order by c.overdue desc, c.due_at nulls last, c.reference`;
}

/** A meeting decision on one agenda case: new lead unit and deadline, through the case engine. */
export async function decide(
  sql: Sql, engine: CaseEngine, caller: Caller, meetingId: string,
  d: { caseId: string; leadOrgId: string; amount: number; unit: TimeUnit; decision: string },
) {
  const [item] = await sql`select 1 from meeting_items where meeting_id = ${meetingId} and case_id = ${d.caseId}`;
  if (!item) throw new NotFound(`该案件不在本次会议议程中 / case '${d.caseId}' is not on this meeting's agenda`);
  const current = await engine.read(caller, d.caseId);
  return engine.act(caller, d.caseId, current.version, {
    action: 'assign_lead', leadOrgId: d.leadOrgId, amount: d.amount, unit: d.unit, decision: d.decision, meetingId,
  });
}

export async function recordMinutes(tx: Tx, meetingId: string, m: { attendees: string[]; minutes: string }): Promise<void> {
  const updated = await tx`update meetings set attendees = ${m.attendees}, minutes = ${m.minutes} where id = ${meetingId} returning id`;
  if (updated.length === 0) throw new NotFound(`会议不存在 / no meeting '${meetingId}'`);
}
