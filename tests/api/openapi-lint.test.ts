/**
 * Issue 12: the served OpenAPI document passes `redocly lint` with the recommended rules, so
 * integrators can generate clients; action bodies and download types are described.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { USER_ACTIONS } from '../../workflows/case-machine.js';

let engine: TestEngine;
let doc: any;
beforeAll(async () => {
  engine = await startTestEngine();
  doc = JSON.parse((await engine.app.inject({ method: 'GET', url: '/docs/json' })).body);
});
afterAll(async () => engine?.close());

describe('the served OpenAPI document', () => {
  it('passes redocly lint (recommended rules): no error, no warning but the two accepted ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(doc));
      const bin = path.resolve('node_modules/.bin/redocly');
      const run = await promisify(execFile)(bin, ['lint', '--extends', 'recommended', '--format', 'json', file], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 20e6 })
        .then((r) => ({ code: 0, out: r.stdout }), (err) => ({ code: err.code as number, out: String(err.stdout) }));
      const problems = (JSON.parse(run.out).problems as { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[])
        .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)
        // Accepted: the private project has no licence URL; the probes have no 4xx answer.
        .filter((p) => !p.startsWith('warn info-license-strict') && !/warn operation-4xx-response.*~1(healthz|readyz)\/get/.test(p));
      expect(problems).toEqual([]);
      expect(run.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('describes each action\'s body and the download types', () => {
    const body = doc.paths['/api/v1/cases/{id}/actions'].post.requestBody.content['application/json'].schema;
    expect(body.oneOf).toHaveLength(USER_ACTIONS.length);
    expect(body.oneOf).toContainEqual({ $ref: '#/components/schemas/action_supervise' });
    expect(body.discriminator.propertyName).toBe('action');
    const download = doc.paths['/api/v1/meetings/{id}/export'].get.responses['200'].content;
    expect(Object.keys(download)).toEqual(expect.arrayContaining(['text/csv', 'text/markdown', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']));
    for (const [p, verbs] of Object.entries<Record<string, { operationId?: string; summary?: string }>>(doc.paths)) {
      for (const [verb, op] of Object.entries(verbs)) {
        expect(op.operationId, `${verb} ${p}`).toBeTruthy();
        expect(op.summary, `${verb} ${p}`).toBeTruthy();
      }
    }
  });
});
