/** The measures units are judged by, and hot spots. */
import { Type } from 'typebox';
import { hotSpots, unitMeasures } from '../../metrics/unit-measures.js';
import { HotSpotSchema, errors } from '../schemas.js';
import { PeriodQuery, period, requireRole } from '../request-helpers.js';
import type { App, AppDeps } from '../app.js';

const Str = Type.String();
const NNum = Type.Union([Type.Number(), Type.Null()]);
const MeasureSchema = Type.Object({
  key: Str, label: Str, received: Type.Integer(), accepted_on_time: Type.Integer(), resolved: Type.Integer(),
  on_time: Type.Integer(), overdue: Type.Integer(), escalated: Type.Integer(), reopened: Type.Integer(),
  feedback: Type.Integer(), satisfied: Type.Integer(), response_rate: NNum, on_time_rate: NNum,
  resolution_rate: NNum, satisfaction_rate: NNum, avg_handling_hours: NNum,
});

export async function metricsRoutes(app: App, { deps }: { deps: AppDeps }) {
  app.get('/metrics', {
    schema: {
      tags: ['measures 考核'],
      description: '考核指标（公式见 README）/ measures per unit, category, platform or area over a period (formulas in the README). Conveners see every unit; others their own unit\'s work.',
      querystring: Type.Object({ ...PeriodQuery, groupBy: Type.Optional(Type.Enum(['org', 'category', 'platform', 'area'])) }, { additionalProperties: false }),
      response: { 200: Type.Object({ from: Str, to: Str, groupBy: Str, rows: Type.Array(MeasureSchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    requireRole(request, ['liaison', 'committee', 'officer', 'convener'], '考核指标 ');
    const { from, to } = period(request.query);
    const groupBy = request.query.groupBy ?? 'org';
    const rows = await unitMeasures(deps.sql, { from, to, groupBy, orgId: request.caller.role === 'convener' ? null : request.caller.orgId });
    return {
      from: from.toISOString(), to: to.toISOString(), groupBy,
      rows: rows.map((r) => ({
        key: r.key, label: r.label, received: r.received, accepted_on_time: r.acceptedOnTime, resolved: r.resolved,
        on_time: r.onTime, overdue: r.overdue, escalated: r.escalated, reopened: r.reopened, feedback: r.feedback,
        satisfied: r.satisfied, response_rate: r.responseRate, on_time_rate: r.onTimeRate, resolution_rate: r.resolutionRate,
        satisfaction_rate: r.satisfactionRate, avg_handling_hours: r.avgHandlingHours,
      })),
    };
  });

  app.get('/metrics/hotspots', {
    schema: {
      tags: ['measures 考核'], description: '热点：比上一等长期间增长的 类别×平台×区域 / clusters that grew against the previous period of the same length',
      querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(HotSpotSchema) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    requireRole(request, ['officer', 'convener'], '热点 ');
    const { from, to } = period(request.query);
    return { items: await hotSpots(deps.sql, from, to) };
  });
}
