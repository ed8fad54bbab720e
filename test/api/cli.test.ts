import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandScopes } from '../../src/auth/actor.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';
import { createServices } from '../../src/services.js';

const run = promisify(execFile);
let dataDir: string;

/** The operator CLI, on an embedded database in its own data directory. */
async function cli(...args: string[]) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, unknown> & { sys: { id: string } };
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
  it('creates users and tokens, and accepts invitations, activating the user and printing their first token', async () => {
    const organizationId = await withServices(async (services) => (await services.organizations.create('Ops')).id);
    const owner = await cli('user', 'create', '--email', 'owner@example.com', '--org', organizationId, '--role', 'owner');
    expect(owner).toMatchObject({ email: 'owner@example.com', activated: true, sys: { type: 'User' } });
    const token = await cli('token', 'create', '--user', owner.sys.id, '--scopes', 'content_management_read');
    expect(token).toMatchObject({ scopes: ['content_management_read'], sys: { type: 'PersonalAccessToken' } });

    const invitationId = await withServices(async (services) => {
      const actor = { userId: owner.sys.id, tokenId: token.sys.id, scopes: expandScopes(['content_management_manage']) };
      return (await services.invitations.create(actor, organizationId, { email: 'invited@example.com', firstName: 'Ivy', role: 'member' })).sys.id;
    });
    const accepted = (await cli('invitation', 'accept', '--id', invitationId)) as unknown as { invitation: { sys: { status: string; user: { sys: { id: string } } } }; token: { token: string } };
    expect(accepted.invitation.sys.status).toBe('accepted');
    await withServices(async (services) => {
      const actor = await services.accessTokens.authenticate(accepted.token.token);
      expect(actor.userId).toBe(accepted.invitation.sys.user.sys.id);
      expect((await services.users.me(actor)).activated).toBe(true);
    });
    await expect(cli('invitation', 'accept', '--id', invitationId)).rejects.toThrow(/already been accepted/);
  });
});
