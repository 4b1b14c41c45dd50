/**
 * The pages' API types (src/web/api/schema.ts) are generated from the served OpenAPI document.
 * This fails when they are stale; `npm run api:client` (UPDATE_API_CLIENT=1) rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { openApiToTypeScript } from '../../src/web/api/openapi-to-ts.js';

const SCHEMA_FILE = 'src/web/api/schema.ts';
let engine: TestEngine;
beforeAll(async () => { engine = await startTestEngine(); });
afterAll(async () => { await engine?.close(); });

it('the generated API types match the served OpenAPI document', async () => {
  const doc = (await engine.app.inject({ method: 'GET', url: '/docs/json' })).json();
  const generated = openApiToTypeScript(doc);
  if (process.env.UPDATE_API_CLIENT === '1') writeFileSync(SCHEMA_FILE, generated);
  const committed = readFileSync(SCHEMA_FILE, 'utf8');
  expect(committed === generated, `${SCHEMA_FILE} is stale: run npm run api:client`).toBe(true);
});
