/**
 * Builders that set up what a test needs through the public API, as an integrator would:
 * a district (orgs, users, routing, SLA policies) and cases driven to a given point.
 */
import type { App } from '../../src/http/app.js';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN_TOKEN, startTestEngine, type TestEngine } from './harness.js';

/** An answer: its body parsed when it is JSON, and its text as sent (NDJSON, CSV…). */
export interface Answer<T = any> { status: number; body: T; headers: Record<string, unknown>; text: string }

export function client(app: App, token: string) {
  const call = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await app.inject({
      method: method as 'GET', url, payload: payload as object,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
    const json = /json(?!\w)/.test(String(res.headers['content-type'] ?? '')) && !/ndjson/.test(String(res.headers['content-type']));
    return { status: res.statusCode, body: res.body ? (json ? JSON.parse(res.body) : res.body) : null, headers: res.headers, text: res.body };
  };
  return {
    token,
    get: (url: string) => call('GET', url),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => call('POST', url, body, headers),
    put: (url: string, body: unknown) => call('PUT', url, body),
    /** Sends an action with the case's current version. */
    act: async (caseId: string, body: Record<string, unknown>) => {
      const current = await call('GET', `/api/v1/cases/${caseId}`);
      return call('POST', `/api/v1/cases/${caseId}/actions`, body, { 'if-match': String(current.body.version) });
    },
  };
}
export type Client = ReturnType<typeof client>;

export type StepAmount = { amount: number; unit: 'working_days' | 'working_hours' | 'hours' | 'minutes' | 'seconds' };

/** SLA policies for every step, all the same duration (seconds for deadline tests). */
export function uniformSla(d: StepAmount) {
  return ['l1_forward', 'l2_accept', 'l2_resolve', 'l3_accept', 'l3_resolve', 'feedback'].map((step) => ({ step, ...d }));
}

export async function aDistrict(app: App, sla: StepAmount = { amount: 5, unit: 'working_days' }) {
  const admin = client(app, ADMIN_TOKEN);
  const org = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/orgs', body);
    if (res.status !== 201) throw new Error(`org: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const user = async (name: string, orgId: string, role: string) => {
    const res = await admin.post('/api/v1/users', { name, orgId, role });
    if (res.status !== 201) throw new Error(`user: ${res.status} ${JSON.stringify(res.body)}`);
    return client(app, res.body.token);
  };
  const orgs = {
    branch: await org({ name: '第一支部', type: 'branch', areas: ['朝阳街道'] }),
    otherBranch: await org({ name: '第二支部', type: 'branch' }),
    meituan: await org({ name: '美团平台党委', type: 'platform', platform: '美团' }),
    eleme: await org({ name: '饿了么平台党委', type: 'platform', platform: '饿了么' }),
    market: await org({ name: '市场监管局', type: 'department', sectors: ['delivery'] }),
    hr: await org({ name: '人社局', type: 'department', sectors: ['delivery', 'courier'] }),
    convener: await org({ name: '社会工作部', type: 'convener' }),
    mediation: await org({ name: '区劳动争议调解中心', type: 'mediation', services: ['mediation', 'legal_aid'] }),
    union: await org({ name: '区联合工会', type: 'union' }),
  };
  const people = {
    liaison: await user('李联络', orgs.branch, 'liaison'),
    otherLiaison: await user('王联络', orgs.otherBranch, 'liaison'),
    meituan: await user('美团专员', orgs.meituan, 'committee'),
    eleme: await user('饿了么专员', orgs.eleme, 'committee'),
    market: await user('市场监管督办员', orgs.market, 'officer'),
    hr: await user('人社督办员', orgs.hr, 'officer'),
    convener: await user('协调员', orgs.convener, 'convener'),
    mediator: await user('调解员', orgs.mediation, 'mediator'),
    unionist: await user('工会干部', orgs.union, 'mediator'),
    callback: await user('回访员', orgs.convener, 'callback'),
    admin,
  };
  const rules = await admin.put('/api/v1/routing-rules', [
    { step: 'forward', match: { platform: '美团' }, toOrgId: orgs.meituan },
    { step: 'forward', match: { platform: '饿了么' }, toOrgId: orgs.eleme },
    { step: 'hand_off', match: { category: 'PAY' }, toOrgId: orgs.hr },
    { step: 'hand_off', match: { workerType: 'delivery' }, toOrgId: orgs.market },
  ]);
  if (rules.status !== 200) throw new Error(`rules: ${JSON.stringify(rules.body)}`);
  const policies = await admin.put('/api/v1/sla-policies', uniformSla(sla));
  if (policies.status !== 200) throw new Error(`sla: ${JSON.stringify(policies.body)}`);
  return { orgs, ...people };
}
export type District = Awaited<ReturnType<typeof aDistrict>>;

/**
 * The usual set-up of a test file: an engine and a district, started before its tests and closed
 * after them. `const file = districtPerFile();` then `file.d.liaison`, `file.engine.runtime`.
 */
export function districtPerFile(): { engine: TestEngine; d: District } {
  const file = {} as { engine: TestEngine; d: District };
  beforeAll(async () => {
    file.engine = await startTestEngine(process.env.TEST_LOG ? { logTo: process.stderr } : {});
    file.d = await aDistrict(file.engine.app);
  });
  afterAll(async () => file.engine?.close());
  return file;
}

export function aGrievance(overrides: Record<string, unknown> = {}) {
  return {
    worker: { name: '张三', phone: '13812341234', workerType: 'delivery', platforms: ['美团', '饿了么'] },
    channel: 'station', category: 'DED', description: '暴雨天配送超时被扣款', platform: '美团', area: '朝阳街道',
    urgency: 'normal', ...overrides,
  };
}

/** Registers a grievance and drives it through the given actions, each by the named person. */
export async function aCase(d: District, steps: [keyof Omit<District, 'orgs'>, Record<string, unknown>][] = [], grievance = aGrievance()) {
  const created = await d.liaison.post('/api/v1/cases', grievance);
  if (created.status !== 201) throw new Error(`register: ${created.status} ${JSON.stringify(created.body)}`);
  let current = created.body;
  for (const [who, body] of steps) {
    const res = await (d[who] as Client).act(current.id, body);
    if (res.status !== 200) throw new Error(`${String(who)} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
    current = res.body;
  }
  return current;
}
