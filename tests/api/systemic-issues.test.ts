/** Systemic issues: hot spots as candidates, one decision for every linked case, listed first in exports. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, type District } from '../support/builders.js';
import { AGENDA_REASON_LABELS, LEAD_ORG_TYPES } from '../../workflows/case-rules.js';

let engine: TestEngine;
let d: District;
let from: string;
const to = () => new Date(Date.now() + 3600_000).toISOString();
const ids: string[] = [];
let closedId: string;

beforeAll(async () => {
  engine = await startTestEngine();
  d = await aDistrict(engine.app);
  from = new Date(Date.now() - 60_000).toISOString();
  // Five open cases on one hot spot (DED × 美团 × 朝阳街道), one on another area, one closed.
  for (let i = 0; i < 5; i++) ids.push((await aCase(d, [['liaison', { action: 'forward' }]])).id);
  await aCase(d, [], aGrievance({ area: '望京街道' }));
  closedId = (await aCase(d, [['liaison', { action: 'withdraw', reason: '已协商' }]])).id;
});
afterAll(async () => engine?.close());

const list = (q = '') => d.convener.get(`/api/v1/systemic-issues?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to())}${q}`);

describe('systemic issues', () => {
  it('suggests a hot spot with five or more open cases (threshold configurable) as a candidate', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(res.body.minCases).toBe(5);
    expect(res.body.candidates).toHaveLength(1);
    expect(res.body.candidates[0]).toMatchObject({ category: 'DED', platform: '美团', area: '朝阳街道', openCases: 5 });
    expect([...res.body.candidates[0].caseIds].sort()).toEqual([...ids].sort());
    expect((await list('&minCases=6')).body.candidates).toEqual([]);
    expect((await list('&minCases=1')).status).toBe(400);
    expect((await d.market.get('/api/v1/systemic-issues')).status).toBe(403);
  });

  it('links two or more open cases; refuses one case, a final case, or a caller who is not the convener', async () => {
    expect((await d.convener.post('/api/v1/systemic-issues', { title: '暴雨天扣款', caseIds: [ids[0]] })).status).toBe(400);
    expect((await d.convener.post('/api/v1/systemic-issues', { title: '暴雨天扣款', caseIds: [ids[0], ids[0]] })).status).toBe(400);
    const final = await d.convener.post('/api/v1/systemic-issues', { title: '暴雨天扣款', caseIds: [ids[0], closedId] });
    expect(final.status).toBe(422);
    expect(final.body.message).toContain('withdrawn');
    expect((await d.liaison.post('/api/v1/systemic-issues', { title: '暴雨天扣款', caseIds: ids })).status).toBe(403);

    const created = await d.convener.post('/api/v1/systemic-issues', { title: '暴雨天配送超时扣款', caseIds: ids.slice(0, 3) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: '暴雨天配送超时扣款', decision: null });
    expect(created.body.cases.map((c: { id: string }) => c.id).sort()).toEqual(ids.slice(0, 3).sort());
    // Linked cases are no longer candidates: two left, under the threshold.
    expect((await list()).body.candidates).toEqual([]);
    expect((await list()).body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
  });

  it('one decision applies assign_lead to every linked case (one event each), through the meeting; the export lists it first', async () => {
    const issue = (await list()).body.items[0];
    const meeting = await d.convener.post('/api/v1/meetings', { title: '专题协调会', periodFrom: from, periodTo: to() });
    expect(meeting.status).toBe(201);
    const decision = { leadOrgId: d.orgs.market, amount: 5, unit: 'working_days', decision: '由市场监管局牵头统一处理暴雨天扣款', meetingId: meeting.body.id };
    expect((await d.meituan.post(`/api/v1/systemic-issues/${issue.id}/decision`, decision)).status).toBe(403);
    expect((await d.convener.post(`/api/v1/systemic-issues/${issue.id}/decision`, { ...decision, leadOrgId: d.orgs.convener })).status).toBe(400);

    const decided = await d.convener.post(`/api/v1/systemic-issues/${issue.id}/decision`, decision);
    expect(decided.status).toBe(200);
    expect(decided.body.issue.decision).toMatchObject({ leadOrgId: d.orgs.market, amount: 5, unit: 'working_days', meetingId: meeting.body.id });
    expect(decided.body.cases).toHaveLength(3);
    for (const id of ids.slice(0, 3)) {
      const c = (await d.convener.get(`/api/v1/cases/${id}`)).body;
      expect(c).toMatchObject({ holderOrgId: d.orgs.market, level: 'department' });
      const leads = (await d.convener.get(`/api/v1/cases/${id}/events`)).body.items.filter((e: { action: string }) => e.action === 'assign_lead');
      expect(leads).toHaveLength(1);
      expect(leads[0].data).toMatchObject({ leadOrgId: d.orgs.market, meetingId: meeting.body.id });
    }
    const agenda = (await d.convener.get(`/api/v1/meetings/${meeting.body.id}`)).body.agenda;
    expect(agenda.filter((a: { reasons: string[] }) => a.reasons.includes('systemic_issue'))).toHaveLength(3);

    const md = await engine.app.inject({
      method: 'GET', url: `/api/v1/meetings/${meeting.body.id}/export?format=md`, headers: { authorization: `Bearer ${d.convener.token}` },
    });
    expect(md.statusCode).toBe(200);
    const body = md.body;
    expect(body).toContain('暴雨天配送超时扣款');
    expect(body.indexOf('## 系统性问题 Systemic issues')).toBeGreaterThan(0);
    expect(body.indexOf('## 系统性问题 Systemic issues')).toBeLessThan(body.indexOf('## 考核指标 Measures'));
    expect(body).toContain(`| ${AGENDA_REASON_LABELS.systemic_issue[0]} |`);
  });

  it('may name any unit a meeting decision may name (LEAD_ORG_TYPES), a street office too', async () => {
    const street = await d.admin.post('/api/v1/orgs', { name: '朝阳街道办事处', type: 'territorial', areas: ['朝阳街道'] });
    expect(street.status).toBe(201);
    const issue = await d.convener.post('/api/v1/systemic-issues', { title: '驿站不足', caseIds: ids.slice(3) });
    const decided = await d.convener.post(`/api/v1/systemic-issues/${issue.body.id}/decision`, {
      leadOrgId: street.body.id, amount: 5, unit: 'working_days', decision: '由街道牵头统一处理',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.cases.map((c: { holderOrgId: string; level: string }) => [c.holderOrgId, c.level]))
      .toEqual([[street.body.id, 'platform'], [street.body.id, 'platform']]);
    expect(LEAD_ORG_TYPES).toContain('territorial');
  });
});
