/** The statechart as a pure function: no clock, no database. */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  FINAL_STATES, ROLES, STATES, USER_ACTIONS, caseMachine, clockOf, restoreCase, startCase, whyRefused,
  type CaseContext, type CaseEvent, type CaseState, type Level, type Role, type UserAction,
} from '../../workflows/case-machine.js';

const LEVEL_OF: Record<CaseState, Level> = {
  registered: 'branch', branch_awaiting_info: 'branch',
  forwarded: 'platform', platform_handling: 'platform', platform_awaiting_info: 'platform',
  handed_off: 'department', department_handling: 'department', department_awaiting_info: 'department',
  resolved: 'platform', closed: 'platform', withdrawn: 'branch', merged: 'branch',
};

function context(state: CaseState, extra: Partial<CaseContext> = {}): CaseContext {
  return {
    level: LEVEL_OF[state], resolvedAtLevel: state === 'resolved' ? 'platform' : null, supervised: false,
    onMeetingAgenda: false, outcome: null, pendingExtension: null, returnCount: 0, reopenCount: 0, ...extra,
  };
}

function probe(action: UserAction, role: Role, extra: Record<string, unknown> = {}) {
  return {
    type: action, role, rating: 'satisfied', leadLevel: 'platform', amount: 1, unit: 'hours', step: 'l1_forward',
    approverOrgId: null, reason: 'r', resolution: 'r', question: 'q', answer: 'a', instructions: 'i', decision: 'd',
    intoCaseId: 'x', ...extra,
  } as CaseEvent & { role: Role };
}

/** Every transition allowed on a case with no pending extension and no supervision: "state action role" → next state. */
const ALLOWED: Record<string, CaseState> = {
  'registered forward liaison': 'forwarded',
  'registered resolve liaison': 'resolved',
  'registered merge liaison': 'merged',
  'registered withdraw liaison': 'withdrawn',
  'registered request_info liaison': 'branch_awaiting_info',
  'registered request_extension liaison': 'registered',
  'registered assign_lead convener': 'platform_handling',
  'branch_awaiting_info resume liaison': 'registered',
  'branch_awaiting_info withdraw liaison': 'withdrawn',
  'forwarded accept committee': 'platform_handling',
  'forwarded return committee': 'registered',
  'forwarded transfer committee': 'forwarded',
  'forwarded withdraw liaison': 'withdrawn',
  'forwarded assign_lead convener': 'platform_handling',
  'platform_handling resolve committee': 'resolved',
  'platform_handling hand_off committee': 'handed_off',
  'platform_handling transfer committee': 'forwarded',
  'platform_handling request_info committee': 'platform_awaiting_info',
  'platform_handling request_extension committee': 'platform_handling',
  'platform_handling withdraw liaison': 'withdrawn',
  'platform_handling assign_lead convener': 'platform_handling',
  'platform_awaiting_info resume committee': 'platform_handling',
  'platform_awaiting_info withdraw liaison': 'withdrawn',
  'handed_off accept officer': 'department_handling',
  'handed_off transfer officer': 'handed_off',
  'handed_off withdraw liaison': 'withdrawn',
  'handed_off assign_lead convener': 'platform_handling',
  'department_handling resolve officer': 'resolved',
  'department_handling supervise officer': 'platform_handling',
  'department_handling transfer officer': 'handed_off',
  'department_handling request_info officer': 'department_awaiting_info',
  'department_handling request_extension officer': 'department_handling',
  'department_handling withdraw liaison': 'withdrawn',
  'department_handling assign_lead convener': 'platform_handling',
  'department_awaiting_info resume officer': 'department_handling',
  'department_awaiting_info withdraw liaison': 'withdrawn',
  'resolved feedback liaison': 'closed',
  'resolved withdraw liaison': 'withdrawn',
};

describe('every state × action × role', () => {
  const rows = STATES.flatMap((state) => USER_ACTIONS.flatMap((action) => ROLES.map((role) => [state, action, role] as const)));
  it.each(rows)('%s: %s by %s', (state, action, role) => {
    const snapshot = restoreCase(state, context(state));
    const event = probe(action, role);
    const expected = ALLOWED[`${state} ${action} ${role}`];
    if (expected) {
      expect(whyRefused(snapshot, event)).toBeNull();
      expect(transition(caseMachine, snapshot, event)[0].value).toBe(expected);
    } else {
      expect(snapshot.can(event)).toBe(false);
      expect(whyRefused(snapshot, event)).toMatch(/\S/);
    }
  });
});

describe('guards that depend on the case', () => {
  it('a supervision order at L1/L2 needs a case under supervision', () => {
    for (const state of ['registered', 'forwarded', 'platform_handling'] as const) {
      expect(restoreCase(state, context(state)).can(probe('supervise', 'officer'))).toBe(false);
      const [next] = transition(caseMachine, restoreCase(state, context(state, { supervised: true })), probe('supervise', 'officer'));
      expect(next.value).toBe('platform_handling');
      expect(next.context.level).toBe('platform');
    }
    expect(whyRefused(restoreCase('forwarded', context('forwarded')), probe('supervise', 'officer'))).toContain('supervision');
  });

  it('an extension is asked once, then approved or denied one level up', () => {
    const cases: [CaseState, Role, Role][] = [
      ['registered', 'liaison', 'committee'], ['platform_handling', 'committee', 'officer'], ['department_handling', 'officer', 'convener'],
    ];
    for (const [state, holder, approver] of cases) {
      const [asked] = transition(caseMachine, restoreCase(state, context(state)), probe('request_extension', holder, { amount: 2, unit: 'working_days', step: clockOf(state).clock }));
      expect(asked.context.pendingExtension).toMatchObject({ amount: 2, unit: 'working_days' });
      expect(asked.can(probe('request_extension', holder))).toBe(false);
      expect(whyRefused(asked, probe('request_extension', holder))).toContain('already pending');
      expect(asked.can(probe('approve_extension', holder))).toBe(false);
      const [approved] = transition(caseMachine, asked, probe('approve_extension', approver));
      expect(approved.context.pendingExtension).toBeNull();
      expect(approved.value).toBe(state);
      const [denied] = transition(caseMachine, asked, probe('deny_extension', approver));
      expect(denied.context.pendingExtension).toBeNull();
    }
    expect(whyRefused(restoreCase('registered', context('registered')), probe('approve_extension', 'committee'))).toContain('no extension');
  });

  it('dissatisfied feedback reopens one level up from where it was resolved', () => {
    const reopen = (level: Level) =>
      transition(caseMachine, restoreCase('resolved', context('resolved', { level, resolvedAtLevel: level })), probe('feedback', 'liaison', { rating: 'dissatisfied' }))[0];
    expect(reopen('branch')).toMatchObject({ value: 'forwarded', context: { level: 'platform', reopenCount: 1 } });
    expect(reopen('platform')).toMatchObject({ value: 'handed_off', context: { level: 'department' } });
    expect(reopen('department')).toMatchObject({ value: 'department_handling', context: { level: 'department', onMeetingAgenda: true } });
    const basically = transition(caseMachine, restoreCase('resolved', context('resolved')), probe('feedback', 'liaison', { rating: 'basically_satisfied' }))[0];
    expect(basically).toMatchObject({ value: 'closed', context: { outcome: 'basically_satisfied' } });
  });

  it('a meeting decision moves the case to the lead unit\'s level', () => {
    const lead = (leadLevel: Level) => transition(caseMachine, restoreCase('handed_off', context('handed_off')), probe('assign_lead', 'convener', { leadLevel }))[0];
    expect(lead('branch')).toMatchObject({ value: 'registered', context: { level: 'branch' } });
    expect(lead('platform')).toMatchObject({ value: 'platform_handling', context: { level: 'platform' } });
    expect(lead('department')).toMatchObject({ value: 'department_handling', context: { level: 'department' } });
  });

  it('a return counts, a resolve remembers its level', () => {
    const [returned] = transition(caseMachine, restoreCase('forwarded', context('forwarded')), probe('return', 'committee'));
    expect(returned.context).toMatchObject({ level: 'branch', returnCount: 1 });
    const [resolved] = transition(caseMachine, restoreCase('department_handling', context('department_handling')), probe('resolve', 'officer'));
    expect(resolved.context.resolvedAtLevel).toBe('department');
  });
});

describe('the clock', () => {
  it('each open state declares the deadline step it runs; waiting for information pauses it', () => {
    expect(Object.fromEntries(STATES.map((s) => [s, clockOf(s)]))).toEqual({
      registered: { clock: 'l1_forward' }, branch_awaiting_info: { clock: 'l1_forward', paused: true },
      forwarded: { clock: 'l2_accept' }, platform_handling: { clock: 'l2_resolve' }, platform_awaiting_info: { clock: 'l2_resolve', paused: true },
      handed_off: { clock: 'l3_accept' }, department_handling: { clock: 'l3_resolve' }, department_awaiting_info: { clock: 'l3_resolve', paused: true },
      resolved: { clock: 'feedback' }, closed: {}, withdrawn: {}, merged: {},
    });
  });

  it('a missed L1 or L2 step puts the case under supervision; a missed L3 step on the meeting agenda', () => {
    for (const state of ['registered', 'forwarded', 'platform_handling'] as const) {
      const [next] = transition(caseMachine, restoreCase(state, context(state)), { type: 'deadline_missed', step: clockOf(state).clock! });
      expect(next.value).toBe(state);
      expect(next.context).toMatchObject({ supervised: true, onMeetingAgenda: false });
    }
    for (const state of ['handed_off', 'department_handling'] as const) {
      const [next] = transition(caseMachine, restoreCase(state, context(state)), { type: 'deadline_missed', step: clockOf(state).clock! });
      expect(next.context).toMatchObject({ supervised: false, onMeetingAgenda: true });
    }
  });

  it('no feedback in time closes the case as "no feedback"', () => {
    const [next] = transition(caseMachine, restoreCase('resolved', context('resolved')), { type: 'deadline_missed', step: 'feedback' });
    expect(next).toMatchObject({ value: 'closed', context: { outcome: 'no_feedback' } });
  });

  it('a warning changes nothing', () => {
    const before = restoreCase('forwarded', context('forwarded'));
    const [after] = transition(caseMachine, before, { type: 'deadline_warning', step: 'l2_accept' });
    expect(after.value).toBe('forwarded');
    expect(after.context).toEqual(before.context);
  });
});

it('a new case starts registered at the branch; final states are final', () => {
  expect(startCase()).toMatchObject({ value: 'registered', context: { level: 'branch' } });
  for (const state of FINAL_STATES) expect(whyRefused(restoreCase(state, context(state)), probe('forward', 'liaison'))).toContain('final');
});
