/**
 * The competent department's oversight board (督办台账): every open case it holds or supervises,
 * most overdue first, with its deadlines, the time left or overdue by, and its level history.
 */
import type { Tx } from '../../db/client.js';
import type { CaseRow, CaseEventRow } from '../cases/case-store.js';
import type { DeadlineRow } from '../deadlines/deadline-store.js';

export interface OversightFilter {
  /** The department; null for a convener's view of every department. */
  orgId: string | null;
  from?: Date; to?: Date; state?: string; category?: string; platform?: string; area?: string;
  limit: number; offset: number;
}

export interface LevelStay { level: string; orgId: string; orgName: string; enteredAt: Date; leftAt: Date | null; hours: number }

export interface OversightEntry { row: CaseRow; deadlines: DeadlineRow[]; secondsLeft: number | null; levelHistory: LevelStay[] }

export async function oversightBoard(tx: Tx, f: OversightFilter, now = new Date()): Promise<OversightEntry[]> {
  const window = f.limit + f.offset;
  const filters = tx`
    ${f.state ? tx`and c.state = ${f.state}` : tx`and c.state not in ('closed', 'withdrawn', 'merged')`}
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
  const histories = await levelHistories(tx, ids, now);
  const clocks = ids.length === 0 ? [] : await tx<DeadlineRow[]>`
    select * from deadlines where case_id = any(${ids}::uuid[]) order by started_at, id`;
  return rows.map((row) => ({
    row,
    deadlines: clocks.filter((d) => d.caseId === row.id),
    secondsLeft: row.dueAt ? Math.floor((row.dueAt.getTime() - now.getTime()) / 1000) : null,
    levelHistory: histories.get(row.id) ?? [],
  }));
}

/** When each case entered and left each level, who held it there, and for how long. */
async function levelHistories(tx: Tx, caseIds: string[], now: Date): Promise<Map<string, LevelStay[]>> {
  const histories = new Map<string, LevelStay[]>();
  if (caseIds.length === 0) return histories;
  const events = await tx<(Pick<CaseEventRow, 'caseId' | 'at' | 'level' | 'holderOrgId'> & { orgName: string })[]>`
    select e.case_id, e.at, e.level, e.holder_org_id, o.name as org_name
    from case_events e join orgs o on o.id = e.holder_org_id
    where e.case_id = any(${caseIds}::uuid[]) order by e.case_id, e.seq`;
  for (const e of events) {
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
  return histories;
}

function close(stay: LevelStay, at: Date) {
  stay.leftAt = at;
  stay.hours = round((at.getTime() - stay.enteredAt.getTime()) / 3600_000);
}

const round = (hours: number) => Math.round(hours * 10) / 10;
