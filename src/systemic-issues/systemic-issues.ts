/**
 * Systemic issues (系统性问题): when open cases share a cause — the same category × platform ×
 * area, five or more by default — the convener links them into one issue and the meeting decides
 * once for all of them. The decision is an `assign_lead` through the case engine on every linked
 * case (one event in each case's own record), so the rules of a meeting decision apply unchanged.
 */
import { requireCapability } from '../access/permissions.js';
import { inTransaction, type Sql, type Tx } from '../../db/client.js';
import type { Caller } from '../access/callers.js';
import type { CaseEngine } from '../cases/case-engine.js';
import type { CaseView } from '../cases/case-view.js';
import { BadRequest, NotAllowed, NotFound, StaleVersion } from '../errors.js';
import { orgOfType } from '../orgs/org-store.js';
import {
  FINAL_STATES, LEAD_ORG_TYPES, isFinal, type AgendaReason, type CaseState, type Level, type TimeUnit,
} from '../../workflows/case-rules.js';
import type {
  CandidateView, SystemicDecisionInput, SystemicIssueInput, SystemicIssueListView, SystemicIssueView,
} from './systemic-issue-view.js';

export const DEFAULT_MIN_CASES = 5;
const SYSTEMIC_ISSUE: AgendaReason = 'systemic_issue';

function mustBeConvener(caller: Caller) {
  requireCapability(caller, 'handleSystemicIssues');
}

interface IssueRow {
  id: string; title: string; createdAt: Date; leadOrgId: string | null; amount: number | null; unit: TimeUnit | null;
  decision: string | null; meetingId: string | null; decidedAt: Date | null;
}
interface LinkedRow {
  issueId: string; id: string; reference: string; state: CaseState; level: Level; holderOrgId: string; category: string;
  platform: string | null; area: string | null; overdue: boolean;
}

export async function openSystemicIssue(sql: Sql, caller: Caller, input: SystemicIssueInput): Promise<SystemicIssueView> {
  mustBeConvener(caller);
  const caseIds = [...new Set(input.caseIds)];
  if (caseIds.length < 2) throw new BadRequest('caseIds: 至少两件不同的案件 / at least two different cases');
  const id = await inTransaction(sql, async (tx) => {
    const found = await tx<{ id: string; reference: string; state: CaseState }[]>`select id, reference, state from cases where id = any(${caseIds}::uuid[])`;
    const missing = caseIds.filter((c) => !found.some((f) => f.id === c));
    if (missing.length > 0) throw new BadRequest(`caseIds: 案件不存在 / no case '${missing[0]}'`);
    const final = found.find((c) => isFinal(c.state));
    if (final) throw new NotAllowed(`caseIds: 案件 ${final.reference} 已终结（${final.state}）/ case ${final.reference} is final (${final.state})`);
    const [issue] = await tx<{ id: string }[]>`insert into systemic_issues (title, created_by) values (${input.title}, ${caller.userId}) returning id`;
    await tx`insert into systemic_issue_cases ${tx(caseIds.map((caseId) => ({ issueId: issue.id, caseId })), 'issueId', 'caseId')}`;
    return issue.id;
  });
  return (await issuesWhere(sql, id))[0];
}

/** Every systemic issue (newest first) and the hot spots that could become one. */
export async function listSystemicIssues(
  sql: Sql, caller: Caller, q: { from: Date; to: Date; minCases?: number },
): Promise<SystemicIssueListView> {
  mustBeConvener(caller);
  const minCases = q.minCases ?? DEFAULT_MIN_CASES;
  return { items: await issuesWhere(sql), candidates: await systemicCandidates(sql, q.from, q.to, minCases), minCases };
}

/**
 * Hot spots with `minCases` or more open cases registered in the period that share category ×
 * platform × area and are not yet linked to a systemic issue.
 */
export async function systemicCandidates(tx: Tx, from: Date, to: Date, minCases = DEFAULT_MIN_CASES): Promise<CandidateView[]> {
  return tx<CandidateView[]>`
    select c.category, c.platform, c.area, count(*)::int as open_cases, (array_agg(c.id::text order by c.created_at))[1:50] as case_ids
    from cases c
    where c.created_at >= ${from} and c.created_at < ${to} and c.state <> all(${FINAL_STATES})
      and not exists (select 1 from systemic_issue_cases l where l.case_id = c.id)
    group by c.category, c.platform, c.area
    having count(*) >= ${minCases}
    order by count(*) desc, c.category, c.platform nulls first, c.area nulls first`;
}

/**
 * The meeting's decision for every linked case: checked for all first (no case final, the lead
 * unit and meeting known), then applied case by case through the engine. With a meeting, the
 * linked cases join its agenda (reason `systemic_issue`) so that the decision can name it.
 */
export async function decideSystemicIssue(
  sql: Sql, engine: CaseEngine, caller: Caller, issueId: string, d: SystemicDecisionInput,
): Promise<{ issue: SystemicIssueView; cases: CaseView[] }> {
  mustBeConvener(caller);
  const [issue] = await issuesWhere(sql, issueId);
  if (!issue) throw new NotFound(`系统性问题不存在 / no systemic issue '${issueId}'`);
  const open = issue.cases.filter((c) => !isFinal(c.state));
  if (open.length === 0) throw new NotAllowed('关联案件均已终结 / every linked case is final');
  // Checked before any case moves: the units a meeting decision may name, as assign_lead checks them.
  await orgOfType(sql, d.leadOrgId, LEAD_ORG_TYPES, 'leadOrgId');
  if (d.meetingId) {
    const [meeting] = await sql`select 1 from meetings where id = ${d.meetingId}`;
    if (!meeting) throw new BadRequest(`meetingId: 会议不存在 / no meeting '${d.meetingId}'`);
    await sql`
      insert into meeting_items (meeting_id, case_id, reasons)
      select ${d.meetingId}, c, ${[SYSTEMIC_ISSUE]}::text[] from unnest(${open.map((c) => c.id)}::uuid[]) c
      on conflict (meeting_id, case_id) do update
        set reasons = (select array_agg(distinct r order by r) from unnest(meeting_items.reasons || excluded.reasons) r)`;
  }
  const views: CaseView[] = [];
  for (const c of open) views.push(await assignLead(engine, caller, c.id, d));
  await sql`
    update systemic_issues set lead_org_id = ${d.leadOrgId}, amount = ${d.amount}, unit = ${d.unit}, decision = ${d.decision},
      meeting_id = ${d.meetingId ?? null}, decided_by = ${caller.userId}, decided_at = now()
    where id = ${issueId}`;
  return { issue: (await issuesWhere(sql, issueId))[0], cases: views };
}

/** What the systemic-issue routes call, bound to the database and the case engine. */
export function createSystemicIssueService(deps: { sql: Sql; engine: CaseEngine }) {
  return {
    openSystemicIssue: (caller: Caller, input: SystemicIssueInput) => openSystemicIssue(deps.sql, caller, input),
    listSystemicIssues: (caller: Caller, q: { from: Date; to: Date; minCases?: number }) => listSystemicIssues(deps.sql, caller, q),
    decideSystemicIssue: (caller: Caller, issueId: string, d: SystemicDecisionInput) => decideSystemicIssue(deps.sql, deps.engine, caller, issueId, d),
  };
}
export type SystemicIssueService = ReturnType<typeof createSystemicIssueService>;

/** One case's assign_lead, re-read once if someone acted on the case in between. */
async function assignLead(engine: CaseEngine, caller: Caller, caseId: string, d: SystemicDecisionInput): Promise<CaseView> {
  for (let attempt = 0; ; attempt++) {
    const current = await engine.read(caller, caseId);
    try {
      return await engine.act(caller, caseId, current.version, {
        action: 'assign_lead', leadOrgId: d.leadOrgId, amount: d.amount, unit: d.unit, decision: d.decision,
        ...(d.meetingId ? { meetingId: d.meetingId } : {}),
      });
    } catch (err) {
      if (!(err instanceof StaleVersion) || attempt > 0) throw err;
    }
  }
}

/** A meeting's systemic issues, listed first in its exports: undecided ones, those it decided, those opened in its period. */
export async function issuesOfMeeting(tx: Tx, m: { id: string; periodFrom: Date; periodTo: Date }): Promise<SystemicIssueView[]> {
  return issuesWhere(tx, undefined, tx`
    where decided_at is null or meeting_id = ${m.id} or (created_at >= ${m.periodFrom} and created_at < ${m.periodTo})`);
}

/** Systemic issues with their linked cases (one, or those matching `filter`; newest first). */
async function issuesWhere(tx: Tx, id?: string, filter?: ReturnType<Tx>): Promise<SystemicIssueView[]> {
  const issues = await tx<IssueRow[]>`
    select id, title, created_at, lead_org_id, amount, unit, decision, meeting_id, decided_at from systemic_issues
    ${id ? tx`where id = ${id}` : filter ?? tx``} order by created_at desc limit 200`;
  if (issues.length === 0) return [];
  const linked = await tx<LinkedRow[]>`
    select l.issue_id, c.id, c.reference, c.state, c.level, c.holder_org_id, c.category, c.platform, c.area, c.overdue
    from systemic_issue_cases l join cases c on c.id = l.case_id
    where l.issue_id = any(${issues.map((i) => i.id)}::uuid[]) order by c.reference`;
  return issues.map((i) => ({
    id: i.id, title: i.title, createdAt: i.createdAt.toISOString(),
    cases: linked.filter((l) => l.issueId === i.id).map(({ issueId: _issue, ...c }) => c),
    decision: i.decidedAt ? {
      leadOrgId: i.leadOrgId!, amount: i.amount!, unit: i.unit!, decision: i.decision!, meetingId: i.meetingId, decidedAt: i.decidedAt.toISOString(),
    } : null,
  }));
}
