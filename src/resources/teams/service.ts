import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { DB, TeamRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';

export const teamBody = z.looseObject({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).nullable().optional(),
});
export type TeamInput = z.infer<typeof teamBody>;

type TeamWithCount = TeamRow & { member_count: number };

export function teamView(row: TeamWithCount) {
  return {
    name: row.name,
    description: row.description,
    sys: {
      type: 'Team',
      id: row.id,
      ...versionedSys(row),
      memberCount: Number(row.member_count),
      organization: link('Organization', row.organization_id),
    },
  };
}

const nameTaken = (name: string) =>
  validationFailed([{ name: 'taken', path: ['name'], value: name, details: `A team named "${name}" already exists in this organization` }]);
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

/** Teams of an organization (seed 004): every member may read them; owners and admins manage them. */
export class TeamService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
  ) {}

  private rows(organizationId: string) {
    return this.db
      .selectFrom('teams as t')
      .where('t.organization_id', '=', organizationId)
      .selectAll('t')
      .select(sql<number>`(select count(*)::int from team_memberships tm where tm.team_id = t.id)`.as('member_count'));
  }

  async list(actor: Actor, organizationId: string, paging: Paging) {
    await this.access.requireMember(actor, organizationId);
    const [rows, count] = await Promise.all([
      this.rows(organizationId).orderBy('t.name').orderBy('t.id').offset(paging.skip).limit(paging.limit).execute(),
      this.db
        .selectFrom('teams')
        .where('organization_id', '=', organizationId)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(teamView), Number(count.total), paging);
  }

  async get(actor: Actor, organizationId: string, id: string) {
    await this.access.requireMember(actor, organizationId);
    return teamView(await this.require(organizationId, id));
  }

  /** A team of the organization, or 404. */
  async require(organizationId: string, id: string): Promise<TeamWithCount> {
    const row = await this.rows(organizationId).where('t.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Team', id);
    return row;
  }

  async create(actor: Actor, organizationId: string, input: TeamInput) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.db
      .insertInto('teams')
      .values({
        id: generateId(),
        organization_id: organizationId,
        name: input.name,
        description: input.description ?? '',
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((err) => {
        throw isUniqueViolation(err) ? nameTaken(input.name) : err;
      });
    return teamView({ ...row, member_count: 0 });
  }

  async update(actor: Actor, organizationId: string, id: string, input: TeamInput, expectedVersion: number | undefined) {
    await this.access.requireManager(actor, organizationId);
    await this.require(organizationId, id);
    await versionLockedUpdate({
      type: 'Team',
      id,
      expectedVersion,
      update: (version) =>
        this.db
          .updateTable('teams')
          .set((eb) => ({
            name: input.name,
            description: input.description ?? '',
            version: eb('version', '+', 1),
            updated_at: new Date(),
            updated_by: actor.userId,
          }))
          .where('organization_id', '=', organizationId)
          .where('id', '=', id)
          .where('version', '=', version)
          .returningAll()
          .executeTakeFirst()
          .catch((err) => {
            throw isUniqueViolation(err) ? nameTaken(input.name) : err;
          }),
      exists: async () => true,
    });
    return teamView(await this.require(organizationId, id));
  }

  /** Deleting a team ends its memberships and its access to spaces at once. */
  async delete(actor: Actor, organizationId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.db
      .deleteFrom('teams')
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('Team', id);
  }
}
