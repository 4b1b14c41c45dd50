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

describe('routing a territorial case (以块为主): street offices for cases without a platform, committees for the rest', () => {
  const rules: RoutingRule[] = [
    { step: 'forward', match: { area: '望京街道' }, toOrgId: 'wangjing', toOrgType: 'territorial' },
    { step: 'forward', match: { category: 'LIV', area: '望京街道' }, toOrgId: 'jiuxianqiao', toOrgType: 'territorial' },
    { step: 'forward', match: {}, toOrgId: 'meituan', toOrgType: 'platform' },
  ];
  const territorial = { platform: null, workerType: 'delivery', category: 'FAC', area: '望京街道' };

  it('a case without a platform goes only to a street office, the most specific rule first', () => {
    expect(pickRoute(rules, 'forward', territorial)).toBe('wangjing');
    expect(pickRoute(rules, 'forward', { ...territorial, category: 'LIV' })).toBe('jiuxianqiao');
    expect(pickRoute(rules, 'forward', { ...territorial, area: '火星' })).toBeNull();
  });

  it('a case with a platform never goes to a street office by an area rule', () => {
    expect(pickRoute(rules, 'forward', { ...territorial, platform: '美团', category: 'DED' })).toBe('meituan');
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
