/** Small checks shared by the routes: which period a query asks about, and input every route refuses. */
import { errorAnswer } from './error-handler.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app.js';
import FindMyWay from 'find-my-way';
import { Type } from 'typebox';
import { BadRequest } from '../errors.js';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/**
 * The `date-time` format of every schema: RFC 3339 with a year Postgres can store (0001–9999),
 * so that no later arithmetic or insert meets an impossible date.
 */
export function isValidYear(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m || m[1] === '0000') return false;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && inStorableRange(date);
}

const EARLIEST = Date.UTC(1, 0, 2);
const LATEST = Date.UTC(9999, 11, 30);
const inStorableRange = (d: Date) => d.getTime() >= EARLIEST && d.getTime() <= LATEST;

const DateTime = Type.String({ format: 'date-time', description: 'RFC 3339, years 0001–9999' });
/** `from` / `to` query parameters; the period defaults to the last 30 days. */
export const PeriodQuery = { from: Type.Optional(DateTime), to: Type.Optional(DateTime) };

export function period(q: { from?: string; to?: string }, defaultDays = 30) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - defaultDays * 86_400_000);
  if (!(from < to)) throw new BadRequest('from: 开始时间须早于结束时间 / from must be before to');
  // Hot spots compare the period with the one of equal length before it: both must be storable.
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  if (!inStorableRange(previousFrom) || !inStorableRange(to)) {
    throw new BadRequest('from: 期间及其前一等长期间须在 0001–9999 年之间 / the period, and the one of equal length before it, must lie within the years 0001–9999');
  }
  return { from, to };
}

export const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The first field (body, query, params) holding a NUL character, which Postgres text cannot store. */
function nulField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulField(v, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = k.includes('\u0000') ? `${path}.?` : nulField(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

export async function refuseNulBytes(request: FastifyRequest) {
  const field = nulField(request.body, 'body') ?? nulField(request.query, 'querystring') ?? nulField(request.params, 'params');
  if (field) throw new BadRequest(`${field}: 不得包含 NUL 字符 / must not contain a NUL character`);
}

/** What a request that matches no route is answered: 405 with `Allow` for a known path asked with another method, else 404. */
export type NoRoute = (request: FastifyRequest) => { answer: ReturnType<typeof errorAnswer>; allow?: string };

/**
 * Answers the requests that match no route (`noRoute`, in the API's error shape) and hands the same
 * rule back, so that a scope with its own error format (Open311) answers alike in its own shape.
 */
export function answerNoRoute(app: App): NoRoute {
  const known = FindMyWay({ ignoreTrailingSlash: false });
  const methods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    for (const method of [route.method].flat()) {
      if (!methods.has(route.url)) {
        methods.set(route.url, new Set());
        known.on('GET', route.url, () => {}, { url: route.url });
      }
      methods.get(route.url)!.add(method);
    }
  });
  const noRoute: NoRoute = (request) => {
    const path = request.url.split('?')[0];
    const found = known.find('GET', path);
    const allowed = found ? methods.get((found.store as { url: string }).url) : undefined;
    if (allowed && !allowed.has(request.method)) {
      const allow = [...allowed].join(', ');
      return { allow, answer: errorAnswer(405, 'Method Not Allowed', `${request.method} 不适用于此路径 / ${request.method} is not allowed here; use ${allow}`) };
    }
    return { answer: errorAnswer(404, 'Not Found', `没有此路径 / no route ${request.method} ${path}`) };
  };
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const { answer, allow } = noRoute(request);
    if (allow) reply.header('allow', allow);
    return reply.status(answer.statusCode).send(answer);
  });
  return noRoute;
}
