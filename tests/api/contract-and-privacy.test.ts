import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { aCase, aDistrict, aGrievance, type District } from '../support/builders.js';
import { eventually } from '../support/processes.js';

let engine: TestEngine;
let d: District;
let logs = '';

beforeAll(async () => {
  const stream = new PassThrough();
  stream.on('data', (chunk) => { logs += chunk; });
  engine = await startTestEngine({ runWorkers: true, outboxIntervalMs: 300, logTo: stream });
  d = await aDistrict(engine.app);
});
afterAll(async () => engine?.close());

describe('the served OpenAPI document describes the whole contract', () => {
  it('has every path and verb of API.md, with their answers', async () => {
    const res = await engine.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    const expected: [string, string, string[]][] = [
      ['/api/v1/orgs', 'post', ['201', '400', '401', '403']], ['/api/v1/users', 'post', ['201', '400']],
      ['/api/v1/routing-rules', 'get', ['200']], ['/api/v1/routing-rules', 'put', ['200', '400']],
      ['/api/v1/sla-policies', 'get', ['200']], ['/api/v1/sla-policies', 'put', ['200', '400']],
      ['/api/v1/cases', 'post', ['201', '400', '401', '403', '422']], ['/api/v1/cases', 'get', ['200']],
      ['/api/v1/cases/{id}', 'get', ['200', '404']], ['/api/v1/cases/{id}/actions', 'post', ['200', '400', '404', '409', '422']],
      ['/api/v1/cases/{id}/events', 'get', ['200', '404']], ['/api/v1/oversight', 'get', ['200']], ['/api/v1/metrics', 'get', ['200']],
      ['/api/v1/meetings', 'post', ['201']], ['/api/v1/meetings/{id}/export', 'get', ['200']],
      ['/healthz', 'get', ['200']], ['/readyz', 'get', ['200', '503']],
      ['/api/v1/cases/{id}/attachments', 'post', ['201', '400', '404', '413', '415']], ['/api/v1/cases/{id}/attachments', 'get', ['200', '404']],
      ['/api/v1/attachments/{id}', 'get', ['200', '404']],
      ['/api/v1/public/cases/{reference}', 'get', ['200', '404', '429']],
      ['/api/v1/public/feedback/{token}', 'get', ['200', '404', '410']], ['/api/v1/public/feedback/{token}', 'post', ['200', '404', '410', '422']],
      ['/api/v1/catalogue', 'get', ['200', '401']], ['/api/v1/catalogue', 'put', ['200', '400', '401', '403', '409']],
      ['/api/v1/notifications', 'get', ['200', '401']], ['/api/v1/notifications/{id}/read', 'post', ['204', '404']],
      ['/api/v1/stream', 'get', ['200', '401']], ['/api/v1/orgs/{id}/channels', 'put', ['200', '400', '403', '404']],
      ['/api/v1/deliveries', 'get', ['200', '403']], ['/api/v1/queues', 'get', ['200', '401', '403', '503']],
    ];
    for (const [path, verb, statuses] of expected) {
      expect(doc.paths[path]?.[verb], `${verb} ${path}`).toBeDefined();
      expect(Object.keys(doc.paths[path][verb].responses)).toEqual(expect.arrayContaining(statuses));
    }
    expect(doc.info.description).toContain('`department_handling`');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining([
      'action_forward', 'action_supervise', 'action_assign_lead', 'action_reclassify', 'action_add_cohandler', 'action_contribute', 'action_human_review',
    ]));
  });
});

describe('personal data never reaches the logs', () => {
  it('not on registration, actions, notifications, errors or reads', async () => {
    const c = await aCase(d, [['liaison', { action: 'forward' }], ['meituan', { action: 'accept' }], ['meituan', { action: 'hand_off', reason: '移交' }]],
      aGrievance({ worker: { name: '王小明', phone: '13987654321', workerType: 'delivery', platforms: ['美团'] } }));
    await d.liaison.get(`/api/v1/cases/${c.id}`);
    await d.liaison.post('/api/v1/cases', aGrievance({ worker: { name: '王小明', phone: 'not-a-phone', workerType: 'delivery', platforms: ['美团'] } }));
    await eventually(async () => logs.includes('"notification":"case_arrived"'), 10_000, 'the notification log lines');
    expect(logs).toContain('"url":"/api/v1/cases"');
    expect(logs).not.toContain('13987654321');
    expect(logs).not.toContain('王小明');
    expect(logs).not.toContain(d.liaison.token);
  });
});
