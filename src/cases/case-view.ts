/**
 * What a caller sees of a case. Workers' names and phones are personal information (PIPL):
 * only the liaison of the registering branch (who relays the outcome to the worker) sees them
 * in full, and each such read is recorded; everyone else sees them masked (138****1234), and
 * the numbers written into free text (description, resolution, the record's comments and
 * answers) masked too. An unmasked contact otherwise comes only from a reveal (src/privacy).
 */
import type { CaseEventRow, CaseRow } from './case-store.js';
import { actorOf } from './case-record.js';
import type { DeadlineRow } from '../deadlines/deadline-store.js';
import type { Caller } from '../access/callers.js';
import { maskFreeText, maskName, maskPhone, maskStrings } from '../privacy/masking.js';
import { STATE_LABELS, type CaseState } from '../../workflows/case-machine.js';

export function seesPersonalData(caller: Caller, row: CaseRow): boolean {
  return caller.role === 'liaison' && caller.orgId === row.branchOrgId && !row.anonymous;
}

export function deadlineView(d: DeadlineRow) {
  return {
    id: d.id, step: d.step, level: d.level, orgId: d.orgId,
    startedAt: d.startedAt.toISOString(), dueAt: d.dueAt.toISOString(), warnAt: d.warnAt.toISOString(),
    status: d.status, closedAt: d.closedAt?.toISOString() ?? null, provisional: d.provisional,
  };
}

export function caseSummary(row: CaseRow, unmasked = false) {
  return {
    id: row.id,
    reference: row.reference,
    state: row.state,
    stateLabel: STATE_LABELS[row.state as CaseState],
    level: row.level,
    holderOrgId: row.holderOrgId,
    branchOrgId: row.branchOrgId,
    platformOrgId: row.platformOrgId,
    departmentOrgId: row.departmentOrgId,
    supervisingOrgId: row.supervisingOrgId,
    category: row.category,
    platform: row.platform,
    area: row.area,
    urgency: row.urgency,
    channel: row.channel,
    description: unmasked ? row.description : maskFreeText(row.description),
    occurredAt: row.occurredAt?.toISOString() ?? null,
    worker: {
      name: unmasked ? row.workerName : maskName(row.workerName),
      phone: unmasked ? row.workerPhone : maskPhone(row.workerPhone),
      anonymous: row.anonymous,
      workerType: row.workerType,
      platforms: row.workerPlatforms,
    },
    resolution: unmasked ? row.resolution : maskFreeText(row.resolution),
    outcome: row.outcome,
    mergedInto: row.mergedInto,
    version: row.version,
    overdue: row.overdue,
    dueAt: row.dueAt?.toISOString() ?? null,
    supervised: row.supervised,
    onMeetingAgenda: row.onMeetingAgenda,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
  };
}

export type CaseSummary = ReturnType<typeof caseSummary>;

export function caseView(row: CaseRow, deadlines: DeadlineRow[], allowedActions: string[], unmasked: boolean) {
  return { ...caseSummary(row, unmasked), deadlines: deadlines.map(deadlineView), allowedActions };
}

export type CaseView = ReturnType<typeof caseView>;

/**
 * An event as the API shows it: the fields its hash covers, plus the holder and the hashes. Numbers
 * in free text are masked for those who see contacts masked; such an event's hash is then
 * recomputed by GET /audit/verify, which reads the stored data.
 */
export function eventView(e: CaseEventRow, unmasked = false) {
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    actor: actorOf(e),
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    level: e.level,
    holderOrgId: e.holderOrgId,
    data: (unmasked ? e.data : maskStrings(e.data)) as Record<string, unknown>,
    schemaVersion: e.schemaVersion,
    prevHash: e.prevHash ?? '',
    hash: e.hash ?? '',
  };
}

// The meeting export masks with the same rules.
export { maskName, maskPhone } from '../privacy/masking.js';
