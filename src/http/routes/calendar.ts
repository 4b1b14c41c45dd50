/**
 * Time configuration: the calendar's years (status, an admin-loaded schedule) and the SLA steps on
 * defaults. Single-day corrections are with the rest of the configuration (routes/admin.ts).
 */
import { Type, type Static } from 'typebox';
import { SlaPolicySchema, stepsOnDefaults } from '../../deadlines/sla-policies.js';
import { errors } from '../schemas.js';
import type { Api, App } from '../app.js';

const tags = ['configuration 配置'];
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });

const YearStatus = Type.Object({
  year: Type.Integer(),
  source: Type.Enum(['official', 'override', 'provisional'], {
    description: 'official 国务院公布（随 chinese-days 发布）; override 管理员已载入; provisional 按法定节日推算，期限为暂定 / ' +
      'official: published, shipped in chinese-days; override: loaded by an admin; provisional: statutory holidays computed, deadlines provisional',
  }),
});
const CalendarStatus = Type.Object({ years: Type.Array(YearStatus) });

const YearScheduleBody = Type.Object({
  holidays: Type.Array(Day, { maxItems: 366, description: '放假日 / statutory holidays and their bridging days off' }),
  workdays: Type.Array(Day, { maxItems: 366, description: '调休上班日 / make-up working days (weekend days that are worked)' }),
}, { additionalProperties: false });

const YearLoaded = Type.Object({
  year: Type.Integer(), source: Type.Literal('override'), holidays: Type.Integer(), workdays: Type.Integer(),
  recomputed: Type.Integer({ description: '按新日历重算的暂定期限数 / provisional deadlines recomputed on the new schedule' }),
});

export type CalendarStatusView = Static<typeof CalendarStatus>;

export async function calendarRoutes(app: App, { calendar, configuration }: Api) {
  app.get('/calendar/status', {
    schema: {
      tags, description: '各年份日历来源；暂定年份的页面显示提示 / each year\'s calendar source; pages show a banner while a year is provisional',
      response: { 200: CalendarStatus, ...errors(401) },
    },
  }, async (): Promise<CalendarStatusView> => ({ years: await calendar.calendarStatus() }));

  app.put('/calendar/years/:year', {
    schema: {
      tags,
      description: '载入某年国务院公布的节假日安排（放假日与调休上班日）；该年变为 override，暂定期限按其起点重算 / ' +
        'loads a year\'s published schedule; the year becomes `override` and every pending provisional deadline is recomputed from its start',
      params: Type.Object({ year: Type.String({ pattern: '^20[0-9]{2}$' }) }),
      body: YearScheduleBody,
      response: { 200: YearLoaded, ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const year = Number(request.params.year);
    const { recomputed } = await calendar.saveCalendarYear(request.caller, year, request.body);
    return { year, source: 'override' as const, holidays: request.body.holidays.length, workdays: request.body.workdays.length, recomputed };
  });

  app.get('/sla-policies/defaults', {
    schema: {
      tags, description: '没有配置、按 DOMAIN.md 默认值计时的环节（管理页显示）/ steps with no catch-all policy, timed by DOMAIN.md\'s defaults (shown on the admin page)',
      response: { 200: Type.Object({ items: Type.Array(SlaPolicySchema) }), ...errors(401, 403) },
    },
  }, async (request) => {
    return { items: stepsOnDefaults(await configuration.slaPolicies(request.caller)) };
  });
}
