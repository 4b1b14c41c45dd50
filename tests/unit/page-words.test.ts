/**
 * The pages name every value the rules have (their maps are keyed by the API's unions, so typecheck
 * holds them too): states, actions and their fields, steps, unit types, roles, agenda reasons.
 */
import { describe, expect, it } from 'vitest';
import { USER_ACTIONS } from '../../workflows/case-machine.js';
import { DEADLINE_STEPS, LEVELS, ORG_TYPES, POLICY_STEPS, ROLES, STATES, URGENCIES } from '../../workflows/case-rules.js';
import { ACTIONS, ENUMS, STATES as STATE_WORDS, tAction, tState } from '../../src/web/i18n.js';
import { actionBody, fieldsOf } from '../../src/web/pages/case/action-specs.js';
import { ACTION_SCHEMAS } from '../../src/cases/case-types.js';

const sorted = (values: Iterable<string>) => [...values].sort();

describe('page words', () => {
  it('every state, action, step, level, unit type, role and urgency has a name', () => {
    expect(sorted(Object.keys(STATE_WORDS))).toEqual(sorted(STATES));
    expect(sorted(Object.keys(ACTIONS))).toEqual(sorted(USER_ACTIONS));
    expect(sorted(Object.keys(ENUMS.step))).toEqual(sorted(new Set([...DEADLINE_STEPS, ...POLICY_STEPS])));
    expect(sorted(Object.keys(ENUMS.level))).toEqual(sorted(LEVELS));
    expect(sorted(Object.keys(ENUMS.orgType))).toEqual(sorted(ORG_TYPES));
    expect(sorted(Object.keys(ENUMS.role))).toEqual(sorted(ROLES));
    expect(sorted(Object.keys(ENUMS.urgency))).toEqual(sorted(URGENCIES));
  });

  it('a code no table names is shown as it is, an inherited key too', () => {
    expect(tState('constructor')).toBe('constructor');
    expect(tAction('toString')).toBe('toString');
  });

  it('each action\'s form sends only the fields its body schema has', () => {
    for (const action of USER_ACTIONS) {
      const fields = fieldsOf(action).map((f) => f.name);
      const schema = ACTION_SCHEMAS[action] as unknown as { properties: Record<string, unknown> };
      for (const name of fields) expect(Object.keys(schema.properties), `${action}.${name}`).toContain(name);
      expect(Object.keys(actionBody(action, Object.fromEntries(fields.map((f) => [f, '1']))))).toEqual(['action', ...fields]);
    }
  });
});
