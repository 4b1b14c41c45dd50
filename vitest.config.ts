import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['tests/support/global-setup.ts'],
    // Integration files share one Postgres; each file works in its own schema.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
