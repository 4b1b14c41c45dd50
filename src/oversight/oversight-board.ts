/**
 * The competent department's oversight board (督办台账): every open case it holds or supervises,
 * most overdue first, with its deadlines, the time left or overdue by, its level history, the time
 * spent at each level, and how often it was returned, transferred and reopened.
 */
import { requireCapability, seesEveryCase } from '../access/permissions.js';
import type { Tx } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import type { Caller } from '../access/callers.js';
import type { CaseRow } from '../cases/case-store.js';
import { reopens, type CaseEventRow } from '../cases/case-record.js';
import { caseSummary, deadlineView } from '../cases/case-view.js';
import type { DeadlineRow } from '../deadlines/deadline-store.js';
import { Forbidden } from '../errors.js';
import { FINAL_STATES, LEVELS, type Level } from '../../workflows/case-rules.js';
import type { OversightBoardView } from './oversight-view.js';

export interface OversightQuery {
  orgId?: string; from?: string; to?: string; state?: string; category?: string; platform?: string; area?: string;
  limit?: string; offset?: string;
}

/** Officers see their own department's board; conveners any department's (orgId) or all. */
export async function readOversightBoard(tx: Tx, caller: Caller, q: OversightQuery, now = new Date()): Promise<OversightBoardView> {
  requireCapability(caller, 'readOversight');
  if (!seesEveryCase(caller) && q.orgId && q.orgId !== caller.orgId) {
    throw new Forbidden('只能查看本部门的督办台账 / officers see their own department\'s board');
  }
  const entries = await oversightBoard(tx, {
    orgId: seesEveryCase(caller) ? q.orgId ?? null : caller.orgId,
    from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, state: q.state,
    category: q.category, platform: q.platform, area: q.area, limit: Number(q.limit ?? 50), offset: Number(q.offset ?? 0),
  }, now);
  return {
    items: entries.map((e) => ({
      ...caseSummary(e.row), deadlines: e.deadlines.map(deadlineView), secondsLeft: e.secondsLeft,
      levelHistory: e.levelHistory.map((s) => ({ ...s, enteredAt: s.enteredAt.toISOString(), leftAt: s.leftAt?.toISOString() ?? null })),
      hoursAtLevel: e.hoursAtLevel, returns: e.counts.returns, transfers: e.counts.transfers, reopenings: e.counts.reopenings,
    })),
  };
}

/** What the oversight route calls: a read, so on the read replica when there is one. */
export function createOversightService(deps: { read: ReadDatabase }) {
  return {
    readOversightBoard: (caller: Caller, q: OversightQuery) =>
      deps.read.read((sql) => readOversightBoard(sql, caller, q), { reader: caller.userId }),
  };
}
export type OversightService = ReturnType<typeof createOversightService>;

export interface OversightFilter {
  /** The department; null for a convener's view of every department. */
  orgId: string | null;
  from?: Date; to?: Date; state?: string; category?: string; platform?: string; area?: string;
  limit: number; offset: number;
}

export interface LevelStay { level: Level; orgId: string; orgName: string; enteredAt: Date; leftAt: Date | null; hours: number }

export interface HandlingCounts { returns: number; transfers: number; reopenings: number }

export interface OversightEntry {
  row: CaseRow; deadlines: DeadlineRow[]; secondsLeft: number | null; levelHistory: LevelStay[];
  hoursAtLevel: Record<Level, number>; counts: HandlingCounts;
}

export async function oversightBoard(tx: Tx, f: OversightFilter, now = new Date()): Promise<OversightEntry[]> {
  const window = f.limit + f.offset;
  const filters = tx`
    ${f.state ? tx`and c.state = ${f.state}` : tx`and c.state <> all(${FINAL_STATES})`}
    ${f.from ? tx`and c.created_at >= ${f.from}` : tx``}
    ${f.to ? tx`and c.created_at < ${f.to}` : tx``}
    ${f.category ? tx`and c.category = ${f.category}` : tx``}
    ${f.platform ? tx`and c.platform = ${f.platform}` : tx``}
    ${f.area ? tx`and c.area = ${f.area}` : tx``}`;
  // Two ordered index scans (held / supervised), merged: most overdue (earliest due) first.
  const rows = f.orgId
    ? await tx<CaseRow[]>`
      select * from (
        (select c.* from cases c where c.holder_org_id = ${f.orgId} ${filters} order by c.due_at nulls last, c.id limit ${window})
        union
        (select c.* from cases c where c.supervising_org_id = ${f.orgId} ${filters} order by c.due_at nulls last, c.id limit ${window})
      ) board order by due_at nulls last, id limit ${f.limit} offset ${f.offset}`
    : await tx<CaseRow[]>`
      select c.* from cases c where (c.level = 'department' or c.supervising_org_id is not null) ${filters}
      order by c.due_at nulls last, c.id limit ${f.limit} offset ${f.offset}`;
  const ids = rows.map((r) => r.id);
  const { histories, counts } = await levelHistories(tx, ids, now);
  const clocks = ids.length === 0 ? [] : await tx<DeadlineRow[]>`
    select * from deadlines where case_id = any(${ids}::uuid[]) order by started_at, id`;
  return rows.map((row) => ({
    row,
    deadlines: clocks.filter((d) => d.caseId === row.id),
    secondsLeft: row.dueAt ? Math.floor((row.dueAt.getTime() - now.getTime()) / 1000) : null,
    levelHistory: histories.get(row.id) ?? [],
    hoursAtLevel: hoursAtLevel(histories.get(row.id) ?? []),
    counts: counts.get(row.id) ?? { returns: 0, transfers: 0, reopenings: 0 },
  }));
}

function hoursAtLevel(stays: LevelStay[]): Record<Level, number> {
  const total = Object.fromEntries(LEVELS.map((level) => [level, 0])) as Record<Level, number>;
  for (const s of stays) total[s.level] = round(total[s.level] + s.hours);
  return total;
}

/**
 * When each case entered and left each level, who held it there, and for how long; and how often
 * it was returned, transferred and reopened (workflows/case-rules.ts REOPENING).
 */
async function levelHistories(tx: Tx, caseIds: string[], now: Date) {
  const histories = new Map<string, LevelStay[]>();
  const counts = new Map<string, HandlingCounts>();
  if (caseIds.length === 0) return { histories, counts };
  const events = await tx<(Pick<CaseEventRow, 'caseId' | 'at' | 'level' | 'holderOrgId' | 'action'> & { orgName: string; reopened: boolean })[]>`
    select e.case_id, e.at, e.level, e.holder_org_id, e.action, o.name as org_name,
      ${reopens(tx)} as reopened
    from case_events e join orgs o on o.id = e.holder_org_id
    where e.case_id = any(${caseIds}::uuid[]) order by e.case_id, e.seq`;
  for (const e of events) {
    const n = counts.get(e.caseId) ?? { returns: 0, transfers: 0, reopenings: 0 };
    if (e.action === 'return') n.returns++;
    if (e.action === 'transfer') n.transfers++;
    if (e.reopened) n.reopenings++;
    counts.set(e.caseId, n);
    const stays = histories.get(e.caseId) ?? [];
    const last = stays[stays.length - 1];
    if (last && last.level === e.level && last.orgId === e.holderOrgId) continue;
    if (last) close(last, e.at);
    stays.push({ level: e.level, orgId: e.holderOrgId!, orgName: e.orgName, enteredAt: e.at, leftAt: null, hours: 0 });
    histories.set(e.caseId, stays);
  }
  for (const stays of histories.values()) {
    const last = stays[stays.length - 1];
    last.hours = round((now.getTime() - last.enteredAt.getTime()) / 3600_000);
  }
  return { histories, counts };
}

function close(stay: LevelStay, at: Date) {
  stay.leftAt = at;
  stay.hours = round((at.getTime() - stay.enteredAt.getTime()) / 3600_000);
}

const round = (hours: number) => Math.round(hours * 10) / 10;
