import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Actor } from '../../src/auth/actor.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/connection.js';
import type { EnvironmentScope } from '../../src/resources/environments/scope.js';
import { createServices, type Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';

const SPEC_TOKEN = 'CFPAT-spec-admin-token-0000000000000000000000';

export interface ServiceSpec {
  services: Services;
  database: Database;
  /** The bootstrap admin, as their token authenticates them. */
  admin: Actor;
  /** A space of the admin's, created for the spec. */
  spaceId: string;
  /** The admin's scope in the space's `master`. */
  master(): Promise<EnvironmentScope>;
  close(): Promise<void>;
}

/** The services over a copy of the migrated database, without Fastify: for specs of the rules in services. */
export async function startServices(): Promise<ServiceSpec> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cf-spec-'));
  const config = loadConfig({ DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: SPEC_TOKEN, LOG_LEVEL: 'silent' });
  const { database, drop } = await createTestDatabase({ migrated: true });
  const services = createServices(database, config, pino({ level: 'silent' }));
  await bootstrap(database, services);
  const admin = await services.accessTokens.authenticate(SPEC_TOKEN);
  const spaceId = (await services.spaces.create(admin, { name: 'Spec' })).sys.id;
  return {
    services,
    database,
    admin,
    spaceId,
    master: () => services.environmentScopes.resolve(admin, spaceId),
    async close() {
      await drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
