/**
 * 挂牌不运行 (a unit on paper only): a unit that holds open cases but whose users have acted on
 * none for DORMANT_AFTER_DAYS is flagged to the convener units, once per unit per day, whichever
 * worker runs the check first (a row per unit and day in `dormant_unit_flags`; the notices go in
 * the same transaction, delivered after commit). An act is any event of the record by the unit
 * (its `actor_org_id`); a unit younger than that period is not judged yet. The check runs with
 * the workers' periodic jobs (src/runtime.ts) and reads by index (case_events_actor_at, cases_holder).
 */
import { inTransaction, type Sql } from '../../db/client.js';
import { shanghaiDay } from '../calendar/working-calendar.js';
import { noticeStatements } from '../notifications/outbox.js';
import { convenerUnits } from './org-store.js';

export const DORMANT_AFTER_DAYS = 30;

interface DormantUnit { id: string; name: string; openCases: number; lastActedAt: Date | null }

/** Flags today's dormant units not flagged yet today; returns how many were flagged now. */
export async function flagDormantUnits(sql: Sql, at: Date, deliver: () => void): Promise<number> {
  const since = new Date(at.getTime() - DORMANT_AFTER_DAYS * 86_400_000);
  const day = shanghaiDay(at);
  const flagged = await inTransaction(sql, async (tx) => {
    const dormant = await tx<DormantUnit[]>`
      select o.id, o.name, held.open_cases,
        (select max(e.at) from case_events e where e.actor_org_id = o.id) as last_acted_at
      from orgs o
      cross join lateral (select count(*)::int as open_cases from cases c where c.holder_org_id = o.id and c.closed_at is null) held
      where o.deactivated_at is null and o.created_at < ${since} and held.open_cases > 0
        and not exists (select 1 from case_events e where e.actor_org_id = o.id and e.at >= ${since})
      order by o.name, o.id`;
    if (dormant.length === 0) return 0;
    const fresh = await tx<{ orgId: string }[]>`insert into dormant_unit_flags ${tx(dormant.map((u) => ({ orgId: u.id, day, openCases: u.openCases, lastActedAt: u.lastActedAt })))}
      on conflict do nothing returning org_id`;
    const told = dormant.filter((u) => fresh.some((f) => f.orgId === u.id));
    if (told.length === 0) return 0;
    const conveners = await convenerUnits(tx);
    const channels = new Map(conveners.map((c) => [c.id, c.channels]));
    await Promise.all(noticeStatements(tx, conveners.flatMap((c) => told.map((u) => ({
      orgId: c.id, caseId: null, kind: 'dormant_unit' as const,
      payload: {
        label: '挂牌不运行 / dormant unit', reference: `${u.name}（${u.openCases} 件未结 / open）`, day,
        unitId: u.id, unitName: u.name, openCases: u.openCases, lastActedAt: u.lastActedAt?.toISOString() ?? null,
      },
    }))), (orgId) => channels.get(orgId) ?? []));
    return told.length;
  });
  if (flagged > 0) deliver();
  return flagged;
}
