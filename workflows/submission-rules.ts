/**
 * A worker's own submission (连心桥 / 书记信箱): written from a station's QR code, a link or an
 * Open311 client, it waits in its branch's 待核实 (to verify) queue on its own clock until the
 * branch's liaison registers it as a case, declines it with a reason the worker sees, or — a
 * suggestion (建言献策) — forwards it to the convener. A submission is not a case: its life is this
 * table, pure data (no xstate, no I/O), read by src/submissions/ and the pages.
 */

export const SUBMISSION_KINDS = ['grievance', 'suggestion'] as const;
export type SubmissionKind = (typeof SUBMISSION_KINDS)[number];

export const SUBMISSION_STATES = ['waiting', 'registered', 'declined', 'forwarded'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/** Where a submission came from: the public page (QR code, link) or an Open311 client system. */
export const SUBMISSION_SOURCES = ['public', 'open311'] as const;
export type SubmissionSource = (typeof SUBMISSION_SOURCES)[number];

export const SUBMISSION_STATE_LABELS = {
  waiting: ['待核实', 'waiting for the branch to verify'],
  registered: ['已登记为案件', 'registered as a case'],
  declined: ['未予登记', 'declined'],
  forwarded: ['已转协调会召集单位', 'forwarded to the convener'],
} as const satisfies Record<SubmissionState, readonly [string, string]>;

export const SUBMISSION_ACTIONS = ['register', 'decline', 'forward_to_convener'] as const;
export type SubmissionAction = (typeof SUBMISSION_ACTIONS)[number];

/** What each action does: the state it leaves (only `waiting`), the state it reaches, the kinds it is for. */
export const SUBMISSION_TRANSITIONS = {
  register: { to: 'registered', kinds: ['grievance', 'suggestion'] },
  decline: { to: 'declined', kinds: ['grievance', 'suggestion'] },
  // 建言献策: a suggestion may go to the convener instead of the chain; a grievance stays in the chain.
  forward_to_convener: { to: 'forwarded', kinds: ['suggestion'] },
} as const satisfies Record<SubmissionAction, { to: SubmissionState; kinds: readonly SubmissionKind[] }>;

/** The submission's clock: the branch verifies within the `l0_verify` policy, warned at 80 %; a miss is told to the branch's parent unit. */
export const SUBMISSION_CLOCK = { step: 'l0_verify', warnedTo: 'branch', missedTo: ['branch', 'parent'] } as const;

/** Only a waiting submission takes files or an action. */
export const isOpen = (state: SubmissionState) => state === 'waiting';

export interface SubmissionRefusal { status: 409 | 422; code: string; message: string }

/** The refusal of anything (an action, a file) once the submission left `waiting`: 409 naming its state. */
export function notWaiting(state: SubmissionState): SubmissionRefusal {
  const [zh, en] = SUBMISSION_STATE_LABELS[state];
  return { status: 409, code: 'submission_not_waiting', message: `该提交已处理（${zh}）/ this submission is no longer waiting (${en}: ${state})` };
}

/**
 * Why an action is refused, or null: 409 (`submission_not_waiting`) once the submission left
 * `waiting`; 422 (`submission_kind_not_allowed`) for an action its kind does not take.
 */
export function submissionRefusal(state: SubmissionState, kind: SubmissionKind, action: SubmissionAction): SubmissionRefusal | null {
  if (!isOpen(state)) return notWaiting(state);
  if (!(SUBMISSION_TRANSITIONS[action].kinds as readonly SubmissionKind[]).includes(kind)) {
    return {
      status: 422, code: 'submission_kind_not_allowed',
      message: `kind: 只有建言献策（suggestion）可以转协调会召集单位，诉求（${kind}）须登记或不予登记 / only a suggestion is forwarded to the convener; a ${kind} is registered or declined`,
    };
  }
  return null;
}
