import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { managesOrganization } from '../../auth/organization-access.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import { Repository } from '../../db/repository.js';
import type { DB, SpaceRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { accessDenied, badRequest, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import { MASTER } from '../../domain/environments.js';
import { insertEnvironment } from '../environments/repository.js';
import { insertDefaultLocale } from '../locales/repository.js';
import type { OrganizationService } from '../organizations/service.js';
import { RoleRepository } from '../roles/repository.js';
import { spaceMembershipTable } from '../space-memberships/repository.js';
import { SpaceRepository } from './repository.js';

export function spaceView(row: SpaceRow) {
  return {
    name: row.name,
    sys: { type: 'Space', id: row.id, ...versionedSys(row), organization: link('Organization', row.organization_id) },
  };
}

export interface NewSpace {
  name: string;
  defaultLocale?: string;
  organizationId?: string;
}

export class SpaceService {
  private readonly spaces: SpaceRepository;
  private readonly memberships: Repository<'space_memberships', string>;
  private readonly roles: RoleRepository;

  constructor(
    db: Kysely<DB>,
    private readonly access: SpaceAccessPolicy,
    private readonly organizations: OrganizationService,
    private readonly notices: WriteNotices,
  ) {
    this.spaces = new SpaceRepository(db);
    this.memberships = new Repository(db, spaceMembershipTable);
    this.roles = new RoleRepository(db);
  }

  /** Spaces the caller is a member of, or that belong to an organization the caller administers. */
  async list(actor: Actor, query: Paging & { cursor?: boolean; pageNext?: string; pagePrev?: string }) {
    if (query.cursor || query.pageNext || query.pagePrev) {
      const { rows, pages } = await this.spaces.visiblePage(actor, query);
      return { sys: { type: 'Array' }, limit: query.limit, items: rows.map(spaceView), pages };
    }
    const { rows, total } = await this.spaces.visibleTo(actor, query);
    return collection(rows.map(spaceView), total, query);
  }

  async get(actor: Actor, spaceId: string) {
    return spaceView((await this.access.require(actor, spaceId)).space);
  }

  /**
   * A new space gets its `master` environment with the default locale and Contentful's default roles, and
   * the creator becomes its admin.
   * Owners and admins of an organization create spaces in it; with several such organizations the
   * `X-Contentful-Organization` header says which.
   */
  async create(actor: Actor, input: NewSpace) {
    const organizationId = await this.chooseOrganization(actor, input.organizationId);
    const key = { spaceId: generateId() };
    const space = await this.spaces.transaction(async (trx) => {
      const row = await this.spaces.insert({ ...key, organizationId }, input.name, actor.userId, trx);
      await insertEnvironment(trx, { spaceId: key.spaceId, id: MASTER, name: MASTER, userId: actor.userId });
      await insertDefaultLocale(trx, {
        spaceId: key.spaceId,
        environmentId: MASTER,
        code: input.defaultLocale ?? 'en-US',
        userId: actor.userId,
      });
      await this.memberships.in(key.spaceId, trx).insert({ id: generateId(), user_id: actor.userId, admin: true }, actor.userId);
      await this.roles.insertDefaults(key, actor.userId, trx);
      return row;
    });
    this.notices.written('settings');
    return spaceView(space);
  }

  async rename(actor: Actor, spaceId: string, name: string, expectedVersion: number | undefined) {
    await this.access.requirePermission(actor, spaceId, 'Settings', 'manage');
    const row = await this.spaces.in({ spaceId }).update(spaceId, expectedVersion, { name }, actor.userId);
    this.notices.written('settings');
    return spaceView(row);
  }

  /** Everything in the space goes with it (foreign keys cascade inside the database). */
  async delete(actor: Actor, spaceId: string) {
    await this.access.requireAdmin(actor, spaceId);
    await this.spaces.in({ spaceId }).delete(spaceId);
    this.notices.written('settings');
  }

  private async chooseOrganization(actor: Actor, requested: string | undefined): Promise<string> {
    const roles = await this.organizations.rolesOf(actor.userId);
    if (requested !== undefined) {
      const membership = roles.find((r) => r.organizationId === requested);
      if (!membership) throw notFound('Organization', requested);
      if (!managesOrganization(membership.role)) throw accessDenied('Only owners and admins of an organization can create spaces in it');
      return requested;
    }
    const manageable = roles.filter((r) => managesOrganization(r.role));
    if (manageable.length === 1) return manageable[0].organizationId;
    if (manageable.length === 0) throw accessDenied('You are not an owner or admin of any organization, so you cannot create spaces');
    throw badRequest('You administer several organizations: name one with the X-Contentful-Organization header');
  }
}
