/**
 * Oversight, measures and a coordination meeting on a small fixture whose figures were worked
 * out by hand (see the comments). Clocks run in hours, except the platform's acceptance: 2 s.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, uniformSla, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
let from: string;
const ids: Record<'A' | 'B' | 'C' | 'D' | 'E', string> = { A: '', B: '', C: '', D: '', E: '' };

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, sweepIntervalMs: 1000 });
  d = await aDistrict(engine.app);
  await d.admin.put('/api/v1/sla-policies', [
    ...uniformSla({ amount: 1, unit: 'hours' }).filter((p) => p.step !== 'l2_accept'), { step: 'l2_accept', amount: 2, unit: 'seconds' },
  ]);
  from = new Date(Date.now() - 60_000).toISOString();
  // A: resolved by the platform, satisfied.   B: resolved by the platform, dissatisfied → reopened at the department.
  // C: forwarded, never accepted → misses l2_accept, escalated.   D: resolved at the branch, basically satisfied.   E: withdrawn.
  ids.A = (await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
    ['meituan', { action: 'resolve', resolution: '已退款' }], ['liaison', { action: 'feedback', rating: 'satisfied' }]])).id;
  ids.B = (await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
    ['meituan', { action: 'resolve', resolution: '平台已答复' }], ['liaison', { action: 'feedback', rating: 'dissatisfied' }]])).id;
  ids.C = (await aCase(d, [['liaison', { action: 'forward' }]])).id;
  ids.D = (await aCase(d, [['liaison', { action: 'resolve', resolution: '支部答复' }], ['callback', { action: 'feedback', rating: 'basically_satisfied' }]])).id;
  ids.E = (await aCase(d, [['liaison', { action: 'withdraw', reason: '已协商' }]])).id;
  await eventually(async () => (await d.convener.get(`/api/v1/cases/${ids.C}`)).body.overdue, 20_000, 'C to escalate');
});
afterAll(async () => engine?.close());

const period = () => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`;

describe('measures, against hand-worked figures', () => {
  it('by unit', async () => {
    const res = await d.convener.get(`/api/v1/metrics?${period()}&groupBy=org`);
    expect(res.status).toBe(200);
    const byOrg = Object.fromEntries(res.body.rows.map((r: { key: string }) => [r.key, r]));
    // Per arrival (the full hand-worked fixture is tests/api/measures.test.ts). Branch: 5 registrations; 4 acceptance clocks
    // ended, all met (E's was cancelled by the withdrawal: not judged); it resolved D (basically satisfied, no solved answer).
    expect(byOrg[d.orgs.branch]).toMatchObject({
      label: '第一支部', received: 5, accepts_judged: 4, accepted_on_time: 4, resolved: 1, on_time: 1, overdue: 0, escalated: 0,
      feedback: 1, satisfied: 1, reopened: 0, response_rate: 1, on_time_rate: 1, resolution_rate: 0.2, satisfaction_rate: 1, solved_rate: null,
    });
    // 美团: A, B, C arrived; C missed its acceptance; A and B resolved on time; A satisfied, B dissatisfied (reopened).
    expect(byOrg[d.orgs.meituan]).toMatchObject({
      label: '美团平台党委', received: 3, accepts_judged: 3, accepted_on_time: 2, resolved: 2, on_time: 2, overdue: 1, escalated: 1,
      feedback: 2, satisfied: 1, reopened: 1, response_rate: 0.6667, on_time_rate: 1, resolution_rate: 0.6667, satisfaction_rate: 0.5,
    });
    // 市场监管局: B reopened there (l3_accept running): one arrival, still within its time: not judged yet — no data, not 0 %.
    expect(byOrg[d.orgs.market]).toMatchObject({
      received: 1, accepts_judged: 0, accepted_on_time: 0, resolved: 0, on_time: 0, overdue: 0, feedback: 0,
      response_rate: null, on_time_rate: null, resolution_rate: 0, satisfaction_rate: null, avg_handling_hours: null,
    });
    expect(Object.keys(byOrg)).toHaveLength(3);
  });

  it('by category (all five are DED): five cases, each counted once', async () => {
    const res = await d.convener.get(`/api/v1/metrics?${period()}&groupBy=category`);
    // Acceptance clocks ended: A, B and C 2 each (forward, platform), D 1; all met but C's platform one. B's reopening at the
    // department is not judged yet, E's cancelled clock never.
    expect(res.body.rows).toEqual([expect.objectContaining({
      key: 'DED', received: 5, accepts_judged: 7, accepted_on_time: 6, resolved: 3, on_time: 3, overdue: 1, escalated: 1, feedback: 3, satisfied: 2, reopened: 1,
    })]);
  });

  it('a unit sees only its own figures; hot spots grow against the previous period', async () => {
    const own = await d.meituan.get(`/api/v1/metrics?${period()}`);
    expect(own.body.rows.map((r: { key: string }) => r.key)).toEqual([d.orgs.meituan]);
    const hot = await d.convener.get(`/api/v1/metrics/hotspots?${period()}`);
    expect(hot.body.items).toEqual([{ category: 'DED', platform: '美团', area: '朝阳街道', count: 5, previous: 0, growth: 5 }]);
    expect((await d.convener.get('/api/v1/metrics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(400);
  });
});

describe('oversight', () => {
  it('the department sees what it holds or supervises, most overdue first, with its level history', async () => {
    const res = await d.market.get('/api/v1/oversight');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([ids.C, ids.B]);
    const [c, b] = res.body.items;
    expect(c).toMatchObject({ state: 'forwarded', supervised: true, overdue: true });
    expect(c.secondsLeft).toBeLessThan(0);
    expect(c.levelHistory.map((s: { level: string; orgId: string }) => [s.level, s.orgId])).toEqual([['branch', d.orgs.branch], ['platform', d.orgs.meituan]]);
    expect(c.levelHistory[0].leftAt).not.toBeNull();
    expect(b).toMatchObject({ state: 'handed_off', holderOrgId: d.orgs.market, returns: 0, transfers: 0, reopenings: 1 });
    expect(c).toMatchObject({ returns: 0, transfers: 0, reopenings: 0 });
    expect(c.hoursAtLevel.branch).toBeGreaterThanOrEqual(0);
    expect(Object.keys(b.hoursAtLevel)).toEqual(['branch', 'platform', 'department']);
    expect(b.secondsLeft).toBeGreaterThan(0);
    expect(b.worker.phone).toBe('138****1234');
    expect((await d.market.get(`/api/v1/oversight?orgId=${d.orgs.hr}`)).status).toBe(403);
    expect((await d.meituan.get('/api/v1/oversight')).status).toBe(403);
    expect((await d.convener.get(`/api/v1/oversight?orgId=${d.orgs.market}`)).body.items).toHaveLength(2);
  });
});

describe('a coordination meeting', () => {
  let meetingId: string;

  it('builds its agenda from the stuck cases, takes a decision, keeps minutes', async () => {
    // Committees do not read meetings; officers read those about their department (tests/api/meeting-schedules-and-reconciliation.test.ts).
    expect((await d.meituan.get('/api/v1/meetings')).status).toBe(403);
    const created = await d.convener.post('/api/v1/meetings', { title: '11月诉求处理协调会', periodFrom: from, periodTo: new Date(Date.now() + 3600_000).toISOString() });
    expect(created.status).toBe(201);
    meetingId = created.body.id;
    const agenda = Object.fromEntries(created.body.agenda.map((a: { caseId: string; reasons: string[] }) => [a.caseId, a.reasons]));
    expect(agenda).toEqual({ [ids.C]: ['escalated'], [ids.B]: ['reopened'] });
    expect(created.body.hotSpots[0]).toMatchObject({ category: 'DED', growth: 5 });

    const decided = await d.convener.post(`/api/v1/meetings/${meetingId}/decisions`, {
      caseId: ids.C, leadOrgId: d.orgs.market, amount: 3, unit: 'working_days', decision: '由市场监管局牵头，三个工作日内答复',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ state: 'department_handling', holderOrgId: d.orgs.market, overdue: false });
    const events = (await d.convener.get(`/api/v1/cases/${ids.C}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ action: 'assign_lead', data: { meetingId, leadOrgId: d.orgs.market } });
    const notOnAgenda = await d.convener.post(`/api/v1/meetings/${meetingId}/decisions`, {
      caseId: ids.A, leadOrgId: d.orgs.market, amount: 1, unit: 'working_days', decision: 'x',
    });
    expect(notOnAgenda.status).toBe(404);

    const minutes = await d.convener.put(`/api/v1/meetings/${meetingId}/minutes`, { attendees: ['社会工作部', '市场监管局', '美团'], minutes: '会议决定如下。' });
    expect(minutes.body).toMatchObject({ attendees: ['社会工作部', '市场监管局', '美团'], minutes: '会议决定如下。' });
    expect(minutes.body.agenda.find((a: { caseId: string }) => a.caseId === ids.C).decision).toMatchObject({ leadOrgId: d.orgs.market, amount: 3 });
  });

  it('exports xlsx with Chinese headers, masked phones, every case of the period and its level timeline', async () => {
    const res = await engine.app.inject({ method: 'GET', url: `/api/v1/meetings/${meetingId}/export?format=xlsx`, headers: { authorization: `Bearer ${await convenerToken()}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['系统性问题 Systemic issues', '汇总 Summary', '议程 Agenda', '问责 Accountability', '案件 Cases']);
    const cases = book.getWorksheet('案件 Cases')!;
    expect(cases.getRow(1).values).toEqual([undefined, '案件编号 Reference', '状态 State', '当前层级 Level', '承办单位 Holder', '类别 Category',
      '平台 Platform', '区域 Area', '紧急程度 Urgency', '渠道 Channel', '劳动者 Worker', '联系电话 Phone', '登记时间 Registered',
      '结案时间 Closed', '评价 Rating', '超期 Overdue', '层级流转 Level timeline']);
    expect(cases.rowCount).toBe(6);
    const rowA = cases.getRow(2).values as string[];
    expect(rowA[2]).toBe('已结案');
    expect(rowA[10]).toBe('张*');
    expect(rowA[11]).toBe('138****1234');
    expect(rowA[14]).toBe('满意');
    expect(rowA[16]).toMatch(/^支部·第一支部 \d\d-\d\d \d\d:\d\d → 平台·美团平台党委 /);
    const summary = book.getWorksheet('汇总 Summary')!;
    expect(summary.getRow(2).getCell(2).value).toBe('到达量 Received');
    const agenda = book.getWorksheet('议程 Agenda')!;
    expect(agenda.rowCount).toBe(3);
    for (const sheet of book.worksheets) sheet.eachRow((row) => expect(JSON.stringify(row.values)).not.toContain('13812341234'));
  });

  it('exports csv with a BOM and md for the minutes, with no personal data', async () => {
    const token = await convenerToken();
    const csv = await engine.app.inject({ method: 'GET', url: `/api/v1/meetings/${meetingId}/export?format=csv`, headers: { authorization: `Bearer ${token}` } });
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // The header, a line per case, and the record's anchor last.
    const lines = csv.body.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toMatch(/^记录锚点 Record anchor: /);
    expect(csv.body).toContain('138****1234');
    expect(csv.body).not.toContain('13812341234');
    const md = await engine.app.inject({ method: 'GET', url: `/api/v1/meetings/${meetingId}/export?format=md`, headers: { authorization: `Bearer ${token}` } });
    expect(md.body).toContain('# 11月诉求处理协调会');
    expect(md.body).toContain('由市场监管局牵头');
    expect(md.body).not.toContain('13812341234');
  });

  it('a large export runs as a job with progress, and the finished file is downloadable', async () => {
    const started = await d.convener.post(`/api/v1/meetings/${meetingId}/exports`, { format: 'xlsx' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued' });
    const done = await eventually(async () => {
      const job = await d.convener.get(`/api/v1/exports/${started.body.id}`);
      return job.body.status === 'done' ? job.body : null;
    }, 20_000, 'the export job');
    expect(done).toMatchObject({ progress: 100, downloadUrl: `/api/v1/exports/${started.body.id}/file` });
    const file = await engine.app.inject({ method: 'GET', url: done.downloadUrl, headers: { authorization: `Bearer ${await convenerToken()}` } });
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(book.getWorksheet('案件 Cases')!.rowCount).toBe(6);
  });
});

let token: string | null = null;
async function convenerToken(): Promise<string> {
  if (!token) {
    const res = await engine.app.inject({
      method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { name: '导出协调员', orgId: d.orgs.convener, role: 'convener' },
    });
    token = JSON.parse(res.body).token;
  }
  return token!;
}
