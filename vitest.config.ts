import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Fault tests (terminated backends, refused connections, concurrent transactions) need a PostgreSQL
    // server: they join the suite when DATABASE_URL names one, as in .ci/run's second pass.
    include: ['test/**/*.test.ts'],
    exclude: process.env.DATABASE_URL ? [] : ['test/faults/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
