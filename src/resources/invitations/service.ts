import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { DB, OrganizationInvitationRow } from '../../db/schema.js';
import { accessDenied, ApiError, badRequest, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { AccessTokenService } from '../access-tokens/service.js';

export const invitationBody = z.looseObject({
  email: z.string().email(),
  firstName: z.string().max(255).optional(),
  lastName: z.string().max(255).optional(),
  role: z.enum(['owner', 'admin', 'member']),
});
export type InvitationInput = z.infer<typeof invitationBody>;

type InvitationWithUser = OrganizationInvitationRow & { user_id: string };

/**
 * Organization invitations (seed 004). No email is sent: the invitation makes the user (inactive until
 * they accept) and their organization membership at once, so they can be added to teams and spaces right
 * away; the operator accepts it with the CLI, which activates the user and prints their first token.
 */
export class InvitationService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
    private readonly accessTokens: AccessTokenService,
    private readonly publicUrl: string,
  ) {}

  view(row: InvitationWithUser) {
    return {
      firstName: row.first_name,
      lastName: row.last_name,
      email: row.email,
      role: row.role,
      sys: {
        type: 'Invitation',
        id: row.id,
        ...versionedSys(row),
        status: row.status,
        invitationUrl: `${this.publicUrl}/organizations/${row.organization_id}/invitations/${row.id}`,
        organization: link('Organization', row.organization_id),
        organizationMembership: link('OrganizationMembership', row.organization_membership_id),
        user: row.status === 'accepted' ? link('User', row.user_id) : null,
      },
    };
  }

  async create(actor: Actor, organizationId: string, input: InvitationInput) {
    const callerRole = await this.access.requireManager(actor, organizationId);
    if (input.role === 'owner' && callerRole !== 'owner') throw accessDenied('Only owners can invite owners');
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('users')
        .select('id')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
        .executeTakeFirst();
      const userId =
        existing?.id ??
        (
          await trx
            .insertInto('users')
            .values({
              id: generateId(),
              email: input.email,
              first_name: input.firstName ?? '',
              last_name: input.lastName ?? '',
              activated: false,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const membership = await trx
        .insertInto('organization_memberships')
        .values({
          id: generateId(),
          organization_id: organizationId,
          user_id: userId,
          role: input.role,
          created_by: actor.userId,
          updated_by: actor.userId,
        })
        .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!membership) throw new ApiError('Conflict', `${input.email} is already a member of this organization`);
      const row = await trx
        .insertInto('organization_invitations')
        .values({
          id: generateId(),
          organization_id: organizationId,
          organization_membership_id: membership.id,
          email: input.email,
          first_name: input.firstName ?? '',
          last_name: input.lastName ?? '',
          role: input.role,
          created_by: actor.userId,
          updated_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return this.view({ ...row, user_id: userId });
    });
  }

  private rows(db: Kysely<DB>) {
    return db
      .selectFrom('organization_invitations as i')
      .innerJoin('organization_memberships as om', 'om.id', 'i.organization_membership_id')
      .selectAll('i')
      .select('om.user_id');
  }

  async get(actor: Actor, organizationId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.rows(this.db).where('i.organization_id', '=', organizationId).where('i.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Invitation', id);
    return this.view(row);
  }

  /** Operator action (CLI): accepts a pending invitation, activates the user and makes their first token. */
  async accept(id: string) {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.rows(trx).where('i.id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notFound('Invitation', id);
      if (row.status !== 'pending') throw badRequest('The invitation has already been accepted');
      const accepted = await trx
        .updateTable('organization_invitations')
        .set((eb) => ({ status: 'accepted', version: eb('version', '+', 1), updated_at: new Date() }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable('users').set({ activated: true, updated_at: new Date() }).where('id', '=', row.user_id).execute();
      const token = await this.accessTokens.create(row.user_id, { name: 'Invitation', scopes: ['content_management_manage'] }, trx);
      return { invitation: this.view({ ...accepted, user_id: row.user_id }), token };
    });
  }
}
