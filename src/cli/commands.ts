/**
 * Operator commands. Each prints one JSON object on stdout (the created user, or the token with its value).
 *   user create --email E [--first-name F] [--last-name L] [--org ID] [--role owner|admin|developer|member]
 *   token create --user ID [--name N] [--scopes content_management_manage[,content_management_read]]
 *   user set-password (--email E | --user ID)   (the password is the first line of standard input)
 *   invitation accept --id ID [--password-stdin]   (activates the invited user and prints their first token)
 */
import { ORGANIZATION_ROLES, type OrganizationRole } from '../auth/organization-access.js';
import { UserRepository } from '../resources/users/repository.js';
import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../auth/actor.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrator.js';
import { userView } from '../resources/users/service.js';
import { createLogger } from '../logger.js';
import { createServices } from '../services.js';
import { SessionService } from '../resources/sessions/service.js';

const USAGE = `usage:
  user create --email E [--first-name F] [--last-name L] [--org ID] [--role owner|admin|developer|member]
  user set-password (--email E | --user ID)      reads the password from the first line of standard input
  token create --user ID [--name NAME] [--scopes content_management_manage|content_management_read]
  invitation accept --id INVITATION_ID [--password-stdin]`;

/** A wrong command line: exit code 2 with the usage. */
class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

export interface CommandStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Where passwords are read from (never from the command line, which other users of the machine can see). */
  stdin?: AsyncIterable<string | Buffer>;
}

/** The first line of standard input, without its line ending. */
async function readLine(stdin: CommandStreams['stdin']): Promise<string> {
  if (!stdin) fail('a password is read from standard input, and there is none');
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0];
  if (!line) fail('standard input holds no password');
  return line;
}

/**
 * Runs one command (`argv` without the program name) with `env` for its configuration, writing to
 * `streams`; resolves with the exit code: 0 done, 1 failed, 2 a wrong command line. The bin (main.ts)
 * is this on the process's own; tests call it in-process.
 */
export async function runCommand(argv: string[], env: NodeJS.ProcessEnv, streams: CommandStreams): Promise<number> {
  try {
    streams.stdout.write(`${JSON.stringify(await execute(argv, env, streams))}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      streams.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    streams.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function execute(argv: string[], env: NodeJS.ProcessEnv, streams: CommandStreams): Promise<unknown> {
  const [resource, action, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      id: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  });
  // Read (and checked) before the database opens: a wrong password costs nothing.
  const password =
    (resource === 'user' && action === 'set-password') || (resource === 'invitation' && values['password-stdin'])
      ? await readLine(streams.stdin)
      : undefined;
  if (password !== undefined) {
    try {
      SessionService.check(password);
    } catch (err) {
      fail((err as Error).message);
    }
  }
  const config = loadConfig(env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const services = createServices(database, config, createLogger('silent'));
    if (resource === 'user' && action === 'create') {
      if (!values.email) fail('--email is required');
      const role = (values.role ?? 'member') as OrganizationRole;
      if (!ORGANIZATION_ROLES.includes(role)) fail(`--role must be one of ${ORGANIZATION_ROLES.join(', ')}`);
      if (values.org && !(await services.organizations.exists(values.org))) fail(`organization ${values.org} not found`);
      return await database.db.transaction().execute(async (trx) => {
        const user = await services.users.create(
          { email: values.email!, firstName: values['first-name'], lastName: values['last-name'] },
          trx,
        );
        if (values.org) await services.organizations.addMember(values.org, user.id, role, trx);
        return userView(user);
      });
    }
    if (resource === 'user' && action === 'set-password') {
      if (!values.email === !values.user) fail('either --email or --user is required');
      const users = new UserRepository(database.db);
      const user = values.user ? await users.find(values.user) : await users.findByEmail(values.email!);
      if (!user) fail(`user ${values.user ?? values.email} not found`);
      await services.sessions.setPassword(user.id, password!);
      return userView(user);
    }
    if (resource === 'token' && action === 'create') {
      if (!values.user) fail('--user is required');
      const scopes = (values.scopes ?? 'content_management_manage').split(',').map((s) => s.trim());
      if (!scopes.every((s): s is Scope => (SCOPES as readonly string[]).includes(s))) fail(`--scopes must be among ${SCOPES.join(', ')}`);
      const user = await new UserRepository(database.db).find(values.user);
      if (!user) fail(`user ${values.user} not found`);
      return await services.accessTokens.create(user.id, { name: values.name ?? 'CLI token', scopes: scopes as Scope[] });
    }
    if (resource === 'invitation' && action === 'accept') {
      if (!values.id) fail('--id is required');
      return await services.invitations.accept(values.id, { password });
    }
    fail(`unknown command: ${[resource, action].filter(Boolean).join(' ') || '(none)'}`);
  } finally {
    await database.close();
  }
}
