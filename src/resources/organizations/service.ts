import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationRole } from '../../auth/organization-access.js';
import type { DB, OrganizationRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { iso } from '../../http/sys.js';

export function organizationView(row: OrganizationRow) {
  return {
    name: row.name,
    sys: { type: 'Organization', id: row.id, version: row.version, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) },
  };
}

export class OrganizationService {
  constructor(private readonly db: Kysely<DB>) {}

  /** The organizations the caller belongs to. */
  async list(actor: Actor, paging: Paging) {
    const base = this.db
      .selectFrom('organizations as o')
      .innerJoin('organization_memberships as om', 'om.organization_id', 'o.id')
      .where('om.user_id', '=', actor.userId);
    const [rows, count] = await Promise.all([
      base.selectAll('o').orderBy('o.created_at').orderBy('o.id').offset(paging.skip).limit(paging.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(organizationView), Number(count.total), paging);
  }

  async get(actor: Actor, organizationId: string) {
    const row = await this.db
      .selectFrom('organizations as o')
      .innerJoin('organization_memberships as om', 'om.organization_id', 'o.id')
      .selectAll('o')
      .where('om.user_id', '=', actor.userId)
      .where('o.id', '=', organizationId)
      .executeTakeFirst();
    if (!row) throw notFound('Organization', organizationId);
    return organizationView(row);
  }

  /** The caller's organizations with their role in each, for choosing where a new space goes. */
  async rolesOf(userId: string): Promise<{ organizationId: string; role: OrganizationRole }[]> {
    const rows = await this.db
      .selectFrom('organization_memberships')
      .select(['organization_id', 'role'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ organizationId: r.organization_id, role: r.role }));
  }

  /** Operator action (CLI, bootstrap). */
  async create(name: string, db: Kysely<DB> = this.db): Promise<OrganizationRow> {
    return db.insertInto('organizations').values({ id: generateId(), name }).returningAll().executeTakeFirstOrThrow();
  }

  async exists(organizationId: string): Promise<boolean> {
    return Boolean(await this.db.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst());
  }

  /** Operator action: adds a user to an organization (or changes the role they have there). */
  async addMember(organizationId: string, userId: string, role: OrganizationRole, db: Kysely<DB> = this.db) {
    await db
      .insertInto('organization_memberships')
      .values({ id: generateId(), organization_id: organizationId, user_id: userId, role, created_by: null, updated_by: null })
      .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  }
}
