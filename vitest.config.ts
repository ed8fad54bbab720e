import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fault tests (terminated backends, refused connections, concurrent transactions) need a PostgreSQL
    // server: they join the suite when DATABASE_URL names one, as in .ci/run's second pass.
    include: ['test/**/*.test.ts'],
    exclude: process.env.DATABASE_URL ? [] : ['test/faults/**'],
    // One migrated database for the whole run, copied by each test file (test/helpers/database.ts).
    globalSetup: ['test/setup/databases.ts'],
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
