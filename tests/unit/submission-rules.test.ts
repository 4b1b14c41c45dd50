/** A submission's life as data (workflows/submission-rules.ts): only a waiting one takes an action; only a suggestion goes to the convener. */
import { describe, expect, it } from 'vitest';
import {
  SUBMISSION_ACTIONS, SUBMISSION_KINDS, SUBMISSION_STATES, SUBMISSION_TRANSITIONS, submissionRefusal,
} from '../../workflows/submission-rules.js';

describe('submission rules', () => {
  it('a waiting submission is registered or declined whatever its kind; only a suggestion is forwarded (422 for a grievance)', () => {
    for (const kind of SUBMISSION_KINDS) {
      expect(submissionRefusal('waiting', kind, 'register')).toBeNull();
      expect(submissionRefusal('waiting', kind, 'decline')).toBeNull();
    }
    expect(submissionRefusal('waiting', 'suggestion', 'forward_to_convener')).toBeNull();
    expect(submissionRefusal('waiting', 'grievance', 'forward_to_convener')).toMatchObject({ status: 422, code: 'submission_kind_not_allowed' });
  });

  it('once it left waiting every action is 409, naming the state', () => {
    for (const state of SUBMISSION_STATES.filter((s) => s !== 'waiting')) {
      for (const action of SUBMISSION_ACTIONS) {
        const refusal = submissionRefusal(state, 'suggestion', action);
        expect(refusal, `${state} ${action}`).toMatchObject({ status: 409, code: 'submission_not_waiting' });
        expect(refusal!.message).toContain(state);
      }
    }
  });

  it('each action ends in a state of its own, none of them waiting', () => {
    const ends = SUBMISSION_ACTIONS.map((a) => SUBMISSION_TRANSITIONS[a].to);
    expect(new Set(ends).size).toBe(SUBMISSION_ACTIONS.length);
    expect(ends).not.toContain('waiting');
  });
});
