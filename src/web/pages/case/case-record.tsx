/** The case's record as a timeline, in words (action names, units, levels; never raw codes). */
import { fmtTime, t, tAction, tAmount, tEnum, tState } from '../../i18n.js';
import { orgName } from '../../session.js';

export type CaseEvent = {
  seq: number; at: string; actor: { userId?: string; orgId?: string; system?: string }; action: string;
  fromState: string | null; toState: string; level: string; holderOrgId: string | null; data: Record<string, unknown>;
};

export const latestOf = (events: CaseEvent[], action: string) => [...events].reverse().find((e) => e.action === action) ?? null;

/** What an event says beyond its name: a reason, a resolution, a rating, a time allowed. */
export function eventNote(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['reason', 'resolution', 'instructions', 'decision', 'question', 'answer', 'opinion', 'explanation', 'comment']) {
    if (typeof data[key] === 'string' && data[key]) parts.push(data[key] as string);
  }
  if (typeof data.rating === 'string') parts.push(tEnum('rating', data.rating));
  if (typeof data.outcome === 'string' && ['upheld', 'revised', 'revoked'].includes(data.outcome)) parts.push(tEnum('outcome', data.outcome));
  if (typeof data.amount === 'number' && typeof data.unit === 'string') parts.push(tAmount(data.amount, data.unit));
  if (typeof data.step === 'string') parts.push(tEnum('step', data.step));
  return parts.join(' · ');
}

export function CaseRecord(props: { events: CaseEvent[] }) {
  return (
    <ol class="timeline">
      {props.events.map((e) => {
        const note = eventNote(e.data);
        return (
          <li key={e.seq} class={e.actor.system ? 'sys' : ''}>
            <strong>{tAction(e.action)}</strong> · {fmtTime(e.at)} · {e.actor.system ? t('system') : orgName(e.actor.orgId)}
            <div class="muted">{tState(e.toState)} · {tEnum('level', e.level)} → {orgName(e.holderOrgId)}{note ? ` · ${note}` : ''}</div>
          </li>
        );
      })}
    </ol>
  );
}
