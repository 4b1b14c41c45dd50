/**
 * China's working-day calendar in Asia/Shanghai time. Each year has one source:
 *   official     the State Council's schedule as shipped in the `chinese-days` package;
 *   override     a schedule an admin loaded (PUT /calendar/years/:year), e.g. before a package upgrade;
 *   provisional  neither yet: the statutory holidays computed from the rules (statutory-holidays.ts),
 *                weekends otherwise, no make-up working days. Deadlines over such days are provisional
 *                and are recomputed when the year's schedule arrives (calendar-years.ts).
 * Single-day corrections (calendar overrides) apply on top of any source; they never make a year known.
 * A day is always answered: a grievance is never refused because of the calendar.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { TimeUnit } from '../../workflows/case-rules.js';
import { statutoryHolidays } from './statutory-holidays.js';

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time.
const DAY_MS = 86_400_000;

export type DayKind = 'workday' | 'holiday';
export type YearSource = 'official' | 'override' | 'provisional';

export interface WorkingHours { start: string; end: string } // 'HH:MM', Asia/Shanghai

/** A year's published schedule: its holidays and its make-up working days. */
export interface YearSchedule { holidays: string[]; workdays: string[] }

/** When a clock falls due and warns, and whether an unpublished year's days were counted. */
export interface ClockTimes { dueAt: Date; warnAt: Date; provisional: boolean }

const officialHolidays = new Set(Object.keys(chineseDays.holidays));
const officialWorkdays = new Set(Object.keys(chineseDays.workdays));
export const OFFICIAL_YEARS: ReadonlySet<number> = new Set([...officialHolidays].map((d) => Number(d.slice(0, 4))));

const WORKING_UNITS: readonly TimeUnit[] = ['working_days', 'working_hours'];

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The Shanghai calendar day of an instant, as 'YYYY-MM-DD' (the record's anchors and the measures' days count in it too). */
export function shanghaiDay(at: number | Date): string {
  return new Date(Number(at) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * A moment as people read it in exports: 'YYYY-MM-DD HH:MM', Beijing time; '' for none. Built from
 * the fields, not `toISOString()` sliced: an export of 100,000 cases formats ~500,000 of these (3× faster).
 */
export function shanghaiMinute(at: Date | null): string {
  if (!at) return '';
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${twoDigits(d.getUTCMonth() + 1)}-${twoDigits(d.getUTCDate())} ${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())}`;
}

/** The start (Shanghai midnight) of a day given as 'YYYY-MM-DD'. */
export function shanghaiDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

/** Midnight (Shanghai) of the day that contains `at`, as epoch ms. */
function shanghaiMidnight(at: number): number {
  return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
}

const yearOf = (at: Date) => Number(shanghaiDay(at.getTime()).slice(0, 4));

export class WorkingCalendar {
  private readonly overrides: Map<string, DayKind>;
  private readonly loaded: Map<number, { holidays: Set<string>; workdays: Set<string> }>;
  private readonly provisional = new Map<number, Set<string>>();
  /** isWorkday by Shanghai midnight: deadline arithmetic asks about the same few hundred days again and again. */
  private readonly byMidnight = new Map<number, boolean>();
  private readonly openMs: number;
  private readonly closeMs: number;

  constructor(
    overrides: Map<string, DayKind> = new Map(), hours: WorkingHours = { start: '09:00', end: '18:00' },
    years: Map<number, YearSchedule> = new Map(),
  ) {
    this.overrides = overrides;
    this.loaded = new Map([...years].map(([y, s]) => [y, { holidays: new Set(s.holidays), workdays: new Set(s.workdays) }]));
    this.openMs = minutesOf(hours.start) * 60_000;
    this.closeMs = minutesOf(hours.end) * 60_000;
    if (!(this.closeMs > this.openMs)) throw new Error(`working hours end ${hours.end} must be after start ${hours.start}`);
  }

  /** Where this year's days come from. A loaded schedule wins over the package's. */
  sourceOf(year: number): YearSource {
    if (this.loaded.has(year)) return 'override';
    return OFFICIAL_YEARS.has(year) ? 'official' : 'provisional';
  }

  /** Is this Shanghai day ('YYYY-MM-DD') a working day? */
  isWorkday(day: string): boolean {
    const override = this.overrides.get(day);
    if (override) return override === 'workday';
    const year = Number(day.slice(0, 4));
    const loaded = this.loaded.get(year);
    if (loaded) {
      if (loaded.holidays.has(day)) return false;
      if (loaded.workdays.has(day)) return true;
    } else if (OFFICIAL_YEARS.has(year)) {
      if (officialHolidays.has(day)) return false;
      if (officialWorkdays.has(day)) return true;
    } else if (this.statutory(year).has(day)) {
      return false;
    }
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
    if (WORKING_UNITS.includes(unit)) {
      return this.addWorkingMs(start, Math.floor(this.workingMsBetween(start, due) * 0.8));
    }
    return new Date(start.getTime() + Math.floor((due.getTime() - start.getTime()) * 0.8));
  }

  /**
   * A paused span measured in the clock's own unit: working time (within working hours of
   * working days) for working-day and working-hour clocks, plain time otherwise. In ms.
   */
  pausedSpan(from: Date, to: Date, unit: TimeUnit): number {
    if (to <= from) return 0;
    return WORKING_UNITS.includes(unit) ? this.workingMsBetween(from, to) : to.getTime() - from.getTime();
  }

  /** Gives a paused span (from pausedSpan) back to a due time, in the same unit. */
  giveBack(due: Date, spanMs: number, unit: TimeUnit): Date {
    if (spanMs <= 0) return due;
    return WORKING_UNITS.includes(unit) ? this.addWorkingMs(due, spanMs) : new Date(due.getTime() + spanMs);
  }

  /** Does the span from `start` to `end` count days of a year with no published schedule? */
  countsProvisionalDays(start: Date, end: Date, unit: TimeUnit): boolean {
    if (!WORKING_UNITS.includes(unit)) return false;
    for (let year = yearOf(start); year <= yearOf(end); year++) if (this.sourceOf(year) === 'provisional') return true;
    return false;
  }

  private isWorkdayAt(midnight: number): boolean {
    let work = this.byMidnight.get(midnight);
    if (work === undefined) this.byMidnight.set(midnight, work = this.isWorkday(shanghaiDay(midnight)));
    return work;
  }

  private statutory(year: number): Set<string> {
    let days = this.provisional.get(year);
    if (!days) this.provisional.set(year, days = new Set(statutoryHolidays(year)));
    return days;
  }

  /** "Within N working days" (N个工作日内): by the close of the N-th working day after the start's day. */
  private endOfNthWorkingDay(start: Date, n: number): Date {
    let midnight = shanghaiMidnight(start.getTime());
    let counted = 0;
    while (counted < n) {
      midnight += DAY_MS;
      if (this.isWorkdayAt(midnight)) counted++;
    }
    return new Date(midnight + this.closeMs);
  }

  private addWorkingMs(start: Date, ms: number): Date {
    let remaining = ms;
    let midnight = shanghaiMidnight(start.getTime());
    let cursor = start.getTime();
    for (;;) {
      if (this.isWorkdayAt(midnight)) {
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
      if (!this.isWorkdayAt(midnight)) continue;
      const from = Math.max(start.getTime(), midnight + this.openMs);
      const to = Math.min(end.getTime(), midnight + this.closeMs);
      if (to > from) total += to - from;
    }
    return total;
  }
}
