/**
 * Issue 27: CDA throughput with one and with two server processes on one PostgreSQL database, on the same
 * machine. `npm run bench:cluster -- [--entries N] [--duration S] [--connections C]` (needs DATABASE_URL; it
 * works in a scratch database it creates and drops). The first process seeds (bench/serve.ts); the second
 * is a plain `src/server.ts` on the same database. With two processes the connections are split between
 * them and the requests/s of both load generators are added.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import type { SeededSpace } from './seed.js';

const { values } = parseArgs({
  options: { entries: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' } },
});
const entries = Number(values.entries ?? 10_000);
const duration = Number(values.duration ?? 5);
const connections = Number(values.connections ?? 16);
const here = path.dirname(new URL(import.meta.url).pathname);

async function scratch(base: string) {
  const name = `bench_cluster_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

function seededServer(databaseUrl: string): Promise<{ child: ChildProcess; port: number; seeded: SeededSpace }> {
  const child = fork(path.join(here, 'serve.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_ENTRIES: String(entries) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the seeding server exited with ${code}`)));
    child.once('message', (m: { port: number; seeded: SeededSpace }) => resolve({ child, port: m.port, seeded: m.seeded }));
  });
}

/** A second server process on the same database, as an operator starts one (`npm start` without the build). */
async function plainServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '..', 'src', 'server.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // As the seeding server runs: the bench measures the engine, not the limits.
      RATE_LIMIT_CMA_PER_SECOND: '0',
      RATE_LIMIT_CMA_PER_HOUR: '0',
      RATE_LIMIT_CDA_PER_SECOND: '0',
      DATA_DIR: `/tmp/cf-bench-cluster-${port}`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let attempt = 0; attempt < 600; attempt++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('the second server did not start');
}

async function measure(urls: string[], headers: Record<string, string>) {
  const share = Math.max(1, Math.floor(connections / urls.length));
  await Promise.all(urls.map((url) => autocannon({ url, headers, connections: share, duration: 1 })));
  const results = await Promise.all(urls.map((url) => autocannon({ url, headers, connections: share, duration })));
  const errors = results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0);
  if (errors)
    process.stderr.write(
      `errors: ${JSON.stringify(results.map((r) => ({ url: r.url, errors: r.errors, timeouts: r.timeouts, codes: r.statusCodeStats })))}\n`,
    );
  const rps = results.reduce((sum, r) => sum + r.requests.average, 0);
  const p95 = Math.max(...results.map((r) => (r.latency as unknown as Record<string, number>).p97_5));
  return { rps: Math.round(rps), p95, errors };
}

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('bench:cluster needs DATABASE_URL (PostgreSQL)');
  const database = await scratch(base);
  const children: ChildProcess[] = [];
  try {
    const first = await seededServer(database.url);
    children.push(first.child);
    const secondPort = 20_000 + Math.floor(Math.random() * 20_000);
    children.push(await plainServer(database.url, secondPort));
    const headers = { authorization: `Bearer ${first.seeded.deliveryToken}`, 'cache-control': 'no-cache' };
    const cdn = (port: number, rest: string) => `http://127.0.0.1:${port}/cdn/spaces/${first.seeded.spaceId}/environments/master${rest}`;
    const scenarios = [
      ['CDA single entry, computed (no-cache)', `/entries/${first.seeded.hubEntryId}`],
      [
        'CDA collection (limit 100, include 2, de-DE), computed (no-cache)',
        '/entries?content_type=article&limit=100&include=2&locale=de-DE',
      ],
    ] as const;
    const rows: string[] = [];
    for (const [name, rest] of scenarios) {
      const one = await measure([cdn(first.port, rest)], headers);
      const two = await measure([cdn(first.port, rest), cdn(secondPort, rest)], headers);
      rows.push(
        `| ${name} | ${one.rps} (p95 ${one.p95} ms) | ${two.rps} (p95 ${two.p95} ms) | ${(two.rps / one.rps).toFixed(2)} | ${one.errors + two.errors} |`,
      );
    }
    process.stdout.write(
      [
        `${entries} entries, ${connections} connections, ${duration} s per run, PostgreSQL`,
        '| scenario | one process (req/s) | two processes (req/s) | ratio | errors |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    const [seeding, ...others] = children;
    for (const child of others) child.kill('SIGTERM');
    if (seeding) {
      seeding.send({ type: 'stop' });
      await new Promise((resolve) => seeding.once('exit', resolve));
    }
    await Promise.all(others.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    await database.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
