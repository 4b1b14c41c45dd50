/**
 * Admin validation reads the case rules: which units a routing rule may name (ROUTING_TARGET_TYPES),
 * which unit types may have users of a role (from ORG_TYPE_LEVEL and HOLDER_ROLE), which steps a
 * policy may be written for (POLICY_STEPS). Every org type and role is tried; a refusal is a 400
 * naming the field, never a 500.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { districtPerFile } from '../support/builders.js';
import {
  CLOCKS, DEADLINE_STEPS, ORG_TYPES, POLICY_STEPS, ROLES, ROUTING_STEPS, ROUTING_TARGET_TYPES, type OrgType,
} from '../../workflows/case-rules.js';
import { DEFAULT_SLA_POLICIES, HOLDER_POLICY_STEPS } from '../../src/deadlines/sla-policies.js';
import { ROLE_ORG_TYPES } from '../../src/orgs/org-store.js';

const file = districtPerFile();
const unitOf = {} as Record<OrgType, string>;

beforeAll(async () => {
  const { d } = file;
  const street = await d.admin.post('/api/v1/orgs', { name: '朝阳街道办事处', type: 'territorial', areas: ['朝阳街道'] });
  const hotline = await d.admin.post('/api/v1/orgs', { name: '12345 热线', type: 'hotline', defaultBranchId: d.orgs.branch });
  Object.assign(unitOf, {
    branch: d.orgs.branch, platform: d.orgs.meituan, department: d.orgs.market, convener: d.orgs.convener, territorial: street.body.id,
    union: d.orgs.union, mediation: d.orgs.mediation, hotline: hotline.body.id,
  });
});

describe('routing rules name only the units ROUTING_TARGET_TYPES allows for their step', () => {
  it.each(ROUTING_STEPS)('%s', async (step) => {
    const { d } = file;
    const before = (await d.admin.get('/api/v1/routing-rules')).body;
    for (const type of ORG_TYPES) {
      const res = await d.admin.put('/api/v1/routing-rules', [{ step, match: { platform: '测试' }, toOrgId: unitOf[type] }]);
      const allowed = (ROUTING_TARGET_TYPES[step] as readonly OrgType[]).includes(type);
      expect([type, res.status]).toEqual([type, allowed ? 200 : 400]);
      if (!allowed) expect(res.body.message).toContain('body[0].toOrgId');
    }
    expect((await d.admin.put('/api/v1/routing-rules', before)).status).toBe(200);
  });
});

describe('users belong to units whose type holds cases for their role', () => {
  it('the table: liaisons in branches, committees in platform committees and street offices, officers in departments, conveners in the convener\'s unit, mediators in unions and mediation units, call-back users at the convener\'s office or a branch, hotline operators in hotlines', () => {
    expect(ROLE_ORG_TYPES).toEqual({
      liaison: ['branch'], committee: ['platform', 'territorial'], officer: ['department'], convener: ['convener'], mediator: ['union', 'mediation'],
      callback: ['convener', 'branch'], hotline: ['hotline'],
    });
  });

  it('every role in every unit type: 201 where the table allows, else 400 naming orgId', async () => {
    const { d } = file;
    for (const role of ROLES) {
      for (const type of ORG_TYPES) {
        const res = await d.admin.post('/api/v1/users', { name: `${role}@${type}`, orgId: unitOf[type], role });
        const allowed = role === 'admin' || (ROLE_ORG_TYPES[role] as OrgType[]).includes(type);
        expect([role, type, res.status]).toEqual([role, type, allowed ? 201 : 400]);
        if (!allowed) expect(res.body.message).toContain('orgId');
      }
    }
  });
});

describe('SLA policies are written for POLICY_STEPS', () => {
  it('every step of the table is accepted, and a clock whose length is not a policy\'s is refused naming the step', async () => {
    const { d } = file;
    const before = (await d.admin.get('/api/v1/sla-policies')).body;
    const all = await d.admin.put('/api/v1/sla-policies', POLICY_STEPS.map((step) => ({ step, amount: 2, unit: 'working_days' })));
    expect(all.status).toBe(200);
    for (const step of DEADLINE_STEPS.filter((s) => CLOCKS[s].length !== 'policy')) {
      const refused = await d.admin.put('/api/v1/sla-policies', [{ step, amount: 1, unit: 'hours' }]);
      expect([step, refused.status]).toEqual([step, 400]);
      expect(refused.body.message).toContain('step');
    }
    expect((await d.admin.put('/api/v1/sla-policies', before)).status).toBe(200);
  });

  it('the OpenAPI document lists the table\'s steps, unit types and routing steps', async () => {
    const doc = (await file.engine.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const text = JSON.stringify(doc);
    expect(text).toContain(JSON.stringify([...POLICY_STEPS]));
    expect(text).toContain(JSON.stringify([...ORG_TYPES]));
    expect(text).toContain(JSON.stringify([...ROUTING_STEPS]));
  });

  it('each step has a catch-all default; urgent and critical defaults cover the holder\'s policy clocks', () => {
    const catchAll = DEFAULT_SLA_POLICIES.filter((p) => !p.category && !p.urgency).map((p) => p.step);
    expect([...catchAll].sort()).toEqual([...POLICY_STEPS].sort());
    expect(HOLDER_POLICY_STEPS).toEqual(['l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve']);
    for (const urgency of ['urgent', 'critical'] as const) {
      expect(DEFAULT_SLA_POLICIES.filter((p) => p.urgency === urgency).map((p) => p.step)).toEqual(HOLDER_POLICY_STEPS);
    }
  });
});
