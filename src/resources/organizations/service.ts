import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { OrganizationRole } from '../../auth/organization-access.js';
import type { DB, OrganizationRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { iso } from '../../http/sys.js';
import { OrganizationRepository } from './repository.js';

export function organizationView(row: OrganizationRow) {
  return {
    name: row.name,
    sys: { type: 'Organization', id: row.id, version: row.version, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) },
  };
}

export class OrganizationService {
  private readonly organizations: OrganizationRepository;

  constructor(
    db: Kysely<DB>,
    private readonly notices: WriteNotices,
  ) {
    this.organizations = new OrganizationRepository(db);
  }

  /** The organizations the caller belongs to. */
  async list(actor: Actor, paging: Paging) {
    const { rows, total } = await this.organizations.list(actor, paging);
    return collection(rows.map(organizationView), total, paging);
  }

  async get(actor: Actor, organizationId: string) {
    const row = await this.organizations.find(actor, organizationId);
    if (!row) throw notFound('Organization', organizationId);
    return organizationView(row);
  }

  /** The caller's organizations with their role in each, for choosing where a new space goes. */
  async rolesOf(userId: string): Promise<{ organizationId: string; role: OrganizationRole }[]> {
    const rows = await this.organizations.roles({ userId });
    return rows.map((r) => ({ organizationId: r.organization_id, role: r.role }));
  }

  /** Operator action (CLI, bootstrap). */
  async create(name: string, db?: Kysely<DB>): Promise<OrganizationRow> {
    const row = await this.organizations.insert(name, db);
    this.notices.written('settings');
    return row;
  }

  exists(organizationId: string): Promise<boolean> {
    return this.organizations.exists(organizationId);
  }

  /** Operator action: adds a user to an organization (or changes the role they have there). */
  async addMember(organizationId: string, userId: string, role: OrganizationRole, db?: Kysely<DB>) {
    await this.organizations.addMember({ organizationId }, userId, role, db);
    this.notices.written('settings');
  }
}
