/**
 * Periodic meetings and 对账 (issue 21 item 9): a monthly schedule drafts the month before's meeting
 * on the month's first working day, once; officers read the meetings about their department and only
 * those items; a platform committee's or a department's reconciliation statement as xlsx.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { aCase, districtPerFile } from '../support/builders.js';
import { createMeetingSchedules } from '../../src/meetings/meeting-schedules.js';

const file = districtPerFile();
/** The schedules' own service at a fixed moment of Beijing time (the runtime's runs on the clock). */
const schedulesAt = (iso: string) => createMeetingSchedules({
  sql: file.engine.runtime.database.sql, calendar: file.engine.runtime.engineDeps.calendar, now: () => new Date(iso),
});
/** A case reopened at the department (rated dissatisfied): on the agenda, held by 市场监管局. */
const reopenedAtMarket = () => aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
  ['meituan', { action: 'hand_off', reason: '需部门处理' }], ['market', { action: 'accept' }], ['market', { action: 'resolve', resolution: '已约谈' }],
  ['liaison', { action: 'feedback', rating: 'dissatisfied' }]]);

describe('meetings on a schedule', () => {
  it('every other than month is 400 naming it; only conveners set one up', async () => {
    const week = await file.d.convener.post('/api/v1/meeting-schedules', { title: '周例会', every: 'week' });
    expect(week.status).toBe(400);
    expect(week.body.message).toMatch(/every/);
    expect((await file.d.market.post('/api/v1/meeting-schedules', { title: '月度协调会', every: 'month' })).status).toBe(403);
    const made = await file.d.convener.post('/api/v1/meeting-schedules', { title: '月度协调会', every: 'month', firstDay: '2099-01-15' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ every: 'month', firstDay: '2099-01-15', nextDraftOn: '2099-02-02' });
    expect((await file.d.convener.get('/api/v1/meeting-schedules')).body.items.map((s: { id: string }) => s.id)).toContain(made.body.id);
  });

  it('drafts the month before\'s meeting on the month\'s first working day, once, with its agenda; not on a holiday before it', async () => {
    const c = await reopenedAtMarket();
    const made = await file.d.convener.post('/api/v1/meeting-schedules', { title: '十一月协调会', every: 'month', firstDay: '2026-11-01' });
    expect(made.status).toBe(201);
    // 1 October 2026 is the National Day holiday: the first working day comes later, nothing is drafted yet.
    expect(await schedulesAt('2026-10-02T04:00:00Z').draftDue()).toBe(0);
    const december = schedulesAt('2026-12-02T02:00:00Z');
    expect(await december.draftDue()).toBeGreaterThanOrEqual(1);
    expect(await december.draftDue()).toBe(0);
    const meetings = (await file.d.convener.get('/api/v1/meetings')).body.items as { id: string; title: string; periodFrom: string; periodTo: string }[];
    const drafted = meetings.filter((m) => m.title === '十一月协调会（2026年11月）');
    expect(drafted).toHaveLength(1);
    expect(drafted[0]).toMatchObject({ periodFrom: '2026-10-31T16:00:00.000Z', periodTo: '2026-11-30T16:00:00.000Z' });
    // Its agenda is built as a convener's own: a case stuck on the agenda now (reopened at the department) is on it.
    const november = (await file.d.convener.get(`/api/v1/meetings/${drafted[0].id}`)).body;
    expect(november.agenda.find((a: { caseId: string }) => a.caseId === c.id)).toMatchObject({ reasons: ['reopened'] });
  });

  it('officers read the meetings about their department, and only those items; other roles 403', async () => {
    const mine = await reopenedAtMarket();
    const other = await aCase(file.d, [['liaison', { action: 'resolve', resolution: '支部答复' }], ['callback', { action: 'feedback', rating: 'dissatisfied' }]]);
    const meeting = (await file.d.convener.post('/api/v1/meetings', {
      title: '本月协调会', periodFrom: new Date(Date.now() - 3600_000).toISOString(), periodTo: new Date(Date.now() + 3600_000).toISOString(),
    })).body;
    const all = meeting.agenda.map((a: { caseId: string }) => a.caseId);
    expect(all).toEqual(expect.arrayContaining([mine.id, other.id]));

    expect((await file.d.market.get('/api/v1/meetings')).body.items.map((m: { id: string }) => m.id)).toContain(meeting.id);
    const seen = await file.d.market.get(`/api/v1/meetings/${meeting.id}`);
    expect(seen.status).toBe(200);
    const items = seen.body.agenda.map((a: { caseId: string; holderOrgId: string }) => a.caseId);
    expect(items).toContain(mine.id);
    expect(items).not.toContain(other.id);
    expect(seen.body.agenda.every((a: { holderOrgId: string }) => a.holderOrgId === file.d.orgs.market)).toBe(true);
    expect((await file.d.hr.get('/api/v1/meetings')).body.items.map((m: { id: string }) => m.id)).not.toContain(meeting.id);
    expect((await file.d.hr.get(`/api/v1/meetings/${meeting.id}`)).status).toBe(404);
    expect((await file.d.meituan.get('/api/v1/meetings')).status).toBe(403);
    expect((await file.d.market.post(`/api/v1/meetings/${meeting.id}/exports`, { format: 'md' })).status).toBe(403);
  });
});

describe('the reconciliation statement (对账单)', () => {
  const download = (token: string, query: string) => file.engine.app.inject({
    method: 'GET', url: `/api/v1/reconciliation?${query}`, headers: { authorization: `Bearer ${token}` },
  });

  it('a platform committee\'s with the departments: by counterpart, then case by case', async () => {
    const from = new Date().toISOString();
    const reopened = await reopenedAtMarket();
    await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '需部门处理' }]]);
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await download(file.d.meituan.token, `orgId=${file.d.orgs.meituan}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const summary: unknown[][] = [];
    book.getWorksheet('汇总 Summary')!.eachRow((row) => summary.push((row.values as unknown[]).slice(1)));
    expect(summary[0][0]).toBe('美团平台党委 对账单 Reconciliation');
    expect(summary[1]).toEqual(['对方单位 Counterpart', '案件 Cases', '未结 Open', '已结 Closed', '有争议 Disputed', '超期 Late']);
    // Routed by the district's rules: delivery riders' cases go to 市场监管局; both still open, the reopened one disputed.
    expect(summary.find((r) => r[0] === '市场监管局')).toEqual(['市场监管局', 2, 2, 0, 1, 0]);
    const cases: unknown[][] = [];
    book.getWorksheet('案件 Cases')!.eachRow((row) => cases.push((row.values as unknown[]).slice(1)));
    expect(cases.find((r) => r[0] === reopened.reference)).toMatchObject({ 1: '市场监管局', 2: '主管部门办理中', 9: 1 });
  });

  it('the unit\'s own users and conveners; another unit 403; a branch 422; unknown 404; no orgId 400', async () => {
    expect((await download(file.d.convener.token, `orgId=${file.d.orgs.market}`)).statusCode).toBe(200);
    expect((await download(file.d.market.token, `orgId=${file.d.orgs.market}`)).statusCode).toBe(200);
    const other = await download(file.d.market.token, `orgId=${file.d.orgs.meituan}`);
    expect(other.statusCode).toBe(403);
    const branch = await download(file.d.convener.token, `orgId=${file.d.orgs.branch}`);
    expect(branch.statusCode).toBe(422);
    expect(branch.json().message).toMatch(/orgId/);
    expect((await download(file.d.convener.token, 'orgId=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await download(file.d.convener.token, '')).statusCode).toBe(400);
    expect((await download(file.d.liaison.token, `orgId=${file.d.orgs.meituan}`)).statusCode).toBe(403);
  });
});
