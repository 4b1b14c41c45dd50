/**
 * `npm run fuzz`: a few hundred generated requests per route (FUZZ_RUNS, default 300; FUZZ_SEED to
 * replay), against a fresh test database. Prints the answers by status; exits 1 on any failure.
 */
import { createTemplateDatabase } from '../support/global-setup.js';
import { startTestEngine } from '../support/harness.js';
import { DEFAULT_SECURITY } from '../../src/config.js';
import { fuzzRoutes } from './route-fuzz.js';

async function main() {
  await createTemplateDatabase();
  const engine = await startTestEngine({ security: { ...DEFAULT_SECURITY, limits: { failedAuthPerMinute: 20, registrationsPerMinute: 100_000, searchesPerMinute: 100_000 } } });
  const started = Date.now();
  try {
    const report = await fuzzRoutes(engine.app, {
      runsPerRoute: Number(process.env.FUZZ_RUNS ?? 300), seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
    process.stdout.write(`\n${report.requests} requests over ${report.routes} operations in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`answers by status: ${JSON.stringify(report.byStatus)}\n`);
    for (const failure of report.failures) process.stdout.write(`FAIL ${failure}\n`);
    process.exitCode = report.failures.length > 0 ? 1 : 0;
  } finally {
    await engine.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
