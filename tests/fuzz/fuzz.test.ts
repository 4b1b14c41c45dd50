/** Issue 12: a small fuzz sample in the suite (about 20 requests per route and role mix); `npm run fuzz` runs hundreds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { fuzzRoutes } from './route-fuzz.js';
import { DEFAULT_SECURITY } from '../../src/config.js';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine({ security: { ...DEFAULT_SECURITY, limits: { failedAuthPerMinute: 20, registrationsPerMinute: 10_000, searchesPerMinute: 10_000 } } });
});
afterAll(async () => engine?.close());

describe('schema-based fuzzing of every route', () => {
  it('no answer of 500 or more, every answer as declared', async () => {
    const report = await fuzzRoutes(engine.app, { runsPerRoute: Number(process.env.FUZZ_RUNS ?? 20) });
    expect(report.failures).toEqual([]);
    expect(report.routes).toBeGreaterThan(30);
    expect(report.requests).toBeGreaterThan(report.routes * 10);
  }, 300_000);
});
