/**
 * The case rules that used to live in two places (the chart and the engine), each through the
 * public API as a user meets it: every test here failed before the chart decided every effect.
 */
import { describe, expect, it } from 'vitest';
import { aCase, aGrievance, districtPerFile } from '../support/builders.js';

const file = districtPerFile();

const atPlatform: Parameters<typeof aCase>[1] = [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }]];

describe('extension requests', () => {
  it('a pending request dies when the case is handed off; the department can ask for its own', async () => {
    const c = await aCase(file.d, [...atPlatform, ['meituan', { action: 'request_extension', amount: 2, unit: 'working_days', reason: '调取数据' }]]);
    const handedOff = await file.d.meituan.act(c.id, { action: 'hand_off', reason: '需部门处理' });
    expect(handedOff.status).toBe(200);
    expect((await file.d.market.act(c.id, { action: 'accept' })).status).toBe(200);
    const asked = await file.d.market.act(c.id, { action: 'request_extension', amount: 1, unit: 'working_days', reason: '需会商' });
    expect(asked.status).toBe(200);
    const approved = await file.d.convener.act(c.id, { action: 'approve_extension', reason: '同意' });
    expect(approved.status).toBe(200);
  });

  it('a pending request dies on a transfer and on a return', async () => {
    const transferred = await aCase(file.d, [...atPlatform, ['meituan', { action: 'request_extension', amount: 2, unit: 'working_days', reason: 'r' }],
      ['meituan', { action: 'transfer', toOrgId: file.d.orgs.eleme, reason: '饿了么订单' }], ['eleme', { action: 'accept' }]]);
    expect((await file.d.eleme.act(transferred.id, { action: 'request_extension', amount: 1, unit: 'working_days', reason: 'r' })).status).toBe(200);
  });
});

describe('withdraw', () => {
  it('is refused once the case is resolved: the worker\'s feedback is due', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'resolve', resolution: '支部已答复' }]]);
    const res = await file.d.liaison.act(c.id, { action: 'withdraw', reason: '不想等了' });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('cannot be withdrawn');
  });
});

describe('transfers', () => {
  it('a transfer to another platform changes the case\'s platform', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }], ['meituan', { action: 'transfer', toOrgId: file.d.orgs.eleme, reason: '饿了么订单' }]]);
    expect(c).toMatchObject({ platform: '饿了么', holderOrgId: file.d.orgs.eleme, platformOrgId: file.d.orgs.eleme });
  });

  it('at most three per case, platform and department together: the third goes on the agenda, a fourth is 422', async () => {
    const c = await aCase(file.d, [
      ['liaison', { action: 'forward' }],
      ['meituan', { action: 'transfer', toOrgId: file.d.orgs.eleme, reason: '一' }],
      ['eleme', { action: 'accept' }], ['eleme', { action: 'hand_off', reason: '部门' }],
      ['market', { action: 'transfer', toOrgId: file.d.orgs.hr, reason: '二' }],
    ]);
    expect(c.onMeetingAgenda).toBe(false);
    const third = await file.d.hr.act(c.id, { action: 'transfer', toOrgId: file.d.orgs.market, reason: '三' });
    expect(third.body).toMatchObject({ onMeetingAgenda: true, holderOrgId: file.d.orgs.market });
    const fourth = await file.d.market.act(c.id, { action: 'transfer', toOrgId: file.d.orgs.hr, reason: '四' });
    expect(fourth.status).toBe(422);
    expect(fourth.body.message).toContain('at most 3 transfers');
    const events = (await file.d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.filter((e: { action: string }) => e.action === 'transfer')).toHaveLength(3);
    expect(events.at(-1).data).toMatchObject({ agendaReason: 'transfer_limit' });
  });

  it('goes only to a platform the case names or the routing rules pick, never a competitor', async () => {
    const competitor = (await file.d.admin.post('/api/v1/orgs', { name: '滴滴平台党委', type: 'platform', platform: '滴滴' })).body.id;
    const c = await aCase(file.d, [['liaison', { action: 'forward' }]], aGrievance({ worker: { workerType: 'delivery', platforms: ['美团'] } }));
    const transfer = await file.d.meituan.act(c.id, { action: 'transfer', toOrgId: competitor, reason: '转' });
    expect(transfer.status).toBe(422);
    expect(transfer.body.message).toContain('toOrgId');
    const forward = await file.d.liaison.act((await aCase(file.d)).id, { action: 'forward', toOrgId: competitor });
    expect(forward.status).toBe(422);
  });
});

describe('requests for information', () => {
  it('the branch liaison answers a platform\'s question; the clock resumes', async () => {
    const c = await aCase(file.d, [...atPlatform, ['meituan', { action: 'request_info', question: '请提供订单截图' }]]);
    expect(c.allowedActions).toEqual(['resume', 'assign']);
    const liaisonView = (await file.d.liaison.get(`/api/v1/cases/${c.id}`)).body;
    expect(liaisonView.allowedActions).toContain('provide_info');
    const answered = await file.d.liaison.act(c.id, { action: 'provide_info', answer: '截图已上传' });
    expect(answered.body).toMatchObject({ state: 'platform_handling' });
    expect(answered.body.deadlines.find((x: { step: string }) => x.step === 'l2_resolve').status).toBe('pending');
    // Another branch's liaison may not answer.
    const other = await aCase(file.d, [...atPlatform, ['meituan', { action: 'request_info', question: '?' }]]);
    const stranger = await file.d.otherLiaison.post(`/api/v1/cases/${other.id}/actions`, { action: 'provide_info', answer: 'x' }, { 'if-match': String(other.version) });
    expect(stranger.status).toBe(404);
  });

  it('a case waiting for information can still receive a meeting decision', async () => {
    const c = await aCase(file.d, [...atPlatform, ['meituan', { action: 'request_info', question: '?' }]]);
    const decided = await file.d.convener.act(c.id, { action: 'assign_lead', leadOrgId: file.d.orgs.hr, amount: 5, unit: 'working_days', decision: '人社局牵头' });
    expect(decided.body).toMatchObject({ state: 'department_handling', holderOrgId: file.d.orgs.hr });
    expect(decided.body.deadlines.filter((x: { status: string }) => x.status === 'paused')).toEqual([]);
  });
});

describe('meeting decisions and supervision orders', () => {
  it('a meetingId must be a meeting whose agenda holds the case', async () => {
    const c = await aCase(file.d);
    const res = await file.d.convener.act(c.id, {
      action: 'assign_lead', leadOrgId: file.d.orgs.hr, amount: 5, unit: 'working_days', decision: 'd', meetingId: '00000000-0000-4000-8000-000000000000',
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('meetingId');
  });

  it('a supervision order may not be shorter than the supervision_min policy', async () => {
    const c = await aCase(file.d, [...atPlatform, ['meituan', { action: 'hand_off', reason: 'r' }], ['market', { action: 'accept' }]]);
    const tooShort = await file.d.market.act(c.id, { action: 'supervise', instructions: '立即整改', amount: 1, unit: 'seconds' });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.message).toContain('supervision_min');
    const ok = await file.d.market.act(c.id, { action: 'supervise', instructions: '两日内整改', amount: 2, unit: 'working_days' });
    expect(ok.body).toMatchObject({ state: 'platform_handling', supervised: true, supervisingOrgId: file.d.orgs.market });
    expect(ok.body.deadlines.find((x: { status: string }) => x.status === 'pending')).toMatchObject({ step: 'supervision' });
  });
});

describe('merges', () => {
  it('by reference number', async () => {
    const target = await aCase(file.d);
    const duplicate = await aCase(file.d, [['liaison', { action: 'merge', intoReference: target.reference }]]);
    expect(duplicate).toMatchObject({ state: 'merged', mergedInto: target.id });
  });

  it('two opposing merges at once never deadlock: one succeeds, the other is refused', async () => {
    for (let i = 0; i < 5; i++) {
      const a = await aCase(file.d);
      const b = await aCase(file.d);
      const [ab, ba] = await Promise.all([
        file.d.liaison.post(`/api/v1/cases/${a.id}/actions`, { action: 'merge', intoCaseId: b.id }, { 'if-match': String(a.version) }),
        file.d.liaison.post(`/api/v1/cases/${b.id}/actions`, { action: 'merge', intoCaseId: a.id }, { 'if-match': String(b.version) }),
      ]);
      expect([ab.status, ba.status].sort()).toEqual([200, 422]);
    }
  });
});

describe('the record', () => {
  it('each event\'s data is typed by its action, never the request body', async () => {
    const c = await aCase(file.d, [...atPlatform, ['meituan', { action: 'resolve', resolution: '已退款' }], ['liaison', { action: 'feedback', rating: 'satisfied', solved: 'yes' }]]);
    const events = (await file.d.convener.get(`/api/v1/cases/${c.id}/events`)).body.items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['register', 'forward', 'accept', 'resolve', 'feedback']);
    for (const e of events) {
      expect(e.schemaVersion).toBe(3);
      expect(e.data).not.toHaveProperty('action');
      expect(e.data).not.toHaveProperty('role');
    }
    // Personal fields show their text, masked by role, never a digest (the digests are the export's).
    expect(events[0].data).toMatchObject({ reference: c.reference, anonymous: false, workerPhone: '138****1234' });
    expect(JSON.stringify(events)).not.toContain('13812341234');
    expect(JSON.stringify(events)).not.toContain('hmac-sha256');
    expect(events[4].data).toMatchObject({ rating: 'satisfied', solved: 'yes', resolvedByOrgId: file.d.orgs.meituan });
    const [row] = await file.engine.runtime.database.sql`select rating, solved, resolved_by_org_id from case_events where case_id = ${c.id} and action = 'feedback'`;
    expect(row).toEqual({ rating: 'satisfied', solved: 'yes', resolvedByOrgId: file.d.orgs.meituan });
  });

  it('registration keys keep no personal data', async () => {
    await file.d.liaison.post('/api/v1/cases', aGrievance(), { 'idempotency-key': 'receipt-42' });
    const rows = await file.engine.runtime.database.sql`select * from idempotency_keys where key = 'receipt-42'`;
    expect(JSON.stringify(rows)).not.toContain('张三');
    expect(JSON.stringify(rows)).not.toContain('13812341234');
    expect(rows[0].caseId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors name their rule and field (API.md: code, field)', () => {
  it('a missing field, an unknown one, a stale version, a refused action, a unit at fault', async () => {
    const c = await aCase(file.d, [['liaison', { action: 'forward' }]]);
    const post = (who: typeof file.d.liaison, body: Record<string, unknown>, version = c.version) =>
      who.post(`/api/v1/cases/${c.id}/actions`, body, { 'if-match': String(version) });
    expect((await post(file.d.meituan, { action: 'return' })).body).toMatchObject({ statusCode: 400, code: 'field_required', field: 'body.reason' });
    expect((await post(file.d.meituan, { action: 'accept', colour: 'red' })).body).toMatchObject({ statusCode: 400, code: 'field_unknown' });
    expect((await post(file.d.meituan, { action: 'accept' }, c.version - 1)).body).toMatchObject({ statusCode: 409, code: 'version_stale' });
    expect((await post(file.d.meituan, { action: 'resolve', resolution: 'x' })).body).toMatchObject({ statusCode: 422, code: 'action_not_allowed' });
    const competitor = await post(file.d.meituan, { action: 'transfer', toOrgId: file.d.orgs.market, reason: 'x' });
    expect(competitor.body).toMatchObject({ statusCode: 400, code: 'field_invalid', field: 'toOrgId' });
    expect((await file.d.liaison.get('/api/v1/cases/00000000-0000-4000-8000-000000000000')).body).toMatchObject({ statusCode: 404, code: 'not_found' });
  });
});
