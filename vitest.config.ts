import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vite would resolve `import 'graphql'` to graphql's ES module while graphql-jit requires its files
  // (`graphql/execution/execute.js`): two copies whose types do not know each other. Node, running the
  // built server, loads the CommonJS files for both; so do the tests.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // Fault tests (terminated backends, refused connections, concurrent transactions) need a PostgreSQL
    // server: they join the suite when DATABASE_URL names one, as in .ci/run's second pass.
    // The web app's component specs live beside it (app/test), on its own TypeScript settings.
    include: ['test/**/*.test.ts', 'app/test/**/*.test.ts'],
    // The web app's browser journeys test the app, not the database: they run on the embedded pass only,
    // which keeps .ci/run's two passes inside its time budget.
    exclude: process.env.DATABASE_URL ? ['test/browser/**'] : ['test/faults/**'],
    // One migrated database for the whole run, copied by each test file (test/helpers/database.ts).
    globalSetup: ['test/setup/databases.ts'],
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one on a 2-core machine. On PostgreSQL one file
    // at a time all the same: the sync and webhook horizon (pg_snapshot_xmin) is the whole server's, so a
    // transaction another file holds open (test/faults commits some late on purpose) hides new changes.
    maxWorkers: process.env.DATABASE_URL ? 1 : 2,
    // A worker runs file after file in one process, keeping what it loaded (PGlite's WebAssembly, Fastify,
    // the official clients): a third of the suite's time was loading them again for each file. Every file
    // still starts its own server on its own database, and none changes global state.
    isolate: false,
    // A browser journey takes 10-15 s alone and about twice that beside another test file on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
