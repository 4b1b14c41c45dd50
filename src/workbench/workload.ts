/**
 * A unit's workload (一人身兼多职): for each person of the unit, how many open cases are assigned to
 * them and how many of those are overdue. Every user of the unit reads it (they assign from it);
 * another unit's is refused. One grouped query over the unit's users, each counted on the
 * `cases_assignee` index (assignee, closed_at, overdue): no case row is read.
 */
import { Type, type Static } from 'typebox';
import type { Tx } from '../../db/client.js';
import type { ReadDatabase } from '../../db/read-replica.js';
import type { Caller } from '../access/callers.js';
import { requireCapability } from '../access/permissions.js';
import { Forbidden, NotFound } from '../errors.js';

const Count = (description: string) => Type.Integer({ minimum: 0, description });
export const WorkloadSchema = Type.Object({
  orgId: Type.String(),
  items: Type.Array(Type.Object({
    userId: Type.String(), name: Type.String({ description: '本单位同事的姓名 / the colleague\'s name (shown to the unit\'s own users only)' }),
    role: Type.String(), active: Type.Boolean({ description: 'false：已停用，仍有未结案件 / deactivated, still holding open cases' }),
    open: Count('分派给该人员的未结案件 / open cases assigned to the person'), overdue: Count('其中超期 / of those, overdue'),
  })),
}, { $id: 'Workload' });
export type WorkloadView = Static<typeof WorkloadSchema>;

export async function readWorkload(tx: Tx, caller: Caller, orgId: string): Promise<WorkloadView> {
  requireCapability(caller, 'readCases');
  const [[org], items] = await Promise.all([
    tx`select id from orgs where id = ${orgId}`,
    // Counting an indexed column (not c.id) keeps it an index-only scan. A deactivated user shows only while cases are still assigned to them.
    tx<WorkloadView['items']>`
      select u.id as user_id, u.name, u.role, u.deactivated_at is null as active,
        count(c.assignee_user_id)::int as open, count(c.assignee_user_id) filter (where c.overdue)::int as overdue
      from users u left join cases c on c.assignee_user_id = u.id and c.closed_at is null
      where u.org_id = ${orgId}
      group by u.id
      having u.deactivated_at is null or count(c.assignee_user_id) > 0
      order by u.name, u.id`,
  ]);
  if (!org) throw new NotFound(`orgId: 单位不存在 / no unit '${orgId}'`);
  if (caller.orgId !== orgId) throw new Forbidden('只能查看本单位的工作量 / a unit\'s workload is for its own users');
  return { orgId, items };
}

/** What the workload route calls: a read, so on the read replica when there is one. */
export function createWorkloadService(deps: { read: ReadDatabase }) {
  return {
    readWorkload: (caller: Caller, orgId: string) => deps.read.read((sql) => readWorkload(sql, caller, orgId), { reader: caller.userId }),
  };
}
export type WorkloadService = ReturnType<typeof createWorkloadService>;
