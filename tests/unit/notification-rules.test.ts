/**
 * Who is told what is keyed by the chart's notification kinds (a missing kind fails typecheck);
 * these tests hold the running chart to the table, and the urgency rule to case-rules.
 */
import { describe, expect, it } from 'vitest';
import { caseMachine } from '../../workflows/case-machine.js';
import { URGENCIES, URGENT_LEVELS } from '../../workflows/case-rules.js';
import {
  IN_APP_KINDS, NOTE_KINDS, WHO_IS_TOLD, WORKER_MESSAGE_KINDS, isWorkerMessage, ruleFor,
} from '../../src/notifications/who-is-told.js';
import { FEEDBACK_LINK_KIND } from '../../src/worker-access/feedback-links.js';

/** Every `notify` kind written into the chart's states and transitions. */
function kindsTheChartNotifies(): Set<string> {
  const kinds = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const effect = node as { type?: unknown; params?: { kind?: unknown } };
    if (effect.type === 'notify' && typeof effect.params?.kind === 'string') kinds.add(effect.params.kind);
    if (effect.type === 'tellCompetentDepartment') kinds.add('urgent_case');
    for (const value of Object.values(node)) walk(value);
  };
  walk(caseMachine.config);
  return kinds;
}

describe('who is told', () => {
  it('every kind the chart notifies has a rule (title, which users)', () => {
    const kinds = kindsTheChartNotifies();
    expect(kinds.size).toBeGreaterThanOrEqual(10);
    for (const kind of kinds) expect(ruleFor(kind), kind).not.toBeNull();
    expect([...kinds].filter((k) => !IN_APP_KINDS.includes(k as never))).toEqual([]);
  });

  it('a kind it does not know has no rule, whatever its name', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'nothing', FEEDBACK_LINK_KIND]) expect(ruleFor(kind), kind).toBeNull();
    expect(Object.keys(WHO_IS_TOLD)).toEqual(IN_APP_KINDS);
  });

  it('worker messages go by SMS only; the feedback link is one', () => {
    expect(WORKER_MESSAGE_KINDS).toContain(FEEDBACK_LINK_KIND);
    expect(NOTE_KINDS.filter(isWorkerMessage)).toEqual([...WORKER_MESSAGE_KINDS]);
  });

  it('urgent and critical cases reach the department at once: case-rules\' URGENT_LEVELS', () => {
    expect(URGENCIES.filter((u) => URGENT_LEVELS.includes(u))).toEqual(['urgent', 'critical']);
  });
});
