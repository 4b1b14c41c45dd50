/**
 * 问责清单 (accountability): every clock a unit missed whose miss is that unit's failure — the
 * clocks that escalate or put the case on the agenda (ACCOUNTABLE_CLOCKS, from the clock table) —
 * and so every missed supervision order (督办单), co-handler's opinion and referral answer, with the
 * unit held to account, the case, how late the unit was, and the meeting decision taken on the case
 * afterwards. How late: from the due time until the unit next acted on the case, a meeting decision
 * moved it, or it closed; still open and untouched, until now (`ongoing`). Conveners read every
 * unit's (or one's, `orgId`); every other unit its own. Read on the replica when there is one; the
 * meeting export prints the same list for its period.
 */
import { Type, type Static } from 'typebox';
import type { Tx } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import type { Caller } from '../access/callers.js';
import { requireCapability, seesEveryCase } from '../access/permissions.js';
import { Forbidden } from '../errors.js';
import { maskFreeText } from '../privacy/masking.js';
import { ACCOUNTABLE_CLOCKS, DEADLINE_STEPS } from '../../workflows/case-rules.js';

const At = Type.String({ format: 'date-time' });
export const AccountabilityItemSchema = Type.Object({
  caseId: Type.String(), reference: Type.String(),
  orgId: Type.String({ description: '被问责单位 / the unit held to account (the clock\'s owner)' }), orgName: Type.String(),
  step: Type.Enum([...DEADLINE_STEPS], { description: '超期的环节 / the clock that was missed' }),
  dueAt: At, missedAt: At,
  lateHours: Type.Number({ description: '超期小时：自到期至该单位再次办理、协调会决定或结案（仍未办理则至今）/ hours from the due time until the unit acted, a meeting decided, or the case closed (until now while none has)' }),
  ongoing: Type.Boolean({ description: 'true：该单位至今未再办理 / the unit has not acted since' }),
  decision: Type.Union([Type.String(), Type.Null()], { description: '此后的协调会决定（个人号码打码）/ the meeting decision taken on the case afterwards (personal numbers masked)' }),
  meetingId: Type.Union([Type.String(), Type.Null()]),
}, { $id: 'AccountabilityItem' });
export type AccountabilityItem = Static<typeof AccountabilityItemSchema>;
export const AccountabilityListSchema = Type.Object({ items: Type.Array(AccountabilityItemSchema) }, { $id: 'AccountabilityList' });

export interface AccountabilityFilter { from: Date; to: Date; orgId: string | null; limit: number }

interface Row {
  caseId: string; reference: string; orgId: string; orgName: string; step: AccountabilityItem['step']; dueAt: Date; missedAt: Date;
  endedAt: Date | null; decision: string | null; meetingId: string | null;
}

/** The misses of the period (by when they were missed), oldest first; the clocks' `closed_at` index serves the range. */
export async function accountabilityItems(tx: Tx, f: AccountabilityFilter, now = new Date()): Promise<AccountabilityItem[]> {
  const rows = await tx<Row[]>`
    select d.case_id, c.reference, d.org_id, o.name as org_name, d.step, d.due_at, d.closed_at as missed_at,
      coalesce(acted.at, c.closed_at) as ended_at, decided.decision, decided.meeting_id
    from deadlines d
      join cases c on c.id = d.case_id
      join orgs o on o.id = d.org_id
      left join lateral (select e.at from case_events e
        where e.case_id = d.case_id and e.at > d.closed_at and (e.actor_org_id = d.org_id or e.action = 'assign_lead')
        order by e.seq limit 1) acted on true
      left join lateral (select e.texts ->> 'decision' as decision, e.data ->> 'meetingId' as meeting_id from case_events e
        where e.case_id = d.case_id and e.at >= d.closed_at and e.action = 'assign_lead'
        order by e.seq limit 1) decided on true
    where d.closed_at >= ${f.from} and d.closed_at < ${f.to} and d.status = 'missed'
      and d.step = any(${ACCOUNTABLE_CLOCKS as readonly string[]}::text[])
      ${f.orgId ? tx`and d.org_id = ${f.orgId}` : tx``}
    order by d.closed_at, d.id
    limit ${f.limit}`;
  return rows.map((r) => {
    const end = r.endedAt ?? now;
    return {
      caseId: r.caseId, reference: r.reference, orgId: r.orgId, orgName: r.orgName, step: r.step,
      dueAt: r.dueAt.toISOString(), missedAt: r.missedAt.toISOString(),
      lateHours: Math.max(0, Math.round((end.getTime() - r.dueAt.getTime()) / 360_000) / 10), ongoing: r.endedAt === null,
      decision: r.decision ? maskFreeText(r.decision) : null, meetingId: r.meetingId,
    };
  });
}

/** Conveners: every unit's, or one's; every other unit: its own (another unit's: 403). */
export function createAccountabilityService(deps: { read: ReadDatabase }) {
  return {
    list(caller: Caller, q: { from: Date; to: Date; orgId?: string; limit?: number }) {
      requireCapability(caller, 'readAccountability');
      if (!seesEveryCase(caller) && q.orgId && q.orgId !== caller.orgId) {
        throw new Forbidden('orgId: 只能查看本单位的问责清单 / a unit reads its own accountability list');
      }
      const orgId = seesEveryCase(caller) ? q.orgId ?? null : caller.orgId;
      return deps.read.read(async (sql) => ({ items: await accountabilityItems(sql, { from: q.from, to: q.to, orgId, limit: q.limit ?? 1000 }) }),
        { reader: caller.userId });
    },
  };
}
export type AccountabilityService = ReturnType<typeof createAccountabilityService>;
