import { Type } from 'typebox';
import type { CalendarService } from '../../calendar/calendar-years.js';
import type { Api, App } from '../app.js';
import { unavailableReason } from '../../../db/unavailable.js';

const Status = Type.Object({
  status: Type.String(), postgres: Type.Optional(Type.String()), queue: Type.Optional(Type.String()),
  replica: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('lagging'), Type.Literal('unavailable')], {
    description: "with DATABASE_READ_URL: the read replica; 'lagging' or 'unavailable' sends its reads to the primary and never makes the service unready",
  })),
  calendar: Type.Optional(Type.String({ description: "'official', or 'provisional for 2027' while a year's schedule is not published: still ready" })),
  reason: Type.Optional(Type.String({ description: "when not ready, which dependency and why, e.g. 'postgres: ECONNREFUSED' (an error code, never a query)" })),
});

export async function healthRoutes(app: App, { readiness, calendar: calendarService }: Api) {
  app.get('/healthz', { schema: { tags: ['operations'], security: [], response: { 200: Status } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['operations'], security: [], response: { 200: Status, 503: Status } } }, async (_req, reply) => {
    const reasons: string[] = [];
    const check = (name: string, p: Promise<unknown>) => Promise.race([
      p.then(() => 'ok'),
      new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 2000)),
    ]).catch((err) => (reasons.push(`${name}: ${unavailableReason(err)}`), 'down')).then((state) => {
      if (state === 'timeout') reasons.push(`${name}: no answer within 2 s`);
      return state;
    });
    const [postgres, queue] = await Promise.all([check('postgres', readiness.pingDatabase()), check('queue', readiness.pingQueue())]);
    const ready = postgres === 'ok' && queue === 'ok';
    // Postgres may go away between the two statements: the answer then says so, never a 500.
    const calendar = postgres === 'ok' ? await calendarSummary(calendarService).catch(() => undefined) : undefined;
    const replica = readiness.replica();
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not ready', postgres, queue, ...(replica ? { replica } : {}), ...(calendar ? { calendar } : {}), ...(ready ? {} : { reason: reasons.join('; ') }),
    });
  });
}

/** A provisional year does not make the service unready (deadlines are computed and marked provisional). */
async function calendarSummary(calendar: CalendarService): Promise<string> {
  const thisYear = new Date().getUTCFullYear();
  const provisional = (await calendar.calendarStatus()).filter((y) => y.source === 'provisional' && y.year >= thisYear).map((y) => y.year);
  return provisional.length > 0 ? `provisional for ${provisional.join(', ')}` : 'official';
}
