/** Against the official schedules published by the State Council for 2025 and 2026. */
import { describe, expect, it } from 'vitest';
import { CalendarYearMissing, WorkingCalendar } from '../../src/calendar/working-calendar.js';

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

  it('a year with no published schedule is an explicit error naming the year', () => {
    expect(() => calendar.isWorkday('2031-03-02')).toThrow(CalendarYearMissing);
    expect(() => calendar.addDuration(shanghai('2031-03-02T10:00:00'), 1, 'working_days')).toThrow(/2031/);
  });

  it('an admin override wins over the official schedule and makes its year known', () => {
    const corrected = new WorkingCalendar(new Map([['2026-11-23', 'holiday'], ['2031-01-01', 'holiday']]));
    expect(corrected.isWorkday('2026-11-23')).toBe(false);
    expect(corrected.isWorkday('2031-01-02')).toBe(true);
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
