/** Data access for cases and their append-only record. */
import { jsonb, type Tx } from '../../db/client.js';
import type { caseEvents, cases } from '../../db/schema.js';

export type CaseRow = typeof cases.$inferSelect;
export type NewCaseRow = Omit<typeof cases.$inferInsert, 'id'>;
export type CaseEventRow = typeof caseEvents.$inferSelect;

export interface EventActor { userId?: string | null; orgId?: string | null; system?: string }

export interface RecordedEvent {
  caseId: string; action: string; fromState: string | null; toState: string; level: string;
  holderOrgId: string; actor: EventActor; at: Date; data: Record<string, unknown>;
}

export async function nextReference(tx: Tx, at: Date): Promise<string> {
  const [{ n }] = await tx<{ n: string }[]>`select nextval('case_reference_seq') as n`;
  return `SQ-${at.getUTCFullYear()}-${String(n).padStart(6, '0')}`;
}

export async function insertCase(tx: Tx, row: NewCaseRow): Promise<CaseRow> {
  const [inserted] = await tx<CaseRow[]>`insert into cases ${tx({ ...row, snapshot: jsonb(tx, row.snapshot) })} returning *`;
  return inserted;
}

export async function findCase(tx: Tx, id: string): Promise<CaseRow | null> {
  const [row] = await tx<CaseRow[]>`select * from cases where id = ${id}`;
  return row ?? null;
}

/** Locks the case row for one transition: concurrent actions on a case queue up here. */
export async function lockCase(tx: Tx, id: string): Promise<CaseRow | null> {
  const [row] = await tx<CaseRow[]>`select * from cases where id = ${id} for update`;
  return row ?? null;
}

export async function updateCase(tx: Tx, id: string, changes: Partial<NewCaseRow>): Promise<CaseRow> {
  const values: Record<string, unknown> = { ...changes, updatedAt: new Date() };
  if (changes.snapshot !== undefined) values.snapshot = jsonb(tx, changes.snapshot);
  const [row] = await tx<CaseRow[]>`update cases set ${tx(values)} where id = ${id} returning *`;
  return row;
}

/** Appends to the record; the caller holds the case row lock, so seq is gap-free per case. */
export async function appendEvent(tx: Tx, e: RecordedEvent): Promise<void> {
  await tx`
    insert into case_events (case_id, seq, at, action, from_state, to_state, level, holder_org_id, data, actor_user_id, actor_org_id, actor_system)
    values (${e.caseId}, (select coalesce(max(seq), 0) + 1 from case_events where case_id = ${e.caseId}), ${e.at}, ${e.action},
      ${e.fromState}, ${e.toState}, ${e.level}, ${e.holderOrgId}, ${jsonb(tx, e.data)},
      ${e.actor.userId ?? null}, ${e.actor.orgId ?? null}, ${e.actor.system ?? null})`;
}

export async function eventsOf(tx: Tx, caseId: string): Promise<CaseEventRow[]> {
  return tx<CaseEventRow[]>`select * from case_events where case_id = ${caseId} order by seq`;
}

export async function recordPersonalDataRead(tx: Tx, caseId: string, userId: string): Promise<void> {
  await tx`insert into personal_data_reads (case_id, user_id) values (${caseId}, ${userId})`;
}
