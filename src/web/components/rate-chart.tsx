/** Rates as a chart. Chart.js is loaded only here, on first use: its own chunk, never on the liaison's phone. */
import { useEffect, useRef } from 'preact/hooks';
import { language } from '../i18n.js';

export type RateRow = {
  response_rate: number | null; rectification_rate: number | null; on_time_rate: number | null; resolution_rate: number | null; satisfaction_rate: number | null;
};
/** Each rate's name in the page's language: one language at a time in a chart. */
const RATES: [keyof RateRow, string, string][] = [
  ['response_rate', '按时受理率', 'Accepted on time'], ['rectification_rate', '按时整改率', 'Rectified on time'], ['on_time_rate', '按时办结率', 'Resolved on time'],
  ['resolution_rate', '办结率', 'Resolution'], ['satisfaction_rate', '满意率', 'Satisfaction'],
];

export function RateChart(props: { labels: string[]; rows: RateRow[]; type: 'bar' | 'line'; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void import('chart.js/auto').then(({ default: Chart }) => {
      if (cancelled || !canvas.current) return;
      chart = new Chart(canvas.current, {
        type: props.type,
        data: { labels: props.labels, datasets: RATES.map(([k, zh, en]) => ({ label: language.value === 'en' ? en : zh, data: props.rows.map((r) => (r[k] == null ? null : Math.round(r[k]! * 1000) / 10)) })) },
        options: { maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } } },
      });
    });
    return () => { cancelled = true; chart?.destroy(); };
  }, [JSON.stringify(props.rows), props.labels.join('|'), props.type, language.value]);
  return <div class="chart"><canvas ref={canvas} role="img" aria-label={props.label} /></div>;
}
