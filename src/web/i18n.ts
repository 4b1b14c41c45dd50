/**
 * Words shown to people: Chinese first, English when switched. Every state, level, step, unit,
 * category and API error has a name here; pages never show a raw code.
 */
import { signal } from './store.js';
import type { ActionName, CaseStateName, LevelName, OrgTypeName, PolicyStepName, RoleName, UrgencyName } from './api/unions.js';
import { STEP_LABELS, type ReferralKind, type ReferralOutcome } from '../../workflows/case-rules.js';

type Pair = readonly [zh: string, en: string];
export type Lang = 'zh' | 'en';

const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem('lang');
export const language = signal<Lang>(saved === 'en' ? 'en' : 'zh');
const pick = (pair: Pair) => pair[language.value === 'en' ? 1 : 0];
/** The pair a table keyed by a union holds for a code read from an answer or a sentence; null for a code it does not name. */
export const pairIn = <K extends string>(table: Record<K, Pair>, code: string): Pair | null =>
  Object.hasOwn(table, code) ? table[code as K] : null;

/** The page's lang attribute follows the switch, also after a reload (axe: html-lang-valid, and screen readers). */
export function applyLanguage() {
  document.documentElement.lang = language.value === 'en' ? 'en' : 'zh-CN';
}
export function toggleLanguage() {
  language.value = language.value === 'en' ? 'zh' : 'en';
  localStorage.setItem('lang', language.value);
  applyLanguage();
}

const TEXT = {
  appName: ['三级联动诉求办理', 'Grievance engine'],
  signIn: ['登录', 'Sign in'], signOut: ['退出', 'Sign out'], token: ['登录令牌', 'Sign-in token'],
  tokenHelp: ['使用 npm start 打印的令牌，或扫描管理员给的二维码', 'Use a token printed by npm start, or scan the QR code from your admin'],
  badToken: ['令牌无效', 'That token is not valid'], switchTo: ['English', '中文'],
  register: ['登记诉求', 'Register a grievance'], myCases: ['我的案件', 'My cases'], intakePoster: ['打印自助提交二维码', 'Print the intake QR poster'], submit: ['提交登记', 'Submit'],
  category: ['诉求类别', 'Category'], subcategory: ['诉求子项', 'Sub-item'], platform: ['涉及平台', 'Platform'], workerType: ['劳动者类型', 'Worker type'],
  urgency: ['紧急程度', 'Urgency'], area: ['街道/区域', 'Area'], channel: ['受理渠道', 'Channel'], description: ['诉求内容', 'What happened'],
  requestType: ['诉求性质', 'Request type'],
  anonymous: ['匿名（不保存姓名和电话）', 'Anonymous (keep no name or phone)'], name: ['劳动者姓名', "Worker's name"], phone: ['联系电话', 'Phone'],
  consentToLink: ['同意在本平台多个诉求间识别我的身份', 'Recognise me across my cases'],
  linkedOpenCases: ['同一劳动者的其他未结诉求', "The same worker's other open cases"],
  photo: ['现场照片', 'Photo'], photoHelp: ['拍照或选择图片；离线时随草稿保存，登记后上传', 'Take or pick a photo; kept with the draft offline, uploaded after registration'],
  removePhoto: ['移除照片', 'Remove photo'],
  required: ['必填', 'required'], optional: ['（可选）', ' (optional)'], choose: ['请选择', 'Choose…'],
  draftSaved: ['草稿已保存在本机', 'Draft saved on this device'],
  offlineNow: ['当前离线：可以继续填写，草稿保存在本机', 'You are offline: keep filling in, the draft stays on this device'],
  checking: ['未收到服务器答复：正在确认案件是否已登记，请勿重复提交…', 'No answer from the server: checking whether the case was registered — do not submit again…'],
  checkingOffline: ['网络中断：恢复后自动确认是否已登记，草稿已保存', 'Connection lost: the page checks whether it was registered when the network returns; the draft is kept'],
  wasRegistered: ['答复曾中断：案件已登记（以提交时的内容为准），未重复登记', 'The answer was lost: the case was registered (as submitted), and only once'],
  notRegistered: ['案件未登记，请修改后重新提交', 'The case was not registered; correct it and submit again'],
  registered: ['已登记', 'Registered'], newDraft: ['清空草稿', 'Clear draft'], nextCase: ['登记下一件', 'Register another'],
  receipt: ['登记回执', 'Receipt'], receiptCode: ['查询码', 'Receipt code'], receiptHelp: ['请将编号和查询码交给劳动者，可在以下网址查询进度', 'Give the reference and code to the worker; progress can be followed at'],
  print: ['打印回执', 'Print receipt'], photoUploaded: ['照片已上传', 'Photo uploaded'], photoFailed: ['照片上传失败，可在案件页重新上传', 'The photo was not uploaded; upload it again on the case page'],
  triage: ['待办队列', 'Work queue'], heldHere: ['本单位办理的案件', 'Cases held by this unit'], noneHeldSeeBoard: ['本单位暂无办理中的案件；督办的案件见下方督办台账。', 'This unit holds no cases; the cases it supervises are on the oversight board below.'], callbackQueue: ['待回访', 'Awaiting call-back'], none: ['暂无', 'None'], loading: ['加载中…', 'Loading…'], retry: ['重试', 'Retry'],
  loadFailed: ['加载失败，正在重试', 'Could not load; retrying'], noAccess: ['此角色没有页面', 'No page for this role'],
  search: ['搜索（编号、内容、手机尾号）', 'Search (reference, text, phone last 4)'], filter: ['筛选', 'Filter'], all: ['全部', 'All'],
  more: ['加载更多', 'Load more'], live: ['实时更新', 'Live'], reconnecting: ['正在重连…', 'Reconnecting…'],
  sortBy: ['排序', 'Sort'], sortDefault: ['默认（到期最早）', 'Default (soonest due)'], sortUpdated: ['最近更新', 'Last changed'],
  sortNewest: ['最新登记', 'Newest'], sortOldest: ['最早登记', 'Oldest'], sortReference: ['按编号', 'By reference'],
  oversight: ['督办台账', 'Oversight board'], measures: ['考核指标（近 30 天）', 'Measures (last 30 days)'], measuresByWeek: ['考核指标（近 8 周，按周）', 'Measures (last 8 weeks, by week)'], hotSpots: ['热点', 'Hot spots'],
  meetings: ['协调会', 'Coordination meetings'], newMeeting: ['召开协调会', 'New meeting'], title: ['标题', 'Title'],
  periodFrom: ['统计开始', 'Period from'], periodTo: ['统计结束', 'Period to'], agenda: ['议程', 'Agenda'], reasons: ['上会原因', 'Reasons'],
  decision: ['决定', 'Decision'], lead: ['牵头单位', 'Lead unit'], amount: ['期限', 'Time allowed'], unit: ['单位', 'Unit'],
  recordDecision: ['记录决定', 'Record decision'], minutes: ['会议纪要', 'Minutes'], attendees: ['参会单位（逗号分隔）', 'Attendees (comma separated)'],
  save: ['保存', 'Save'], exportAs: ['导出', 'Export'], reference: ['编号', 'Reference'], state: ['状态', 'State'], holder: ['承办单位', 'Holder'],
  timeLeft: ['剩余时间', 'Time left'], levels: ['层级流转', 'Level history'], step: ['环节', 'Step'], dueAt: ['到期时间', 'Due'],
  status: ['状态', 'Status'], deadlines: ['办理时限', 'Deadlines'], record: ['办理记录', 'Record'], actions: ['可执行操作', 'Actions'],
  back: ['返回', 'Back'], cancel: ['取消', 'Cancel'], done: ['已完成', 'Done'], supervised: ['被督办', 'Supervised'], onAgenda: ['已上会', 'On the agenda'],
  routed: ['（可选，不选则按路由规则）', ' (optional: routing rules decide)'], worker: ['劳动者', 'Worker'], resolution: ['办理结果', 'Resolution'],
  summary: ['摘要', 'Summary'], overdueBy: ['超期', 'Overdue by'], returns: ['退回', 'Returns'], transfers: ['转办', 'Transfers'], reopenings: ['重办', 'Reopenings'],
  returnedBecause: ['被退回：', 'Returned: '], workerSelf: ['劳动者本人', 'The worker'], byLiaison: ['（联络员记录）', '(recorded by the liaison)'], workerFeedback: ['劳动者评价', "Worker's feedback"], solved: ['问题是否解决', 'Problem solved?'],
  supervisionOrder: ['督办单', 'Supervision order'], orderNumber: ['编号', 'No.'],
  orderReply: ['整改回复', 'Reply: what was done'], orderReplyPending: ['尚未回复（整改后由承办单位填写）', 'No reply yet (the ordered unit fills this in once done)'], issuedBy: ['督办单位', 'Issued by'], seal: ['（盖章）', '(seal)'], printOrder: ['打印督办单', 'Print supervision order'],
  notifications: ['通知', 'Notifications'], unreadCount: ['{n} 条未读通知', '{n} unread notifications'], markRead: ['标为已读', 'Mark read'], noNotifications: ['没有通知', 'No notifications'],
  statusTitle: ['诉求进度查询', 'Follow a grievance'], statusHelp: ['输入案件编号，以及查询码或登记手机号后 4 位', 'Enter the reference and either the receipt code or the last 4 digits of the phone'],
  appealTitle: ['对结案有异议？申诉', 'Disagree with the closing? Appeal'],
  appealHelp: ['本案未经您本人评价即结案。可在下列时间前申诉一次，案件将交上一级重新办理', 'This case was closed without your own rating. You may appeal once before the time below: a higher level handles it again'],
  appealReason: ['申诉理由', 'Why you appeal'], appealSend: ['提交申诉', 'Send the appeal'],
  appealDone: ['申诉已受理，案件已重新办理', 'Your appeal was taken: the case is being handled again'],
  phoneLast4: ['手机号后 4 位', 'Phone, last 4 digits'], lookUp: ['查询', 'Look up'], notFound: ['编号与查询码不匹配', 'The reference and code do not match'],
  next: ['下一步', 'Next'], feedbackTitle: ['办理结果评价', 'Rate the outcome'], rating: ['评价', 'Rating'], comment: ['说明', 'Comment'],
  thanks: ['感谢您的评价', 'Thank you for your feedback'],
  demoSmsTitle: ['示范短信', 'Demo SMS'],
  demoSmsIntro: ['示范模式不发送短信：这里列出劳动者会收到的短信（最新在前），点击链接即可以劳动者身份评价或查询进度。', 'The demo sends no SMS: here are the texts workers would have received, newest first. Follow a link to rate or look up the case as the worker.'],
  demoSmsNone: ['还没有短信：办结一件有手机号的案件后，评价链接短信会出现在这里。', 'No texts yet: resolve a case that has a phone, and its feedback link appears here.'],
  smsTo: ['收信手机', 'To'], openLink: ['打开链接', 'Open the link'], sendFeedback: ['提交评价', 'Send feedback'], registeredAt: ['登记时间', 'Registered'], stale: ['案件已被他人更新，已刷新，请重试', 'Someone else changed this case; it has been reloaded, please try again'],
  calendarProvisional: ['{years} 年节假日安排尚未公布：涉及该年的期限为暂定', 'The holiday schedule of {years} is not published yet: deadlines reaching into it are provisional'],
  offlineError: ['网络中断，请稍后重试', 'Connection lost; try again later'], system: ['系统', 'System'],
  overdue: ['已超期', 'Overdue'], dueSoon: ['临期', 'Due soon'], open: ['办理中', 'Open'], closed: ['已结束', 'Closed'], waitingMe: ['待我处理', 'Waiting for me'], total: ['全部', 'All'],
  platformOrArea: ['平台/区域', 'Platform / area'], received: ['受理', 'Received'], escalated: ['升级', 'Escalated'], reopened: ['重办', 'Reopened'],
  responseRate: ['按时受理率', 'Response rate'], rectificationRate: ['按时整改率', 'Rectification rate'], onTimeRate: ['按时办结率', 'On-time rate'], satisfactionRate: ['满意率', 'Satisfaction rate'],
  attachments: ['附件', 'Attachments'], algorithm: ['算法决定（算法类诉求必填）', 'Algorithm decision (required for ALG)'],
  amountYuan: ['涉及金额（元）', 'Amount (CNY)'], cohandlers: ['协办单位', 'Co-handlers'], humanReview: ['人工复核', 'Human review'],
  workload: ['本单位工作量', "The unit's workload"], person: ['人员', 'Person'], role: ['角色', 'Role'], deactivated: ['已停用', 'deactivated'],
  mine: ['我的', 'Mine'], assignee: ['承办人', 'Assignee'], unassigned: ['未分派', 'Unassigned'],
  select: ['选择', 'Select'], selectAllShown: ['全选本页显示的案件', 'Select all shown'], selectedCount: ['已选 {n} 件', '{n} selected'],
  clearSelection: ['取消选择', 'Clear selection'], bulkAction: ['批量操作', 'Bulk action'], bulkRun: ['对所选 {n} 件执行', 'Apply to {n} selected'],
  bulkProgress: ['正在处理 {done}/{n}…', 'Working {done}/{n}…'], bulkDone: ['{ok} 件成功，{failed} 件未执行', '{ok} succeeded, {failed} refused'],
  bulkRefused: ['未执行：', 'Refused: '], bulkSucceeded: ['成功的案件', 'The cases that succeeded'],
  savedFilters: ['已保存的筛选', 'Saved filters'], saveFilter: ['保存当前筛选', 'Save this view'], filterName: ['筛选名称', 'Name of the view'],
  deleteFilter: ['删除', 'Delete'], filterSaved: ['筛选已保存（仅本浏览器）', 'View saved (in this browser only)'],
  exportCsv: ['导出 CSV', 'Download CSV'], printView: ['打印', 'Print'], keyboard: ['键盘快捷键', 'Keyboard shortcuts'], close: ['关闭', 'Close'],
  keyMove: ['下一件 / 上一件', 'Next / previous case'], keyOpen: ['打开当前案件', 'Open the current case'], keyAccept: ['受理当前案件', 'Accept the current case'],
  keySelect: ['选择 / 取消选择当前案件（Shift+J/K 连选）', 'Select / unselect the current case (Shift+J/K extends)'], keySearch: ['搜索', 'Search'],
  keyHelp: ['显示快捷键', 'Show the shortcuts'], keyHint: ['按 ? 查看键盘快捷键', 'Press ? for keyboard shortcuts'],
  pinOffer: ['设置 PIN 码，在本机保持登录', 'Set a PIN to stay signed in on this device'],
  pinOfferHelp: ['令牌加密保存在本机，重新打开时输入 PIN 即可；连续 5 次输错将忘记令牌', 'The token is kept encrypted on this device; reopen with the PIN. Five wrong PINs forget it'],
  pin: ['PIN 码（4–6 位数字）', 'PIN (4–6 digits)'], pinAgain: ['再次输入 PIN 码', 'The PIN again'], setPin: ['设置 PIN', 'Set PIN'], notNow: ['暂不', 'Not now'],
  pinBad: ['PIN 码为 4–6 位数字', 'A PIN is 4–6 digits'], pinMismatch: ['两次输入的 PIN 不一致', 'The two PINs differ'], pinSet: ['已设置：本机将保持登录', 'Set: this device stays signed in'],
  unlock: ['解锁', 'Unlock'], unlockTitle: ['输入 PIN 码继续', 'Enter your PIN to continue'],
  pinWrong: ['PIN 码错误，还可尝试 {n} 次', 'Wrong PIN: {n} tries left'], pinForgotten: ['PIN 码错误次数过多，本机已忘记令牌，请重新登录', 'Too many wrong PINs: this device forgot the token; sign in again'],
  forgetDevice: ['忘记此设备', 'Forget this device'],
  voiceNote: ['语音备注', 'Voice note'], voiceHelp: ['录一段语音；离线时随草稿保存，登记后上传', 'Record a voice note; kept with the draft offline, uploaded after registration'],
  recordVoice: ['开始录音', 'Record'], stopRecording: ['停止录音', 'Stop'], removeVoice: ['删除语音', 'Remove voice note'], recording: ['正在录音…', 'Recording…'],
  noMicrophone: ['无法使用麦克风', 'The microphone is not available'], voiceUploaded: ['语音已上传', 'Voice note uploaded'],
  voiceFailed: ['语音上传失败，可在案件页重新上传', 'The voice note was not uploaded; upload it again on the case page'],
  openCasesHint: ['此劳动者在本支部有 {n} 件未结诉求：', 'This worker has {n} open cases in this branch: '],
  workerLoop: ['劳动者收到的短信与评价', 'What the worker was told, and the feedback'], smsSent: ['已发送', 'Sent'], smsPending: ['待发送', 'Pending'], smsFailed: ['发送失败', 'Failed'],
  smsUnsent: ['未发送（支部未配置短信通道）', 'Not sent: the branch has no SMS gateway'],
  noWorkerMessages: ['尚未给劳动者发送短信', 'No message sent to the worker yet'], noFeedback: ['尚无评价', 'No feedback yet'],
  contributed: ['已提交意见', 'Contributed'], waitingOpinion: ['待提交意见', 'Opinion pending'], upload: ['上传', 'Upload'], growth: ['增长', 'Growth'],
} satisfies Record<string, Pair>;
export type TextKey = keyof typeof TEXT;
export const t = (k: TextKey, vars: Record<string, string | number> = {}) =>
  pick(TEXT[k]).replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));

export const STATES = {
  registered: ['已登记（支部）', 'Registered (branch)'], branch_awaiting_info: ['待补充材料（支部）', 'Awaiting information (branch)'],
  forwarded: ['已转交待受理（平台/街道）', 'Forwarded, awaiting acceptance'], platform_handling: ['办理中（平台/街道）', 'Being handled (L2)'],
  platform_awaiting_info: ['待补充材料（平台/街道）', 'Awaiting information (L2)'], handed_off: ['已移交主管部门待受理', 'Handed off, awaiting acceptance'],
  department_handling: ['主管部门办理中', 'Being handled (department)'], department_awaiting_info: ['待补充材料（部门）', 'Awaiting information (department)'],
  resolved: ['已办结待反馈', 'Resolved, awaiting feedback'], closed: ['已结案', 'Closed'], withdrawn: ['已撤回', 'Withdrawn'], merged: ['已合并', 'Merged'],
} satisfies Record<CaseStateName, Pair>;

/** API.md's actions, as the buttons and the record name them. */
export const ACTIONS = {
  forward: ['转交平台', 'Forward'], resolve: ['办结', 'Resolve'], withdraw: ['撤回', 'Withdraw'], merge: ['合并', 'Merge'],
  accept: ['受理', 'Accept'], return: ['退回', 'Return'], transfer: ['转办', 'Transfer'], request_info: ['要求补充材料', 'Ask for information'],
  resume: ['恢复办理', 'Resume'], provide_info: ['补充材料答复', 'Provide information'], request_extension: ['申请延期', 'Ask for an extension'],
  approve_extension: ['批准延期', 'Approve extension'], deny_extension: ['驳回延期', 'Deny extension'], hand_off: ['移交主管部门', 'Hand off'],
  supervise: ['督办', 'Supervise'], feedback: ['记录评价', 'Record feedback'], assign_lead: ['指定牵头单位', 'Assign lead'],
  reclassify: ['重新分类', 'Reclassify'], add_cohandler: ['增加协办单位', 'Add co-handlers'], contribute: ['提交协办意见', 'Contribute'],
  human_review: ['人工复核', 'Human review'], refer: ['转介调解', 'Refer'], refer_outcome: ['答复转介', 'Answer the referral'],
  appeal: ['劳动者申诉', "Worker's appeal"],
  assign: ['分派', 'Assign'],
} satisfies Record<ActionName, Pair>;

/** What else the record holds: the system's and the engine's own entries (the events answer types its action as text). */
const RECORD_ENTRIES = {
  register: ['登记', 'Registered'], deadline_warning: ['临期预警', 'Deadline warning'], deadline_missed: ['超期升级', 'Deadline missed'],
  merged_from: ['并入', 'Merged in'], worker_feedback: ['劳动者评价', "Worker's feedback"],
  attachment_added: ['补充证据材料', 'Evidence added'], deadline_recomputed: ['期限按节假日安排重算', 'Deadline recomputed (holiday schedule)'],
  cohandler_missed: ['协办超期', 'Co-handler missed its clock'],
  succession: ['单位撤并，移交承继单位', 'Unit merged: handed to its successor'],
} satisfies Record<string, Pair>;

export const FIELDS: Record<string, Pair> = {
  toOrgId: ['目标单位', 'To unit'], reason: ['理由', 'Reason'], resolution: ['办理结果', 'Resolution'],
  intoReference: ['合并到的案件编号（如 SQ-2026-000123）', 'Merge into (reference, e.g. SQ-2026-000123)'],
  question: ['需补充的问题', 'Question'], answer: ['补充内容', 'Answer'], amount: ['时长', 'Amount'], unit: ['单位', 'Unit'],
  instructions: ['督办要求', 'Instructions'], rating: ['评价', 'Rating'], solved: ['问题是否解决', 'Problem solved?'], comment: ['说明', 'Comment'],
  leadOrgId: ['牵头单位', 'Lead unit'], decision: ['决定', 'Decision'], orgIds: ['协办单位', 'Co-handling units'], opinion: ['协办意见', 'Opinion'],
  userId: ['承办人', 'Assignee'], outcome: ['结论', 'Outcome'], explanation: ['复核说明', 'Explanation'], kind: ['转介类型', 'Referral for'], note: ['答复说明', 'Note'], category: TEXT.category, urgency: TEXT.urgency,
  workerType: TEXT.workerType, requestType: TEXT.requestType, platform: TEXT.platform, description: TEXT.description,
  name: TEXT.name, phone: TEXT.phone, area: TEXT.area, channel: TEXT.channel, subcategory: TEXT.subcategory, file: TEXT.photo,
  title: TEXT.title, periodFrom: TEXT.periodFrom, periodTo: TEXT.periodTo, code: TEXT.receiptCode, phoneLast4: TEXT.phoneLast4,
  orderId: ['平台订单号', "Platform's order id"], ruleVersion: ['规则或模型版本', 'Rule or model version'],
  decidedAt: ['算法决定时间', 'When the platform decided'], algorithm: ['算法决定', 'Algorithm decision'],
  reference: TEXT.reference, minutes: TEXT.minutes, attendees: TEXT.attendees, platforms: TEXT.platform, token: TEXT.token,
};

export const ENUMS = {
  workerType: { courier: ['快递员', 'Courier'], delivery: ['外卖骑手', 'Food delivery'], ride_hailing: ['网约车司机', 'Ride-hailing'], freight: ['货车司机', 'Freight'], streamer: ['网络主播', 'Streamer'], other: ['其他', 'Other'] },
  channel: { station: ['驿站', 'Station'], online: ['线上', 'Online'], hotline: ['热线', 'Hotline'], visit: ['走访', 'Visit'], group: ['群聊', 'Group chat'], other: ['其他', 'Other'] },
  urgency: { normal: ['一般', 'Normal'], urgent: ['紧急', 'Urgent'], critical: ['特急', 'Critical'] } satisfies Record<UrgencyName, Pair>,
  requestType: { consult: ['咨询', 'Consultation'], help: ['求助', 'Help'], complaint: ['投诉', 'Complaint'], report: ['举报', 'Report'], suggestion: ['建议', 'Suggestion'] },
  unit: { working_days: ['个工作日', 'working days'], working_hours: ['个工作小时', 'working hours'], hours: ['小时', 'hours'], minutes: ['分钟', 'minutes'], seconds: ['秒', 'seconds'] },
  rating: { satisfied: ['满意', 'Satisfied'], basically_satisfied: ['基本满意', 'Basically satisfied'], dissatisfied: ['不满意', 'Dissatisfied'] },
  solved: { yes: ['已解决', 'Yes'], partly: ['部分解决', 'Partly'], no: ['未解决', 'No'] },
  outcome: { upheld: ['维持平台决定', 'Upheld'], revised: ['变更平台决定', 'Revised'], revoked: ['撤销平台决定', 'Revoked'] },
  referralKind: { mediation: ['矛盾调解', 'Mediation'], legal_aid: ['法律援助', 'Legal aid'], arbitration: ['劳动仲裁', 'Arbitration'], union: ['工会', 'Union'] } satisfies Record<ReferralKind, Pair>,
  referralOutcome: { settled: ['已调解', 'Settled'], not_settled: ['未达成一致', 'Not settled'], declined: ['不予受理', 'Declined'] } satisfies Record<ReferralOutcome, Pair>,
  step: STEP_LABELS satisfies Record<PolicyStepName | 'supervision' | 'pause_limit', Pair>,
  deadlineStatus: { pending: ['计时中', 'running'], paused: ['已暂停', 'paused'], met: ['按时', 'met'], missed: ['超期', 'missed'], cancelled: ['已取消', 'cancelled'] },
  level: { branch: ['支部', 'Branch'], platform: ['平台', 'Platform'], department: ['主管部门', 'Department'] } satisfies Record<LevelName, Pair>,
  orgType: {
    branch: ['支部', 'Branch'], platform: ['平台党委', 'Platform committee'], department: ['主管部门', 'Department'], convener: ['牵头部门', 'Convener'], territorial: ['街道/镇', 'Street office'],
    union: ['工会/群团', 'Union'], mediation: ['调解组织', 'Mediation unit'], hotline: ['12345 热线', '12345 hotline'],
  } satisfies Record<OrgTypeName, Pair>,
  role: {
    liaison: ['支部联络员', 'Liaison'], committee: ['平台党委', 'Committee'], officer: ['部门干部', 'Officer'], convener: ['牵头部门', 'Convener'], admin: ['管理员', 'Admin'], mediator: ['调解员', 'Mediator'],
    callback: ['回访员', 'Call-back'],
    hotline: ['热线话务员', 'Hotline operator'],
  } satisfies Record<RoleName, Pair>,
} satisfies Record<string, Record<string, Pair>>;
export type EnumKind = keyof typeof ENUMS;
/** The values of an enumeration, in the order its table lists them. */
export const enumValues = (kind: EnumKind): string[] => Object.keys(ENUMS[kind]);
export const tEnum = (kind: EnumKind, value: string | null | undefined) => {
  if (value == null || value === '') return '—';
  const pair = pairIn<string>(ENUMS[kind], value);
  return pair ? pick(pair) : value;
};
/** A select's options: each value of an enumeration (or the given ones) with its name. */
export const enumOptions = (kind: EnumKind, values: readonly string[] = enumValues(kind)): [string, string][] =>
  values.map((v) => [v, tEnum(kind, v)]);
export const isState = (code: string) => pairIn(STATES, code) !== null;
export const isAction = (code: string) => pairIn(ACTIONS, code) !== null || pairIn(RECORD_ENTRIES, code) !== null;
export const tState = (state: string) => { const pair = pairIn(STATES, state); return pair ? pick(pair) : state; };
export const tAction = (action: string) => { const pair = pairIn(ACTIONS, action) ?? pairIn(RECORD_ENTRIES, action); return pair ? pick(pair) : action; };
export const tField = (field: string) => (FIELDS[field] ? pick(FIELDS[field]) : field);
/** An amount with its unit in words: 5 working_days → 5 个工作日. */
export const tAmount = (amount: number, unit: string) => `${amount} ${tEnum('unit', unit)}`;
/** Our messages are "中文 / English": show the half of the current language. */
export const half = (message: string) => {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return language.value === 'en' ? message.slice(at + 3) : message.slice(0, at);
};

export const ERRORS: Record<string, Pair> = {
  field_required: ['必填', 'is required'], field_unknown: ['不是可用字段', 'is not a known field'], field_invalid: ['格式或取值不正确', 'has a wrong value'],
  version_stale: ['案件已被他人更新，请刷新后重试', 'Someone else changed this case; reload and try again'],
  not_found: ['未找到，或不在您的查看范围内', 'Not found, or not in your scope'], forbidden: ['您的角色不能执行此操作', 'Your role may not do this'],
  unauthorized: ['登录已失效，请重新登录', 'Your sign-in has expired; sign in again'], rate_limited: ['操作过于频繁，请稍后再试', 'Too many requests; try again shortly'],
  payload_too_large: ['文件或内容过大', 'The file or content is too large'], unsupported_media_type: ['不支持的文件类型', 'This file type is not supported'],
  internal: ['服务器出错，请稍后再试', 'The server failed; try again later'], unavailable: ['服务暂不可用，请稍后再试', 'The service is unavailable; try again later'],
  offline: TEXT.offlineError,
  feedback_link_used: ['此评价链接已使用过', 'This feedback link was already used'],
  feedback_link_expired: ['此评价链接已过期', 'This feedback link has expired'],
  feedback_already_recorded: ['该案件的评价已记录，感谢', 'Feedback for this case was already recorded, thank you'],
  gone: ['链接已失效', 'The link no longer works'],
};
export const tError = (code: string) => (ERRORS[code] ? pick(ERRORS[code]) : null);

/** A catalogue's English name as a label: the seeds write them in lower case (TAXONOMY.md's "pay", "arrears"). */
export const englishLabel = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
/** China keeps one zone and no daylight saving: a date on the pages is the Asia/Shanghai date, whatever the browser's zone. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** The Asia/Shanghai calendar date (YYYY-MM-DD) at an instant. */
export const shanghaiDate = (ms: number = Date.now()) => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
/** The instant a Shanghai date begins, as the API takes it. */
export const shanghaiMidnight = (date: string) => `${date}T00:00:00+08:00`;
const dateFormats = { zh: 'zh-CN', en: 'en-GB' } as const;
export const fmtTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(dateFormats[language.value], { timeZone: 'Asia/Shanghai', hour12: false, dateStyle: 'short', timeStyle: 'short' }) : '—';
/** A duration in words: 2 天 3 小时 / 2 d 3 h. */
export function fmtDuration(ms: number) {
  const en = language.value === 'en';
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000), h = Math.floor((abs % 86_400_000) / 3_600_000), m = Math.floor((abs % 3_600_000) / 60_000);
  if (d > 0) return en ? `${d} d ${h} h` : `${d}天${h}小时`;
  if (h > 0) return en ? `${h} h ${m} min` : `${h}小时${m}分`;
  return en ? `${Math.max(1, m)} min` : `${Math.max(1, m)}分钟`;
}
