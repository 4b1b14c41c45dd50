/** Small checks shared by the routes: who may call, and which period a query asks about. */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { BadRequest, Forbidden } from '../errors.js';
import type { Role } from '../../workflows/case-machine.js';

export function requireRole(request: FastifyRequest, roles: Role[], what: string) {
  if (!roles.includes(request.caller.role)) throw new Forbidden(`${what}仅限 ${roles.join('/')} / ${what.trim()} is for ${roles.join(', ')}`);
}

const DateTime = Type.String({ format: 'date-time' });
/** `from` / `to` query parameters; the period defaults to the last 30 days. */
export const PeriodQuery = { from: Type.Optional(DateTime), to: Type.Optional(DateTime) };

export function period(q: { from?: string; to?: string }, defaultDays = 30) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - defaultDays * 86_400_000);
  if (!(from < to)) throw new BadRequest('from: 开始时间须早于结束时间 / from must be before to');
  return { from, to };
}

export const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
