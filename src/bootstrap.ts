import { sql } from 'kysely';
import type { Database } from './db/connection.js';
import { OrganizationRepository } from './resources/organizations/repository.js';
import { UserRepository } from './resources/users/repository.js';
import type { Services } from './services.js';

const BOOTSTRAP_LOCK_KEY = 7_245_002;

export interface BootstrapResult {
  userId: string;
  organizationId: string;
  /** Set only when a token was generated now; the caller shows it once. */
  generatedToken?: string;
}

/**
 * Makes sure the first organization, its admin user and the admin's token exist. Idempotent: a restart
 * finds them and changes nothing, except that a BOOTSTRAP_ADMIN_TOKEN value is always made valid.
 */
export async function bootstrap(database: Database, services: Services): Promise<BootstrapResult> {
  const { config } = services;
  return database.db.transaction().execute(async (trx) => {
    if (database.kind === 'postgres') await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`.execute(trx);
    let user = await new UserRepository(trx).findByEmail(config.bootstrapAdminEmail);
    let organizationId: string;
    let firstStart = false;
    if (!user) {
      firstStart = true;
      user = await services.users.create({ email: config.bootstrapAdminEmail, firstName: 'Admin', lastName: '' }, trx);
      const organization = await services.organizations.create('My Organization', trx);
      organizationId = organization.id;
      await services.organizations.addMember(organizationId, user.id, 'owner', trx);
    } else {
      // The admin's first organization: the one made at the first start.
      const [first] = await new OrganizationRepository(trx).roles({ userId: user.id });
      if (!first) throw new Error(`The bootstrap admin ${config.bootstrapAdminEmail} belongs to no organization`);
      organizationId = first.organization_id;
    }
    const tokenInput = { name: 'Bootstrap admin token', scopes: ['content_management_manage' as const] };
    if (config.bootstrapAdminToken) {
      await services.accessTokens.ensure(user.id, { ...tokenInput, value: config.bootstrapAdminToken }, trx);
      return { userId: user.id, organizationId };
    }
    if (firstStart) {
      const token = await services.accessTokens.create(user.id, tokenInput, trx);
      return { userId: user.id, organizationId, generatedToken: token.token };
    }
    return { userId: user.id, organizationId };
  });
}
