/**
 * China's working-day calendar: official public holidays and make-up working days (调休) from
 * the `chinese-days` package, corrected by an admin override table, in Asia/Shanghai time.
 * A day in a year that has no published schedule is an explicit error, never a guess.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { NotAllowed } from '../errors.js';
import type { TimeUnit } from '../../workflows/case-machine.js';

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time.
const DAY_MS = 86_400_000;

export type DayKind = 'workday' | 'holiday';

export interface WorkingHours { start: string; end: string } // 'HH:MM', Asia/Shanghai

export class CalendarYearMissing extends NotAllowed {
  constructor(readonly year: number) {
    super(`${year} 年的节假日安排尚未发布，无法计算期限；请管理员在日历中补充 / ` +
      `no published holiday schedule for ${year}: an admin must add it to the calendar overrides`);
  }
}

const officialHolidays = new Set(Object.keys(chineseDays.holidays));
const officialWorkdays = new Set(Object.keys(chineseDays.workdays));
const officialYears = new Set([...officialHolidays].map((d) => Number(d.slice(0, 4))));

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The Shanghai calendar day of an instant, as 'YYYY-MM-DD'. */
function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight (Shanghai) of the day that contains `at`, as epoch ms. */
function shanghaiMidnight(at: number): number {
  return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

export class WorkingCalendar {
  private readonly overrides: Map<string, DayKind>;
  private readonly years: Set<number>;
  private readonly openMs: number;
  private readonly closeMs: number;

  constructor(overrides: Map<string, DayKind> = new Map(), hours: WorkingHours = { start: '09:00', end: '18:00' }) {
    this.overrides = overrides;
    this.years = new Set([...officialYears, ...[...overrides.keys()].map((d) => Number(d.slice(0, 4)))]);
    this.openMs = minutesOf(hours.start) * 60_000;
    this.closeMs = minutesOf(hours.end) * 60_000;
    if (!(this.closeMs > this.openMs)) throw new Error(`working hours end ${hours.end} must be after start ${hours.start}`);
  }

  /** Is this Shanghai day ('YYYY-MM-DD') a working day? */
  isWorkday(day: string): boolean {
    const year = Number(day.slice(0, 4));
    if (!this.years.has(year)) throw new CalendarYearMissing(year);
    const override = this.overrides.get(day);
    if (override) return override === 'workday';
    if (officialHolidays.has(day)) return false;
    if (officialWorkdays.has(day)) return true;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The due instant of `amount` `unit` counted from `start`. */
  addDuration(start: Date, amount: number, unit: TimeUnit): Date {
    switch (unit) {
      case 'seconds': return new Date(start.getTime() + amount * 1000);
      case 'minutes': return new Date(start.getTime() + amount * 60_000);
      case 'hours': return new Date(start.getTime() + amount * 3600_000);
      case 'working_hours': return this.addWorkingMs(start, amount * 3600_000);
      case 'working_days': return this.endOfNthWorkingDay(start, amount);
    }
  }

  /** When 80 % of the time from `start` to `due` is gone, counted the same way as the deadline. */
  warnAt(start: Date, due: Date, unit: TimeUnit): Date {
    if (unit === 'working_days' || unit === 'working_hours') {
      return this.addWorkingMs(start, Math.floor(this.workingMsBetween(start, due) * 0.8));
    }
    return new Date(start.getTime() + Math.floor((due.getTime() - start.getTime()) * 0.8));
  }

  /** "Within N working days" (N个工作日内): by the close of the N-th working day after the start's day. */
  private endOfNthWorkingDay(start: Date, n: number): Date {
    let midnight = shanghaiMidnight(start.getTime());
    let counted = 0;
    while (counted < n) {
      midnight += DAY_MS;
      if (this.isWorkday(shanghaiDay(new Date(midnight)))) counted++;
    }
    return new Date(midnight + this.closeMs);
  }

  private addWorkingMs(start: Date, ms: number): Date {
    let remaining = ms;
    let midnight = shanghaiMidnight(start.getTime());
    let cursor = start.getTime();
    for (;;) {
      if (this.isWorkday(shanghaiDay(new Date(midnight)))) {
        const from = Math.max(cursor, midnight + this.openMs);
        const to = midnight + this.closeMs;
        if (to > from) {
          if (to - from >= remaining) return new Date(from + remaining);
          remaining -= to - from;
        }
      }
      midnight += DAY_MS;
      cursor = midnight;
    }
  }

  private workingMsBetween(start: Date, end: Date): number {
    let total = 0;
    for (let midnight = shanghaiMidnight(start.getTime()); midnight < end.getTime(); midnight += DAY_MS) {
      if (!this.isWorkday(shanghaiDay(new Date(midnight)))) continue;
      const from = Math.max(start.getTime(), midnight + this.openMs);
      const to = Math.min(end.getTime(), midnight + this.closeMs);
      if (to > from) total += to - from;
    }
    return total;
  }
}
