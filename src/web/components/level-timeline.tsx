/**
 * A case's way through the levels as one compact bar: a segment per stay, as wide as its share of
 * the time, named by level and unit, with its duration in days, hours and minutes.
 */
import { fmtDuration, t, tEnum } from '../i18n.js';

const durationText = (hours: number) => fmtDuration(hours * 3_600_000);

export interface LevelStay { level: string; orgName: string; hours: number; leftAt: string | null }

export function LevelTimeline(props: { stays: LevelStay[] }) {
  const total = props.stays.reduce((sum, s) => sum + s.hours, 0) || 1;
  return (
    <ol class="level-timeline" aria-label={t('levels')}>
      {props.stays.map((s, i) => (
        <li key={i} class={`stay ${s.level}${s.leftAt ? '' : ' current'}`} style={{ flexGrow: Math.max(s.hours / total, 0.08) }}
          title={`${tEnum('level', s.level)} · ${s.orgName} · ${durationText(s.hours)}`}>
          <span class="stay-level">{tEnum('level', s.level)}</span>
          <span class="stay-time">{durationText(s.hours)}</span>
        </li>
      ))}
    </ol>
  );
}
