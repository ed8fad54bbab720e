import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BUILT_WEB_APP_DIR } from '../../src/resources/web-app/routes.js';

const run = promisify(execFile);
const APP_SOURCES = path.resolve('app');
const BUILD_LOCK = path.join(os.tmpdir(), 'selfhosted-web-app-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * The built web app the server serves at /app/ (dist/app). CI builds it before the tests (`npm run build`);
 * a local run builds it here when it is missing or older than a file under app/.
 */
export async function ensureWebAppBuilt(): Promise<string> {
  const index = path.join(BUILT_WEB_APP_DIR, 'index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSource(APP_SOURCES)) return BUILT_WEB_APP_DIR;
  try {
    // One build at a time on the machine (test runs in parallel share dist/app).
    await run('flock', [BUILD_LOCK, 'npx', 'vite', 'build', '--config', 'app/vite.config.ts', '--logLevel', 'warn'], {
      timeout: 180_000,
      // The production build, as `npm run build` makes it (vitest sets NODE_ENV=test).
      env: { ...process.env, NODE_ENV: 'production', WEB_APP_KEEP_CHUNKS: '1' },
    });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`building the web app failed:\n${stdout}${stderr}`);
  }
  if (!fs.existsSync(index)) throw new Error(`the web app build did not produce ${index}`);
  return BUILT_WEB_APP_DIR;
}
