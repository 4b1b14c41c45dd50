/**
 * Units that merge (组建 / 撤并): a unit hands everything still its own to its successor, in the
 * admin's one transaction — every open case in which it plays a part (as holder, registering
 * branch, platform committee, department, supervisor, the hotline whose order it is, the approver
 * of a pending extension, the unit a pending referral went to, a co-handler), the clocks it owns,
 * the routing rules that name it, its users, its channels, the units under it and the hotlines
 * whose default branch it is — then it is deactivated. Each moved case gets one event in its chained record (action
 * `succession`, through the record writer) and a new version: a caller's If-Match is stale.
 */
import { jsonb, type Tx } from '../../db/client.js';
import { chainEvents, insertEvents, type EventActor, type RecordKey } from '../cases/case-record.js';
import type { CaseRow } from '../cases/case-store.js';
import { Conflict, NotAllowed } from '../errors.js';
import type { CaseContext } from '../../workflows/case-machine.js';
import { deactivateOrg, type OrgRow } from './org-store.js';

/** The case columns that name a unit's part in a case, and the record's name for each. */
const CASE_PARTS = {
  holderOrgId: 'holder', branchOrgId: 'branch', platformOrgId: 'platform', departmentOrgId: 'department', supervisingOrgId: 'supervisor',
  hotlineOrgId: 'hotline',
} as const satisfies Partial<Record<keyof CaseRow, string>>;
type PartColumn = keyof typeof CASE_PARTS;
const PART_COLUMNS = Object.keys(CASE_PARTS) as PartColumn[];

/** What moved, counted for the answer and the admin audit. */
export interface Handover { cases: number; clocks: number; routingRules: number; users: string[]; channels: number }

/** A unit's successor: another active unit of the same type (else 422 naming `successorId`). */
export function checkSuccessor(unit: OrgRow, successor: OrgRow): void {
  if (unit.deactivatedAt) throw new NotAllowed(`id: 单位 '${unit.name}' 已停用，无可移交 / unit '${unit.name}' is deactivated already: nothing to hand over`);
  if (successor.id === unit.id) throw new NotAllowed('successorId: 承继单位不能是本单位 / a unit does not succeed itself', 'successor_invalid');
  if (successor.deactivatedAt) throw new NotAllowed(`successorId: 承继单位 '${successor.name}' 已停用 / the successor '${successor.name}' is deactivated`, 'successor_invalid');
  if (successor.type !== unit.type) {
    throw new NotAllowed(`successorId: 承继单位须同为 ${unit.type}，实际为 ${successor.type} / the successor must be a ${unit.type} like the unit, not a ${successor.type}`, 'successor_invalid');
  }
}

export async function handOver(tx: Tx, key: RecordKey, unit: OrgRow, successor: OrgRow, actor: EventActor, at: Date): Promise<Handover> {
  const [from, to] = [unit.id, successor.id];
  // Every open case the unit plays a part in, locked in id order (as merges lock theirs), with whether it owns one of its running clocks.
  const cases = await tx<(CaseRow & { ownsClocks: boolean; cohandles: boolean })[]>`
    select c.*, exists (select 1 from deadlines d where d.case_id = c.id and d.org_id = ${from} and d.status in ('pending', 'paused')) as owns_clocks,
      exists (select 1 from case_cohandlers h where h.case_id = c.id and h.org_id = ${from}) as cohandles
    from cases c where c.closed_at is null and (
      ${from} in (c.holder_org_id, c.branch_org_id, c.platform_org_id, c.department_org_id, c.supervising_org_id, c.hotline_org_id)
      or exists (select 1 from deadlines d where d.case_id = c.id and d.org_id = ${from} and d.status in ('pending', 'paused'))
      or exists (select 1 from case_cohandlers h where h.case_id = c.id and h.org_id = ${from})
      or c.snapshot -> 'pendingExtension' ->> 'approverOrgId' = ${from}::text)
    order by c.id for update of c`;
  const orders = cases.filter((c) => c.hotlineOrgId === from).map((c) => c.hotlineOrderNo!);
  if (orders.length > 0) await checkOrderNumbers(tx, orders, successor);
  const moved = cases.map((row) => {
    const columns = Object.fromEntries(PART_COLUMNS.filter((c) => row[c] === from).map((c) => [c, to])) as Partial<Record<PartColumn, string>>;
    const { snapshot, parts: contextParts } = contextAfter(row.snapshot, from, to);
    const parts = [
      ...Object.keys(columns).map((c) => CASE_PARTS[c as PartColumn]), ...(row.ownsClocks ? ['clocks'] : []), ...contextParts, ...(row.cohandles ? ['cohandler'] : []),
    ];
    const { events, head } = chainEvents(key, { seq: row.eventSeq, hash: row.eventHash }, [{
      caseId: row.id, action: 'succession', fromState: row.state, toState: row.state, level: row.level, holderOrgId: columns.holderOrgId ?? row.holderOrgId,
      actor, at, data: { fromOrgId: from, toOrgId: to, parts },
    }]);
    return { row, columns, snapshot, events, head };
  });
  const ids = cases.map((c) => c.id);
  const [clocks, rules, users, channels] = await Promise.all([
    tx`update deadlines set org_id = ${to} where org_id = ${from} and status in ('pending', 'paused') and case_id = any(${ids}::uuid[])`,
    tx`update routing_rules set to_org_id = ${to} where to_org_id = ${from}`,
    tx<{ id: string }[]>`update users set org_id = ${to} where org_id = ${from} returning id`,
    tx`insert into org_channels (org_id, channel, settings) select ${to}, channel, settings from org_channels where org_id = ${from} on conflict do nothing`,
    tx`delete from org_channels where org_id = ${from}`,
    tx`update orgs set webhook_url = ${unit.webhookUrl} where id = ${to} and webhook_url is null`,
    tx`update orgs set parent_id = ${to} where parent_id = ${from} and id <> ${to}`,
    tx`update orgs set default_branch_id = ${to} where default_branch_id = ${from}`,
    // The successor's users read what the unit held or took part in, closed cases too.
    tx`insert into case_participants (case_id, org_id) select case_id, ${to} from case_participants where org_id = ${from} on conflict do nothing`,
    tx`update case_cohandlers h set org_id = ${to} where h.org_id = ${from} and h.case_id = any(${ids}::uuid[])
      and not exists (select 1 from case_cohandlers o where o.case_id = h.case_id and o.org_id = ${to})`,
    ...(moved.length > 0 ? [insertEvents(tx, moved.flatMap((m) => m.events))] : []),
    ...moved.map((m) => tx`update cases set ${tx({ ...m.columns, snapshot: jsonb(tx, m.snapshot) })}, version = version + 1,
      event_seq = ${m.head.seq}, event_hash = ${m.head.hash}, updated_at = ${at} where id = ${m.row.id}`),
  ]);
  await deactivateOrg(tx, unit);
  return { cases: moved.length, clocks: clocks.count, routingRules: rules.count, users: users.map((u) => u.id), channels: channels.count };
}

/** A hotline's open orders go on under the successor's numbers: one it already has is a conflict (409), not a second case with its number. */
async function checkOrderNumbers(tx: Tx, orderNos: string[], successor: OrgRow): Promise<void> {
  const taken = await tx<{ hotlineOrderNo: string }[]>`select hotline_order_no from cases
    where hotline_org_id = ${successor.id} and hotline_order_no = any(${orderNos}::text[]) order by hotline_order_no limit 20`;
  if (taken.length === 0) return;
  const numbers = taken.map((t) => t.hotlineOrderNo).join(', ');
  throw new Conflict(`successorId: 承继热线已有相同工单号（${numbers}）/ the successor hotline already has work orders numbered ${numbers}`, { orderNos: taken.map((t) => t.hotlineOrderNo) });
}

/** The chart's context names units too: the approver of a pending extension, a pending referral's unit, the co-handlers (recorded as a part by their rows). */
function contextAfter(context: CaseContext, from: string, to: string): { snapshot: CaseContext; parts: string[] } {
  const parts: string[] = [];
  const snapshot = { ...context };
  if (context.pendingExtension?.approverOrgId === from) {
    snapshot.pendingExtension = { ...context.pendingExtension, approverOrgId: to };
    parts.push('approver');
  }
  if (context.referral?.orgId === from) {
    snapshot.referral = { ...context.referral, orgId: to };
    parts.push('referral');
  }
  if (context.cohandlers && from in context.cohandlers && !(to in context.cohandlers)) {
    const { [from]: status, ...others } = context.cohandlers;
    snapshot.cohandlers = { ...others, [to]: status };
  }
  return { snapshot, parts };
}
