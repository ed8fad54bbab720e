import { Readable, Writable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrator.js';
import { MemoryRateLimitStore } from '../../src/ratelimit/store.js';
import { createServices } from '../../src/services.js';
import { expectErrorResponse, expectSdkError } from '../helpers/assertions.js';
import { ManualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery staple';
const SESSION_TTL_SECONDS = 600;

let server: TestServer;
/** The token expiries' time (the server's clock); its scheduler polls once an hour, so moving it minutes runs none. */
const clock = new ManualClock();
/** The sign-in limiter's time. */
const limiterClock = new ManualClock();
/** Every log line the server writes, at trace level. */
const logLines: string[] = [];
let editorId: string;

beforeAll(async () => {
  server = await startTestServer(
    {
      TRUST_PROXY: 'true',
      RATE_LIMIT_SIGN_IN_PER_HOUR: '3',
      RATE_LIMIT_SIGN_IN_ADDRESS_PER_HOUR: '5',
      APP_SESSION_TTL_SECONDS: String(SESSION_TTL_SECONDS),
      SCHEDULER_POLL_MS: '3600000',
      LOG_LEVEL: 'trace',
    },
    {
      clock,
      rateLimitStore: new MemoryRateLimitStore(limiterClock),
      logStream: new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    },
  );
  const editor = await server.services.users.create({ email: 'editor@example.com', firstName: 'Eda' });
  await server.services.organizations.addMember(server.organizationId, editor.id, 'member');
  // What `user set-password` runs (its command line is tested below, on a database of its own).
  await server.services.sessions.setPassword(editor.id, PASSWORD);
  editorId = editor.id;
});
afterAll(async () => {
  await server?.close();
});

/** A sign-in attempt from `address` (the server trusts X-Forwarded-For here, so each test has its own client address). */
function signIn(body: unknown, address = '203.0.113.1') {
  return fetch(`${server.baseUrl}/app/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
}

interface SignedIn {
  token: string;
  name: string;
  scopes: string[];
  revokedAt: null;
  sys: { type: string; id: string; expiresAt: string; redactedValue: string; createdBy: { sys: { id: string } } };
}

describe('web app sign-in (POST /app/api/sessions)', () => {
  // Each test starts with the sign-in limits' hour passed.
  beforeEach(() => limiterClock.advance(60 * 60 * 1000));

  it('answers 201 with a personal access token that expires, which the official client uses on the CMA', async () => {
    const response = await signIn({ email: 'Editor@Example.com', password: PASSWORD }, '203.0.113.10');
    expect(response.status).toBe(201);
    const body = (await response.json()) as SignedIn;
    expect(body).toMatchObject({
      name: 'Web app sign-in',
      scopes: ['content_management_manage'],
      revokedAt: null,
      sys: {
        type: 'PersonalAccessToken',
        expiresAt: new Date(clock.now() + SESSION_TTL_SECONDS * 1000).toISOString(),
        createdBy: { sys: { id: editorId } },
        redactedValue: body.token.slice(-4),
      },
    });
    expect(body.token).toMatch(/^CFPAT-[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(body)).not.toContain(PASSWORD);

    const me = await server.plainClient(body.token).user.getCurrent({});
    expect(me.sys.id).toBe(editorId);
    expect(JSON.stringify(me)).not.toMatch(/scrypt|password/i);
    const tokens = await server.plainClient(body.token).accessToken.getMany({ query: {} } as never);
    expect(tokens.items.map((t: { sys: { id: string } }) => t.sys.id)).toEqual([body.sys.id]);
  });

  it('refuses a wrong password, an unknown address and an invited user who has not accepted with the same 401 InvalidCredentials', async () => {
    const invited = await server.request('POST', `/organizations/${server.organizationId}/invitations`, {
      body: { email: 'invited@example.com', role: 'member' },
    });
    expect(invited.status).toBe(201);
    const invitedUser = await server.services.users.create({ email: 'other@example.com' });
    await server.services.sessions.setPassword(invitedUser.id, PASSWORD);

    const messages = new Set<string>();
    for (const [email, address] of [
      ['editor@example.com', '203.0.113.20'],
      ['nobody@example.com', '203.0.113.21'],
      ['invited@example.com', '203.0.113.22'],
    ]) {
      const body = await expectErrorResponse(
        await signIn({ email, password: email === 'editor@example.com' ? `${PASSWORD}!` : PASSWORD }, address),
        401,
        'InvalidCredentials',
      );
      messages.add(body.message);
    }
    expect([...messages]).toEqual(['The email address or the password is not correct.']);
  });

  it('answers 422 ValidationFailed naming a missing email address or password, and never echoes a password', async () => {
    const noPassword = await expectErrorResponse(await signIn({ email: 'editor@example.com' }, '203.0.113.30'), 422, 'ValidationFailed');
    expect(noPassword.details).toEqual({
      errors: [{ name: 'required', path: ['password'], details: 'The property "password" is required here' }],
    });
    const noEmail = await expectErrorResponse(await signIn({ password: PASSWORD }, '203.0.113.31'), 422, 'ValidationFailed');
    expect(noEmail.details).toEqual({ errors: [{ name: 'required', path: ['email'], details: 'The property "email" is required here' }] });
    await expectErrorResponse(await signIn({ email: '', password: PASSWORD }, '203.0.113.32'), 422, 'ValidationFailed');
    const long = `${PASSWORD}${'x'.repeat(2000)}`;
    const tooLong = await signIn({ email: 'editor@example.com', password: long }, '203.0.113.33');
    expect(await tooLong.clone().text()).not.toContain('xxxxxxxx');
    await expectErrorResponse(tooLong, 401, 'InvalidCredentials');
  });

  it('limits attempts per email address (the right password too, once over), then per client address, until the hour passes', async () => {
    for (const [i, address] of ['198.51.100.1', '198.51.100.2', '198.51.100.3'].entries()) {
      await expectErrorResponse(await signIn({ email: 'editor@example.com', password: `wrong-${i}` }, address), 401, 'InvalidCredentials');
    }
    const limited = await signIn({ email: 'EDITOR@example.com', password: PASSWORD }, '198.51.100.4');
    expect(limited.headers.get('retry-after')).toBe(limited.headers.get('x-contentful-ratelimit-reset'));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectErrorResponse(limited, 429, 'RateLimitExceeded');

    // One address: five attempts an hour, whichever email addresses they name.
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com']) {
      await expectErrorResponse(await signIn({ email, password: PASSWORD }, '198.51.100.99'), 401, 'InvalidCredentials');
    }
    await expectErrorResponse(await signIn({ email: 'f@example.com', password: PASSWORD }, '198.51.100.99'), 429, 'RateLimitExceeded');

    limiterClock.advance(60 * 60 * 1000);
    expect((await signIn({ email: 'editor@example.com', password: PASSWORD }, '198.51.100.99')).status).toBe(201);
  });

  it('the token stops working once it expires (the server clock moved past expiresAt)', async () => {
    const { token } = (await (await signIn({ email: 'editor@example.com', password: PASSWORD }, '203.0.113.40')).json()) as SignedIn;
    const client = server.plainClient(token);
    clock.advance(SESSION_TTL_SECONDS * 1000 - 1000);
    expect((await client.user.getCurrent({})).sys.id).toBe(editorId);
    clock.advance(1000);
    await expectSdkError(client.user.getCurrent({}), 401, 'AccessTokenInvalid');
  });

  it('signing out revokes the token through the CMA: it is refused at once', async () => {
    const session = (await (await signIn({ email: 'editor@example.com', password: PASSWORD }, '203.0.113.50')).json()) as SignedIn;
    const revoked = await server.request('PUT', `/users/me/access_tokens/${session.sys.id}/revoked`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    await expectErrorResponse(
      await server.request('GET', '/users/me', { headers: { authorization: `Bearer ${session.token}` } }),
      401,
      'AccessTokenInvalid',
    );
  });

  it('an invitation accepted with a password lets the user sign in', async () => {
    const created = await server.request('POST', `/organizations/${server.organizationId}/invitations`, {
      body: { email: 'newcomer@example.com', role: 'member' },
    });
    const invitation = (await created.json()) as { sys: { id: string } };
    await expectErrorResponse(
      await signIn({ email: 'newcomer@example.com', password: PASSWORD }, '203.0.113.60'),
      401,
      'InvalidCredentials',
    );
    const accepted = await server.services.invitations.accept(invitation.sys.id, { password: PASSWORD });
    expect(accepted.invitation.sys.status).toBe('accepted');
    expect((await signIn({ email: 'newcomer@example.com', password: PASSWORD }, '203.0.113.61')).status).toBe(201);
  });

  it('stores a salted scrypt hash, and neither the password nor a token value appears in any log line', async () => {
    const rows = await server.database.db.selectFrom('user_passwords').select(['user_id', 'password_hash']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // The same password, another salt.
    expect(new Set(rows.map((r) => r.password_hash)).size).toBe(rows.length);

    const session = (await (await signIn({ email: 'editor@example.com', password: PASSWORD }, '203.0.113.70')).json()) as SignedIn;
    await server.plainClient(session.token).user.getCurrent({});
    const log = logLines.join('');
    expect(log).toContain('/app/api/sessions');
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(session.token);
    expect(log).not.toContain('scrypt');
  });
});

describe('operator CLI: user set-password', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cf-cli-password-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(args: string[], stdin?: string) {
    let stdout = '';
    let stderr = '';
    const code = await runCommand(
      args,
      { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        stdin: stdin === undefined ? undefined : Readable.from([stdin]),
      },
    );
    return { code, stdout, stderr };
  }

  it('reads the password from standard input and prints the user; the user then signs in with it', { timeout: 90_000 }, async () => {
    const created = await cli(['user', 'create', '--email', 'ops@example.com']);
    expect(created.code).toBe(0);
    const userId = (JSON.parse(created.stdout) as { sys: { id: string } }).sys.id;

    const tooShort = await cli(['user', 'set-password', '--email', 'ops@example.com'], 'short\n');
    expect(tooShort).toMatchObject({ code: 2, stdout: '' });
    expect(tooShort.stderr).toContain('at least 8 characters');
    expect((await cli(['user', 'set-password'], `${PASSWORD}\n`)).code).toBe(2);

    const set = await cli(['user', 'set-password', '--email', 'ops@example.com'], `${PASSWORD}\nignored second line\n`);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ email: 'ops@example.com', sys: { type: 'User', id: userId } });
    expect(set.stdout + set.stderr).not.toContain(PASSWORD);

    const unknown = await cli(['user', 'set-password', '--email', 'nobody@example.com'], `${PASSWORD}\n`);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^user nobody@example.com not found\n/);

    const database = await openDatabase({ dataDir });
    try {
      await migrate(database);
      const services = createServices(database, loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
      const session = await services.sessions.signIn('ops@example.com', PASSWORD);
      expect(session.sys.createdBy.sys.id).toBe(userId);
      await expect(services.sessions.signIn('ops@example.com', 'short')).rejects.toMatchObject({ id: 'InvalidCredentials', status: 401 });
    } finally {
      await database.close();
    }
  });
});
