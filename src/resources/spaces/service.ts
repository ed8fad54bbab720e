import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB, SpaceRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { accessDenied, badRequest, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import { MASTER } from '../../domain/environments.js';
import { insertEnvironment } from '../environments/repository.js';
import { insertDefaultLocale } from '../locales/repository.js';
import type { OrganizationService } from '../organizations/service.js';

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
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: SpaceAccessPolicy,
    private readonly organizations: OrganizationService,
  ) {}

  /** Spaces the caller is a member of, or that belong to an organization the caller administers. */
  async list(actor: Actor, paging: Paging) {
    const base = this.db
      .selectFrom('spaces as s')
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('space_memberships as sm')
              .select('sm.id')
              .whereRef('sm.space_id', '=', 's.id')
              .where('sm.user_id', '=', actor.userId),
          ),
          eb.exists(
            eb
              .selectFrom('organization_memberships as om')
              .select('om.id')
              .whereRef('om.organization_id', '=', 's.organization_id')
              .where('om.user_id', '=', actor.userId)
              .where('om.role', 'in', ['owner', 'admin']),
          ),
        ]),
      );
    const [rows, count] = await Promise.all([
      base.selectAll('s').orderBy('s.created_at').orderBy('s.id').offset(paging.skip).limit(paging.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(spaceView), Number(count.total), paging);
  }

  async get(actor: Actor, spaceId: string) {
    return spaceView((await this.access.require(actor, spaceId)).space);
  }

  /**
   * A new space gets its `master` environment with the default locale, and the creator becomes its admin.
   * Owners and admins of an organization create spaces in it; with several such organizations the
   * `X-Contentful-Organization` header says which.
   */
  async create(actor: Actor, input: NewSpace) {
    const organizationId = await this.chooseOrganization(actor, input.organizationId);
    return this.db.transaction().execute(async (trx) => {
      const space = await trx
        .insertInto('spaces')
        .values({ id: generateId(), organization_id: organizationId, name: input.name, created_by: actor.userId, updated_by: actor.userId })
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertEnvironment(trx, { spaceId: space.id, id: MASTER, name: MASTER, userId: actor.userId });
      await insertDefaultLocale(trx, {
        spaceId: space.id,
        environmentId: MASTER,
        code: input.defaultLocale ?? 'en-US',
        userId: actor.userId,
      });
      await trx
        .insertInto('space_memberships')
        .values({
          id: generateId(),
          space_id: space.id,
          user_id: actor.userId,
          admin: true,
          created_by: actor.userId,
          updated_by: actor.userId,
        })
        .execute();
      return spaceView(space);
    });
  }

  async rename(actor: Actor, spaceId: string, name: string, expectedVersion: number | undefined) {
    await this.access.requirePermission(actor, spaceId, 'Settings', 'manage');
    const row = await versionLockedUpdate({
      type: 'Space',
      id: spaceId,
      expectedVersion,
      update: (version) =>
        this.db
          .updateTable('spaces')
          .set((eb) => ({ name, version: eb('version', '+', 1), updated_at: new Date(), updated_by: actor.userId }))
          .where('id', '=', spaceId)
          .where('version', '=', version)
          .returningAll()
          .executeTakeFirst(),
      exists: async () => Boolean(await this.db.selectFrom('spaces').select('id').where('id', '=', spaceId).executeTakeFirst()),
    });
    return spaceView(row);
  }

  /** Everything in the space goes with it (foreign keys cascade inside the database). */
  async delete(actor: Actor, spaceId: string) {
    await this.access.requireAdmin(actor, spaceId);
    const deleted = await this.db.deleteFrom('spaces').where('id', '=', spaceId).returning('id').executeTakeFirst();
    if (!deleted) throw notFound('Space', spaceId);
  }

  private async chooseOrganization(actor: Actor, requested: string | undefined): Promise<string> {
    const roles = await this.organizations.rolesOf(actor.userId);
    if (requested !== undefined) {
      const membership = roles.find((r) => r.organizationId === requested);
      if (!membership) throw notFound('Organization', requested);
      if (membership.role === 'member') throw accessDenied('Only owners and admins of an organization can create spaces in it');
      return requested;
    }
    const manageable = roles.filter((r) => r.role !== 'member');
    if (manageable.length === 1) return manageable[0].organizationId;
    if (manageable.length === 0) throw accessDenied('You are not an owner or admin of any organization, so you cannot create spaces');
    throw badRequest('You administer several organizations: name one with the X-Contentful-Organization header');
  }
}
