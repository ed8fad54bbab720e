/**
 * Load scenarios: `npm run bench -- [--entries N] [--duration S] [--connections C] [--smoke]`.
 * Uses PostgreSQL when DATABASE_URL is set, an embedded database in a temporary directory otherwise.
 * Prints one table and writes the same as JSON to bench/results/<date>.json.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { bootstrap } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator.js';
import { seedSpace } from './seed.js';

const { values } = parseArgs({
  options: {
    entries: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});
const entries = Number(values.entries ?? (values.smoke ? 300 : 100_000));
const duration = Number(values.duration ?? (values.smoke ? 1 : 10));
const connections = Number(values.connections ?? 16);
const TOKEN = 'CFPAT-benchmark-token-0000000000000000000000';

interface Row {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-bench-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: TOKEN, RATE_LIMIT_CMA_PER_SECOND: '0', RATE_LIMIT_CMA_PER_HOUR: '0', RATE_LIMIT_CDA_PER_SECOND: '0', LOG_LEVEL: 'silent' });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
  await migrate(database);
  const app = await buildApp({ config, database, logger: pino({ level: 'silent' }) });
  const boot = await bootstrap(database, app.services);
  const actor = await app.services.accessTokens.authenticate(TOKEN);
  const started = Date.now();
  const seeded = await seedSpace(app.services, actor, entries);
  process.stderr.write(`seeded ${entries} entries in ${((Date.now() - started) / 1000).toFixed(1)} s (${database.kind})\n`);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${port}/spaces/${seeded.spaceId}/environments/master`;

  const scenarios: [string, string][] = [
    ['CMA equality filter (Symbol)', `${base}/entries?content_type=product&fields.sku=SKU-${Math.ceil(entries / 2)}`],
    ['CMA range filter + order', `${base}/entries?content_type=product&fields.price[gte]=500&fields.price[lt]=510&order=-fields.price&limit=100`],
    ['CMA full-text query=', `${base}/entries?query=foxtrot%20inside&limit=100`],
    ['CMA links_to_entry', `${base}/entries?links_to_entry=${seeded.hubEntryId}&limit=100`],
  ];
  const rows: Row[] = [];
  for (const [scenario, url] of scenarios) {
    const headers = { authorization: `Bearer ${TOKEN}` };
    await autocannon({ url, connections: 2, duration: 1, headers });
    const result = await autocannon({ url, connections, duration, headers });
    rows.push({
      scenario,
      requestsPerSecond: Math.round(result.requests.average),
      p50: result.latency.p50,
      p95: (result.latency as unknown as Record<string, number>).p97_5 ?? result.latency.p99,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    });
  }
  await app.close();
  await database.close();
  await fs.rm(dataDir, { recursive: true, force: true });

  const header = ['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'non-2xx'];
  const lines = rows.map((r) => [r.scenario, r.requestsPerSecond, r.p50, r.p95, r.p99, r.errors, r.non2xx].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`${format(header)}\n${lines.map(format).join('\n')}\n`);
  const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
  await fs.mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await fs.writeFile(file, JSON.stringify({ entries, duration, connections, database: database.kind, organizationId: boot.organizationId, rows }, null, 2));
  if (rows.some((r) => r.errors > 0 || r.non2xx > 0)) {
    process.stderr.write('some requests failed\n');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
