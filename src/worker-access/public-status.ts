/**
 * What the worker may see of their own case without an account: where it is, the steps so far
 * with their dates, and what happens next — in Chinese and English. Looked up by the reference
 * plus the receipt code, or (for a worker who left a phone) the phone's last 4 digits. No
 * personal data, no staff or unit names, no unit-internal text (reasons, questions, resolution).
 * A pair that does not match answers exactly like a reference that does not exist (404).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Sql } from '../../db/client.js';
import { NotFound, TooManyRequests } from '../errors.js';
import { maskFreeText } from '../privacy/masking.js';
import { RATINGS, SOLVED_ANSWERS, STATE_LABELS, type CaseState, type Level } from '../../workflows/case-rules.js';
import type { ReceiptCodes } from './receipt-codes.js';
import { actionsIn, mayAppeal, type CaseContext } from '../../workflows/case-machine.js';
import { openFeedbackLink } from './feedback-links.js';

export interface PublicStep { at: string; what: string; whatEn: string }
export interface PublicStatus {
  reference: string; state: string; stateName: string; stateNameEn: string; level: string; levelName: string; levelNameEn: string;
  category: string; categoryName: string; categoryNameEn: string; registeredAt: string; dueAt: string | null;
  steps: PublicStep[]; next: string; nextEn: string;
  /** Closed without the worker's own rating: they may appeal (申诉) until then, with the receipt code; else null. */
  appealUntil: string | null;
}
export type Proof = { code: string } | { phoneLast4: string };

export const LEVEL_NAMES: Record<Level, [string, string]> = {
  branch: ['党支部（第一级）', 'party branch (level 1)'],
  platform: ['平台企业或街道（第二级）', 'platform company or street office (level 2)'],
  department: ['主管部门（第三级）', 'competent department (level 3)'],
};

/** The steps a worker (and an Open311 client) is shown; other record entries (warnings, internal notes) are left out. */
export const STEP_NAMES: Record<string, [string, string]> = {
  register: ['诉求已登记', 'grievance registered'],
  forward: ['已转交平台企业或街道', 'forwarded to the platform company or street office'],
  accept: ['已受理', 'accepted for handling'],
  return: ['退回支部重新处理', 'returned to the branch'],
  transfer: ['转交其他单位办理', 'transferred to another unit'],
  hand_off: ['移交主管部门', 'handed to the competent department'],
  request_info: ['需要补充材料', 'more information requested'],
  provide_info: ['已补充材料', 'information provided'],
  resume: ['继续办理', 'handling resumed'],
  approve_extension: ['办理期限已延长', 'the deadline was extended'],
  supervise: ['主管部门督办', 'supervision order by the department'],
  deadline_missed: ['超期，已升级处理', 'overdue: escalated'],
  assign_lead: ['协调会确定牵头单位', 'the coordination meeting named a lead unit'],
  resolve: ['已办结', 'resolved'],
  feedback: ['已记录评价', 'feedback recorded'],
  appeal: ['您已申诉，案件重新办理', 'you appealed: the case is handled again'],
  withdraw: ['已撤回', 'withdrawn'],
  merge: ['已与同一诉求合并', 'merged with the same grievance'],
  attachment_added: ['补充了证据材料', 'evidence added'],
};

const NEXT: Record<CaseState, [string, string]> = {
  registered: ['支部正在整理，将转交办理或直接答复', 'the branch is preparing the case: it forwards it or answers itself'],
  branch_awaiting_info: ['等待补充材料，联络员会联系您', 'waiting for more information: your liaison will contact you'],
  forwarded: ['等待平台企业或街道受理', 'waiting for the platform company or street office to accept it'],
  platform_handling: ['平台企业或街道正在办理', 'the platform company or street office is handling it'],
  platform_awaiting_info: ['等待补充材料，联络员会联系您', 'waiting for more information: your liaison will contact you'],
  handed_off: ['等待主管部门受理', 'waiting for the competent department to accept it'],
  department_handling: ['主管部门正在办理', 'the competent department is handling it'],
  department_awaiting_info: ['等待补充材料，联络员会联系您', 'waiting for more information: your liaison will contact you'],
  resolved: ['已办结，请评价办理结果（联络员回访或短信链接）', 'resolved: please tell us whether you are satisfied (your liaison or the SMS link)'],
  closed: ['已结案', 'closed: nothing more happens'],
  withdrawn: ['已撤回', 'withdrawn: nothing more happens'],
  merged: ['已并入同一诉求的另一案件，请以该案件为准', 'merged into another case about the same grievance'],
};

interface LookupRow {
  id: string; reference: string; state: CaseState; level: Level; category: string; nameZh: string | null; nameEn: string | null;
  createdAt: Date; dueAt: Date | null; receiptCodeHash: string | null; workerPhone: string | null;
  closedAt: Date | null; snapshot: Partial<Pick<CaseContext, 'appealed' | 'ratedByWorker'>>;
}

/** Wrong phone digits a case takes per day before it answers to its receipt code only (10,000 combinations to guess). */
export const MAX_WRONG_DIGITS_PER_DAY = 20;

const utcDay = (now = new Date()) => now.toISOString().slice(0, 10);
const secondsToTomorrow = (now = new Date()) =>
  Math.max(1, Math.ceil((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000));

export function createPublicStatus(deps: { sql: Sql; receipts: ReceiptCodes; appealDeadline: (closedAt: Date) => Date }) {
  /** The chart's rules (a state that takes an appeal; once, not the worker's own rating) and the window on the working calendar. */
  function appealUntil(row: LookupRow): string | null {
    if (!actionsIn(row.state).includes('appeal') || !row.closedAt || !mayAppeal(row.snapshot, true)) return null;
    const until = deps.appealDeadline(row.closedAt);
    return until > new Date() ? until.toISOString() : null;
  }

  async function lookup(reference: string, proof: Proof): Promise<PublicStatus> {
    const [row] = await deps.sql<LookupRow[]>`select c.id, c.reference, c.state, c.level, c.category, k.name_zh, k.name_en, c.created_at,
      c.due_at, c.receipt_code_hash, c.worker_phone, c.closed_at, c.snapshot from cases c left join categories k on k.code = c.category where c.reference = ${reference}`;
    const byPhone = 'phoneLast4' in proof && row ? row.id : null;
    if (byPhone) await refuseGuessing(byPhone);
    if (!proves(row, proof)) {
      if (byPhone) await countWrongDigits(byPhone);
      throw new NotFound(`未找到该诉求，或回执码/手机尾号不符 / no case '${reference}' with this receipt code or phone number`);
    }
    const events = await deps.sql<{ at: Date; action: string }[]>`select at, action from case_events where case_id = ${row.id} order by seq`;
    const [stateName, stateNameEn] = [STATE_LABELS[row.state], row.state.replace(/_/g, ' ')];
    const [levelName, levelNameEn] = LEVEL_NAMES[row.level];
    return {
      reference: row.reference, state: row.state, stateName, stateNameEn, level: row.level, levelName, levelNameEn,
      category: row.category, categoryName: row.nameZh ?? row.category, categoryNameEn: row.nameEn ?? row.category,
      registeredAt: row.createdAt.toISOString(), dueAt: row.dueAt?.toISOString() ?? null,
      steps: events.filter((e) => STEP_NAMES[e.action]).map((e) => ({ at: e.at.toISOString(), what: STEP_NAMES[e.action][0], whatEn: STEP_NAMES[e.action][1] })),
      next: NEXT[row.state][0], nextEn: NEXT[row.state][1], appealUntil: appealUntil(row),
    };
  }

  /** Past MAX_WRONG_DIGITS_PER_DAY wrong phone digits a case answers to its receipt code only, until tomorrow (UTC). */
  async function refuseGuessing(caseId: string) {
    const [today] = await deps.sql<{ failures: number }[]>`
      select failures from public_lookup_failures where case_id = ${caseId} and day = ${utcDay()}`;
    if ((today?.failures ?? 0) < MAX_WRONG_DIGITS_PER_DAY) return;
    throw new TooManyRequests('该编号今日手机尾号查询错误过多，请用回执码查询 / too many wrong phone digits for this reference today: use the receipt code', secondsToTomorrow());
  }

  async function countWrongDigits(caseId: string) {
    await deps.sql`insert into public_lookup_failures as f (case_id, day, failures) values (${caseId}, ${utcDay()}, 1)
      on conflict (case_id, day) do update set failures = f.failures + 1`;
  }

  /** Constant-time either way; a missing case still costs one comparison. */
  function proves(row: LookupRow | undefined, proof: Proof): row is LookupRow {
    if ('code' in proof) return deps.receipts.matches(proof.code, row?.receiptCodeHash ?? null) && row !== undefined;
    const phone = row?.workerPhone?.replace(/\D/g, '') ?? '';
    const actual = Buffer.from(phone.length >= 4 ? phone.slice(-4) : '----');
    return timingSafeEqual(actual, Buffer.from(proof.phoneLast4)) && row !== undefined && phone.length >= 4;
  }

  /** What the worker's feedback link is about: the reference and the resolution (masked), the answers to choose from. */
  async function feedbackSubject(token: string) {
    const link = await openFeedbackLink(deps.sql, token, new Date());
    const [row] = await deps.sql<{ reference: string; resolution: string | null; state: CaseState }[]>`
      select reference, resolution, state from cases where id = ${link.caseId}`;
    return {
      reference: row.reference, resolution: maskFreeText(row.resolution), state: row.state, open: row.state === 'resolved',
      expiresAt: link.expiresAt.toISOString(), ratings: [...RATINGS], solvedAnswers: [...SOLVED_ANSWERS],
    };
  }

  return { lookup, feedbackSubject };
}

export type PublicStatusService = ReturnType<typeof createPublicStatus>;
