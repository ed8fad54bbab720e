import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN } from './server.js';
import { waitFor } from './wait.js';

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Every log line the process wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The exit code once the process ended (null while it runs). */
  exitCode(): number | null;
  exited: Promise<number | null>;
  /** Resolves once the server listens (setting `baseUrl`); rejects if the process exits first. */
  listening(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the server as an operator does (`src/server.ts` in a process of its own) on `databaseUrl`, and
 * resolves once it listens (or rejects if it exits first). `waitForListening: false` resolves at once.
 */
export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: { waitForListening?: boolean } = {},
): Promise<ServerProcess> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-proc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      RATE_LIMIT_CMA_PER_SECOND: '0',
      RATE_LIMIT_CMA_PER_HOUR: '0',
      RATE_LIMIT_CDA_PER_SECOND: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log line (the bootstrap token banner).
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let code: number | null = null;
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (c) => {
      code = c;
      ended = true;
      resolve(c);
    }),
  );
  const process_: ServerProcess = {
    child,
    baseUrl: '',
    logs,
    exitCode: () => code,
    exited,
    async listening() {
      const line = await waitFor(
        'the server process to listen',
        () => {
          if (ended) throw new Error(`the server process exited with ${code}: ${stderr}`);
          return logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('listening on')) as { address?: string } | undefined;
        },
        60_000,
      );
      process_.baseUrl = String(line.address);
    },
    async stop() {
      if (!ended) {
        child.kill('SIGTERM');
        await exited;
      }
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  if (options.waitForListening !== false) await process_.listening();
  return process_;
}
