/**
 * Case summaries for a coordination meeting, streamed: xlsx (sheets for the measures, the agenda,
 * the period's accountability list 问责清单 and every case of the period with its level timeline), csv (UTF-8 with a BOM, so Excel shows
 * Chinese), md (for pasting into the minutes). Workers' personal data is always masked. Cases are
 * read with a cursor and written row by row, so memory stays flat however many there are.
 */
import type { Writable } from 'node:stream';
import { readAhead, type Sql } from '../../db/client.js';
import type { HolderEntry } from '../../db/schema.js';
import { shanghaiMinute } from '../calendar/working-calendar.js';
import { maskName, maskPhone } from '../cases/case-view.js';
import { anchorLine, latestAnchor } from '../cases/record-audit.js';
import { unitMeasures } from '../metrics/unit-measures.js';
import type { MeasureRow } from '../metrics/measures-view.js';
import { accountabilityItems, type AccountabilityItem } from '../accountability/accountability.js';
import {
  AGENDA_REASON_LABELS, CLOCK_LABELS, STATE_LABELS, type CaseState, type Level, type Outcome, type TimeUnit, type Urgency,
} from '../../workflows/case-rules.js';
import { issuesOfMeeting } from '../systemic-issues/systemic-issues.js';
import type { SystemicIssueView } from '../systemic-issues/systemic-issue-view.js';
import { getMeeting, type Meeting } from './coordination-meeting.js';
import { drained, openSpreadsheet, type Cell, type Spreadsheet } from './spreadsheet.js';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/** The levels' names, in the cells and in the holder timeline. */
const LEVELS = { branch: '支部', platform: '平台', department: '部门' } as const satisfies Record<Level, string>;
/** Names, never codes, in what people read (`5 working_days` → `5 个工作日`). */
const UNITS = { working_days: '个工作日', working_hours: '个工作小时', hours: '小时', minutes: '分钟', seconds: '秒' } as const satisfies Record<TimeUnit, string>;
const URGENCIES = { normal: '一般', urgent: '紧急', critical: '特急' } as const satisfies Record<Urgency, string>;
const CHANNELS: Record<string, string> = { station: '驿站', online: '线上', hotline: '热线', visit: '走访', group: '群聊', other: '其他' };
const amountText = (amount: number, unit: TimeUnit) => `${amount} ${UNITS[unit]}`;
type Names = Map<string, string>;
const RATINGS = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意', no_feedback: '未反馈' } as const satisfies Record<Outcome, string>;
const fmtTime = shanghaiMinute;
const pct = (r: number | null) => (r === null ? '' : `${(r * 100).toFixed(1)}%`);

const MEASURE_COLUMNS: [string, (m: MeasureRow) => string | number][] = [
  ['单位 Unit', (m) => m.label], ['到达量 Received', (m) => m.received], ['按时受理 Accepted on time', (m) => m.accepted_on_time],
  ['办结 Resolved', (m) => m.resolved], ['按时办结 On time', (m) => m.on_time], ['超期 Overdue', (m) => m.overdue],
  ['升级 Escalated', (m) => m.escalated], ['重办 Reopened', (m) => m.reopened], ['反馈 Feedback', (m) => m.feedback],
  ['满意 Satisfied', (m) => m.satisfied], ['已解决 Solved', (m) => m.solved], ['按时受理率 Response rate', (m) => pct(m.response_rate)],
  ['按时整改率 Rectification rate', (m) => pct(m.rectification_rate)],
  ['按时办结率 On-time rate', (m) => pct(m.on_time_rate)], ['办结率 Resolution rate', (m) => pct(m.resolution_rate)],
  ['问题解决率 Solved rate', (m) => pct(m.solved_rate)], ['满意率 Satisfaction rate', (m) => pct(m.satisfaction_rate)],
  ['平均办理小时 Avg handling hours', (m) => m.avg_handling_hours ?? ''],
];

const ISSUE_COLUMNS = ['系统性问题 Systemic issue', '案件数 Cases', '案件 References', '决定 Decision', '牵头单位 Lead unit', '决定时间 Decided'];

function issueCells(i: SystemicIssueView, orgNames: Map<string, string>): (string | number)[] {
  return [
    i.title, i.cases.length, i.cases.map((c) => c.reference).join('、'),
    i.decision ? `${i.decision.decision}（${amountText(i.decision.amount, i.decision.unit)}）` : '待决定 pending',
    i.decision ? orgNames.get(i.decision.leadOrgId) ?? i.decision.leadOrgId : '', i.decision ? fmtTime(new Date(i.decision.decidedAt)) : '',
  ];
}

const ACCOUNTABILITY_COLUMNS = ['案件编号 Reference', '被问责单位 Unit', '超期环节 Step', '到期时间 Due', '超期时间 Missed',
  '超期小时 Hours late', '至今未办理 Still not acted', '协调会决定 Decision'];
/** At most this many misses in an export's accountability list (the API pages further). */
const ACCOUNTABILITY_ROWS = 5000;

function accountabilityCells(a: AccountabilityItem): (string | number)[] {
  return [a.reference, a.orgName, CLOCK_LABELS[a.step][0], fmtTime(new Date(a.dueAt)), fmtTime(new Date(a.missedAt)), a.lateHours,
    a.ongoing ? '是' : '否', a.decision ?? ''];
}

const AGENDA_COLUMNS = ['案件编号 Reference', '状态 State', '当前层级 Level', '承办单位 Holder', '类别 Category', '平台 Platform',
  '区域 Area', '上会原因 Reasons', '决定 Decision'];

const CASE_COLUMNS = ['案件编号 Reference', '状态 State', '当前层级 Level', '承办单位 Holder', '类别 Category', '平台 Platform',
  '区域 Area', '紧急程度 Urgency', '渠道 Channel', '劳动者 Worker', '联系电话 Phone', '登记时间 Registered', '结案时间 Closed',
  '评价 Rating', '超期 Overdue', '层级流转 Level timeline'];

interface CaseExportRow {
  reference: string; state: CaseState; level: Level; holder: string; category: string; categoryName: string | null; platform: string; area: string | null;
  urgency: Urgency; channel: string; workerName: string | null; workerPhone: string | null; createdAt: Date; closedAt: Date | null;
  outcome: Outcome | null; overdue: boolean; holderTimeline: HolderEntry[];
}

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe, so that it shows as text (OWASP "CSV injection"); numbers stay numbers.
 */
function spreadsheetCell(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** `支部·第一支部 11-03 09:12 → 平台·美团平台党委 11-03 10:40`: the holder timeline the case writer keeps. */
function timelineText(timeline: HolderEntry[], orgNames: Names): string {
  return timeline.map((e) => `${LEVELS[e.level]}·${orgNames.get(e.orgId) ?? e.orgId} ${fmtTime(new Date(e.at)).slice(5)}`).join(' → ');
}

/** A cell of the xlsx: nothing for an empty text (the sheet leaves it out: an export has many). */
function sheetCell(value: string | number): Cell {
  return value === '' ? null : spreadsheetCell(value);
}

function caseCells(c: CaseExportRow, orgNames: Names): (string | number)[] {
  return [
    c.reference, STATE_LABELS[c.state], LEVELS[c.level], c.holder, c.categoryName ?? c.category, c.platform ?? '',
    c.area ?? '', URGENCIES[c.urgency], CHANNELS[c.channel] ?? c.channel, maskName(c.workerName) ?? '', maskPhone(c.workerPhone) ?? '', fmtTime(c.createdAt),
    fmtTime(c.closedAt), c.outcome ? RATINGS[c.outcome] : '', c.overdue ? '是' : '否', timelineText(c.holderTimeline, orgNames),
  ];
}

function agendaCells(m: Meeting['agenda'][number], categoryNames: Names): string[] {
  return [
    m.reference, STATE_LABELS[m.state], LEVELS[m.level], m.holderName, categoryNames.get(m.category) ?? m.category,
    m.platform ?? '', m.area ?? '', m.reasons.map((r) => AGENDA_REASON_LABELS[r][0]).join('、'),
    m.decision ? `${m.decision.decision}（${amountText(m.decision.amount, m.decision.unit)}）` : '',
  ];
}

async function countCases(sql: Sql, meeting: Meeting): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from cases where created_at >= ${meeting.periodFrom} and created_at < ${meeting.periodTo}`;
  return n;
}

/**
 * Every case registered in the period, in order, with its holder timeline (who held it, from when),
 * handed to `each` batch by batch, read ahead of the writer. One read-only transaction without JIT:
 * compiling the plan took ~0.6 s before the first row when the timeline was walked from the record.
 */
async function forEachCaseOfPeriod(sql: Sql, meeting: Meeting, each: (rows: CaseExportRow[]) => void | Promise<void>): Promise<void> {
  await sql.begin('read only', async (tx) => {
    await tx`set local jit = off`;
    for await (const rows of readAhead(tx<CaseExportRow[]>`
      select c.reference, c.state, c.level, h.name as holder, c.category, k.name_zh as category_name, c.platform, c.area, c.urgency, c.channel,
        c.worker_name, c.worker_phone, c.created_at, c.closed_at, c.outcome, c.overdue, c.holder_timeline
      from cases c join orgs h on h.id = c.holder_org_id left join categories k on k.code = c.category
      where c.created_at >= ${meeting.periodFrom} and c.created_at < ${meeting.periodTo}
      order by c.created_at, c.id`.cursor(500))) await each(rows);
  });
}

/** Writes the export to `out` and ends it, reporting progress in percent of the period's cases. */
export async function writeMeetingExport(
  sql: Sql, meetingId: string, format: ExportFormat, out: Writable, onProgress: (percent: number) => void = () => {},
): Promise<void> {
  const meeting = await getMeeting(sql, meetingId);
  // The spreadsheet's thread starts, and loads exceljs, while the summary is read.
  const book = format === 'xlsx' ? openSpreadsheet(out) : null;
  try {
    await writeSections(sql, meeting, book, out, onProgress, format);
  } catch (error) {
    await book?.abort();
    throw error;
  }
}

/** The export's sections: into the spreadsheet when there is one (xlsx), else as csv or md text into `out`. */
async function writeSections(
  sql: Sql, meeting: Meeting, book: Spreadsheet | null, out: Writable, onProgress: (percent: number) => void, format: ExportFormat,
): Promise<void> {
  // Independent reads, each on its own connection of the pool: together they take the longest one's time.
  const [measures, total, issues, orgs, categories, accountable, latest] = await Promise.all([
    unitMeasures(sql, { from: meeting.periodFrom, to: meeting.periodTo, groupBy: 'org' }),
    countCases(sql, meeting),
    issuesOfMeeting(sql, meeting),
    sql<{ id: string; name: string }[]>`select id, name from orgs`,
    sql<{ code: string; nameZh: string }[]>`select code, name_zh from categories`,
    accountabilityItems(sql, { from: meeting.periodFrom, to: meeting.periodTo, orgId: null, limit: ACCOUNTABILITY_ROWS }),
    latestAnchor(sql),
  ]);
  const orgNames = new Map(orgs.map((o) => [o.id, o.name]));
  const categoryNames = new Map(categories.map((k) => [k.code, k.nameZh]));
  const issueRows = issues.map((i) => issueCells(i, orgNames));
  const accountableRows = accountable.map(accountabilityCells);
  const anchor = `记录锚点 Record anchor: ${anchorLine(latest)}`;
  let written = 0;
  let reported = -1;
  const progressed = (n: number) => {
    written += n;
    const percent = total === 0 ? 100 : Math.floor((written / total) * 100);
    if (percent !== reported) onProgress((reported = percent));
  };

  if (book) {
    // Systemic issues first: one decision covers many cases.
    const sheets: [string, Cell[][]][] = [
      ['系统性问题 Systemic issues', [ISSUE_COLUMNS, ...issueRows.map((row) => row.map(sheetCell))]],
      ['汇总 Summary', [
        [sheetCell(meeting.title), `${fmtTime(meeting.periodFrom)} — ${fmtTime(meeting.periodTo)}`],
        MEASURE_COLUMNS.map(([h]) => h), ...measures.map((m) => MEASURE_COLUMNS.map(([, f]) => sheetCell(f(m)))), [sheetCell(anchor)],
      ]],
      ['议程 Agenda', [AGENDA_COLUMNS, ...meeting.agenda.map((item) => agendaCells(item, categoryNames).map(sheetCell))]],
      ['问责 Accountability', [ACCOUNTABILITY_COLUMNS, ...accountableRows.map((row) => row.map(sheetCell))]],
    ];
    for (const [name, rows] of sheets) {
      book.sheet(name);
      await book.rows(rows);
    }
    book.sheet('案件 Cases');
    await book.rows([CASE_COLUMNS]);
    await forEachCaseOfPeriod(sql, meeting, async (rows) => {
      await book.rows(rows.map((c) => caseCells(c, orgNames).map(sheetCell)));
      progressed(rows.length);
    });
    await book.commit();
    onProgress(100);
    return;
  }

  const write = async (text: string) => {
    out.write(text);
    await drained(out);
  };
  if (format === 'csv') {
    await write('\uFEFF' + CASE_COLUMNS.map(csvCell).join(',') + '\r\n');
    await forEachCaseOfPeriod(sql, meeting, async (rows) => {
      await write(rows.map((c) => caseCells(c, orgNames).map(csvCell).join(',')).join('\r\n') + '\r\n');
      progressed(rows.length);
    });
    await write(`${csvCell(anchor)}\r\n`);
  } else {
    await write(markdown(meeting, measures, total, issueRows, accountableRows, categoryNames, anchor));
  }
  onProgress(100);
  out.end();
}

function csvCell(value: string | number): string {
  const text = String(spreadsheetCell(value));
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function mdTable(headers: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => String(v).replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [headers, headers.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

function markdown(
  meeting: Meeting, measures: MeasureRow[], total: number, issueRows: (string | number)[][], accountableRows: (string | number)[][], categoryNames: Names, anchor: string,
): string {
  const decisions = meeting.agenda.filter((a) => a.decision);
  return [
    `# ${meeting.title}`,
    '',
    `- 统计期间 Period: ${fmtTime(meeting.periodFrom)} — ${fmtTime(meeting.periodTo)}（北京时间）`,
    `- 期间登记案件 Cases registered: ${total}`,
    `- 参会 Attendees: ${meeting.attendees.join('、') || '—'}`,
    `- ${anchor}`,
    '',
    `## 系统性问题 Systemic issues（${issueRows.length}）`,
    '',
    mdTable(ISSUE_COLUMNS, issueRows),
    '',
    '## 考核指标 Measures',
    '',
    mdTable(MEASURE_COLUMNS.map(([h]) => h), measures.map((m) => MEASURE_COLUMNS.map(([, f]) => f(m)))),
    '',
    `## 议程 Agenda（${meeting.agenda.length}）`,
    '',
    mdTable(AGENDA_COLUMNS, meeting.agenda.map((a) => agendaCells(a, categoryNames))),
    '',
    `## 问责 Accountability（${accountableRows.length}）`,
    '',
    mdTable(ACCOUNTABILITY_COLUMNS, accountableRows),
    '',
    '## 热点 Hot spots',
    '',
    mdTable(['类别 Category', '平台 Platform', '区域 Area', '本期 This period', '上期 Previous', '增长 Growth'],
      meeting.hotSpots.map((h) => [categoryNames.get(h.category) ?? h.category, h.platform ?? '—', h.area, h.count, h.previous, h.growth])),
    '',
    `## 决定 Decisions（${decisions.length}）`,
    '',
    ...decisions.map((a) => `- ${a.reference}：${a.decision!.decision}（牵头单位 ${a.holderName}，期限 ${amountText(a.decision!.amount, a.decision!.unit)}）`),
    '',
    meeting.minutes ? `## 纪要 Minutes\n\n${meeting.minutes}\n` : '',
  ].join('\n');
}
