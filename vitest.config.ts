import { defineConfig } from 'vitest/config';

// One project per test lane; `npm test` runs them in turn (scripts/test.mjs), and each runs alone with
// `npm run test:<lane>`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          // Pure code: no database, no server, no socket, no child process (the fence throws, naming the lane to
          // use). Seconds of work; the timeout only keeps a busy machine from failing a fuzz run. Pure files share
          // one module cache (not isolated): each import is loaded once, not once per file, which halves the lane
          // on two cores. A unit test that leaves a mock behind (no vi.restoreAllMocks) is not pure.
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          setupFiles: ['tests/support/unit-fence.ts'],
          isolate: false,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          // Real parts without Temporal: PGlite in memory (opened once per file), SMTP and HTTP(S) servers on
          // 127.0.0.1, the CLI and the server as child processes. Sized for a loaded 2-core machine.
          name: 'component',
          include: ['tests/component/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
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
          // The editor in Chromium (playwright-core) against the real stack, which the integration setup starts.
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Faults on the real product: `npm start` killed -9 mid-burst, Temporal stopped, an SMTP relay refusing.
          // Each file starts its own processes (no shared stack: the tests kill them).
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          testTimeout: 15 * 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // schemathesis against the real stack's OpenAPI document (tests/fuzz): a few minutes, loopback only.
          name: 'fuzz',
          include: ['tests/fuzz/**/*.test.ts'],
          setupFiles: ['tests/fuzz/loopback-fence.ts'],
          testTimeout: 10 * 60_000,
          hookTimeout: 180_000,
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
