/**
 * The admin console's words, Chinese first, English when switched (the shared dictionary in i18n.ts
 * belongs to the other pages; these are used only here).
 */
import { language } from '../../i18n.js';
import type { NotificationKindName, RoutingStepName } from '../../api/unions.js';

type Pair = readonly [zh: string, en: string];

const WORDS = {
  console: ['管理控制台', 'Admin console'], sections: ['管理功能', 'Admin sections'],
  units: ['单位', 'Units'], users: ['用户', 'Users'], routing: ['路由规则', 'Routing rules'], sla: ['办理时限', 'SLA policies'],
  catalogue: ['诉求目录', 'Catalogue'], calendar: ['工作日历', 'Calendar'], channels: ['通知渠道', 'Channels'], activity: ['队列与审计', 'Queues & audit'],
  name: ['名称', 'Name'], type: ['类型', 'Type'], parent: ['上级单位', 'Parent unit'], platform: ['平台', 'Platform'], sectors: ['主管行业', 'Sectors'],
  areas: ['辖区（街道/区域，逗号分隔）', 'Areas (comma separated)'],
  defaultBranch: ['默认登记支部（区域无支部覆盖时）', 'Default branch (when no branch covers the area)'], areasShort: ['辖区', 'Areas'], active: ['状态', 'Status'],
  isActive: ['在用', 'Active'], isInactive: ['已停用', 'Deactivated'], actions: ['操作', 'Actions'],
  newUnit: ['新建单位', 'New unit'], editUnit: ['修改单位', 'Edit unit'], create: ['新建', 'Create'], save: ['保存', 'Save'], cancel: ['取消', 'Cancel'],
  edit: ['修改', 'Edit'], deactivate: ['停用', 'Deactivate'], confirmDeactivate: ['确定停用“{name}”？此操作不能撤销。', 'Deactivate “{name}”? This cannot be undone.'],
  confirm: ['确定停用', 'Yes, deactivate'], deactivated: ['已停用', 'Deactivated'], saved: ['已保存', 'Saved'], created: ['已创建', 'Created'],
  stillInUse: ['该单位仍有 {cases} 件未结案件、{rules} 条路由规则指向它，请先转办或修改规则：', 'The unit still holds {cases} open cases and {rules} routing rules name it; reassign them first:'],
  none: ['暂无', 'None'], choose: ['请选择', 'Choose…'], noneOption: ['（无）', '(none)'], required: ['必填', 'required'],
  unit: ['所属单位', 'Unit'], role: ['角色', 'Role'], lastUsed: ['最近使用', 'Last used'],
  newUser: ['新建用户', 'New user'], rotate: ['轮换令牌', 'Rotate token'], signInQr: ['登录二维码', 'Sign-in QR code'],
  tokenOnce: ['{name} 的登录令牌（只显示这一次，请立即复制并交给本人）', "{name}'s sign-in token (shown only this once: copy it and hand it over now)"],
  copy: ['复制', 'Copy'], copied: ['已复制', 'Copied'], copyFailed: ['无法自动复制，请手动选择复制', 'Could not copy; select the text and copy it'], close: ['关闭', 'Close'],
  qrHelp: ['请 {name} 用手机扫描二维码登录（一次有效，{until} 前使用）', 'Let {name} scan this with the phone to sign in (works once, until {until})'],
  pickUnit: ['选择单位', 'Pick a unit'], usersOf: ['{unit} 的用户', 'Users of {unit}'],
  step: ['环节', 'Step'], match: ['匹配条件', 'Match'], category: ['类别', 'Category'], workerType: ['劳动者类型', 'Worker type'], area: ['区域', 'Area'],
  toOrg: ['转至单位', 'To unit'], any: ['（任意）', '(any)'], addRow: ['添加一行', 'Add a row'], removeRow: ['删除', 'Remove'], row: ['第 {n} 行', 'row {n}'],
  saveAll: ['保存全部（整体替换）', 'Save all (replaces the set)'], reload: ['放弃修改', 'Discard changes'], fixRows: ['请先更正标红的单元格', 'Correct the marked cells first'],
  routingHelp: ['转交（forward）规则指向平台党委或街道，移交（hand_off）规则指向主管部门；条件越具体越优先。', 'forward rules name a platform committee or street office, hand_off rules a department; the most specific match wins.'],
  urgency: ['紧急程度', 'Urgency'], amount: ['时长', 'Amount'], timeUnit: ['单位', 'Unit'], maxPause: ['最长暂停', 'Longest pause'],
  slaHelp: ['未配置兜底规则的环节按默认值计时：', 'Steps with no catch-all policy run on the defaults:'],
  code: ['代码', 'Code'], nameZh: ['中文名称', 'Chinese name'], nameEn: ['英文名称', 'English name'], territorial: ['属地事项', 'Territorial'],
  retired: ['已停用', 'Retired'], subItems: ['子项', 'Sub-items'], addCategory: ['添加类别', 'Add a category'],
  year: ['年份', 'Year'], source: ['来源', 'Source'], loadYear: ['载入年度安排', 'Load a year’s schedule'], holidays: ['放假日（每行或逗号分隔 YYYY-MM-DD）', 'Days off (YYYY-MM-DD, one per line or comma separated)'],
  workdays: ['调休上班日', 'Make-up working days'], load: ['载入', 'Load'], loadedYear: ['{year} 年已载入：{holidays} 个放假日、{workdays} 个上班日，重算 {recomputed} 个期限', '{year} loaded: {holidays} days off, {workdays} working days, {recomputed} deadlines recomputed'],
  overrides: ['单日更正', 'Single-day corrections'], day: ['日期', 'Day'], kind: ['类型', 'Kind'], note: ['说明', 'Note'],
  webhook: ['Webhook', 'Webhook'], wecom: ['企业微信机器人', 'WeCom robot'], dingtalk: ['钉钉机器人', 'DingTalk robot'], email: ['电子邮件', 'E-mail'], sms: ['短信网关', 'SMS gateway'],
  webhookUrl: ['Webhook 地址', 'Webhook URL'], robotUrl: ['机器人地址', 'Robot URL'], secret: ['加签密钥', 'Signing secret'], emailTo: ['收件地址（逗号分隔）', 'Addresses (comma separated)'],
  gatewayUrl: ['网关地址', 'Gateway URL'], gatewayToken: ['网关令牌', 'Gateway token'], smsTo: ['值班手机（逗号分隔）', 'Duty phones (comma separated)'],
  channelsOf: ['{unit} 的通知渠道', 'Channels of {unit}'],
  deliveries: ['未送达的通知', 'Undelivered notifications'], attempts: ['尝试次数', 'Attempts'], lastError: ['最近错误', 'Last error'],
  nextAttempt: ['下次尝试', 'Next attempt'], parkedUntil: ['暂停至', 'Parked until'], kindOf: ['通知类型', 'Kind'], channel: ['渠道', 'Channel'], case: ['案件', 'Case'],
  queues: ['后台队列', 'Background queues'], queue: ['队列', 'Queue'], waiting: ['等待', 'Waiting'], delayed: ['延时', 'Delayed'], failed: ['失败', 'Failed'], active_: ['执行中', 'Running'],
  queuesMissing: ['服务器尚未提供队列计数（GET /api/v1/queues）', 'The server does not offer queue counts yet (GET /api/v1/queues)'],
  audit: ['配置变更记录', 'Admin changes'], at: ['时间', 'Time'], actor: ['操作人', 'By'], entity: ['对象', 'What'], action: ['动作', 'Action'], details: ['详情', 'Details'],
  bootstrap: ['初始管理员', 'Bootstrap admin'], earlier: ['更早', 'Earlier'], later: ['较新', 'Newer'], page: ['第 {n} / {of} 页', 'Page {n} of {of}'],
  period: ['{from} 至 {to}', '{from} to {to}'], previousPeriod: ['前 30 天', 'Previous 30 days'], nextPeriod: ['后 30 天', 'Next 30 days'],
  status: ['状态', 'Status'], refresh: ['刷新', 'Refresh'], yes: ['是', 'yes'], no: ['否', 'no'],
} satisfies Record<string, Pair>;
export type WordKey = keyof typeof WORDS;

const pick = (pair: Pair) => pair[language.value === 'en' ? 1 : 0];
export const w = (key: WordKey, vars: Record<string, string | number> = {}) =>
  pick(WORDS[key]).replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));

const NAMES: Record<string, Record<string, Pair>> = {
  queue: { deadlines: ['期限唤醒', 'Deadline wake-ups'], exports: ['导出任务', 'Exports'], outbox: ['消息外发', 'Outbound messages'] },
  routingStep: { forward: ['转交平台（L1→L2）', 'Forward (L1→L2)'], hand_off: ['移交部门（L2→L3）', 'Hand off (L2→L3)'] } satisfies Record<RoutingStepName, Pair>,
  calendarSource: { official: ['官方（国务院公布）', 'Official'], override: ['管理员载入', 'Loaded by an admin'], provisional: ['暂定（未公布）', 'Provisional (not published)'] },
  dayKind: { workday: ['上班日', 'Working day'], holiday: ['放假日', 'Day off'] },
  entity: {
    org: ['单位', 'Unit'], user: ['用户', 'User'], token: ['令牌', 'Token'], routing_rules: ['路由规则', 'Routing rules'], sla_policies: ['办理时限', 'SLA policies'],
    calendar: ['日历', 'Calendar'], channels: ['通知渠道', 'Channels'], catalogue: ['诉求目录', 'Catalogue'],
  },
  adminAction: {
    create: ['新建', 'created'], update: ['修改', 'changed'], deactivate: ['停用', 'deactivated'], rotate: ['轮换', 'rotated'], sign_in_link: ['登录链接', 'sign-in link'],
    replace: ['整体替换', 'replaced'], load_year: ['载入年度安排', 'year loaded'], issue: ['签发', 'issued'], revoke: ['吊销', 'revoked'],
    succession: ['撤并，移交承继单位', 'merged into its successor'],
  },
  notificationKind: {
    case_arrived: ['新案件到达', 'Case arrived'], case_returned: ['案件被退回', 'Case returned'], urgent_case: ['紧急案件', 'Urgent case'],
    deadline_warning: ['临期预警', 'Deadline warning'], deadline_missed: ['已超期', 'Deadline missed'], escalated: ['超期升级', 'Escalated'],
    extension_requested: ['延期申请', 'Extension requested'], extension_decided: ['延期审批结果', 'Extension decided'],
    info_requested: ['请补充信息', 'Information requested'], info_provided: ['信息已补充', 'Information provided'], supervision_order: ['督办令', 'Supervision order'],
    meeting_decision: ['协调会决定', 'Meeting decision'], cohandler_added: ['协办邀请', 'Co-handling asked'], contribution_received: ['协办意见已提交', 'Opinion received'],
    referral_requested: ['转介待答复', 'Referral to answer'], referral_answered: ['转介已答复', 'Referral answered'],
    worker_feedback_link: ['劳动者评价链接（短信）', "Worker's feedback link (SMS)"],
    record_anchor: ['每日记录锚点', 'Daily record anchor'], dormant_unit: ['挂牌不运行单位', 'Dormant unit'],
    order_level_changed: ['工单层级变化', 'Work order moved level'], order_closed: ['工单已办结', 'Work order closed'],
  } satisfies Record<NotificationKindName | 'worker_feedback_link' | 'record_anchor' | 'dormant_unit', Pair>,
  detail: {
    name: ['名称', 'name'], type: ['类型', 'type'], role: ['角色', 'role'], orgId: ['单位', 'unit'], parentId: ['上级单位', 'parent'],
    hasWebhook: ['有 Webhook', 'webhook'], webhookChanged: ['Webhook 已改', 'webhook changed'], revokedTokens: ['吊销令牌数', 'tokens revoked'],
    expiresAt: ['有效期至', 'valid until'], rules: ['规则数', 'rules'], policies: ['时限数', 'policies'], days: ['更正天数', 'days'],
    holidays: ['放假日数', 'days off'], workdays: ['上班日数', 'working days'], categories: ['类别数', 'categories'], channels: ['渠道', 'channels'],
    areas: ['辖区', 'areas'], sectors: ['主管行业', 'sectors'], defaultBranchId: ['默认登记支部', 'default branch'],
    successorId: ['承继单位', 'successor'], cases: ['移交案件数', 'cases moved'], clocks: ['移交计时数', 'clocks moved'],
    routingRules: ['移交路由规则数', 'routing rules moved'], users: ['移交用户数', 'users moved'],
  },
  deliveryStatus: { parked: ['已暂停（接收方连续失败）', 'Parked (receiver keeps failing)'], failed: ['已放弃', 'Gave up'], pending: ['等待重试', 'Waiting for a retry'] },
};
/** A code's name in words (the code itself when this page has no name for it). */
export const named = (kind: string, code: string | null | undefined) => {
  if (code == null || code === '') return '—';
  const pair = NAMES[kind]?.[code];
  return pair ? pick(pair) : code;
};
