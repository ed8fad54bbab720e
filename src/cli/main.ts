#!/usr/bin/env node
/**
 * Operator commands. Each prints one JSON object on stdout (the created user, or the token with its value).
 *   user create --email E [--first-name F] [--last-name L] [--org ID] [--role owner|admin|member]
 *   token create --user ID [--name N] [--scopes content_management_manage[,content_management_read]]
 *   invitation accept --id ID   (activates the invited user and prints their first token)
 */
import { parseArgs } from 'node:util';
import { SCOPES, type Scope } from '../auth/actor.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrator.js';
import { userView } from '../resources/users/service.js';
import { createLogger } from '../logger.js';
import { createServices } from '../services.js';

const USAGE = `usage:
  user create --email E [--first-name F] [--last-name L] [--org ID] [--role owner|admin|member]
  token create --user ID [--name NAME] [--scopes content_management_manage|content_management_read]
  invitation accept --id INVITATION_ID`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main() {
  const [resource, action, ...rest] = process.argv.slice(2);
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
    },
  });
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const services = createServices(database, config, createLogger('silent'));
    let output: unknown;
    if (resource === 'user' && action === 'create') {
      if (!values.email) fail('--email is required');
      const role = (values.role ?? 'member') as 'owner' | 'admin' | 'member';
      if (!['owner', 'admin', 'member'].includes(role)) fail('--role must be owner, admin or member');
      if (values.org && !(await services.organizations.exists(values.org))) fail(`organization ${values.org} not found`);
      output = await database.db.transaction().execute(async (trx) => {
        const user = await services.users.create(
          { email: values.email!, firstName: values['first-name'], lastName: values['last-name'] },
          trx,
        );
        if (values.org) await services.organizations.addMember(values.org, user.id, role, trx);
        return userView(user);
      });
    } else if (resource === 'token' && action === 'create') {
      if (!values.user) fail('--user is required');
      const scopes = (values.scopes ?? 'content_management_manage').split(',').map((s) => s.trim());
      if (!scopes.every((s): s is Scope => (SCOPES as readonly string[]).includes(s))) fail(`--scopes must be among ${SCOPES.join(', ')}`);
      const user = await database.db.selectFrom('users').select('id').where('id', '=', values.user).executeTakeFirst();
      if (!user) fail(`user ${values.user} not found`);
      output = await services.accessTokens.create(user.id, { name: values.name ?? 'CLI token', scopes: scopes as Scope[] });
    } else if (resource === 'invitation' && action === 'accept') {
      if (!values.id) fail('--id is required');
      output = await services.invitations.accept(values.id);
    } else {
      fail(`unknown command: ${[resource, action].filter(Boolean).join(' ') || '(none)'}`);
    }
    process.stdout.write(`${JSON.stringify(output)}\n`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
