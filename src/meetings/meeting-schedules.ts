/**
 * Meetings on a schedule (定期召开协调会): a convener sets one up once (`every: month`); from its
 * `firstDay` on, the workers draft the meeting for the month before on each month's first working
 * day (Asia/Shanghai, on the working calendar), with its agenda built as a convener's own meeting's
 * is. A missed day (no worker running) drafts it later that month. Each schedule's meeting of a
 * period is written once, whichever worker comes first (a unique index on schedule and period).
 */
import { Type, type Static } from 'typebox';
import { inTransaction, type Sql } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import { requireCapability } from '../access/permissions.js';
import { shanghaiDay, shanghaiDayStart, type WorkingCalendar } from '../calendar/working-calendar.js';
import { BadRequest } from '../errors.js';
import { MEETING_INTERVALS, type MeetingInterval } from '../../workflows/case-rules.js';
import { draftMeeting } from './coordination-meeting.js';

const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD（北京时间）/ a day, Asia/Shanghai' });
export const NewScheduleSchema = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200, description: '会议名称，每次加上月份 / the meetings\' title; each adds its month' }),
  every: Type.String({ description: '目前仅支持 month（每月）/ only `month` for now' }),
  firstDay: Type.Optional(Day),
}, { additionalProperties: false });
export const ScheduleSchema = Type.Object({
  id: Type.String(), title: Type.String(), every: Type.Enum([...MEETING_INTERVALS]), firstDay: Day,
  nextDraftOn: Type.Intersect([Day], { description: '下次起草日（该月第一个工作日）/ when the next meeting is drafted (a month\'s first working day)' }),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'MeetingSchedule' });
export type ScheduleView = Static<typeof ScheduleSchema>;

interface ScheduleRow { id: string; title: string; every: MeetingInterval; firstDay: string; createdBy: string; createdAt: Date }
/** The row with its day as 'YYYY-MM-DD' text (postgres.js would make a date a Date at UTC midnight). */
const COLUMNS = 'id, title, every, first_day::text as first_day, created_by, created_at';

/** The month's first day and the next month's, as 'YYYY-MM-01'. */
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
function addMonths(first: string, n: number): string {
  const d = new Date(`${first}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}
/** A month's first working day (a month always has one: the longest holiday is a week). */
function firstWorkingDay(calendar: WorkingCalendar, first: string): string {
  let day = first;
  for (let n = 0; n < 31 && !calendar.isWorkday(day); n++) day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return day;
}

export function createMeetingSchedules(deps: { sql: Sql; calendar: () => WorkingCalendar; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  /** The month whose first working day drafts this schedule's next meeting: this month's if that day is still ahead. */
  function nextDraftOn(row: ScheduleRow, today: string): string {
    const calendar = deps.calendar();
    const from = monthStart(row.firstDay > today ? row.firstDay : today);
    // This month's draft day, or the next month's when this one's has passed (or comes before firstDay).
    const [thisOne, next] = [from, addMonths(from, 1)].map((month) => firstWorkingDay(calendar, month));
    return thisOne >= today && thisOne >= row.firstDay ? thisOne : next;
  }
  const view = (row: ScheduleRow): ScheduleView => ({
    id: row.id, title: row.title, every: row.every, firstDay: row.firstDay, nextDraftOn: nextDraftOn(row, shanghaiDay(now())),
    createdAt: row.createdAt.toISOString(),
  });

  return {
    async create(caller: Caller, input: Static<typeof NewScheduleSchema>): Promise<ScheduleView> {
      requireCapability(caller, 'runMeetings');
      if (!(MEETING_INTERVALS as readonly string[]).includes(input.every)) {
        throw new BadRequest(`every: 目前只支持 ${MEETING_INTERVALS.join('、')}（每月）/ 'every' must be one of: ${MEETING_INTERVALS.join(', ')}`);
      }
      const firstDay = input.firstDay ?? shanghaiDay(now());
      if (Number.isNaN(Date.parse(`${firstDay}T00:00:00Z`))) throw new BadRequest(`firstDay: 不是有效日期 / '${firstDay}' is not a day`);
      const [row] = await deps.sql<ScheduleRow[]>`insert into meeting_schedules (title, every, first_day, created_by)
        values (${input.title}, ${input.every}, ${firstDay}, ${caller.userId}) returning ${deps.sql.unsafe(COLUMNS)}`;
      return view(row);
    },
    async list(caller: Caller): Promise<{ items: ScheduleView[] }> {
      requireCapability(caller, 'runMeetings');
      return { items: (await deps.sql<ScheduleRow[]>`select ${deps.sql.unsafe(COLUMNS)} from meeting_schedules order by created_at`).map(view) };
    },
    /** The workers' round: every schedule whose draft day of this month has come gets the month before's meeting (once). */
    async draftDue(): Promise<number> {
      const today = shanghaiDay(now());
      const thisMonth = monthStart(today);
      const draftDay = firstWorkingDay(deps.calendar(), thisMonth);
      if (draftDay > today) return 0;
      const period = { periodFrom: shanghaiDayStart(addMonths(thisMonth, -1)), periodTo: shanghaiDayStart(thisMonth) };
      // Schedules running by this month's draft day whose meeting for the month before is not written yet.
      const due = await deps.sql<ScheduleRow[]>`select ${deps.sql.unsafe(COLUMNS)} from meeting_schedules s where s.first_day <= ${draftDay}
        and not exists (select 1 from meetings m where m.schedule_id = s.id and m.period_from = ${period.periodFrom})`;
      let drafted = 0;
      for (const s of due) {
        const month = addMonths(thisMonth, -1).slice(0, 7).replace('-', '年') + '月';
        const id = await inTransaction(deps.sql, (tx) => draftMeeting(tx, s.createdBy, { title: `${s.title}（${month}）`, ...period, scheduleId: s.id }));
        if (id) drafted++;
      }
      return drafted;
    },
  };
}
export type MeetingSchedules = ReturnType<typeof createMeetingSchedules>;
