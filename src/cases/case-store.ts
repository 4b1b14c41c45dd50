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

/** Which case a transition locks: by its id, by a clock of it that fired, by a worker's feedback link, or by its reference (the worker's appeal). */
export type CaseKey = { caseId: string } | { deadlineId: string } | { feedbackTokenHash: string } | { reference: string };

/**
 * The one read of a transition: the case row locked, with the units that may read it and its
 * co-handlers beside it, and all its clocks — two statements sent together (one round trip). The
 * lock comes first: the clocks are read after it is granted, so they are what the previous holder
 * of the lock committed. Without `lock`, the same read for an answer (GET).
 */
export async function lockCaseFacts(tx: Tx, key: CaseKey, { lock = true } = {}): Promise<CaseFacts | null> {
  const id = 'caseId' in key ? tx`${key.caseId}::uuid`
    : 'deadlineId' in key ? tx`(select case_id from deadlines where id = ${key.deadlineId})`
      : 'reference' in key ? tx`(select id from cases where reference = ${key.reference})`
        : tx`(select case_id from worker_feedback_links where token_hash = ${key.feedbackTokenHash})`;
  const [[found], deadlines] = await Promise.all([
    tx<(CaseRow & { participantIds: string[]; cohandlerRows: (Omit<CohandlerRow, 'addedAt' | 'dueAt' | 'contributedAt'> & Record<'addedAt' | 'dueAt' | 'contributedAt', string | null>)[] })[]>`
      select c.*, array(select p.org_id from case_participants p where p.case_id = c.id) as participant_ids,
        coalesce((select json_agg(json_build_object('orgId', h.org_id, 'reason', h.reason, 'addedAt', h.added_at, 'dueAt', h.due_at,
          'contributedAt', h.contributed_at, 'opinion', h.opinion) order by h.added_at, h.org_id)
          from case_cohandlers h where h.case_id = c.id), '[]') as cohandler_rows
      from cases c where c.id = ${id} ${lock ? tx`for update of c` : tx``}`,
    tx<DeadlineRow[]>`select * from deadlines where case_id = ${id} order by started_at, id`,
  ]);
  if (!found) return null;
  const { participantIds, cohandlerRows, ...row } = found;
  const cohandlers = cohandlerRows.map((h) => ({
    ...h, addedAt: new Date(h.addedAt!), dueAt: new Date(h.dueAt!), contributedAt: h.contributedAt ? new Date(h.contributedAt) : null,
  }));
  return { row, deadlines, cohandlers, participants: participantIds };
}
