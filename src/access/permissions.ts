/**
 * Which roles may use each capability of the product outside a case's own actions (those are the
 * chart's roles and src/access/case-permissions.ts's relations), in one table. Every service opens
 * with `requireCapability`; a refusal is a 403 whose message says who may.
 */
import { HOLDER_ROLE, HOTLINE, ROLES, type Role } from '../../workflows/case-rules.js';
import { Forbidden } from '../errors.js';
import type { Caller } from './callers.js';

/** Everyone who works on cases: every role but the admin, who only configures. */
const CASE_WORKERS = ROLES.filter((role) => role !== 'admin');

export const CAPABILITIES = {
  /** Register a grievance: the branch's liaison. */
  register: { roles: ['liaison'], refusal: ['只有支部联络员可以登记诉求', 'only a liaison registers grievances'] },
  /** Hand a 12345 work order over (POST /intake/hotline): a hotline's users. */
  handOverOrders: { roles: [HOTLINE.role], refusal: ['只有 12345 热线可以转办工单', 'only a 12345 hotline hands work orders over'] },
  /** Send actions to cases (which action, by whom and when, is the chart's and case-permissions'). */
  actOnCases: { roles: CASE_WORKERS, refusal: ['管理员只做配置', 'admins configure; they do not act on cases'] },
  /** The branch's 待核实 queue of workers' own submissions: list, register, decline, forward (src/submissions). */
  verifySubmissions: { roles: ['liaison'], refusal: ['只有支部联络员核实劳动者自助提交', 'only a branch liaison verifies workers\' submissions'] },
  /** A branch's printable intake poster (QR code): its liaison, or an admin. */
  printIntakePoster: { roles: ['liaison', 'admin'], refusal: ['只有支部联络员和管理员可以打印二维码', 'only the branch\'s liaison or an admin prints its QR code'] },
  /** A consenting worker's other open cases in one's scope (linkedOpenCases): the liaison and the committee, who may merge them. */
  seeLinkedCases: { roles: ['liaison', 'committee'], refusal: ['仅联络员和平台党委可见关联案件', 'linked cases are for liaisons and committees'] },
  /** Read and list cases in one's scope, and their records. */
  readCases: { roles: CASE_WORKERS, refusal: ['管理员只做配置', 'admins configure; they do not read cases'] },
  /** Follow one's scope live (server-sent events). */
  followCases: { roles: CASE_WORKERS, refusal: ['管理员只做配置', 'admins configure; they do not follow cases'] },
  /** The measures units are judged by. */
  readMeasures: { roles: CASE_WORKERS, refusal: ['考核指标仅限业务角色', 'measures are for the roles that work on cases'] },
  /** The accountability list (问责清单): a convener every unit's, every other unit its own. */
  readAccountability: { roles: CASE_WORKERS, refusal: ['问责清单仅限业务角色', 'the accountability list is for the roles that work on cases'] },
  /** Hot spots (category × platform × area clusters that grew). */
  readHotSpots: { roles: ['officer', 'convener'], refusal: ['热点仅限 officer/convener', 'hot spots are for officers and conveners'] },
  /** A platform committee's or a department's reconciliation statement (对账单): its own users, and conveners. */
  readReconciliation: { roles: ['committee', 'officer', 'convener'], refusal: ['对账单仅限平台、部门和召集人', 'statements are for platform committees, departments and conveners'] },
  /** The department's oversight board (督办台账). */
  readOversight: { roles: ['officer', 'convener'], refusal: ['督办台账仅限 officer/convener', 'the oversight board is for officers and conveners'] },
  /** Reading meetings: a convener every meeting; an officer the ones whose agenda holds its department's cases, those items only. */
  readMeetings: { roles: ['convener', 'officer'], refusal: ['协调会仅限 convener/officer', 'meetings are for conveners and officers'] },
  /** Coordination meetings: agenda, decisions, minutes, exports. */
  runMeetings: { roles: ['convener'], refusal: ['协调会仅限 convener', 'meetings are for conveners'] },
  /** Systemic issues: linking cases, one decision for all. */
  handleSystemicIssues: { roles: ['convener'], refusal: ['系统性问题仅限协调会召集人', 'systemic issues are the convener\'s'] },
  /** Verifying the record, its anchors and the audit logs. */
  auditRecord: { roles: ['convener', 'admin'], refusal: ['只有召集人和管理员可以核验记录', 'only conveners and admins verify the record'] },
  /** Attach evidence to a case in one's own unit's scope: the roles that hold cases at some level. */
  attachEvidence: { roles: Object.values(HOLDER_ROLE), refusal: ['只有联络员、平台专员和部门督办员可以上传证据', 'only liaisons, committee members and officers attach evidence'] },
  /** The log of revealed contacts (who saw a worker's phone, why). */
  readReveals: { roles: ['convener', 'admin'], refusal: ['查看记录仅限协调员和管理员', 'the reveal log is for conveners and admins'] },
  /** Configuration: units, users, tokens, rules, policies, the calendar, the catalogue, channels. */
  configure: { roles: ['admin'], refusal: ['配置仅限管理员', 'configuration is for admins'] },
} as const satisfies Record<string, { roles: readonly Role[]; refusal: readonly [string, string] }>;
export type Capability = keyof typeof CAPABILITIES;

export function may(caller: Caller, capability: Capability): boolean {
  return (CAPABILITIES[capability].roles as readonly Role[]).includes(caller.role);
}

export function requireCapability(caller: Caller, capability: Capability): void {
  if (may(caller, capability)) return;
  const [zh, en] = CAPABILITIES[capability].refusal;
  throw new Forbidden(`${zh} / ${en}`);
}

/** Configuration is the admin's alone (`configure`); `what` names the part, Chinese then English. */
export function requireAdmin(caller: Caller, what = '配置 configuration'): void {
  if (!may(caller, 'configure')) throw new Forbidden(`${what}仅限管理员 / ${what.replace(/^[^ ]+ /, '')} is for admins`);
}

/** A convener's scope is every case; every other unit's is its own (it holds, held, supervises or was told of). */
export const seesEveryCase = (caller: Caller): boolean => caller.role === 'convener';
