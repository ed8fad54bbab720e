/**
 * The server under test, in a process of its own so its memory is measured alone: opens the database,
 * seeds it and listens; on the embedded database, which only this process can open, it starts the
 * baseline beside it (on PostgreSQL bench/run.ts runs it in a process of its own). Talks to bench/run.ts over IPC:
 * `{ type: 'ready', ... }` once listening; answers `rss` with the peak RSS since the last `rss`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { bootstrap } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator.js';
import { limitHeapGrowth } from '../src/heap.js';
import { startBaseline, type RawQuery } from './baseline.js';
import { seedSpace } from './seed.js';
import { BENCH_TOKEN } from './token.js';

const RSS_SAMPLE_MS = 25;

async function main() {
  const entries = Number(process.env.BENCH_ENTRIES ?? 100_000);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-bench-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    BOOTSTRAP_ADMIN_TOKEN: BENCH_TOKEN,
    RATE_LIMIT_CMA_PER_SECOND: '0',
    RATE_LIMIT_CMA_PER_HOUR: '0',
    RATE_LIMIT_CDA_PER_SECOND: '0',
    LOG_LEVEL: 'silent',
  });
  // As src/server.ts starts the server.
  limitHeapGrowth(config.heapGrowingPercent);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await migrate(database);
  const app = await buildApp({ config, database, logger: pino({ level: 'silent' }) });
  await bootstrap(database, app.services);
  const actor = await app.services.accessTokens.authenticate(BENCH_TOKEN);
  const started = Date.now();
  const seeded = await seedSpace(app.services, actor, entries);
  const seedSeconds = (Date.now() - started) / 1000;
  await app.listen({ port: 0, host: '127.0.0.1' });

  const query: RawQuery = async (text, params) =>
    (await database.db.executeQuery(CompiledQuery.raw(text, params))).rows as Record<string, unknown>[];
  const baseline = config.databaseUrl ? undefined : await startBaseline(query);

  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), RSS_SAMPLE_MS);
  let profiler: Session | undefined;
  process.on('message', async (message: { type: string; file?: string }) => {
    if (message.type === 'profile-start') {
      // A CPU profile of the load alone (not the seeding), for `npm run bench -- --profile <scenario>`.
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      process.send!({ type: 'profile-started' });
    } else if (message.type === 'profile-stop' && profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      await fs.writeFile(message.file!, JSON.stringify(profile));
      profiler.disconnect();
      profiler = undefined;
      process.send!({ type: 'profile-stopped' });
    } else if (message.type === 'rss') {
      process.send!({ type: 'rss', peak: Math.max(peak, process.memoryUsage.rss()) });
      peak = process.memoryUsage.rss();
    } else if (message.type === 'stop') {
      clearInterval(sampler);
      await baseline?.close();
      // Image transforms the load left queued finish before their directory goes.
      const { pool: images } = app.services.images;
      while (images.running + images.queued > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await app.close();
      await database.close();
      await fs.rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
      process.exit(0);
    }
  });
  process.send!({
    type: 'ready',
    port: (app.server.address() as { port: number }).port,
    baselinePort: baseline?.port,
    database: database.kind,
    seedSeconds,
    seeded,
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
