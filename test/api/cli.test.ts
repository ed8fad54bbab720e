import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandScopes } from '../../src/auth/actor.js';
import { runCommand } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';
import { createServices } from '../../src/services.js';

const run = promisify(execFile);
let dataDir: string;

const CLI_ENV = () => ({ ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

/** The operator CLI, run in this process, on an embedded database in its own data directory; fails unless it exits 0. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(args, CLI_ENV(), {
    stdout: { write: (text) => (stdout += text) },
    stderr: { write: (text) => (stderr += text) },
  });
  if (code !== 0) throw new Error(`the CLI exited with ${code}: ${stderr}`);
  return JSON.parse(stdout) as Record<string, unknown> & { sys: { id: string } };
}

const SHEBANG = '#!/usr/bin/env node\n';

/**
 * The built file package.json's `bin` names (what the Docker image puts on PATH). CI builds before testing;
 * when the build is missing or predates the bin entry, it is built here.
 */
async function builtBin(): Promise<{ name: string; file: string }> {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { bin?: Record<string, string> };
  const [name, target] = Object.entries(pkg.bin ?? {})[0] ?? [];
  if (!name || !target) throw new Error('package.json has no "bin" entry for the operator CLI');
  const file = path.resolve(target);
  const built = () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').startsWith(SHEBANG);
  if (!built()) {
    try {
      await run('npm', ['run', 'build'], { timeout: 240_000 });
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      throw new Error(`${target} is missing and \`npm run build\` failed:\n${stdout}${stderr}`);
    }
  }
  if (!built()) throw new Error(`\`npm run build\` did not produce ${target} starting with ${JSON.stringify(SHEBANG)}`);
  return { name, file };
}

/** Opens the same data directory in this process (only while the CLI is not running: PGlite is single-process). */
async function withServices<T>(work: (services: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const database = await openDatabase({ dataDir });
  try {
    await migrate(database);
    return await work(createServices(database, config, pino({ level: 'silent' })));
  } finally {
    await database.close();
  }
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-cli-data-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('operator CLI', () => {
  // Seven CLI runs, each opening the database as a process of its own would: slow on a busy machine.
  it('creates users and tokens, and accepts invitations, activating the user and printing their first token', {
    timeout: 90_000,
  }, async () => {
    const organizationId = await withServices(async (services) => (await services.organizations.create('Ops')).id);
    const owner = await cli('user', 'create', '--email', 'owner@example.com', '--org', organizationId, '--role', 'owner');
    expect(owner).toMatchObject({ email: 'owner@example.com', activated: true, sys: { type: 'User' } });
    const token = await cli('token', 'create', '--user', owner.sys.id, '--scopes', 'content_management_read');
    expect(token).toMatchObject({ scopes: ['content_management_read'], sys: { type: 'PersonalAccessToken' } });

    const invitationId = await withServices(async (services) => {
      const actor = { userId: owner.sys.id, tokenId: token.sys.id, scopes: expandScopes(['content_management_manage']) };
      return (await services.invitations.create(actor, organizationId, { email: 'invited@example.com', firstName: 'Ivy', role: 'member' }))
        .sys.id;
    });
    const accepted = (await cli('invitation', 'accept', '--id', invitationId)) as unknown as {
      invitation: { sys: { status: string; user: { sys: { id: string } } } };
      token: { token: string };
    };
    expect(accepted.invitation.sys.status).toBe('accepted');
    await withServices(async (services) => {
      const actor = await services.accessTokens.authenticate(accepted.token.token);
      expect(actor.userId).toBe(accepted.invitation.sys.user.sys.id);
      expect((await services.users.me(actor)).activated).toBe(true);
    });
    await expect(cli('invitation', 'accept', '--id', invitationId)).rejects.toThrow(/exited with 1: .*already been accepted/);

    // Every organization role Contentful has, developer included; anything else is refused.
    const developer = await cli('user', 'create', '--email', 'dev@example.com', '--org', organizationId, '--role', 'developer');
    const roles = await withServices((services) => services.organizations.rolesOf(developer.sys.id));
    expect(roles).toEqual([{ organizationId, role: 'developer' }]);
    await expect(cli('user', 'create', '--email', 'boss@example.com', '--org', organizationId, '--role', 'boss')).rejects.toThrow(
      /exited with 2: --role must be one of owner, admin, developer, member/,
    );
  });

  it('runs from the built code through the package.json bin entry, also as a command on PATH (as in the Docker image)', async () => {
    const { name, file } = await builtBin();
    expect(name).toBe('contentful-selfhosted');
    expect(path.relative(process.cwd(), file)).toBe(path.join('dist', 'src', 'cli', 'main.js'));

    // `node <bin>`: the built code alone, no tsx and no src/.
    const { stdout } = await run(process.execPath, [file, 'user', 'create', '--email', 'built@example.com', '--first-name', 'Bea'], {
      env: CLI_ENV(),
      timeout: 60_000,
    });
    const user = JSON.parse(stdout) as { email: string; firstName: string; activated: boolean; sys: { id: string; type: string } };
    expect(user).toMatchObject({ email: 'built@example.com', firstName: 'Bea', activated: true, sys: { type: 'User' } });
    expect(user.sys.id).toMatch(/^[0-9A-Za-z]{22}$/);

    // As the Dockerfile installs it: an executable symlink named after the bin entry, found on PATH and
    // run from another directory (its shebang starts node; node follows the link to find its modules and migrations).
    const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-cli-bin-'));
    let token: { token: string; scopes: string[]; sys: { type: string } };
    try {
      fs.chmodSync(file, 0o755);
      fs.symlinkSync(file, path.join(binDir, name));
      const onPath = await run(name, ['token', 'create', '--user', user.sys.id, '--scopes', 'content_management_read'], {
        cwd: binDir,
        env: {
          ...CLI_ENV(),
          PATH: `${binDir}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
        },
        timeout: 60_000,
      });
      token = JSON.parse(onPath.stdout) as typeof token;
    } finally {
      fs.rmSync(binDir, { recursive: true, force: true });
    }
    expect(token).toMatchObject({ scopes: ['content_management_read'], sys: { type: 'PersonalAccessToken' } });
    await withServices(async (services) => {
      expect((await services.accessTokens.authenticate(token.token)).userId).toBe(user.sys.id);
    });
  }, 300_000); // a build, when there is none yet, takes a while
});
