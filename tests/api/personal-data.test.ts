/** Issue 12: numbers masked in free text and short numbers, the audited reveal, retention, formula-safe exports. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { aCase, aGrievance, districtPerFile } from '../support/builders.js';
import { eraseExpiredContacts } from '../../src/privacy/contact-retention.js';

const file = districtPerFile();

const TEXT = '骑手电话13912345678，身份证11010119900307123X，站点座机010-62345678，7月5日扣款1200元';

describe('masking', () => {
  it('phone and ID numbers in free text are masked for every role that sees masked contacts', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }],
      ['meituan', { action: 'request_info', question: '请提供联系人电话 13812341234' }], ['meituan', { action: 'resume', answer: '已联系 138-1234-1234' }],
      ['meituan', { action: 'resolve', resolution: `已回电 13912345678，证件 11010119900307123X` }]], aGrievance({ description: TEXT }));
    for (const who of [file.d.meituan, file.d.convener]) {
      const seen = (await who.get(`/api/v1/cases/${c.id}`)).body;
      expect(seen.description).toBe('骑手电话139****5678，身份证**************123X，站点座机*******5678，7月5日扣款1200元');
      expect(seen.resolution).toBe('已回电 139****5678，证件 **************123X');
      expect(seen.worker).toMatchObject({ name: '张*', phone: '138****1234' });
      const events = JSON.stringify((await who.get(`/api/v1/cases/${c.id}/events`)).body);
      expect(events).not.toMatch(/13812341234|1234-1234|13912345678|0307123X/);
      expect(events).toContain('138****1234');
      const listed = (await who.get('/api/v1/cases')).body.items.find((i: { id: string }) => i.id === c.id);
      expect(listed.description).not.toContain('13912345678');
    }
    const own = (await file.d.liaison.get(`/api/v1/cases/${c.id}`)).body;
    expect(own.description).toBe(TEXT);
    expect(own.worker).toMatchObject({ name: '张三', phone: '13812341234' });
    expect(JSON.stringify((await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body)).toContain('13812341234');
  });

  it('short numbers keep at most their last 4 digits', async () => {
    for (const [phone, shown] of [['6234567', '***4567'], ['123-4567', '***4567'], ['010-62345678', '*******5678'], ['+86 139 1234 5678', '139****5678']]) {
      const c = await aCase(file.d, [['liaison', { action: 'forward' }]], aGrievance({ worker: { name: '李四', phone, workerType: 'delivery', platforms: ['美团'] } }));
      expect((await file.d.meituan.get(`/api/v1/cases/${c.id}`)).body.worker.phone, phone).toBe(shown);
    }
  });
});

describe('reveal with audit', () => {
  it('the registering liaison and the current holder reveal with a reason; each reveal is listed', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]]);
    const byHolder = await file.d.meituan.post(`/api/v1/cases/${c.id}/reveal`, { reason: '回访劳动者' });
    expect(byHolder.status).toBe(200);
    expect(byHolder.body).toEqual({ name: '张三', phone: '13812341234' });
    expect(byHolder.headers['cache-control']).toBe('no-store');
    expect((await file.d.liaison.post(`/api/v1/cases/${c.id}/reveal`, { reason: '通知结果' })).status).toBe(200);
    expect((await file.d.convener.post(`/api/v1/cases/${c.id}/reveal`, { reason: '想看看' })).status).toBe(403);
    expect((await file.d.otherLiaison.post(`/api/v1/cases/${c.id}/reveal`, { reason: '想看看' })).status).toBe(404);
    expect((await file.d.meituan.post(`/api/v1/cases/${c.id}/reveal`, {})).status).toBe(400);
    const log = await file.d.convener.get('/api/v1/audit/reveals');
    expect(log.status).toBe(200);
    const rows = log.body.items.filter((r: { caseId: string }) => r.caseId === c.id);
    expect(rows.map((r: { reason: string }) => r.reason).sort()).toEqual(['回访劳动者', '通知结果']);
    expect(rows[0]).toMatchObject({ reference: c.reference, userId: expect.any(String), at: expect.any(String) });
    expect(JSON.stringify(log.body)).not.toContain('13812341234');
    expect((await file.d.admin.get('/api/v1/audit/reveals?from=2020-01-01T00:00:00Z')).status).toBe(200);
    expect((await file.d.meituan.get('/api/v1/audit/reveals')).status).toBe(403);
  });

  it('422 for an anonymous grievance', async () => {
    const c = await aCase(file.d, [], aGrievance({ worker: { anonymous: true, workerType: 'delivery', platforms: ['美团'] } }));
    expect((await file.d.liaison.post(`/api/v1/cases/${c.id}/reveal`, { reason: '联系' })).status).toBe(422);
  });
});

describe('retention', () => {
  it('erases the contact PII_RETENTION_DAYS after closure; the record stays', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'resolve', resolution: '当场解决' }], ['callback', { action: 'feedback', rating: 'satisfied' }]]);
    const open = await aCase(file.d);
    const sql = file.engine.runtime.database.sql;
    const eventsBefore = (await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(await eraseExpiredContacts(sql, 1095)).toBe(0);
    await sql`update cases set closed_at = now() - interval '1096 days' where id = ${c.id}`;
    expect(await eraseExpiredContacts(sql, 1095)).toBe(1);
    const after = (await file.d.liaison.get(`/api/v1/cases/${c.id}`)).body;
    expect(after.worker).toMatchObject({ name: null, phone: null });
    expect((await file.d.liaison.post(`/api/v1/cases/${c.id}/reveal`, { reason: '回访' })).status).toBe(422);
    // The record stays whole: the same events and hashes; only the contact's text beside the chain is gone.
    const eventsAfter = (await file.d.liaison.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(eventsBefore[0].data).toMatchObject({ workerName: '张三', workerPhone: '13812341234' });
    expect(eventsAfter[0].data).toMatchObject({ workerName: null, workerPhone: null });
    expect(eventsAfter.map((e: { hash: string }) => e.hash)).toEqual(eventsBefore.map((e: { hash: string }) => e.hash));
    expect((await file.d.convener.get(`/api/v1/audit/verify?caseId=${c.id}`)).body).toMatchObject({ ok: true });
    expect((await file.d.liaison.get(`/api/v1/cases/${open.id}`)).body.worker.phone).toBe('13812341234');
    expect(await eraseExpiredContacts(sql, 1095)).toBe(0);
  });
});

describe('exports', () => {
  it('cells that would run as formulas start with an apostrophe, in csv and xlsx', async () => {
    const c = await aCase(file.d, [], aGrievance({ area: '=HYPERLINK("http://evil.example","点我")' }));
    const meeting = await file.d.convener.post('/api/v1/meetings', {
      title: '@SUM(1+1)', periodFrom: new Date(Date.now() - 3600_000).toISOString(), periodTo: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(meeting.status).toBe(201);
    const csv = await file.engine.app.inject({ method: 'GET', url: `/api/v1/meetings/${meeting.body.id}/export?format=csv`, headers: { authorization: `Bearer ${file.d.convener.token}` } });
    expect(csv.statusCode).toBe(200);
    const line = csv.body.split('\r\n').find((l) => l.startsWith(c.reference))!;
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(csv.body).not.toMatch(/(^|,)"?=/m);
    const xlsx = await file.engine.app.inject({ method: 'GET', url: `/api/v1/meetings/${meeting.body.id}/export?format=xlsx`, headers: { authorization: `Bearer ${file.d.convener.token}` } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const values: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => { values.push(String(cell.value)); })));
    expect(values).toContain('\'=HYPERLINK("http://evil.example","点我")');
    expect(values).toContain("'@SUM(1+1)");
    expect(values.filter((v) => /^[=+\-@\t\r]/.test(v))).toEqual([]);
  });
});
