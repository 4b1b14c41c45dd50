/**
 * A grievance is never refused because of the calendar: clocks that reach into a year whose
 * schedule is not published are provisional, and are recomputed from their start when an admin
 * loads the year — with real workers on both queue backends, none firing on the old time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, client, type District } from '../support/builders.js';
import { OFFICIAL_YEARS, WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { statutoryHolidays } from '../../src/calendar/statutory-holidays.js';
import type { Wakeup } from '../../src/deadlines/deadline-store.js';
import { DUE_CLOCKS } from '../../workflows/case-rules.js';

/** The first year from now on with no published schedule in the installed chinese-days. */
const thisYear = new Date().getUTCFullYear();
let year = thisYear;
while (OFFICIAL_YEARS.has(year)) year++;

/** Working days from now to the middle of that year: every clock reaches into it, and not beyond. */
function workingDaysToMidYear(): number {
  const calendar = new WorkingCalendar();
  let n = 0;
  for (let t = Date.now(); t < Date.UTC(year, 5, 1); t += 86_400_000) if (calendar.isWorkday(new Date(t + 8 * 3600_000).toISOString().slice(0, 10))) n++;
  return n;
}

/** The year's "published" schedule for the test: the statutory days plus every Monday of March and April. */
function publishedSchedule() {
  const mondays: string[] = [];
  for (let t = Date.UTC(year, 2, 1); t < Date.UTC(year, 4, 1); t += 86_400_000) {
    if (new Date(t).getUTCDay() === 1) mondays.push(new Date(t).toISOString().slice(0, 10));
  }
  return { holidays: [...new Set([...statutoryHolidays(year), ...mondays])].sort(), workdays: [] };
}

describe.each(['redis', 'postgres'] as const)('provisional calendar on the %s backend', (backend) => {
  let engine: TestEngine;
  let d: District;

  beforeAll(async () => {
    engine = await startTestEngine({ backend, runWorkers: true, sweepIntervalMs: 60_000 });
    d = await aDistrict(engine.app, { amount: workingDaysToMidYear(), unit: 'working_days' });
  });
  afterAll(async () => engine?.close());

  it('registration answers 201 with provisional deadlines; the status and /readyz say which year is provisional', async () => {
    const c = await aCase(d);
    expect(c.deadlines).toHaveLength(1);
    expect(c.deadlines[0]).toMatchObject({ step: 'l1_forward', status: 'pending', provisional: true });
    expect(new Date(c.deadlines[0].dueAt).getUTCFullYear()).toBeGreaterThanOrEqual(year);

    const forwarded = await d.liaison.act(c.id, { action: 'forward' });
    expect(forwarded.status).toBe(200);
    expect(forwarded.body.deadlines.at(-1)).toMatchObject({ step: 'l2_accept', provisional: true });

    const status = await d.convener.get('/api/v1/calendar/status');
    expect(status.status).toBe(200);
    expect(status.body.years).toContainEqual({ year, source: 'provisional' });
    if (OFFICIAL_YEARS.has(thisYear)) expect(status.body.years).toContainEqual({ year: thisYear, source: 'official' });

    const ready = await engine.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().calendar).toContain(`provisional for ${year}`);

    // A single-day correction never makes the year known.
    expect((await d.admin.put('/api/v1/calendar-overrides', [{ day: `${year}-01-04`, kind: 'holiday' }])).status).toBe(200);
    expect((await d.convener.get('/api/v1/calendar/status')).body.years).toContainEqual({ year, source: 'provisional' });
    expect((await d.admin.put('/api/v1/calendar-overrides', [])).status).toBe(200);
  });

  it('an admin loads the year: pending provisional deadlines are recomputed from their start, recorded, and none fires on its old time', async () => {
    const c = await aCase(d);
    const before = c.deadlines[0];
    // A provisional clock that would fall due in 2 seconds on its old time (its wake-ups scheduled as usual).
    const [row] = await engine.runtime.database.sql<Wakeup[]>`
      update deadlines set due_at = now() + interval '2 seconds', warn_at = now() + interval '1 second', rev = rev + 1
      where id = ${before.id} returning id, rev, due_at, warn_at, warned_at`;
    await engine.runtime.queue.schedule([row]);

    expect((await d.liaison.put(`/api/v1/calendar/years/${year}`, publishedSchedule())).status).toBe(403);
    const bad = await d.admin.put(`/api/v1/calendar/years/${year}`, { holidays: [`${year + 1}-01-01`], workdays: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('holidays[0]');

    const loaded = await d.admin.put(`/api/v1/calendar/years/${year}`, publishedSchedule());
    expect(loaded.status).toBe(200);
    expect(loaded.body).toMatchObject({ year, source: 'override' });
    expect(loaded.body.recomputed).toBeGreaterThanOrEqual(2);

    await new Promise((r) => setTimeout(r, 4000)); // past the old due time: nothing fires
    const after = (await d.liaison.get(`/api/v1/cases/${c.id}`)).body;
    expect(after.overdue).toBe(false);
    expect(after.deadlines[0]).toMatchObject({ status: 'pending', provisional: false });
    expect(new Date(after.deadlines[0].dueAt).getUTCFullYear()).toBeGreaterThanOrEqual(year);
    expect(after.dueAt).toBe(after.deadlines[0].dueAt);
    const events = (await d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.map((e: { action: string }) => e.action)).not.toContain('deadline_missed');
    expect(events.map((e: { action: string }) => e.action)).not.toContain('deadline_warning');
    const recomputed = events.find((e: { action: string }) => e.action === 'deadline_recomputed');
    expect(recomputed).toMatchObject({ actor: { system: 'calendar' }, data: { step: 'l1_forward', provisional: false, dueAt: after.deadlines[0].dueAt } });

    // The other case's clocks (from the first test) moved off the Mondays the schedule added.
    const status = await d.convener.get('/api/v1/calendar/status');
    expect(status.body.years).toContainEqual({ year, source: 'override' });
    const again = await aCase(d);
    expect(again.deadlines[0].provisional).toBe(new Date(again.deadlines[0].dueAt).getUTCFullYear() > year);
  });
});

describe('loading a year keeps the due time the engine gives a case (DUE_CLOCKS): side clocks never set it', () => {
  let engine: TestEngine;
  let d: District;
  beforeAll(async () => {
    engine = await startTestEngine();
    d = await aDistrict(engine.app, { amount: workingDaysToMidYear(), unit: 'working_days' });
  });
  afterAll(async () => engine?.close());

  it('a co-handled case and an ALG case under review keep their holder\'s due time, not the earlier side clock\'s', async () => {
    const atDepartment: Parameters<typeof aCase>[1] = [
      ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '需部门处理' }],
      ['market', { action: 'accept' }], ['market', { action: 'add_cohandler', orgIds: [d.orgs.hr], reason: '涉及劳动报酬' }],
    ];
    const algorithm = { orderId: 'MT-1', ruleVersion: 'v1', decidedAt: new Date().toISOString() };
    const cases = [
      { c: await aCase(d, atDepartment), holder: 'l3_resolve', side: 'contribute' },
      { c: await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]], aGrievance({ category: 'ALG', algorithm })),
        holder: 'l2_resolve', side: 'human_review' },
    ];
    const clock = (c: { deadlines: { step: string; status: string; dueAt: string; provisional: boolean }[] }, step: string) =>
      c.deadlines.find((x) => x.step === step && x.status === 'pending')!;
    for (const { c, holder, side } of cases) {
      expect(clock(c, holder).provisional).toBe(true);
      expect(Date.parse(clock(c, side).dueAt)).toBeLessThan(Date.parse(clock(c, holder).dueAt)); // the side clock ends first
      expect(c.dueAt).toBe(clock(c, holder).dueAt);
      expect(DUE_CLOCKS).toContain(holder);
      expect(DUE_CLOCKS).not.toContain(side);
    }
    expect((await d.admin.put(`/api/v1/calendar/years/${year}`, publishedSchedule())).status).toBe(200);
    for (const { c, holder } of cases) {
      const after = (await d.convener.get(`/api/v1/cases/${c.id}`)).body;
      expect(clock(after, holder)).toMatchObject({ provisional: false });
      expect(after.dueAt).toBe(clock(after, holder).dueAt);
    }
  });
});

describe('no policy, no refusal', () => {
  let engine: TestEngine;
  beforeAll(async () => { engine = await startTestEngine(); });
  afterAll(async () => engine?.close());

  it('a new database is seeded with DOMAIN.md\'s defaults; with no policy at all a registration still answers 201 on the defaults, which the admin page lists', async () => {
    const admin = client(engine.app, ADMIN_TOKEN);
    const seeded = await admin.get('/api/v1/sla-policies');
    expect(seeded.body).toContainEqual({ step: 'l1_forward', amount: 1, unit: 'working_days', maxPause: { amount: 5, unit: 'working_days' } });
    expect(seeded.body).toContainEqual({ step: 'supervision_min', amount: 1, unit: 'working_hours' });
    expect((await admin.get('/api/v1/sla-policies/defaults')).body.items).toEqual([]);

    const d = await aDistrict(engine.app);
    expect((await d.admin.put('/api/v1/sla-policies', [])).status).toBe(200);
    const c = await d.liaison.post('/api/v1/cases', aGrievance());
    expect(c.status).toBe(201);
    expect(c.body.deadlines[0]).toMatchObject({ step: 'l1_forward', status: 'pending' });
    const defaults = (await d.admin.get('/api/v1/sla-policies/defaults')).body.items;
    expect(defaults.map((p: { step: string }) => p.step)).toContain('l1_forward');
    expect((await d.liaison.get('/api/v1/sla-policies/defaults')).status).toBe(403);

    const withPause = await d.admin.put('/api/v1/sla-policies', [{ step: 'l2_resolve', amount: 5, unit: 'working_days', maxPause: { amount: 3, unit: 'working_days' } }]);
    expect(withPause.status).toBe(200);
    expect(withPause.body).toEqual([{ step: 'l2_resolve', amount: 5, unit: 'working_days', maxPause: { amount: 3, unit: 'working_days' } }]);
  });
});
