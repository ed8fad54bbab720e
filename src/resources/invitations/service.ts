import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import { ORGANIZATION_ROLES, type OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB } from '../../db/schema.js';
import { accessDenied, ApiError, badRequest, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { AccessTokenService } from '../access-tokens/service.js';
import type { SessionService } from '../sessions/service.js';
import { UserRepository } from '../users/repository.js';
import { InvitationRepository, type InvitationWithUser } from './repository.js';

export const invitationBody = z.looseObject({
  email: z.string().email(),
  firstName: z.string().max(255).optional(),
  lastName: z.string().max(255).optional(),
  role: z.enum(ORGANIZATION_ROLES),
});
export type InvitationInput = z.infer<typeof invitationBody>;

/**
 * Organization invitations (seed 004). No email is sent: the invitation makes the user (inactive until
 * they accept) and their organization membership at once, so they can be added to teams and spaces right
 * away; the operator accepts it with the CLI, which activates the user and prints their first token.
 */
export class InvitationService {
  private readonly invitations: InvitationRepository;
  private readonly users: UserRepository;

  constructor(
    db: Kysely<DB>,
    private readonly access: OrganizationAccessPolicy,
    private readonly accessTokens: AccessTokenService,
    private readonly sessions: SessionService,
    private readonly notices: WriteNotices,
    private readonly publicUrl: string,
  ) {
    this.invitations = new InvitationRepository(db);
    this.users = new UserRepository(db);
  }

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
    const key = { organizationId };
    const invitation = await this.invitations.transaction(async (trx) => {
      const existing = await this.users.findByEmail(input.email, trx);
      const userId = existing?.id ?? (await this.users.insert({ ...input, activated: false }, trx)).id;
      const membershipId = await this.invitations.insertMembership(key, { userId, role: input.role }, actor.userId, trx);
      if (!membershipId) throw new ApiError('Conflict', `${input.email} is already a member of this organization`);
      const row = await this.invitations.in(key, trx).insert(
        {
          id: generateId(),
          organization_membership_id: membershipId,
          email: input.email,
          first_name: input.firstName ?? '',
          last_name: input.lastName ?? '',
          role: input.role,
        },
        actor.userId,
      );
      return this.view({ ...row, user_id: userId });
    });
    this.notices.written('settings');
    return invitation;
  }

  async get(actor: Actor, organizationId: string, id: string) {
    await this.access.requireManager(actor, organizationId);
    const row = await this.invitations.find({ organizationId }, id);
    if (!row) throw notFound('Invitation', id);
    return this.view(row);
  }

  /**
   * Operator action (CLI): accepts a pending invitation, activates the user and makes their first token;
   * with a password, the user can sign in to the web app with it.
   */
  async accept(id: string, options: { password?: string } = {}) {
    const passwordHash = options.password === undefined ? undefined : await this.sessions.hash(options.password);
    const accepted = await this.invitations.transaction(async (trx) => {
      const row = await this.invitations.lock(id, trx);
      if (!row) throw notFound('Invitation', id);
      if (row.status !== 'pending') throw badRequest('The invitation has already been accepted');
      const invitation = await this.invitations.markAccepted(row, trx);
      await this.users.activate(row.user_id, trx);
      if (passwordHash) await this.sessions.store(row.user_id, passwordHash, trx);
      const token = await this.accessTokens.create(row.user_id, { name: 'Invitation', scopes: ['content_management_manage'] }, trx);
      return { invitation: this.view({ ...invitation, user_id: row.user_id }), token };
    });
    this.notices.written('settings');
    return accepted;
  }
}
