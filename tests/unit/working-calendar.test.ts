/** Against the official schedules published by the State Council for 2025 and 2026. */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar, shanghaiDay, shanghaiDayStart } from '../../src/calendar/working-calendar.js';
import { statutoryHolidays } from '../../src/calendar/statutory-holidays.js';
import { clockTimes, planClock } from '../../src/deadlines/deadline-store.js';
import { DEFAULT_MAX_PAUSE, maxPauseFor, policyFor, stepsOnDefaults } from '../../src/deadlines/sla-policies.js';

const calendar = new WorkingCalendar();
const shanghai = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe('official holidays and make-up working days (调休)', () => {
  it('2026 Spring Festival: 02-15 to 02-23 off, 02-14 and 02-28 (Saturdays) are working days', () => {
    for (let day = 15; day <= 23; day++) expect(calendar.isWorkday(`2026-02-${day}`)).toBe(false);
    expect(calendar.isWorkday('2026-02-14')).toBe(true);
    expect(calendar.isWorkday('2026-02-28')).toBe(true);
    expect(calendar.isWorkday('2026-02-24')).toBe(true);
  });

  it('2026 National Day: 10-01 to 10-07 off, 09-20 and 10-10 working', () => {
    for (let day = 1; day <= 7; day++) expect(calendar.isWorkday(`2026-10-0${day}`)).toBe(false);
    expect(calendar.isWorkday('2026-09-20')).toBe(true);
    expect(calendar.isWorkday('2026-10-10')).toBe(true);
    expect(calendar.isWorkday('2026-10-08')).toBe(true);
  });

  it('2025 Spring Festival: 01-28 to 02-04 off, 01-26 and 02-08 working; National Day 10-01 to 10-08 off, 09-28 and 10-11 working', () => {
    for (const day of ['2025-01-28', '2025-01-31', '2025-02-04', '2025-10-01', '2025-10-08']) expect(calendar.isWorkday(day)).toBe(false);
    for (const day of ['2025-01-26', '2025-02-08', '2025-09-28', '2025-10-11', '2025-10-09']) expect(calendar.isWorkday(day)).toBe(true);
  });

  it('ordinary weekends are off, weekdays on', () => {
    expect(calendar.isWorkday('2026-11-21')).toBe(false); // Saturday
    expect(calendar.isWorkday('2026-11-23')).toBe(true); // Monday
  });

  it('an admin\'s single-day correction wins over the schedule but never makes a year known', () => {
    const corrected = new WorkingCalendar(new Map([['2026-11-23', 'holiday'], ['2027-01-04', 'holiday']]));
    expect(corrected.isWorkday('2026-11-23')).toBe(false);
    expect(corrected.isWorkday('2027-01-04')).toBe(false);
    expect(corrected.sourceOf(2027)).toBe('provisional');
    expect(corrected.sourceOf(2026)).toBe('official');
  });
});

describe('deadlines', () => {
  it('N working days: by the close (18:00) of the N-th working day after the start day, skipping the festival', () => {
    // Friday 13 Feb 2026, 10:00: day 1 is Saturday 14 Feb (make-up), day 2 is Tuesday 24 Feb.
    expect(iso(calendar.addDuration(shanghai('2026-02-13T10:00:00'), 2, 'working_days'))).toBe(iso(shanghai('2026-02-24T18:00:00')));
    expect(iso(calendar.addDuration(shanghai('2026-09-30T16:00:00'), 1, 'working_days'))).toBe(iso(shanghai('2026-10-08T18:00:00')));
    // Registered on a Saturday: the first working day is Monday.
    expect(iso(calendar.addDuration(shanghai('2026-11-21T11:00:00'), 1, 'working_days'))).toBe(iso(shanghai('2026-11-23T18:00:00')));
  });

  it('working hours count 09:00–18:00 on working days only', () => {
    expect(iso(calendar.addDuration(shanghai('2026-11-20T17:00:00'), 3, 'working_hours'))).toBe(iso(shanghai('2026-11-23T11:00:00')));
    expect(iso(calendar.addDuration(shanghai('2026-11-23T07:30:00'), 2, 'working_hours'))).toBe(iso(shanghai('2026-11-23T11:00:00')));
    const late = new WorkingCalendar(new Map(), { start: '10:00', end: '16:00' });
    expect(iso(late.addDuration(shanghai('2026-11-23T15:00:00'), 2, 'working_hours'))).toBe(iso(shanghai('2026-11-24T11:00:00')));
  });

  it('plain hours, minutes and seconds ignore the calendar (urgent matters, drills and tests)', () => {
    const start = shanghai('2026-02-16T03:00:00');
    expect(iso(calendar.addDuration(start, 2, 'hours'))).toBe(iso(shanghai('2026-02-16T05:00:00')));
    expect(iso(calendar.addDuration(start, 90, 'seconds'))).toBe(iso(shanghai('2026-02-16T03:01:30')));
  });

  it('the warning comes when 80 % of the time is gone, counted the same way', () => {
    const start = shanghai('2026-11-23T09:00:00');
    expect(iso(calendar.warnAt(start, calendar.addDuration(start, 10, 'seconds'), 'seconds'))).toBe(iso(shanghai('2026-11-23T09:00:08')));
    // 10 working hours from Monday 09:00 end Tuesday 10:00; 8 of them are gone at Monday 17:00.
    const due = calendar.addDuration(start, 10, 'working_hours');
    expect(iso(due)).toBe(iso(shanghai('2026-11-24T10:00:00')));
    expect(iso(calendar.warnAt(start, due, 'working_hours'))).toBe(iso(shanghai('2026-11-23T17:00:00')));
  });
});

describe('a year with no published schedule is provisional, never refused', () => {
  it('the statutory days come from the lunar calendar and the solar terms (checked against the published 2025 and 2026 schedules)', () => {
    // Every statutory day of 2025 and 2026 computed from the rules is a holiday in the published schedule.
    for (const year of [2025, 2026]) for (const day of statutoryHolidays(year)) expect(calendar.isWorkday(day), day).toBe(false);
    expect(statutoryHolidays(2026)).toEqual([
      '2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-04-05', '2026-05-01', '2026-05-02',
      '2026-06-19', '2026-09-25', '2026-10-01', '2026-10-02', '2026-10-03',
    ]);
    // 2027: 春节 6 Feb (eve 5 Feb), 清明 5 Apr, 端午 9 Jun, 中秋 15 Sep.
    expect(statutoryHolidays(2027)).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05', '2027-05-01', '2027-05-02',
      '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03',
    ]);
  });

  it('provisional days: statutory holidays off, weekends off, no make-up working days', () => {
    expect(calendar.sourceOf(2027)).toBe('provisional');
    expect(calendar.isWorkday('2027-01-01')).toBe(false); // Friday, 元旦
    expect(calendar.isWorkday('2027-02-05')).toBe(false); // Friday, 除夕
    expect(calendar.isWorkday('2027-02-09')).toBe(true); // Tuesday after the festival
    expect(calendar.isWorkday('2027-01-09')).toBe(false); // Saturday
    expect(calendar.isWorkday('2031-03-03')).toBe(true); // any year answers
  });

  it('a clock reaching into an unpublished year is planned, marked provisional, and recomputed on the loaded schedule', () => {
    // Monday 28 Dec 2026 + 5 working days: 29, 30, 31 Dec, (1 Jan 元旦), 4, 5 Jan 2027.
    const plan = planClock(calendar, { step: 'l2_resolve', level: 'platform', orgId: 'o', at: shanghai('2026-12-28T10:00:00'), amount: 5, unit: 'working_days' });
    expect(plan).toMatchObject({ provisional: true, amount: 5, unit: 'working_days' });
    expect(iso(plan.dueAt)).toBe(iso(shanghai('2027-01-05T18:00:00')));
    // The published schedule makes 4 Jan a holiday too: one more day.
    const published = new WorkingCalendar(new Map(), undefined, new Map([[2027, { holidays: ['2027-01-01', '2027-01-04'], workdays: [] }]]));
    expect(published.sourceOf(2027)).toBe('override');
    const again = clockTimes(published, { startedAt: plan.startedAt, amount: 5, unit: 'working_days', givenBackMs: 0, extensions: [] });
    expect(again).toMatchObject({ provisional: false });
    expect(iso(again.dueAt)).toBe(iso(shanghai('2027-01-06T18:00:00')));
    // Plain hours never count calendar days: never provisional.
    expect(planClock(calendar, { step: 'l2_resolve', level: 'platform', orgId: 'o', at: shanghai('2026-12-31T20:00:00'), amount: 24, unit: 'hours' }).provisional).toBe(false);
  });
});

describe('a pause is given back in the clock\'s own unit', () => {
  it('working days: a pause over a weekend gives nothing back; one working day paused gives one working day back', () => {
    const due = shanghai('2026-11-27T18:00:00');
    const weekend = calendar.pausedSpan(shanghai('2026-11-21T10:00:00'), shanghai('2026-11-22T20:00:00'), 'working_days');
    expect(weekend).toBe(0);
    expect(iso(calendar.giveBack(due, weekend, 'working_days'))).toBe(iso(due));
    // Paused Monday 18:00 to Tuesday 18:00: one working day (9 working hours) given back, over the weekend.
    const day = calendar.pausedSpan(shanghai('2026-11-23T18:00:00'), shanghai('2026-11-24T18:00:00'), 'working_days');
    expect(day).toBe(9 * 3600_000);
    expect(iso(calendar.giveBack(due, day, 'working_days'))).toBe(iso(shanghai('2026-11-30T18:00:00')));
  });

  it('plain units give back wall-clock time', () => {
    const span = calendar.pausedSpan(shanghai('2026-11-21T10:00:00'), shanghai('2026-11-21T10:00:30'), 'seconds');
    expect(span).toBe(30_000);
    expect(iso(calendar.giveBack(shanghai('2026-11-21T11:00:00'), span, 'seconds'))).toBe(iso(shanghai('2026-11-21T11:00:30')));
  });

  it('a paused clock resumes on its own after its policy\'s maxPause (default 5 working days), counted on the calendar', () => {
    expect(maxPauseFor([], 'l2_resolve', 'DED', 'normal')).toEqual(DEFAULT_MAX_PAUSE);
    expect(maxPauseFor([{ step: 'l2_resolve', amount: 3, unit: 'working_days', maxPause: { amount: 2, unit: 'working_days' } }], 'l2_resolve', 'DED', 'normal'))
      .toEqual({ amount: 2, unit: 'working_days' });
    // Paused Friday 13 Feb 2026: 5 working days skip the Spring Festival (14 Feb is a make-up working day).
    const limit = planClock(calendar, { step: 'pause_limit', level: 'platform', orgId: 'branch', at: shanghai('2026-02-13T10:00:00'), ...DEFAULT_MAX_PAUSE });
    expect(iso(limit.dueAt)).toBe(iso(shanghai('2026-02-27T18:00:00')));
  });
});

describe('no policy, no refusal', () => {
  it('a step with no matching policy falls back to DOMAIN.md\'s default, and is listed', () => {
    expect(policyFor([], 'l1_forward', 'DED', 'normal')).toMatchObject({ amount: 1, unit: 'working_days' });
    expect(policyFor([], 'l3_resolve', 'DED', 'critical')).toMatchObject({ amount: 2, unit: 'hours' });
    const some = [{ step: 'l1_forward' as const, amount: 2, unit: 'working_days' as const }];
    expect(policyFor(some, 'l1_forward', 'DED', 'normal')).toMatchObject({ amount: 2 });
    expect(stepsOnDefaults(some).map((p) => p.step)).toEqual(['l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback', 'supervision_min', 'human_review', 'contribute', 'referral', 'l0_verify']);
  });
});

it('a Shanghai day starts at its midnight, 16:00 UTC the day before, and holds the instants shanghaiDay names it for', () => {
  expect(shanghaiDayStart('2026-12-02').toISOString()).toBe('2026-12-01T16:00:00.000Z');
  expect(shanghaiDay(shanghaiDayStart('2026-12-02'))).toBe('2026-12-02');
  expect(shanghaiDay(shanghaiDayStart('2026-12-02').getTime() - 1)).toBe('2026-12-01');
});
