import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Three projects, each runnable alone (README "Tests"):
// - core: pure tests beside the code (src/, scripts/, web/src/) — no database, no global set-up;
// - int: integration suites in test/ — a migrated PGlite snapshot and PostgreSQL template made once;
// - e2e: browser journeys against a real server, after the others.
const CORE = ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'web/src/**/*.test.ts'];

export default defineConfig({
  test: {
    // Database suites start PGlite (WASM) and PostgreSQL; 2-core machines need room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: one file at a time on the 2-core machines
    // here, with the second core idle while a file waits on PostgreSQL, PGlite or a child process.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // .ci/run asks for a JSON report to print its "N passed, N failed" line (all projects, one report).
    // VITEST_FILE_TIMES: each file's time, for the slowest-files list (test/support/file-times-reporter.ts).
    reporters: [
      'default',
      ...(process.env.VITEST_JSON_REPORT ? ['json'] : []),
      ...(process.env.VITEST_FILE_TIMES ? ['./test/support/file-times-reporter.ts'] : []),
    ],
    outputFile: process.env.VITEST_JSON_REPORT ? { json: process.env.VITEST_JSON_REPORT } : undefined,
    projects: [
      {
        extends: true,
        test: { name: 'core', include: CORE },
      },
      {
        extends: true,
        test: {
          name: 'int',
          globalSetup: ['test/global-setup.ts'],
          include: ['test/**/*.test.ts'],
        },
      },
      {
        // Browser journeys through the built web app against a real server (e2e/README.md), after the
        // core and integration suites: one server per file, files one at a time.
        extends: true,
        test: {
          name: 'e2e',
          globalSetup: ['e2e/global-setup.ts'],
          include: ['e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
