/**
 * Published schedules and the deadlines computed before they arrived.
 *
 * An admin loads a year's published schedule (`PUT /calendar/years/:year`); the year's source
 * becomes `override`. Whenever the calendar is reloaded and a year stopped being provisional —
 * that load, another process's load seen by the periodic reload, or a `chinese-days` upgrade seen
 * at start-up — every pending or paused provisional deadline is recomputed from its start
 * (clockTimes), one transaction per case, with a `deadline_recomputed` event by the system
 * `calendar` in the case's record. Its `rev` grows, so a job scheduled for the old time finds
 * nothing to do; the new wake-ups are scheduled after each commit.
 */
import type { Logger } from 'pino';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import { BadRequest } from '../errors.js';
import { requireAdmin } from '../access/permissions.js';
import type { Caller } from '../access/callers.js';
import { recordAdminChange } from '../admin/admin-changes.js';
import { lockCase } from '../cases/case-store.js';
import { chainEvents, insertEvents, type RecordKey } from '../cases/case-record.js';
import { clockTimes, type DeadlineRow, type Wakeup } from '../deadlines/deadline-store.js';
import { DUE_CLOCKS } from '../../workflows/case-rules.js';
import { listCalendarOverrides } from './calendar-overrides.js';
import { OFFICIAL_YEARS, WorkingCalendar, type WorkingHours, type YearSchedule, type YearSource } from './working-calendar.js';

const RECOMPUTE_BATCH = 200;
const RECOMPUTE_CONCURRENCY = 8;

export async function listCalendarYears(tx: Tx): Promise<Map<number, YearSchedule>> {
  const rows = await tx<{ year: number; holidays: string[]; workdays: string[] }[]>`
    select year, holidays::text[] as holidays, workdays::text[] as workdays from calendar_years order by year`;
  return new Map(rows.map((r) => [r.year, { holidays: r.holidays, workdays: r.workdays }]));
}

/** Checks and stores one year's published schedule (replacing an earlier load of the same year). */
export async function saveCalendarYear(tx: Tx, year: number, schedule: YearSchedule): Promise<void> {
  const seen = new Map<string, string>();
  for (const field of ['holidays', 'workdays'] as const) {
    for (const [i, day] of schedule[field].entries()) {
      const where = `${field}[${i}]`;
      const date = new Date(`${day}T00:00:00Z`);
      if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) throw new BadRequest(`${where}: 不是有效日期 / '${day}' is not a date`);
      if (Number(day.slice(0, 4)) !== year) throw new BadRequest(`${where}: ${day} 不在 ${year} 年 / ${day} is not in ${year}`);
      const before = seen.get(day);
      if (before) throw new BadRequest(`${where}: ${day} 已出现在 ${before} / ${day} already appears in ${before}`);
      seen.set(day, where);
    }
  }
  await tx`
    insert into calendar_years (year, holidays, workdays) values (${year}, ${schedule.holidays}::date[], ${schedule.workdays}::date[])
    on conflict (year) do update set holidays = excluded.holidays, workdays = excluded.workdays, loaded_at = now()`;
}

export interface YearStatus { year: number; source: YearSource }

/**
 * Each year a deadline may reach now: last year to next year, plus every loaded year. Read from
 * the database, so every process answers the same.
 */
export async function calendarStatus(tx: Tx, now = new Date()): Promise<YearStatus[]> {
  const loaded = new Set((await tx<{ year: number }[]>`select year from calendar_years`).map((r) => r.year));
  const thisYear = now.getUTCFullYear();
  const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, ...loaded])].sort((a, b) => a - b);
  return years.map((year) => ({ year, source: loaded.has(year) ? 'override' : OFFICIAL_YEARS.has(year) ? 'official' : 'provisional' }));
}

/** What the calendar routes call: the years' sources, and an admin's load of a year's published schedule. */
export function createCalendarService(deps: { sql: Sql; reloadCalendar: () => Promise<{ recomputed: number }> }) {
  return {
    calendarStatus: () => calendarStatus(deps.sql),
    /** The schedule and its admin-log row in one transaction; after commit, the reload recomputes the provisional deadlines. */
    saveCalendarYear: async (caller: Caller, year: number, schedule: YearSchedule): Promise<{ recomputed: number }> => {
      requireAdmin(caller, '日历 calendar');
      await inTransaction(deps.sql, async (tx) => {
        await saveCalendarYear(tx, year, schedule);
        await recordAdminChange(tx, { actor: caller, entity: 'calendar', entityId: String(year), action: 'load_year', details: { holidays: schedule.holidays.length, workdays: schedule.workdays.length } });
      });
      return deps.reloadCalendar();
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;

export async function loadWorkingCalendar(tx: Tx, hours?: WorkingHours): Promise<WorkingCalendar> {
  const overrides = await listCalendarOverrides(tx);
  return new WorkingCalendar(new Map(overrides.map((d) => [d.day, d.kind])), hours, await listCalendarYears(tx));
}

export interface CalendarSourceDeps {
  sql: Sql;
  hours?: WorkingHours;
  /** After commit: make sure the scheduler wakes up for these deadline revisions. */
  wake: (wakeups: Wakeup[]) => Promise<void>;
  log: Logger;
  /** The key of the record's digests of personal fields: every event goes through the one record writer. */
  recordKey: RecordKey;
  now?: () => Date;
}

/** The process's current calendar, and its reload (which recomputes deadlines when a year became known). */
export function createCalendarSource(deps: CalendarSourceDeps) {
  let calendar: WorkingCalendar | null = null;
  let known = '';
  let recomputing: Promise<number> = Promise.resolve(0);

  async function reload(): Promise<{ recomputed: number }> {
    const next = await loadWorkingCalendar(deps.sql, deps.hours);
    const nextKnown = [...(await listCalendarYears(deps.sql)).keys()].join(',');
    const first = calendar === null;
    const changed = nextKnown !== known;
    calendar = next;
    known = nextKnown;
    if (!first && !changed) return { recomputed: 0 };
    // One recompute at a time per process; a second reload waits for the first and runs again.
    recomputing = recomputing.catch(() => 0).then(() => recomputeProvisionalDeadlines({ ...deps, calendar: next }));
    const recomputed = await recomputing;
    if (recomputed > 0) deps.log.info({ recomputed, years: nextKnown }, 'provisional deadlines recomputed');
    return { recomputed };
  }

  return {
    reload,
    current(): WorkingCalendar {
      if (!calendar) throw new Error('calendar not loaded yet: call reload() first');
      return calendar;
    },
  };
}
export type CalendarSource = ReturnType<typeof createCalendarSource>;

/** Recomputes every pending or paused provisional deadline; returns how many moved or stopped being provisional. */
export async function recomputeProvisionalDeadlines(deps: CalendarSourceDeps & { calendar: WorkingCalendar }): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let recomputed = 0;
  for (;;) {
    // A read first: a process start or a reload that changes nothing locks no case.
    const batch = await deps.sql<DeadlineRow[]>`
      select * from deadlines
      where provisional and status in ('pending', 'paused') and amount is not null and case_id in (
        select distinct case_id from deadlines where provisional and status in ('pending', 'paused') and case_id > ${after}
        order by case_id limit ${RECOMPUTE_BATCH})
      order by case_id`;
    if (batch.length === 0) return recomputed;
    after = batch[batch.length - 1].caseId;
    const queue = [...new Set(batch.filter((d) => recomputedTimes(deps.calendar, d) !== null).map((d) => d.caseId))];
    const wakeups: Wakeup[] = [];
    await Promise.all(Array.from({ length: RECOMPUTE_CONCURRENCY }, async () => {
      for (let caseId = queue.shift(); caseId; caseId = queue.shift()) {
        const moved = await recomputeCase(deps.sql, deps.recordKey, deps.calendar, caseId, deps.now?.() ?? new Date());
        recomputed += moved.length;
        wakeups.push(...moved.filter((d) => d.status === 'pending'));
      }
    }));
    if (wakeups.length > 0) {
      // The rows are committed; if the queue is down the sweeper re-adds the jobs.
      await deps.wake(wakeups).catch((err) => deps.log.warn({ err: String(err) }, 'could not schedule recomputed deadlines; the sweeper will'));
    }
  }
}

/** A provisional clock's times on this calendar, or null when nothing would change. */
function recomputedTimes(calendar: WorkingCalendar, d: DeadlineRow) {
  const times = clockTimes(calendar, {
    // Only clocks with their own duration are recomputed (`amount is not null`); a row without a unit is plain time, as the engine reads it.
    startedAt: d.startedAt, amount: d.amount!, unit: d.unit ?? 'hours', givenBackMs: d.givenBackMs, extensions: d.extensions,
  });
  const sameTime = times.dueAt.getTime() === d.dueAt.getTime() && times.warnAt.getTime() === d.warnAt.getTime();
  return sameTime && times.provisional ? null : { ...times, sameTime };
}

/**
 * One case, one transaction: recompute its provisional clocks and record each change. The
 * statements of each step are sent together (postgres.js pipelines them on the connection):
 * a year's load touches thousands of cases, and each round trip counts.
 */
async function recomputeCase(sql: Sql, recordKey: RecordKey, calendar: WorkingCalendar, caseId: string, at: Date): Promise<DeadlineRow[]> {
  return inTransaction(sql, async (tx) => {
    const [row, clocks] = await Promise.all([
      lockCase(tx, caseId),
      tx<DeadlineRow[]>`
        select * from deadlines where case_id = ${caseId} and provisional and status in ('pending', 'paused') and amount is not null
        order by started_at, id for update`,
    ]);
    if (!row) return [];
    const changes = clocks.flatMap((d) => {
      const times = recomputedTimes(calendar, d);
      return times ? [{ d, times }] : [];
    });
    if (changes.length === 0) return [];
    const moved = await Promise.all(changes.map(async ({ d, times }) => {
      const { sameTime } = times;
      const [updated] = await tx<DeadlineRow[]>`
        update deadlines set due_at = ${times.dueAt}, warn_at = ${times.warnAt}, provisional = ${times.provisional},
          rev = ${sameTime ? d.rev : d.rev + 1}, warned_at = ${times.warnAt > d.warnAt ? null : d.warnedAt}
        where id = ${d.id} returning *`;
      return sameTime ? null : updated;
    }));
    const { events, head } = chainEvents(recordKey, { seq: row.eventSeq, hash: row.eventHash }, changes.map(({ d, times }) => ({
      caseId, action: 'deadline_recomputed' as const, fromState: row.state, toState: row.state, level: row.level, holderOrgId: row.holderOrgId,
      actor: { system: 'calendar' }, at, step: d.step,
      data: { step: d.step, previousDueAt: d.dueAt.toISOString(), dueAt: times.dueAt.toISOString(), provisional: times.provisional },
    })));
    await insertEvents(tx, events);
    // The case's due time is that of its running clock (the earliest pending one of the clocks that set it, as the
    // engine keeps it: side clocks — pause limit, review, contribution — never do); the record's head moved.
    await tx`
      update cases set event_seq = ${head.seq}, event_hash = ${head.hash},
        due_at = coalesce((select min(due_at) from deadlines where case_id = ${caseId} and status = 'pending' and step = any(${DUE_CLOCKS})), due_at)
      where id = ${caseId}`;
    return moved.filter((d): d is DeadlineRow => d !== null);
  });
}
