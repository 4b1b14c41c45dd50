/**
 * A submission's `l0_verify` clock: the `due_at`/`warn_at` pair on its row, found through the
 * two partial indexes (`submissions_pending_due`, `submissions_pending_warn`) by the same sweeper
 * and wake-ups as the case clocks (src/deadlines/). A worker claims the due rows with FOR UPDATE
 * SKIP LOCKED and fires each once: its warning (`warned_at`) to the branch, its miss (`missed_at`)
 * to the branch and its parent unit — so a lost or repeated wake-up (a Redis wipe) fires nothing twice.
 */
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import type { Cached } from '../cached.js';
import type { OrgDirectory } from '../orgs/org-directory.js';
import { noticeStatements, type Notification } from '../notifications/outbox.js';
import { SUBMISSION_CLOCK } from '../../workflows/submission-rules.js';

interface DueSubmission { id: string; branchId: string; dueAt: Date; warnAt: Date; warnedAt: Date | null; missedAt: Date | null }

/** What fires on a submission at `at`: its end when reached, else its warning when owed and before its end. */
export function submissionDue(s: Pick<DueSubmission, 'dueAt' | 'warnAt' | 'warnedAt' | 'missedAt'>, at: Date): 'warn' | 'due' | null {
  if (!s.missedAt && s.dueAt <= at) return 'due';
  if (!s.warnedAt && s.warnAt <= at && s.warnAt < s.dueAt) return 'warn';
  return null;
}

export function createSubmissionClock(deps: { sql: Sql; orgs: Cached<OrgDirectory>; deliver: () => void; publicUrl?: string; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  /** Claims up to `limit` waiting submissions with something due and fires each once; returns how many were claimed. */
  async function fireDue(limit: number): Promise<number> {
    const orgs = await deps.orgs.get();
    const at = now();
    const fired = await inTransaction(deps.sql, async (tx) => {
      const due = await claimDue(tx, at, limit);
      if (due.length === 0) return 0;
      const notes = due.flatMap((s) => notesFor(s, submissionDue(s, at)!, orgs));
      await Promise.all([
        ...due.map((s) => submissionDue(s, at) === 'due'
          // A warning not sent by the end is not sent late: the miss says more.
          ? tx`update submissions set missed_at = ${at}, warned_at = coalesce(warned_at, ${at}) where id = ${s.id}`
          : tx`update submissions set warned_at = ${at} where id = ${s.id}`),
        ...noticeStatements(tx, notes, (orgId) => orgs.find(orgId)?.channels ?? []),
      ]);
      return due.length;
    });
    if (fired > 0) deps.deliver();
    return fired;
  }

  /** The branch is warned; a miss goes to the branch and its parent unit (none: every convener unit). */
  function notesFor(s: DueSubmission, kind: 'warn' | 'due', orgs: OrgDirectory): Notification[] {
    const branch = orgs.find(s.branchId);
    const payload = {
      label: `${branch?.name ?? ''} 待核实 / to verify`, reference: s.id, step: SUBMISSION_CLOCK.step, dueAt: s.dueAt.toISOString(),
      link: `${deps.publicUrl ?? ''}/#/submissions`,
    };
    if (kind === 'warn') return [{ orgId: s.branchId, caseId: null, kind: 'submission_warning', payload }];
    const parent = branch?.parentId ? [branch.parentId] : orgs.active().filter((o) => o.type === 'convener').map((o) => o.id);
    return [s.branchId, ...parent].map((orgId) => ({ orgId, caseId: null, kind: 'submission_missed' as const, payload }));
  }

  return { fireDue };
}

export type SubmissionClock = ReturnType<typeof createSubmissionClock>;

/** Locks waiting submissions with a miss or a warning due at `at`, skipping those another transaction holds; re-checked under the lock. */
async function claimDue(tx: Tx, at: Date, limit: number): Promise<DueSubmission[]> {
  return tx<DueSubmission[]>`
    select s.id, s.branch_id, s.due_at, s.warn_at, s.warned_at, s.missed_at from submissions s
    where s.id in (
      (select id from submissions where state = 'waiting' and missed_at is null and due_at <= ${at} order by due_at limit ${limit})
      union
      (select id from submissions where state = 'waiting' and warned_at is null and warn_at <= ${at} and warn_at < due_at order by warn_at limit ${limit})
    ) and s.state = 'waiting'
      and ((s.missed_at is null and s.due_at <= ${at}) or (s.warned_at is null and s.warn_at <= ${at} and s.warn_at < s.due_at))
    limit ${limit}
    for update of s skip locked`;
}

/** The seconds in (`from`, `until`] that hold a submission's due time or warning owed: two index range reads, for the sweeper. */
export async function submissionDueSeconds(tx: Tx, from: Date, until: Date): Promise<Date[]> {
  const rows = await tx<{ s: Date }[]>`
    select date_trunc('second', due_at) as s from submissions where state = 'waiting' and missed_at is null and due_at > ${from} and due_at <= ${until}
    union
    select date_trunc('second', warn_at) from submissions where state = 'waiting' and warned_at is null and warn_at > ${from} and warn_at <= ${until}
    order by s`;
  return rows.map((r) => r.s);
}

/** Whether a submission has something due already at `at`: two index probes. */
export async function anySubmissionDue(tx: Tx, at: Date): Promise<boolean> {
  const [{ due }] = await tx<{ due: boolean }[]>`
    select exists(select 1 from submissions where state = 'waiting' and missed_at is null and due_at <= ${at})
      or exists(select 1 from submissions where state = 'waiting' and warned_at is null and warn_at <= ${at} and warn_at < due_at) as due`;
  return due;
}
