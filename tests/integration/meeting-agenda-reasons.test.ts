/**
 * Every agenda reason the chart produces reaches the meeting and its exports named in Chinese
 * (API.md: "every export names each in Chinese"). A case that reached the transfer limit and one
 * whose supervision order was missed (a 2-second order, with real deadline workers) are on the
 * agenda; the xlsx, md and csv exports and a queued export job all finish.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, uniformSla, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';
import { AGENDA_REASONS, AGENDA_REASON_LABELS } from '../../workflows/case-rules.js';

let engine: TestEngine;
let d: District;
let from: string;
let meetingId: string;
const ids = { transfers: '', supervision: '' };

beforeAll(async () => {
  engine = await startTestEngine({ runWorkers: true, sweepIntervalMs: 1000 });
  d = await aDistrict(engine.app, { amount: 1, unit: 'hours' });
  await d.admin.put('/api/v1/sla-policies', [...uniformSla({ amount: 1, unit: 'hours' }), { step: 'supervision_min', amount: 1, unit: 'seconds' }]);
  from = new Date(Date.now() - 60_000).toISOString();
  // Three transfers between the two platforms the worker names: the third puts the case on the agenda.
  ids.transfers = (await aCase(d, [
    ['liaison', { action: 'forward' }],
    ['meituan', { action: 'transfer', toOrgId: d.orgs.eleme, reason: '一' }],
    ['eleme', { action: 'transfer', toOrgId: d.orgs.meituan, reason: '二' }],
    ['meituan', { action: 'transfer', toOrgId: d.orgs.eleme, reason: '三' }],
  ])).id;
  ids.supervision = (await aCase(d, [
    ['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '需部门处理' }],
    ['market', { action: 'accept' }], ['market', { action: 'supervise', instructions: '限期整改', amount: 2, unit: 'seconds' }],
  ])).id;
  await eventually(async () => (await d.convener.get(`/api/v1/cases/${ids.supervision}`)).body.onMeetingAgenda, 15_000, 'the missed supervision order');
  const created = await d.convener.post('/api/v1/meetings', { title: '转办与督办', periodFrom: from, periodTo: new Date(Date.now() + 3600_000).toISOString() });
  expect(created.status).toBe(201);
  meetingId = created.body.id;
}, 30_000);
afterAll(async () => engine?.close());

const zh = (reason: keyof typeof AGENDA_REASON_LABELS) => AGENDA_REASON_LABELS[reason][0];
const download = (url: string) => engine.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${d.convener.token}` } });

describe('a meeting over transfer-limit and missed-supervision cases', () => {
  it('has both on its agenda with their reasons, which the OpenAPI document lists as the nine', async () => {
    const meeting = (await d.convener.get(`/api/v1/meetings/${meetingId}`)).body;
    const reasons = Object.fromEntries(meeting.agenda.map((a: { caseId: string; reasons: string[] }) => [a.caseId, a.reasons]));
    expect(reasons).toEqual({ [ids.transfers]: ['transfer_limit'], [ids.supervision]: ['escalated', 'supervision_missed'] });
    const doc = (await engine.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const item = doc.paths['/api/v1/meetings/{id}'].get.responses['200'].content['application/json'].schema.properties.agenda.items;
    expect(item.properties.reasons.items.enum).toEqual([...AGENDA_REASONS]);
  });

  it('exports xlsx whose reasons column names each reason in Chinese', async () => {
    const res = await download(`/api/v1/meetings/${meetingId}/export?format=xlsx`);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const agenda = book.getWorksheet('议程 Agenda')!;
    expect(agenda.getRow(1).getCell(8).value).toBe('上会原因 Reasons');
    const byReference = new Map<string, string>();
    agenda.eachRow((row, n) => { if (n > 1) byReference.set(String(row.getCell(1).value), String(row.getCell(8).value)); });
    const reference = async (id: string) => (await d.convener.get(`/api/v1/cases/${id}`)).body.reference as string;
    expect(byReference.get(await reference(ids.transfers))).toBe(zh('transfer_limit'));
    expect(byReference.get(await reference(ids.supervision))).toBe(`${zh('escalated')}、${zh('supervision_missed')}`);
  });

  it('exports the accountability list (问责): the missed supervision order with the platform held to account, in xlsx and md', async () => {
    const reference = (await d.convener.get(`/api/v1/cases/${ids.supervision}`)).body.reference as string;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(`/api/v1/meetings/${meetingId}/export?format=xlsx`)).rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.getWorksheet('问责 Accountability')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
    expect(rows[0]).toEqual(['案件编号 Reference', '被问责单位 Unit', '超期环节 Step', '到期时间 Due', '超期时间 Missed', '超期小时 Hours late',
      '至今未办理 Still not acted', '协调会决定 Decision']);
    expect(rows.find((r) => r[0] === reference && r[2] === '督办期限')).toMatchObject({ 1: '美团平台党委' });
    const md = (await download(`/api/v1/meetings/${meetingId}/export?format=md`)).body;
    expect(md).toMatch(/## 问责 Accountability（[1-9]/);
    expect(md).toContain(`| ${reference} | 美团平台党委 | 督办期限 |`);
  });

  it('exports md with the reasons in Chinese, and csv with every case of the period', async () => {
    const md = await download(`/api/v1/meetings/${meetingId}/export?format=md`);
    expect(md.statusCode).toBe(200);
    expect(md.body).toContain(zh('transfer_limit'));
    expect(md.body).toContain(zh('supervision_missed'));
    const csv = await download(`/api/v1/meetings/${meetingId}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    // The header, a line per case, the record's anchor.
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('a queued export job finishes', async () => {
    const started = await d.convener.post(`/api/v1/meetings/${meetingId}/exports`, { format: 'xlsx' });
    expect(started.status).toBe(202);
    const job = await eventually(async () => {
      const j = (await d.convener.get(`/api/v1/exports/${started.body.id}`)).body;
      return j.status === 'done' || j.status === 'failed' ? j : null;
    }, 20_000, 'the export job');
    expect(job).toMatchObject({ status: 'done', error: null });
    const file = await download(job.downloadUrl);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(book.getWorksheet('议程 Agenda')!.rowCount).toBe(3);
  });
});
