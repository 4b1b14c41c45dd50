import { describe, expect, it } from 'vitest';
import { pickRoute, type RoutingRule } from '../../src/routing/routing-rules.js';
import { DEFAULT_SLA_POLICIES, pickPolicy } from '../../src/deadlines/sla-policies.js';

describe('routing: the most specific matching rule wins', () => {
  const rules: RoutingRule[] = [
    { step: 'hand_off', match: {}, toOrgId: 'fallback' },
    { step: 'hand_off', match: { workerType: 'delivery' }, toOrgId: 'market' },
    { step: 'hand_off', match: { category: 'PAY' }, toOrgId: 'hr' },
    { step: 'hand_off', match: { category: 'ACS', area: '朝阳街道' }, toOrgId: 'chaoyang' },
    { step: 'forward', match: { platform: '美团' }, toOrgId: 'meituan' },
  ];
  const subject = { platform: '美团', workerType: 'delivery', category: 'DED', area: '朝阳街道' };

  it('picks by specificity, then by order', () => {
    expect(pickRoute(rules, 'hand_off', subject)).toBe('market');
    expect(pickRoute(rules, 'hand_off', { ...subject, category: 'PAY' })).toBe('market'); // tie: the earlier rule
    expect(pickRoute(rules, 'hand_off', { ...subject, category: 'ACS' })).toBe('chaoyang');
    expect(pickRoute(rules, 'hand_off', { ...subject, workerType: 'courier' })).toBe('fallback');
    expect(pickRoute(rules, 'forward', subject)).toBe('meituan');
  });

  it('no match is null (the action then answers 422)', () => {
    expect(pickRoute(rules, 'forward', { ...subject, platform: '顺丰' })).toBeNull();
  });
});

describe('SLA policies: category and urgency beat either alone', () => {
  const policies = [
    ...DEFAULT_SLA_POLICIES,
    { step: 'l2_resolve' as const, category: 'SAF', amount: 3, unit: 'working_days' as const },
    { step: 'l2_resolve' as const, category: 'SAF', urgency: 'critical' as const, amount: 1, unit: 'hours' as const },
  ];
  it('resolves per case', () => {
    expect(pickPolicy(policies, 'l2_resolve', 'DED', 'normal')).toMatchObject({ amount: 5, unit: 'working_days' });
    expect(pickPolicy(policies, 'l2_resolve', 'SAF', 'normal')).toMatchObject({ amount: 3, unit: 'working_days' });
    expect(pickPolicy(policies, 'l2_resolve', 'SAF', 'critical')).toMatchObject({ amount: 1, unit: 'hours' });
    expect(pickPolicy(policies, 'l2_resolve', 'DED', 'critical')).toMatchObject({ amount: 2, unit: 'hours' });
    expect(pickPolicy(policies, 'feedback', 'DED', 'critical')).toMatchObject({ amount: 3, unit: 'working_days' });
    expect(pickPolicy([], 'feedback', 'DED', 'normal')).toBeNull();
  });
});
