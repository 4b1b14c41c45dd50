/** The admin's corrections to the official calendar, one row per day. */
import type { Tx } from '../../db/client.js';
import { BadRequest } from '../errors.js';
import type { DayKind } from './working-calendar.js';

export interface CalendarOverride { day: string; kind: DayKind; note?: string }

export async function listCalendarOverrides(tx: Tx): Promise<CalendarOverride[]> {
  const rows = await tx<{ day: string; kind: DayKind; note: string | null }[]>`select day::text, kind, note from calendar_overrides order by day`;
  return rows.map((r) => ({ day: r.day, kind: r.kind, ...(r.note ? { note: r.note } : {}) }));
}

export async function replaceCalendarOverrides(tx: Tx, days: CalendarOverride[]): Promise<void> {
  const seen = new Set<string>();
  for (const [i, d] of days.entries()) {
    if (Number.isNaN(new Date(`${d.day}T00:00:00Z`).getTime())) throw new BadRequest(`body[${i}].day: 不是有效日期 / '${d.day}' is not a date`);
    if (seen.has(d.day)) throw new BadRequest(`body[${i}].day: 日期重复 / ${d.day} appears twice`);
    seen.add(d.day);
  }
  await tx`delete from calendar_overrides`;
  if (days.length > 0) await tx`insert into calendar_overrides ${tx(days.map((d) => ({ day: d.day, kind: d.kind, note: d.note ?? null })))}`;
}
