/**
 * 对账单 (reconciliation statement) of a platform committee with the departments, or of a department
 * with the platform committees: the cases of the period (registered in it) that went through both
 * units — the platform's level and the department's, holding or supervising it — by counterpart: how
 * many, open, closed, disputed (returned, transferred, rated dissatisfied or appealed) and late (a
 * clock of either unit missed); then every case on its own row. As xlsx, for the unit's own users
 * and conveners. Read on the replica when there is one.
 */
import type { Writable } from 'node:stream';
import type { Tx } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import type { Caller } from '../access/callers.js';
import { requireCapability, seesEveryCase } from '../access/permissions.js';
import { shanghaiMinute as fmtTime } from '../calendar/working-calendar.js';
import { Forbidden, NotAllowed, NotFound } from '../errors.js';
import { CLOCK_LABELS, STATE_LABELS, type CaseState, type DeadlineStep, type OrgType } from '../../workflows/case-rules.js';
import { handlingCounts } from '../cases/case-record.js';

/** Whose statement it can be, and with whom: a platform committee's with the departments, a department's with the platform committees. */
const COUNTERPARTS = { platform: 'department', department: 'platform' } as const satisfies Partial<Record<OrgType, OrgType>>;
type Party = keyof typeof COUNTERPARTS;
const isParty = (type: OrgType): type is Party => Object.hasOwn(COUNTERPARTS, type);

interface Row {
  reference: string; counterpartId: string; counterpart: string; state: CaseState; holder: string; category: string;
  createdAt: Date; closedAt: Date | null; returns: number; transfers: number; reopenings: number; lateSteps: DeadlineStep[] | null;
}

async function statementRows(tx: Tx, org: { id: string; type: Party }, from: Date, to: Date): Promise<Row[]> {
  // The platform's side is the case's L2 unit; the department's its L3 unit or its supervisor.
  const mine = org.type === 'platform' ? tx`c.platform_org_id = ${org.id}` : tx`${org.id} in (c.department_org_id, c.supervising_org_id)`;
  const theirs = org.type === 'platform' ? tx`coalesce(c.department_org_id, c.supervising_org_id)` : tx`c.platform_org_id`;
  return tx<Row[]>`
    select c.reference, y.id as counterpart_id, y.name as counterpart, c.state, h.name as holder, c.category, c.created_at, c.closed_at,
      ${handlingCounts(tx)},
      (select array_agg(d.step order by d.due_at) from deadlines d
        where d.case_id = c.id and d.status = 'missed' and d.org_id in (${org.id}, y.id)) as late_steps
    from cases c
      join orgs y on y.id = ${theirs} and y.type = ${COUNTERPARTS[org.type]}
      join orgs h on h.id = c.holder_org_id
      left join case_events e on e.case_id = c.id
    where c.created_at >= ${from} and c.created_at < ${to} and ${mine}
    group by c.id, y.id, h.name
    order by y.name, c.created_at, c.id`;
}

const disputed = (r: Row) => r.returns + r.transfers + r.reopenings > 0;

function byCounterpart(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(r.counterpart, [...(groups.get(r.counterpart) ?? []), r]);
  return groups;
}

export function createReconciliation(deps: { read: ReadDatabase }) {
  return {
    /** The statement of `orgId` for the period, written to `out` as xlsx (and ended). */
    async write(caller: Caller, q: { orgId: string; from: Date; to: Date }, out: Writable): Promise<void> {
      requireCapability(caller, 'readReconciliation');
      if (!seesEveryCase(caller) && caller.orgId !== q.orgId) throw new Forbidden('orgId: 只能查看本单位的对账单 / a unit reads its own statement');
      const { org, rows } = await deps.read.read(async (sql) => {
        const [found] = await sql<{ id: string; name: string; type: OrgType }[]>`select id, name, type from orgs where id = ${q.orgId}`;
        if (!found) throw new NotFound(`orgId: 单位不存在 / no unit '${q.orgId}'`);
        if (!isParty(found.type)) {
          throw new NotAllowed(`orgId: 对账单只为平台党委或主管部门出具，'${found.name}' 不是 / a statement is for a platform committee or a department: '${found.name}' is neither`);
        }
        return { org: found, rows: await statementRows(sql, { id: found.id, type: found.type }, q.from, q.to) };
      }, { reader: caller.userId });

      const { default: ExcelJS } = await import('exceljs');
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
      const summary = book.addWorksheet('汇总 Summary');
      summary.addRow([`${org.name} 对账单 Reconciliation`, `${fmtTime(q.from)} — ${fmtTime(q.to)}（北京时间）`]).commit();
      summary.addRow(['对方单位 Counterpart', '案件 Cases', '未结 Open', '已结 Closed', '有争议 Disputed', '超期 Late']).commit();
      for (const [name, cases] of byCounterpart(rows)) {
        summary.addRow([name, cases.length, cases.filter((c) => !c.closedAt).length, cases.filter((c) => c.closedAt).length,
          cases.filter(disputed).length, cases.filter((c) => c.lateSteps).length]).commit();
      }
      summary.commit();
      const sheet = book.addWorksheet('案件 Cases');
      sheet.addRow(['案件编号 Reference', '对方单位 Counterpart', '状态 State', '承办单位 Holder', '类别 Category', '登记时间 Registered',
        '结案时间 Closed', '退回 Returns', '转办 Transfers', '重办 Reopened', '超期环节 Late steps']).commit();
      for (const r of rows) {
        sheet.addRow([r.reference, r.counterpart, STATE_LABELS[r.state], r.holder, r.category, fmtTime(r.createdAt), fmtTime(r.closedAt),
          r.returns, r.transfers, r.reopenings, (r.lateSteps ?? []).map((s) => CLOCK_LABELS[s][0]).join('、')]).commit();
      }
      sheet.commit();
      await book.commit();
    },
  };
}
export type Reconciliation = ReturnType<typeof createReconciliation>;
