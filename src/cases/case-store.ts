/** Data access for cases and their append-only record. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { caseEvents, caseReferenceSeq, cases, personalDataReads } from '../../db/schema.js';

export type CaseRow = typeof cases.$inferSelect;
export type NewCaseRow = typeof cases.$inferInsert;
export type CaseEventRow = typeof caseEvents.$inferSelect;

export interface EventActor { userId?: string | null; orgId?: string | null; system?: string }

export interface RecordedEvent {
  caseId: string; action: string; fromState: string | null; toState: string; level: string;
  holderOrgId: string; actor: EventActor; at: Date; data: Record<string, unknown>;
}

export async function nextReference(tx: Tx, at: Date): Promise<string> {
  const [{ n }] = await tx.execute<{ n: string }>(sql`select nextval(${caseReferenceSeq.seqName}) as n`) as unknown as { n: string }[];
  return `SQ-${at.getUTCFullYear()}-${String(n).padStart(6, '0')}`;
}

export async function insertCase(tx: Tx, row: NewCaseRow): Promise<CaseRow> {
  const [inserted] = await tx.insert(cases).values(row).returning();
  return inserted;
}

export async function findCase(tx: Tx, id: string): Promise<CaseRow | null> {
  const [row] = await tx.select().from(cases).where(eq(cases.id, id));
  return row ?? null;
}

/** Locks the case row for one transition: concurrent actions on a case queue up here. */
export async function lockCase(tx: Tx, id: string): Promise<CaseRow | null> {
  const [row] = await tx.select().from(cases).where(eq(cases.id, id)).for('update');
  return row ?? null;
}

export async function updateCase(tx: Tx, id: string, changes: Partial<NewCaseRow>): Promise<CaseRow> {
  const [row] = await tx.update(cases).set({ ...changes, updatedAt: new Date() }).where(eq(cases.id, id)).returning();
  return row;
}

/** Appends to the record; the caller holds the case row lock, so seq is gap-free per case. */
export async function appendEvent(tx: Tx, e: RecordedEvent): Promise<void> {
  const [last] = await tx.select({ seq: caseEvents.seq }).from(caseEvents)
    .where(eq(caseEvents.caseId, e.caseId)).orderBy(desc(caseEvents.seq)).limit(1);
  await tx.insert(caseEvents).values({
    caseId: e.caseId, seq: (last?.seq ?? 0) + 1, at: e.at, action: e.action, fromState: e.fromState,
    toState: e.toState, level: e.level, holderOrgId: e.holderOrgId, data: e.data,
    actorUserId: e.actor.userId ?? null, actorOrgId: e.actor.orgId ?? null, actorSystem: e.actor.system ?? null,
  });
}

export async function eventsOf(tx: Tx, caseId: string): Promise<CaseEventRow[]> {
  return tx.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.seq);
}

export async function recordPersonalDataRead(tx: Tx, caseId: string, userId: string): Promise<void> {
  await tx.insert(personalDataReads).values({ caseId, userId });
}

export async function countEvents(tx: Tx, caseId: string, action: string): Promise<number> {
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, action)));
  return n;
}
