// Chinese first, English beside it: every label has both; the switch picks which is shown.
const TEXT = {
  signIn: ['登录', 'Sign in'], signOut: ['退出', 'Sign out'], token: ['登录令牌', 'Sign-in token'],
  tokenHelp: ['使用 npm start 打印的令牌', 'Use a token printed by npm start'], badToken: ['令牌无效', 'That token is not valid'],
  register: ['登记诉求', 'Register a grievance'], myCases: ['我的案件', 'My cases'], submit: ['提交', 'Submit'],
  category: ['诉求类别', 'Category'], platform: ['涉及平台', 'Platform'], workerType: ['劳动者类型', 'Worker type'],
  urgency: ['紧急程度', 'Urgency'], area: ['街道/区域', 'Area'], channel: ['受理渠道', 'Channel'], description: ['诉求内容', 'What happened'],
  anonymous: ['匿名（不保存姓名和电话）', 'Anonymous (keep no name or phone)'], name: ['劳动者姓名', "Worker's name"], phone: ['联系电话', 'Phone'],
  draftSaved: ['草稿已自动保存', 'Draft saved on this device'], offline: ['网络中断：草稿已保存，恢复后重试不会重复登记', 'Connection lost: the draft is kept; retrying will not register twice'],
  registered: ['已登记', 'Registered'], newDraft: ['清空草稿', 'Clear draft'],
  triage: ['待办队列', 'Triage queue'], fresh: ['新到待受理', 'New, awaiting acceptance'], dueSoon: ['临期（24 小时内）', 'Due within 24 hours'],
  overdueCases: ['已超期', 'Overdue'], handling: ['办理中', 'In hand'], none: ['暂无', 'None'],
  oversight: ['督办台账', 'Oversight board'], myMeasures: ['本单位指标（按周）', 'Our measures by week'],
  calendarProvisional: ['{years} 年节假日安排尚未公布：涉及该年的期限为暂定，公布后管理员载入即自动重算', 'The holiday schedule of {years} is not published yet: deadlines reaching into it are provisional and are recomputed when an admin loads it'],
  measures: ['考核指标（近 30 天）', 'Measures (last 30 days)'], hotSpots: ['热点', 'Hot spots'], meetings: ['协调会', 'Coordination meetings'],
  newMeeting: ['召开协调会', 'New meeting'], title: ['标题', 'Title'], periodFrom: ['统计开始', 'Period from'], periodTo: ['统计结束', 'Period to'],
  agenda: ['议程', 'Agenda'], reasons: ['上会原因', 'Reasons'], decision: ['决定', 'Decision'], lead: ['牵头单位', 'Lead unit'],
  amount: ['期限', 'Time allowed'], unit: ['单位', 'Unit'], record: ['记录决定', 'Record decision'], minutes: ['会议纪要', 'Minutes'],
  attendees: ['参会单位（逗号分隔）', 'Attendees (comma separated)'], save: ['保存', 'Save'], exportAs: ['导出', 'Export'],
  reference: ['编号', 'Reference'], state: ['状态', 'State'], holder: ['承办单位', 'Holder'], timeLeft: ['剩余时间', 'Time left'],
  levels: ['层级流转', 'Level history'], step: ['环节', 'Step'], dueAt: ['到期时间', 'Due'], status: ['状态', 'Status'], deadlines: ['办理时限', 'Deadlines'], record_: ['办理记录', 'Record'], actionsTitle: ['可执行操作', 'Actions'],
  open: ['查看', 'Open'], back: ['返回', 'Back'], stale: ['案件已被他人更新，已刷新，请重试', 'Someone else changed this case; it has been reloaded, please try again'],
  done: ['已完成', 'Done'], supervised: ['被督办', 'Supervised'], onAgenda: ['已上会', 'On the agenda'], optional: ['（可选）', '(optional)'],
  routed: ['按路由规则', 'by routing rules'], worker: ['劳动者', 'Worker'], resolution: ['办理结果', 'Resolution'],
  rates: ['响应率 / 按时率 / 办结率 / 满意率', 'Response / on-time / resolution / satisfaction rate'], growth: ['增长', 'Growth'],
  loading: ['加载中…', 'Loading…'], failed: ['请求失败', 'Request failed'], noAccess: ['此角色没有页面', 'No page for this role'],
};

export const ACTIONS = {
  forward: ['转交平台', 'Forward'], resolve: ['办结', 'Resolve'], withdraw: ['撤回', 'Withdraw'], merge: ['合并', 'Merge'],
  accept: ['受理', 'Accept'], return: ['退回', 'Return'], transfer: ['转办', 'Transfer'], request_info: ['补充材料', 'Ask for information'],
  resume: ['恢复办理', 'Resume'], provide_info: ['补充材料答复', 'Provide information'], request_extension: ['申请延期', 'Ask for an extension'], approve_extension: ['批准延期', 'Approve extension'],
  deny_extension: ['驳回延期', 'Deny extension'], hand_off: ['移交主管部门', 'Hand off'], supervise: ['督办', 'Supervise'],
  feedback: ['记录评价', 'Record feedback'], assign_lead: ['指定牵头单位', 'Assign lead'],
};

export const FIELDS = {
  toOrgId: ['目标单位', 'To unit'], reason: ['理由', 'Reason'], resolution: ['办理结果', 'Resolution'], intoReference: ['合并到的案件编号（如 SQ-2026-000123）', 'Merge into case (reference, e.g. SQ-2026-000123)'],
  question: ['需补充的问题', 'Question'], answer: ['补充内容', 'Answer'], amount: ['时长', 'Amount'], unit: ['单位', 'Unit'],
  instructions: ['督办要求', 'Instructions'], rating: ['评价', 'Rating'], comment: ['说明', 'Comment'], leadOrgId: ['牵头单位', 'Lead unit'], decision: ['决定', 'Decision'],
};

export const ENUMS = {
  workerType: { courier: ['快递员', 'Courier'], delivery: ['外卖骑手', 'Food delivery'], ride_hailing: ['网约车司机', 'Ride-hailing'], freight: ['货车司机', 'Freight'], streamer: ['网络主播', 'Streamer'], other: ['其他', 'Other'] },
  channel: { station: ['驿站', 'Station'], online: ['线上', 'Online'], hotline: ['热线', 'Hotline'], visit: ['走访', 'Visit'], group: ['群聊', 'Group chat'], other: ['其他', 'Other'] },
  urgency: { normal: ['一般', 'Normal'], urgent: ['紧急', 'Urgent'], critical: ['特急', 'Critical'] },
  unit: { working_days: ['工作日', 'working days'], working_hours: ['工作小时', 'working hours'], hours: ['小时', 'hours'], minutes: ['分钟', 'minutes'], seconds: ['秒', 'seconds'] },
  rating: { satisfied: ['满意', 'Satisfied'], basically_satisfied: ['基本满意', 'Basically satisfied'], dissatisfied: ['不满意', 'Dissatisfied'] },
  step: { supervision: ['督办期限', 'Supervision order'], pause_limit: ['补充材料期限', 'Waiting for information'], l1_forward: ['支部转交', 'Branch forwards'], l2_accept: ['平台受理', 'Platform accepts'], l2_resolve: ['平台办理', 'Platform resolves'],
    l3_accept: ['部门受理', 'Department accepts'], l3_resolve: ['部门办理', 'Department resolves'], feedback: ['反馈评价', 'Feedback'] },
  status: { pending: ['计时中', 'running'], paused: ['已暂停', 'paused'], met: ['按时', 'met'], missed: ['超期', 'missed'], cancelled: ['已取消', 'cancelled'] },
  level: { branch: ['支部', 'Branch'], platform: ['平台', 'Platform'], department: ['部门', 'Department'] },
  reason: { overdue_l3: ['部门超期', 'Overdue at L3'], escalated: ['逾期升级', 'Escalated'], returned_twice: ['多次退回', 'Returned twice'], reopened: ['不满意重办', 'Reopened'] },
};

let lang = localStorage.getItem('lang') === 'en' ? 1 : 0;
export const isEnglish = () => lang === 1;
export function toggleLanguage() {
  lang = 1 - lang;
  localStorage.setItem('lang', lang ? 'en' : 'zh');
  document.documentElement.lang = lang ? 'en' : 'zh-CN';
}
export const t = (key) => (TEXT[key] ?? [key, key])[lang];
export const tAction = (a) => (ACTIONS[a] ?? [a, a])[lang];
export const tField = (f) => (FIELDS[f] ?? [f, f])[lang];
export const tEnum = (kind, v) => (ENUMS[kind]?.[v] ?? [v, v])[lang];
/** The API's state label is Chinese; English shows the state's own name. */
export const tState = (c) => (lang ? c.state.replaceAll('_', ' ') : c.stateLabel ?? c.state);
