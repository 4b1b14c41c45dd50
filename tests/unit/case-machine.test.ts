/**
 * The statechart as a pure function: no clock, no database. The tables below are the product's
 * rules — for every allowed transition, the state it leads to and the effects the engine executes.
 */
import { describe, expect, it } from 'vitest';
import { USER_ACTIONS, caseMachine, decide, restoreCase, startCase, stateOf, whyRefused, type CaseContext, type CaseEffect, type CaseEvent, type UserAction, type UserEvent } from '../../workflows/case-machine.js';
import { FINAL_STATES, ROLES, STATES, type CaseState, type Level, type Role } from '../../workflows/case-rules.js';

const LEVEL_OF: Record<CaseState, Level> = {
  registered: 'branch', branch_awaiting_info: 'branch',
  forwarded: 'platform', platform_handling: 'platform', platform_awaiting_info: 'platform',
  handed_off: 'department', department_handling: 'department', department_awaiting_info: 'department',
  resolved: 'platform', closed: 'platform', withdrawn: 'branch', merged: 'branch',
};

function context(state: CaseState, extra: Partial<CaseContext> = {}): CaseContext {
  return {
    ...(caseMachine.config.context as CaseContext), level: LEVEL_OF[state],
    resolvedAtLevel: state === 'resolved' ? 'platform' : null, ...extra,
  };
}

function probe(action: UserAction, role: Role, extra: Record<string, unknown> = {}): UserEvent {
  return {
    type: action, role, rating: 'satisfied', leadLevel: 'platform', leadOrgId: 'lead', amount: 2, unit: 'hours', step: 'l1_forward',
    approverOrgId: 'approver', reason: 'r', resolution: 'r', question: 'q', answer: 'a', instructions: 'i', decision: 'd',
    intoCaseId: 'x', toOrgId: 'to', orgIds: ['co'], orgId: 'co', opinion: 'o', outcome: 'upheld', explanation: 'e', category: 'PAY', userId: 'u', ...extra,
  } as UserEvent;
}

/** An effect in a few words: what a reader of the rules needs to see. */
function words(e: CaseEffect): string {
  const p = e.params as Record<string, unknown> & { steps?: string[] };
  switch (e.type) {
    case 'startClock': { const l = p.length as { amount: number; unit: string } | undefined; return `start ${p.step}${l ? ` ${l.amount} ${l.unit}` : ''}`; }
    case 'stopClocks': return `stop ${p.steps!.join('+')} ${p.status}${p.orgId ? ` of ${p.orgId}` : ''}`;
    case 'pauseClock': return `pause ${p.steps!.join('+')}${p.limit ? ' (pause limit starts)' : ' (no pause limit)'}`;
    case 'resumeClock': return `resume ${p.steps!.join('+')}`;
    case 'moveHolder': return `holder → ${p.to}`;
    case 'notify': return `tell ${p.to === 'unit' ? p.orgId : p.to} ${p.kind}`;
    case 'addToAgenda': return `agenda ${p.reason}`;
    default: return e.type;
  }
}

function run(state: CaseState, event: CaseEvent, extra: Partial<CaseContext> = {}) {
  const { next, effects } = decide(restoreCase(state, context(state, extra)), event);
  return { state: stateOf(next), context: next.context, effects: effects.map(words) };
}

/**
 * Every transition allowed on a case with no pending extension, no supervision, no returns or
 * transfers yet, not an algorithm-decision (ALG) case and with no co-handlers — so `human_review`
 * and `contribute` are refused everywhere here; their rules are in the next block: "state action role" → [next state, effects in the order the engine runs them].
 */
const RULES: Record<string, [CaseState, string[]]> = {
  'registered forward liaison': ['forwarded', ['stop l1_forward met', 'holder → platform', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l2_accept']],
  'registered resolve liaison': ['resolved', ['stop l1_forward met', 'recordResolution', 'start feedback', 'sendFeedbackLink']],
  'registered withdraw liaison': ['withdrawn', ['stop l1_forward cancelled']],
  'registered merge liaison': ['merged', ['stop l1_forward cancelled', 'mergeInto']],
  'registered request_info liaison': ['branch_awaiting_info', ['pause l1_forward (pause limit starts)']],
  'registered request_extension liaison': ['registered', ['tell approver extension_requested']],
  'registered assign_lead convener': ['platform_handling', ['stop l1_forward cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  'branch_awaiting_info withdraw liaison': ['withdrawn', ['stop pause_limit cancelled', 'stop l1_forward cancelled']],
  'branch_awaiting_info merge liaison': ['merged', ['stop pause_limit cancelled', 'stop l1_forward cancelled', 'mergeInto']],
  'branch_awaiting_info resume liaison': ['registered', ['stop pause_limit met', 'resume l1_forward']],
  'branch_awaiting_info assign_lead convener': ['platform_handling', ['stop pause_limit cancelled', 'stop l1_forward cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  'forwarded withdraw liaison': ['withdrawn', ['stop l2_accept cancelled']],
  'forwarded accept committee': ['platform_handling', ['stop l2_accept met', 'start l2_resolve']],
  'forwarded return committee': ['registered', ['stop l2_accept met', 'holder → branch', 'tell holder case_returned', 'start l1_forward']],
  'forwarded transfer committee': ['forwarded', ['stop l2_accept met', 'holder → platform', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l2_accept']],
  'forwarded assign_lead convener': ['platform_handling', ['stop l2_accept cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  'platform_handling resolve committee': ['resolved', ['stop l2_resolve+supervision met', 'recordResolution', 'start feedback', 'sendFeedbackLink']],
  'platform_handling withdraw liaison': ['withdrawn', ['stop l2_resolve+supervision cancelled']],
  'platform_handling refer committee': ['platform_handling', ['pause l2_resolve+supervision (no pause limit)', 'start referral', 'tell to referral_requested']],
  'platform_handling transfer committee': ['forwarded', ['stop l2_resolve+supervision met', 'holder → platform', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l2_accept']],
  'platform_handling request_info committee': ['platform_awaiting_info', ['pause l2_resolve+supervision (pause limit starts)', 'tell branch info_requested']],
  'platform_handling request_extension committee': ['platform_handling', ['tell approver extension_requested']],
  'platform_handling hand_off committee': ['handed_off', ['stop l2_resolve+supervision met', 'holder → department', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l3_accept']],
  'platform_handling assign_lead convener': ['platform_handling', ['stop l2_resolve+supervision cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  'platform_awaiting_info withdraw liaison': ['withdrawn', ['stop pause_limit cancelled', 'stop l2_resolve+supervision cancelled']],
  'platform_awaiting_info resume committee': ['platform_handling', ['stop pause_limit met', 'resume l2_resolve+supervision']],
  'platform_awaiting_info provide_info liaison': ['platform_handling', ['stop pause_limit met', 'resume l2_resolve+supervision', 'tell holder info_provided']],
  'platform_awaiting_info assign_lead convener': ['platform_handling', ['stop pause_limit cancelled', 'stop l2_resolve+supervision cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  'handed_off withdraw liaison': ['withdrawn', ['stop l3_accept cancelled']],
  'handed_off accept officer': ['department_handling', ['stop l3_accept met', 'start l3_resolve']],
  'handed_off transfer officer': ['handed_off', ['stop l3_accept met', 'holder → department', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l3_accept']],
  'handed_off assign_lead convener': ['platform_handling', ['stop l3_accept cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  'department_handling resolve officer': ['resolved', ['stop l3_resolve met', 'recordResolution', 'start feedback', 'sendFeedbackLink']],
  'department_handling withdraw liaison': ['withdrawn', ['stop l3_resolve cancelled']],
  'department_handling transfer officer': ['handed_off', ['stop l3_resolve met', 'holder → department', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l3_accept']],
  'department_handling request_info officer': ['department_awaiting_info', ['pause l3_resolve (pause limit starts)', 'tell branch info_requested']],
  'department_handling request_extension officer': ['department_handling', ['tell approver extension_requested']],
  'department_handling supervise officer': ['platform_handling', ['stop l3_resolve met', 'takeSupervision', 'holder → platform', 'tell holder supervision_order', 'start supervision 2 hours']],
  'department_handling assign_lead convener': ['platform_handling', ['stop l3_resolve cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  'department_awaiting_info withdraw liaison': ['withdrawn', ['stop pause_limit cancelled', 'stop l3_resolve cancelled']],
  'department_awaiting_info resume officer': ['department_handling', ['stop pause_limit met', 'resume l3_resolve']],
  'department_awaiting_info provide_info liaison': ['department_handling', ['stop pause_limit met', 'resume l3_resolve', 'tell holder info_provided']],
  'department_awaiting_info assign_lead convener': ['platform_handling', ['stop pause_limit cancelled', 'stop l3_resolve cancelled', 'removeFromAgenda', 'holder → platform', 'tell holder meeting_decision', 'start l2_resolve 2 hours']],
  // Classification by the holder at L2/L3 (分类整理), not while waiting for information: same state, the running clock stays.
  'forwarded reclassify committee': ['forwarded', ['recordClassification', 'tellCompetentDepartment']],
  'platform_handling reclassify committee': ['platform_handling', ['recordClassification', 'tellCompetentDepartment']],
  'handed_off reclassify officer': ['handed_off', ['recordClassification', 'tellCompetentDepartment']],
  'department_handling reclassify officer': ['department_handling', ['recordClassification', 'tellCompetentDepartment']],
  // Co-handling (横向联动): the accepted department asks others; `contribute` needs a co-handler (below).
  'department_handling add_cohandler officer': ['department_handling', ['addCohandlers']],
  'department_handling refer officer': ['department_handling', ['pause l3_resolve (no pause limit)', 'start referral', 'tell to referral_requested']],
  // Relayed by the liaison or a call-back user (回访员), not the worker's own: the SMS says they may appeal.
  'resolved feedback liaison': ['closed', ['stop feedback met', 'recordFeedback', 'inviteAppeal']],
  'resolved feedback callback': ['closed', ['stop feedback met', 'recordFeedback', 'inviteAppeal']],
  // An assignment (一人身兼多职) changes neither the state nor a clock, at every step of the holder's level.
  ...Object.fromEntries(([
    ['registered', 'liaison'], ['branch_awaiting_info', 'liaison'], ['forwarded', 'committee'], ['platform_handling', 'committee'],
    ['platform_awaiting_info', 'committee'], ['handed_off', 'officer'], ['department_handling', 'officer'], ['department_awaiting_info', 'officer'],
  ] as const).map(([state, role]) => [`${state} assign ${role}`, [state, ['assignTo']]])),
};

describe('every state × action × role', () => {
  const rows = STATES.flatMap((state) => USER_ACTIONS.flatMap((action) => ROLES.map((role) => [state, action, role] as const)));
  it.each(rows)('%s: %s by %s', (state, action, role) => {
    const snapshot = restoreCase(state, context(state));
    const event = probe(action, role);
    const rule = RULES[`${state} ${action} ${role}`];
    if (rule) {
      expect(whyRefused(snapshot, event)).toBeNull();
      const result = run(state, event);
      expect([result.state, result.effects]).toEqual(rule);
    } else {
      expect(snapshot.can(event)).toBe(false);
      expect(whyRefused(snapshot, event)).toMatch(/\S/);
    }
  });
});

describe('rules that depend on the case', () => {
  it('a pending extension dies when the case leaves its level, and the new holder may ask afresh', () => {
    const pendingExtension = { step: 'l2_resolve' as const, amount: 2, unit: 'working_days' as const, reason: 'r', approverOrgId: 'dept' };
    const leaving: [CaseState, UserEvent][] = [
      ['platform_handling', probe('hand_off', 'committee')],
      ['platform_handling', probe('transfer', 'committee')],
      ['forwarded', probe('return', 'committee')],
      ['platform_handling', probe('assign_lead', 'convener', { leadLevel: 'department' })],
    ];
    for (const [state, event] of leaving) {
      const after = decide(restoreCase(state, context(state, { pendingExtension })), event).next;
      expect(after.context.pendingExtension, `${state} ${event.type}`).toBeNull();
    }
    const handedOff = decide(restoreCase('platform_handling', context('platform_handling', { pendingExtension })), probe('hand_off', 'committee')).next;
    const accepted = decide(handedOff, probe('accept', 'officer')).next;
    expect(accepted.can(probe('request_extension', 'officer'))).toBe(true);
    // Staying at the level keeps it for the approver.
    const waiting = decide(restoreCase('platform_handling', context('platform_handling', { pendingExtension })), probe('request_info', 'committee')).next;
    expect(waiting.context.pendingExtension).toEqual(pendingExtension);
  });

  it('an extension is asked once, then approved (the clock moves) or denied one level up', () => {
    const cases: [CaseState, Role, Role][] = [
      ['registered', 'liaison', 'committee'], ['platform_handling', 'committee', 'officer'], ['department_handling', 'officer', 'convener'],
    ];
    for (const [state, holder, approver] of cases) {
      const asked = decide(restoreCase(state, context(state)), probe('request_extension', holder, { amount: 2, unit: 'working_days' })).next;
      expect(asked.context.pendingExtension).toMatchObject({ amount: 2, unit: 'working_days', approverOrgId: 'approver' });
      expect(whyRefused(asked, probe('request_extension', holder))).toContain('already pending');
      expect(asked.can(probe('approve_extension', holder))).toBe(false);
      const approved = decide(asked, probe('approve_extension', approver));
      expect(approved.next.context.pendingExtension).toBeNull();
      expect(approved.effects.map(words)).toEqual(['extendClock', 'tell holder extension_decided']);
      const denied = decide(asked, probe('deny_extension', approver));
      expect(denied.effects.map(words)).toEqual(['tell holder extension_decided']);
    }
    expect(whyRefused(restoreCase('registered', context('registered')), probe('approve_extension', 'committee'))).toContain('no extension');
  });

  it('the committee merges at L2 only one consenting worker\'s cases; the liaison merges at the branch', () => {
    for (const state of ['forwarded', 'platform_handling', 'platform_awaiting_info'] as const) {
      expect(whyRefused(restoreCase(state, context(state)), probe('merge', 'committee', { sameWorker: false }))).toContain('worker.consentToLink');
      expect(run(state, probe('merge', 'committee', { sameWorker: true })).state).toBe('merged');
      expect(whyRefused(restoreCase(state, context(state)), probe('merge', 'liaison', { sameWorker: true }))).toContain("role 'liaison' may not 'merge'");
    }
    expect(run('registered', probe('merge', 'liaison', { sameWorker: false })).state).toBe('merged');
    expect(whyRefused(restoreCase('handed_off', context('handed_off')), probe('merge', 'officer', { sameWorker: true }))).toMatch(/not allowed in state/);
  });

  it('a resolved case cannot be withdrawn: the worker\'s feedback is due', () => {
    expect(whyRefused(restoreCase('resolved', context('resolved')), probe('withdraw', 'liaison'))).toContain('cannot be withdrawn');
  });

  it('the second return puts the case on the meeting agenda (ping-pong)', () => {
    expect(run('forwarded', probe('return', 'committee'), { returnCount: 1 })).toMatchObject({
      state: 'registered', context: { returnCount: 2 },
      effects: ['stop l2_accept met', 'agenda returned_twice', 'holder → branch', 'tell holder case_returned', 'start l1_forward'],
    });
  });

  it('at most three transfers: the third goes on the agenda, a fourth is refused', () => {
    expect(run('handed_off', probe('transfer', 'officer'), { transferCount: 1 }).effects).not.toContain('agenda transfer_limit');
    expect(run('handed_off', probe('transfer', 'officer'), { transferCount: 2 })).toMatchObject({
      context: { transferCount: 3 },
      effects: ['stop l3_accept met', 'agenda transfer_limit', 'holder → department', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l3_accept'],
    });
    const fourth = restoreCase('forwarded', context('forwarded', { transferCount: 3 }));
    expect(fourth.can(probe('transfer', 'committee'))).toBe(false);
    expect(whyRefused(fourth, probe('transfer', 'committee'))).toContain('at most 3 transfers');
  });

  it('a supervision order at L1/L2 needs a case under supervision and starts the order\'s own clock', () => {
    for (const state of ['registered', 'forwarded', 'platform_handling', 'platform_awaiting_info'] as const) {
      expect(restoreCase(state, context(state)).can(probe('supervise', 'officer'))).toBe(false);
      const result = run(state, probe('supervise', 'officer'), { supervised: true });
      expect(result.state).toBe('platform_handling');
      expect(result.effects).toContain('start supervision 2 hours');
      expect(result.effects).toContain('tell holder supervision_order');
    }
    expect(whyRefused(restoreCase('forwarded', context('forwarded')), probe('supervise', 'officer'))).toContain('supervision');
  });

  it('the worker\'s appeal (申诉) of a closing they did not rate reopens one level above the last resolver, once, within the window', () => {
    const appeal = (extra: Partial<CaseContext>, withinWindow = true) =>
      run('closed', { type: 'appeal', role: 'worker', reason: 'r', withinWindow }, { outcome: 'no_feedback', ...extra });
    expect(appeal({ level: 'branch', resolvedAtLevel: 'branch' })).toMatchObject({ state: 'forwarded', context: { appealed: true, reopenCount: 1 },
      effects: ['holder → platform', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l2_accept'] });
    expect(appeal({ level: 'platform', resolvedAtLevel: 'platform' })).toMatchObject({ state: 'handed_off',
      effects: ['holder → department', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l3_accept'] });
    expect(appeal({ level: 'department', resolvedAtLevel: 'department' })).toMatchObject({ state: 'department_handling',
      effects: ['agenda reopened', 'start l3_resolve'] });
    const closed = (extra: Partial<CaseContext>) => restoreCase('closed', context('closed', { resolvedAtLevel: 'platform', ...extra }));
    const event: UserEvent = { type: 'appeal', role: 'worker', reason: 'r', withinWindow: true };
    expect(whyRefused(closed({ appealed: true }), event)).toMatch(/already appealed/);
    expect(whyRefused(closed({ ratedByWorker: true }), event)).toMatch(/rated this case yourself/);
    expect(whyRefused(closed({}), { ...event, withinWindow: false })).toMatch(/appeal period/);
    // The worker's own rating closes without an invitation to appeal.
    expect(run('resolved', probe('feedback', 'worker' as Role), { resolvedAtLevel: 'platform' }))
      .toMatchObject({ state: 'closed', context: { ratedByWorker: true }, effects: ['stop feedback met', 'recordFeedback'] });
  });

  it('dissatisfied feedback reopens one level up from where it was resolved', () => {
    const reopen = (level: Level) => run('resolved', probe('feedback', 'liaison', { rating: 'dissatisfied' }), { level, resolvedAtLevel: level });
    expect(reopen('branch')).toMatchObject({ state: 'forwarded', context: { level: 'platform', reopenCount: 1 },
      effects: ['stop feedback met', 'recordFeedback', 'holder → platform', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l2_accept'] });
    expect(reopen('platform')).toMatchObject({ state: 'handed_off', context: { level: 'department' },
      effects: ['stop feedback met', 'recordFeedback', 'holder → department', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l3_accept'] });
    expect(reopen('department')).toMatchObject({ state: 'department_handling', context: { level: 'department' },
      effects: ['stop feedback met', 'recordFeedback', 'agenda reopened', 'start l3_resolve'] });
    expect(run('resolved', probe('feedback', 'liaison', { rating: 'basically_satisfied' }))).toMatchObject({ state: 'closed', context: { outcome: 'basically_satisfied' } });
  });

  it('a meeting decision moves the case to the lead unit\'s level, even while it waits for information', () => {
    const lead = (state: CaseState, leadLevel: Level) => run(state, probe('assign_lead', 'convener', { leadLevel }));
    expect(lead('handed_off', 'branch')).toMatchObject({ state: 'registered', context: { level: 'branch' } });
    expect(lead('handed_off', 'platform')).toMatchObject({ state: 'platform_handling', context: { level: 'platform' } });
    expect(lead('department_awaiting_info', 'department')).toMatchObject({ state: 'department_handling', context: { level: 'department' } });
  });
});

describe('algorithm decisions (ALG): a human review before resolving or handing off', () => {
  const alg = { algorithmic: true };

  it('accepting an ALG case starts the human_review clock beside the resolve clock', () => {
    expect(run('forwarded', probe('accept', 'committee'), alg).effects).toEqual(['stop l2_accept met', 'start human_review', 'start l2_resolve']);
  });

  it('resolve and hand_off are refused until the committee records its review; then allowed', () => {
    const before = restoreCase('platform_handling', context('platform_handling', alg));
    for (const action of ['resolve', 'hand_off'] as const) {
      expect(before.can(probe(action, 'committee'))).toBe(false);
      expect(whyRefused(before, probe(action, 'committee'))).toContain('human_review');
    }
    const reviewed = decide(before, probe('human_review', 'committee', { outcome: 'revised' }));
    expect(reviewed.effects.map(words)).toEqual(['stop human_review met', 'recordHumanReview']);
    expect(reviewed.next.context.humanReviewed).toBe(true);
    expect(whyRefused(reviewed.next, probe('human_review', 'committee'))).toContain('already recorded');
    expect(decide(reviewed.next, probe('resolve', 'committee')).effects.map(words))
      .toEqual(['stop l2_resolve+supervision met', 'recordResolution', 'start feedback', 'sendFeedbackLink']);
  });

  it('a review not yet recorded stops (cancelled) when the case leaves the committee; the next committee starts its own', () => {
    expect(run('platform_handling', probe('transfer', 'committee'), alg).effects)
      .toEqual(['stop l2_resolve+supervision met', 'stop human_review cancelled', 'holder → platform', 'tell holder case_arrived', 'tellCompetentDepartment', 'start l2_accept']);
    expect(run('platform_handling', probe('withdraw', 'liaison'), alg).effects).toEqual(['stop l2_resolve+supervision cancelled', 'stop human_review cancelled']);
    expect(run('forwarded', probe('accept', 'committee'), { ...alg, humanReviewed: true }).effects).toEqual(['stop l2_accept met', 'start l2_resolve']);
  });

  it('the branch does not resolve an ALG case itself: it forwards it for the platform\'s review', () => {
    const registered = restoreCase('registered', context('registered', alg));
    expect(registered.can(probe('resolve', 'liaison'))).toBe(false);
    expect(whyRefused(registered, probe('resolve', 'liaison'))).toContain('forwards it');
    expect(registered.can(probe('forward', 'liaison'))).toBe(true);
  });

  it('only ALG cases and only the committee review; a missed review escalates like any L2 step', () => {
    expect(whyRefused(restoreCase('platform_handling', context('platform_handling')), probe('human_review', 'committee'))).toContain('ALG');
    expect(restoreCase('platform_handling', context('platform_handling', alg)).can(probe('human_review', 'officer'))).toBe(false);
    expect(run('platform_handling', { type: 'deadline_missed', step: 'human_review', orgId: 'owner' }, alg)).toMatchObject({
      context: { supervised: true }, effects: ['markOverdue', 'assignSupervisor', 'tell holder deadline_missed', 'tell supervisor escalated'],
    });
  });
});

describe('co-handling (横向联动)', () => {
  const asked = { cohandlers: { co: 'waiting' as const, other: 'waiting' as const } };

  it('the lead resolves only when every co-handler has answered or run out of time', () => {
    const waiting = restoreCase('department_handling', context('department_handling', asked));
    expect(waiting.can(probe('resolve', 'officer'))).toBe(false);
    expect(whyRefused(waiting, probe('resolve', 'officer'), { co: '人社局' })).toMatch(/人社局.*other/);
    const answered = decide(waiting, probe('contribute', 'officer', { orgId: 'co' }));
    expect(answered.effects.map(words)).toEqual(['stop contribute met of co', 'recordContribution', 'tell holder contribution_received']);
    expect(answered.next.context.cohandlers).toEqual({ co: 'done', other: 'waiting' });
    const late = decide(answered.next, { type: 'deadline_missed', step: 'contribute', orgId: 'other' });
    expect(late.effects.map(words)).toEqual(['agenda cohandler_missed', 'holdAccountable', 'tell other deadline_missed', 'tell holder deadline_missed']);
    expect(late.next.context.cohandlers).toEqual({ co: 'done', other: 'late' });
    expect(late.next.can(probe('resolve', 'officer'))).toBe(true);
  });

  it('a co-handler contributes once (a late opinion is still taken); others may not', () => {
    const state = restoreCase('department_awaiting_info', context('department_awaiting_info', { cohandlers: { co: 'late', done: 'done' } }));
    expect(state.can(probe('contribute', 'officer', { orgId: 'co' }))).toBe(true);
    expect(state.can(probe('contribute', 'officer', { orgId: 'done' }))).toBe(false);
    expect(state.can(probe('contribute', 'officer', { orgId: 'stranger' }))).toBe(false);
    expect(state.can(probe('contribute', 'committee', { orgId: 'co' }))).toBe(false);
    expect(whyRefused(state, probe('contribute', 'officer', { orgId: 'done' }))).toContain('co-handling department');
  });

  it('leaving the department level releases those still to answer and stops their clocks', () => {
    const result = run('department_handling', probe('supervise', 'officer'), asked);
    expect(result.effects).toContain('stop contribute cancelled');
    expect(result.context.cohandlers).toEqual({ co: 'released', other: 'released' });
  });

  it('a transfer to another department ends the old holding\'s co-handling too', () => {
    const result = run('department_handling', probe('transfer', 'officer'), { cohandlers: { co: 'waiting', done: 'done' } });
    expect(result.effects).toContain('stop contribute cancelled');
    expect(result.context.cohandlers).toEqual({ co: 'released', done: 'done' });
  });
});

describe('the clock', () => {
  const missed = (step: string) => ({ type: 'deadline_missed', step, orgId: 'owner' }) as CaseEvent;

  it('a missed L1 or L2 step puts the case under the department\'s supervision, marked overdue', () => {
    for (const [state, step] of [['registered', 'l1_forward'], ['forwarded', 'l2_accept'], ['platform_handling', 'l2_resolve']] as const) {
      expect(run(state, missed(step))).toMatchObject({
        state, context: { supervised: true },
        effects: ['markOverdue', 'assignSupervisor', 'tell holder deadline_missed', 'tell supervisor escalated'],
      });
    }
  });

  it('a missed L3 step puts the case on the meeting agenda', () => {
    for (const [state, step] of [['handed_off', 'l3_accept'], ['department_handling', 'l3_resolve']] as const) {
      expect(run(state, missed(step))).toMatchObject({ state, context: { supervised: false }, effects: ['markOverdue', 'agenda overdue_l3', 'tell holder deadline_missed'] });
    }
  });

  it('a missed supervision order goes on the agenda and on the platform\'s accountability record', () => {
    expect(run('platform_handling', missed('supervision'), { supervised: true })).toMatchObject({
      state: 'platform_handling', effects: ['markOverdue', 'agenda supervision_missed', 'holdAccountable', 'tell holder deadline_missed'],
    });
  });

  it('a pause longer than its limit resumes the clock on its own', () => {
    expect(run('platform_awaiting_info', missed('pause_limit'))).toMatchObject({
      state: 'platform_handling', effects: ['stop pause_limit met', 'resume l2_resolve+supervision'],
    });
  });

  it('no feedback in time closes the case as "no feedback"', () => {
    expect(run('resolved', missed('feedback'))).toMatchObject({ state: 'closed', context: { outcome: 'no_feedback' }, effects: ['stop feedback met', 'inviteAppeal'] });
  });

  it('a warning tells the clock\'s owner and changes nothing else', () => {
    const before = restoreCase('forwarded', context('forwarded'));
    const { next, effects } = decide(before, { type: 'deadline_warning', step: 'l2_accept', orgId: 'owner' });
    expect(stateOf(next)).toBe('forwarded');
    expect(next.context).toEqual(before.context);
    expect(effects.map(words)).toEqual(['tell owner deadline_warning']);
  });
});

it('a new case starts registered at the branch with its first clock (an urgent one reaches its department at once); final states are final', () => {
  const { snapshot, effects } = startCase();
  expect(stateOf(snapshot)).toBe('registered');
  expect(snapshot.context.level).toBe('branch');
  expect(effects.map(words)).toEqual(['start l1_forward', 'tellCompetentDepartment']);
  for (const state of FINAL_STATES) expect(whyRefused(restoreCase(state, context(state)), probe('forward', 'liaison'))).toContain('final');
});

describe('referral (矛盾调解)', () => {
  const referred = () => decide(restoreCase('platform_handling', context('platform_handling')), probe('refer', 'committee', { toOrgId: 'med', kind: 'mediation' })).next;

  it('a pending referral holds the case: no resolve, transfer, hand-off, second referral or request for information', () => {
    const waiting = referred();
    expect(waiting.context.referral).toEqual({ orgId: 'med', kind: 'mediation' });
    for (const action of ['resolve', 'transfer', 'hand_off', 'refer', 'request_info', 'request_extension'] as const) {
      expect(waiting.can(probe(action, 'committee')), action).toBe(false);
    }
    expect(waiting.can(probe('assign_lead', 'convener'))).toBe(true);
  });

  it('only the referred unit\'s mediator answers; its answer resumes the holder\'s clock and frees the case', () => {
    const waiting = referred();
    expect(waiting.can(probe('refer_outcome', 'mediator', { orgId: 'other', outcome: 'settled', note: 'n' }))).toBe(false);
    expect(waiting.can(probe('refer_outcome', 'committee', { orgId: 'med', outcome: 'settled', note: 'n' }))).toBe(false);
    const answered = decide(waiting, probe('refer_outcome', 'mediator', { orgId: 'med', outcome: 'settled', note: 'n' }));
    expect(stateOf(answered.next)).toBe('platform_handling');
    expect(answered.effects.map(words)).toEqual(['stop referral met', 'resume l2_resolve+supervision', 'recordReferralOutcome', 'tell holder referral_answered']);
    expect(answered.next.context.referral).toBeNull();
    expect(answered.next.can(probe('resolve', 'committee'))).toBe(true);
  });

  it('a missed referral clock resumes the holder\'s clock and goes on the agenda with the referred unit accountable', () => {
    const missed = decide(referred(), { type: 'deadline_missed', step: 'referral', orgId: 'med' });
    expect(missed.effects.map(words)).toEqual(['resume l2_resolve+supervision', 'agenda referral_missed', 'holdAccountable', 'tell med deadline_missed', 'tell holder deadline_missed']);
    expect(missed.next.context.referral).toBeNull();
  });

  it('a meeting decision ends a pending referral: its clock is cancelled', () => {
    const decided = decide(referred(), probe('assign_lead', 'convener', { leadLevel: 'department' }));
    expect(decided.effects.map(words)).toContain('stop referral cancelled');
    expect(decided.next.context.referral).toBeNull();
  });

  it('is not for the branch', () => {
    expect(restoreCase('registered', context('registered')).can(probe('refer', 'liaison', { toOrgId: 'med', kind: 'mediation' }))).toBe(false);
  });
});
