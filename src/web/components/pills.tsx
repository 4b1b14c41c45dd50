/** The case's state and running clock as labelled pills (colour is never the only signal: the text says it). */
import { fmtDuration, t, tState } from '../i18n.js';

export function StatePill(props: { state: string; overdue?: boolean }) {
  return <span class={`pill${props.overdue ? ' overdue' : ''}`}>{tState(props.state)}</span>;
}

export type Due = { text: string; tone: 'overdue' | 'soon' | 'ok' | '' };
export function dueOf(dueAt: string | null | undefined, overdue?: boolean, now = Date.now()): Due {
  if (!dueAt) return { text: '—', tone: '' };
  const ms = new Date(dueAt).getTime() - now;
  if (ms < 0 || overdue) return { text: `${t('overdue')} ${fmtDuration(ms)}`, tone: 'overdue' };
  return { text: fmtDuration(ms), tone: ms < 86_400_000 ? 'soon' : 'ok' };
}

export function DueBadge(props: { dueAt: string | null | undefined; overdue?: boolean }) {
  const due = dueOf(props.dueAt, props.overdue);
  if (due.tone === '') return <span class="muted">—</span>;
  const label = due.tone === 'soon' ? `${t('dueSoon')} · ${due.text}` : due.tone === 'ok' ? `${t('timeLeft')} ${due.text}` : due.text;
  return <span class={`pill ${due.tone}`}>{label}</span>;
}
