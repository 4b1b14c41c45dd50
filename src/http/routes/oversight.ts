/** The competent department's oversight board. */
import { Type } from 'typebox';
import { caseSummary, deadlineView } from '../../cases/case-view.js';
import { Forbidden } from '../../errors.js';
import { oversightBoard } from '../../oversight/oversight-board.js';
import { CaseSummarySchema, DeadlineSchema, errors } from '../schemas.js';
import { PeriodQuery, iso, requireRole } from '../request-helpers.js';
import { STATES } from '../../../workflows/case-machine.js';
import type { App, AppDeps } from '../app.js';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const LevelStay = Type.Object({ level: Str, orgId: Str, orgName: Str, enteredAt: Str, leftAt: NStr, hours: Type.Number() });
const OversightItem = Type.Object({
  ...CaseSummarySchema.properties,
  deadlines: Type.Array(DeadlineSchema),
  secondsLeft: Type.Union([Type.Integer(), Type.Null()], { description: '距到期秒数；负数为已超期 / seconds left; negative = overdue by' }),
  levelHistory: Type.Array(LevelStay),
});

export async function oversightRoutes(app: App, { deps }: { deps: AppDeps }) {
  app.get('/oversight', {
    schema: {
      tags: ['oversight 督办'],
      description: '主管部门督办台账：所办理或督办的案件，最超期的在前 / the cases a department holds or supervises, most overdue first. Officers see their own department; conveners any (orgId) or all.',
      querystring: Type.Object({
        orgId: Type.Optional(Type.String({ format: 'uuid' })), ...PeriodQuery, state: Type.Optional(Type.Enum([...STATES])),
        category: Type.Optional(Type.String({ maxLength: 10 })), platform: Type.Optional(Type.String({ maxLength: 50 })),
        area: Type.Optional(Type.String({ maxLength: 50 })),
        limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|1[0-9][0-9]|200)$', description: '1–200, default 50' })),
        offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(OversightItem) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    requireRole(request, ['officer', 'convener'], '督办台账 ');
    const q = request.query;
    if (request.caller.role === 'officer' && q.orgId && q.orgId !== request.caller.orgId) {
      throw new Forbidden('只能查看本部门的督办台账 / officers see their own department\'s board');
    }
    const orgId = request.caller.role === 'officer' ? request.caller.orgId : q.orgId ?? null;
    const entries = await oversightBoard(deps.sql, {
      orgId, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, state: q.state,
      category: q.category, platform: q.platform, area: q.area, limit: Number(q.limit ?? 50), offset: Number(q.offset ?? 0),
    });
    return {
      items: entries.map((e) => ({
        ...caseSummary(e.row), deadlines: e.deadlines.map(deadlineView), secondsLeft: e.secondsLeft,
        levelHistory: e.levelHistory.map((s) => ({ ...s, enteredAt: iso(s.enteredAt)!, leftAt: iso(s.leftAt) })),
      })),
    };
  });
}
