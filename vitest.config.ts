import { defineConfig } from 'vitest/config';

// One project per test lane; `npm test` runs them in turn (scripts/test.mjs), and each runs alone with
// `npm run test:<lane>`.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'workflow',
          include: ['tests/workflow/**/*.test.ts'],
          globalSetup: ['tests/support/setup-workflow.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts a JVM test server; two at once on two cores is what makes start-up flaky.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/setup-integration.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'postgres',
          include: ['tests/postgres/**/*.test.ts'],
          globalSetup: ['tests/support/setup-postgres.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
