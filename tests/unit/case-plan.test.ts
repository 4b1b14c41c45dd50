/**
 * A transition's plan as a value: the chart's effects worked out against the facts of a case,
 * with no database. Each test prints what a writer would apply and compares it whole.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../../src/calendar/working-calendar.js';
import { planTransition, type CaseFacts, type PlanSettings, type TransitionInput } from '../../src/cases/case-plan.js';
import type { CaseRow } from '../../src/cases/case-store.js';
import type { DeadlineRow } from '../../src/deadlines/deadline-store.js';
import { DEFAULT_SLA_POLICIES } from '../../src/deadlines/sla-policies.js';
import { directoryOf, type DirectoryOrg } from '../../src/orgs/org-directory.js';
import { decide, restoreCase, stateOf, type CaseEvent } from '../../workflows/case-machine.js';
import { CLOCKS, type CaseState, type DeadlineStep } from '../../workflows/case-rules.js';

const at = new Date('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Beijing
const org = (id: string, type: DirectoryOrg['type'], extra: Partial<DirectoryOrg> = {}): DirectoryOrg => ({
  id, name: id, type, parentId: null, platform: null, sectors: [], areas: [], services: [], active: true, channels: [], defaultBranchId: null, ...extra,
});
const settings: PlanSettings = {
  rules: [{ step: 'forward', match: { platform: '美团' }, toOrgId: 'meituan', toOrgType: 'platform' }, { step: 'hand_off', match: {}, toOrgId: 'market' }],
  policies: DEFAULT_SLA_POLICIES,
  calendar: new WorkingCalendar(),
  orgs: directoryOf([org('branch', 'branch'), org('meituan', 'platform', { platform: '美团', channels: ['wecom'] }), org('market', 'department')]),
};

const row = (state: CaseState, extra: Partial<CaseRow> = {}): CaseRow => ({
  id: 'case', reference: 'SQ-2026-000001', state, level: 'branch', holderOrgId: 'branch', branchOrgId: 'branch', platformOrgId: null,
  departmentOrgId: null, supervisingOrgId: null, supervised: false, overdue: false, onMeetingAgenda: false, dueAt: null, category: 'DED',
  subcategory: null, requestType: null, platform: '美团', area: null, urgency: 'normal', algorithm: null, humanReview: null, channel: 'station',
  workerType: 'delivery', workerPlatforms: ['美团'], workerName: '张三', workerPhone: '13812341234', anonymous: false, description: 'd',
  occurredAt: null, resolution: null, outcome: null, mergedInto: null, hotlineOrgId: null, hotlineOrderNo: null, hotlineOrderHash: null, version: 3, eventSeq: 2, eventHash: 'h', machineVersion: 3,
  snapshot: restoreCase(state, { ...restoreCase('registered', {} as never).context }).context, createdBy: 'u', createdAt: at, updatedAt: at,
  closedAt: null, contactErasedAt: null, receiptCodeHash: null, assigneeUserId: null, workerLinkDigest: null, holderTimeline: [], ...extra,
});
const clock = (id: string, step: DeadlineStep, status: DeadlineRow['status'], orgId = 'branch'): DeadlineRow => ({
  id, caseId: 'case', step, level: 'branch', orgId, startedAt: new Date(at.getTime() - 3600_000), dueAt: new Date(at.getTime() + 3600_000),
  warnAt: new Date(at.getTime() + 1800_000), status, rev: 1, pausedAt: null, warnedAt: null, closedAt: null, amount: 2, unit: 'hours',
  givenBackMs: 0, extensions: [], provisional: false,
});

function plan(facts: CaseFacts, event: CaseEvent, extra: Partial<TransitionInput> = {}) {
  const snapshot = restoreCase(facts.row.state, facts.row.snapshot);
  const { next, effects } = decide(snapshot, event);
  return planTransition({
    facts, settings, toState: stateOf(next), next: next.context, effects, action: event.type as never, step: 'step' in event ? event.step : null,
    eventData: {}, actor: { userId: 'u', orgId: 'branch' }, at, bumpsVersion: event.type !== 'deadline_warning', ...extra,
  });
}

describe('the plan of a transition', () => {
  it('a forward: the holder moves to the routed committee, the branch clock is met, the accept clock starts and sets the due time', () => {
    const facts: CaseFacts = { row: row('registered'), deadlines: [clock('c1', 'l1_forward', 'pending')], cohandlers: [], participants: ['branch'] };
    const p = plan(facts, { type: 'forward', role: 'liaison' });
    const accept = p.startClocks[0];
    expect(p.changes).toMatchObject({ state: 'forwarded', level: 'platform', holderOrgId: 'meituan', platformOrgId: 'meituan', platform: '美团', dueAt: accept.dueAt, overdue: false });
    expect(p.changeClocks).toEqual([{ id: 'c1', status: 'met', closedAt: at }]);
    expect(p.startClocks.map((c) => [c.step, c.orgId, c.level])).toEqual([['l2_accept', 'meituan', 'platform']]);
    expect(p.participants).toEqual(['meituan']);
    expect(p.notices).toEqual([{ orgId: 'meituan', caseId: 'case', kind: 'case_arrived', payload: { reference: 'SQ-2026-000001', state: 'forwarded', action: 'forward' } }]);
    expect(p.event).toMatchObject({
      action: 'forward', fromState: 'registered', toState: 'forwarded', level: 'platform', holderOrgId: 'meituan', toOrgId: 'meituan',
      data: { fromOrgId: 'branch', toOrgId: 'meituan', deadline: { step: 'l2_accept', dueAt: accept.dueAt.toISOString() } },
    });
    expect(p.bumpsVersion).toBe(true);
  });

  it('waiting for information: the running clock pauses, the pause limit is the paused clock\'s maxPause, the due time clears', () => {
    const facts: CaseFacts = { row: row('platform_handling', { level: 'platform', holderOrgId: 'meituan', platformOrgId: 'meituan' }), deadlines: [clock('c2', 'l2_resolve', 'pending', 'meituan')], cohandlers: [], participants: [] };
    facts.row.snapshot = { ...facts.row.snapshot, level: 'platform' };
    const p = plan(facts, { type: 'request_info', role: 'committee', question: 'q' });
    expect(p.changeClocks).toEqual([{ id: 'c2', status: 'paused', pausedAt: at, rev: 2 }]);
    expect(p.startClocks.map((c) => [c.step, c.orgId, c.amount, c.unit])).toEqual([['pause_limit', 'branch', 5, 'working_days']]);
    expect(CLOCKS.pause_limit.setsDueAt).toBe(false);
    expect(p.changes.dueAt).toBeNull();
  });

  it('a warning: the fired clock is marked warned, the due time and the version stay', () => {
    const facts: CaseFacts = { row: row('registered', { dueAt: new Date(at.getTime() + 3600_000) }), deadlines: [clock('c1', 'l1_forward', 'pending')], cohandlers: [], participants: [] };
    const p = plan(facts, { type: 'deadline_warning', step: 'l1_forward', orgId: 'branch' }, { fired: { deadlineId: 'c1', kind: 'warn' } });
    expect(p.changeClocks).toEqual([{ id: 'c1', warnedAt: at }]);
    expect(p.changes.dueAt).toBeUndefined();
    expect(p.bumpsVersion).toBe(false);
    expect(p.notices.map((n) => [n.orgId, n.kind])).toEqual([['branch', 'deadline_warning']]);
  });

  it('a missed branch clock: closed as missed, the case overdue since then and under the routed department\'s supervision', () => {
    const due = new Date(at.getTime() - 60_000);
    const facts: CaseFacts = { row: row('registered', { dueAt: due }), deadlines: [clock('c1', 'l1_forward', 'pending')], cohandlers: [], participants: [] };
    const p = plan(facts, { type: 'deadline_missed', step: 'l1_forward', orgId: 'branch' }, { fired: { deadlineId: 'c1', kind: 'due' } });
    expect(p.changeClocks).toEqual([{ id: 'c1', status: 'missed', closedAt: at }]);
    expect(p.changes).toMatchObject({ overdue: true, supervised: true, supervisingOrgId: 'market' });
    expect(p.changes.dueAt).toBeUndefined();
    expect(p.notices.map((n) => [n.orgId, n.kind])).toEqual([['branch', 'deadline_missed'], ['market', 'escalated']]);
    expect(p.participants).toEqual(['market']);
  });

  it('a resolution rated by the worker counts for the unit that resolved, even when the case reopens one level up', () => {
    const facts: CaseFacts = {
      row: row('resolved', { level: 'platform', holderOrgId: 'meituan', platformOrgId: 'meituan' }),
      deadlines: [clock('c3', 'feedback', 'pending')], cohandlers: [], participants: [],
    };
    facts.row.snapshot = { ...facts.row.snapshot, level: 'platform', resolvedAtLevel: 'platform' };
    const p = plan(facts, { type: 'feedback', role: 'liaison', rating: 'dissatisfied', solved: 'no' });
    expect(p.changes).toMatchObject({ state: 'handed_off', holderOrgId: 'market', departmentOrgId: 'market' });
    expect(p.event).toMatchObject({ rating: 'dissatisfied', solved: 'no', resolvedByOrgId: 'meituan', data: { resolvedByOrgId: 'meituan', toOrgId: 'market' } });
  });
});
