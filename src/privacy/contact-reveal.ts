/**
 * Reveal with audit: the one path, besides the registering liaison's own reads, that returns a
 * worker's contact unmasked. Allowed to the registering branch's liaison and the current holder's
 * users; each reveal is an access-log row (who, unit, when, case, reason) that conveners and
 * admins list.
 */
import { mayReveal } from '../access/case-permissions.js';
import { requireCapability } from '../access/permissions.js';
import { Type, type Static } from 'typebox';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import type { CaseRow } from '../cases/case-store.js';
import { Forbidden, NotAllowed } from '../errors.js';

export const RevealedContactSchema = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]),
}, { description: '未脱敏的联系方式（已记录查看原因）/ the unmasked contact (the reveal is logged)' });
export type RevealedContact = Static<typeof RevealedContactSchema>;

export const RevealLogSchema = Type.Object({
  id: Type.Integer(), at: Type.String(), caseId: Type.String(), reference: Type.String(),
  userId: Type.String(), userName: Type.String(), orgId: Type.Union([Type.String(), Type.Null()]), reason: Type.String(),
});
export type RevealLog = Static<typeof RevealLogSchema>;


async function revealContact(
  sql: Sql, visibleCase: (tx: Tx, caller: Caller, id: string) => Promise<CaseRow>, caller: Caller, caseId: string, reason: string,
): Promise<RevealedContact> {
  return inTransaction(sql, async (tx) => {
    const row = await visibleCase(tx, caller, caseId);
    if (!mayReveal(caller, row)) {
      throw new Forbidden('只有登记支部联络员、当前承办单位和待回访案件的回访员可查看联系方式 / only the registering liaison, the current holder, and a call-back user while the feedback is awaited may reveal the contact');
    }
    if (row.anonymous) throw new NotAllowed('匿名诉求没有保存联系方式 / an anonymous grievance stores no contact');
    if (row.contactErasedAt) throw new NotAllowed('联系方式已按保存期限删除 / the contact was erased after the retention period');
    await tx`insert into personal_data_reads (case_id, user_id, org_id, reason) values (${row.id}, ${caller.userId}, ${caller.orgId}, ${reason})`;
    return { name: row.workerName, phone: row.workerPhone };
  });
}

async function listReveals(sql: Sql, period: { from: Date; to: Date }, limit = 1000): Promise<RevealLog[]> {
  const rows = await sql<(Omit<RevealLog, 'at'> & { at: Date })[]>`
    select r.id::int as id, r.at, r.case_id, c.reference, r.user_id, u.name as user_name, r.org_id, r.reason
    from personal_data_reads r join cases c on c.id = r.case_id join users u on u.id = r.user_id
    where r.reason is not null and r.at >= ${period.from} and r.at < ${period.to}
    order by r.at desc, r.id desc limit ${limit}`;
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

export function createPrivacyService(deps: { sql: Sql; visibleCase: (tx: Tx, caller: Caller, id: string) => Promise<CaseRow> }) {
  return {
    reveal: (caller: Caller, caseId: string, reason: string) => revealContact(deps.sql, deps.visibleCase, caller, caseId, reason),
    reveals: (caller: Caller, period: { from: Date; to: Date }) => {
      requireCapability(caller, 'readReveals');
      return listReveals(deps.sql, period);
    },
  };
}
export type PrivacyService = ReturnType<typeof createPrivacyService>;
