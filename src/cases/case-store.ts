/** Data access for cases and their append-only record. */
import type { Tx } from '../../db/client.js';
import type { cases } from '../../db/schema.js';
import type { DeadlineRow } from '../deadlines/deadline-store.js';
import type { CaseFacts, CohandlerRow } from './case-plan.js';

export type CaseRow = typeof cases.$inferSelect;
export type NewCaseRow = Omit<typeof cases.$inferInsert, 'id'>;

/** Locks the case row for one transition: concurrent actions on a case queue up here. */
export async function lockCase(tx: Tx, id: string): Promise<CaseRow | null> {
  const [row] = await tx<CaseRow[]>`select * from cases where id = ${id} for update`;
  return row ?? null;
}

/** Which case a transition locks: by its id, by a clock of it that fired, or by a worker's feedback link. */
export type CaseKey = { caseId: string } | { deadlineId: string } | { feedbackTokenHash: string };

/**
 * The one read of a transition: the case row locked, with all its clocks, its co-handlers and the
 * units that may read it — four statements sent together (one round trip). The lock comes first:
 * the rest run after it is granted, so they see what the previous holder of the lock committed.
 * Without `lock`, the same read for an answer (GET).
 */
export async function lockCaseFacts(tx: Tx, key: CaseKey, { lock = true } = {}): Promise<CaseFacts | null> {
  const id = 'caseId' in key ? tx`${key.caseId}::uuid`
    : 'deadlineId' in key ? tx`(select case_id from deadlines where id = ${key.deadlineId})`
      : tx`(select case_id from worker_feedback_links where token_hash = ${key.feedbackTokenHash})`;
  const [[row], deadlines, cohandlers, participants] = await Promise.all([
    tx<CaseRow[]>`select * from cases where id = ${id} ${lock ? tx`for update` : tx``}`,
    tx<DeadlineRow[]>`select * from deadlines where case_id = ${id} order by started_at, id`,
    tx<CohandlerRow[]>`select org_id, reason, added_at, due_at, contributed_at, opinion from case_cohandlers where case_id = ${id} order by added_at, org_id`,
    tx<{ orgId: string }[]>`select org_id from case_participants where case_id = ${id}`,
  ]);
  return row ? { row, deadlines, cohandlers, participants: participants.map((p) => p.orgId) } : null;
}
