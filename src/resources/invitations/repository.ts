import { type Kysely, sql } from 'kysely';
import { type OrganizationKey, organizationColumns, Repository, type Row } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { generateId } from '../../domain/ids.js';

export type InvitationWithUser = Row<'organization_invitations'> & { user_id: string };

/** Organization invitations, with the user of the membership each one made. */
export class InvitationRepository extends Repository<'organization_invitations', OrganizationKey> {
  constructor(db: Kysely<DB>) {
    super(db, { table: 'organization_invitations', type: 'Invitation', scope: organizationColumns, order: ['created_at', 'id'] });
  }

  private withUser(db: Kysely<DB>) {
    return db
      .selectFrom('organization_invitations as i')
      .innerJoin('organization_memberships as om', 'om.id', 'i.organization_membership_id')
      .selectAll('i')
      .select('om.user_id');
  }

  find(key: OrganizationKey, id: string): Promise<InvitationWithUser | undefined> {
    return this.withUser(this.db).where('i.organization_id', '=', key.organizationId).where('i.id', '=', id).executeTakeFirst();
  }

  /** The operator accepts an invitation by its id alone; it stays locked until `trx` ends. */
  lock(id: string, trx: Kysely<DB>): Promise<InvitationWithUser | undefined> {
    return this.withUser(trx).where('i.id', '=', id).forUpdate().executeTakeFirst();
  }

  /** The user's membership of the organization, made with their invitation; undefined when they have one already. */
  async insertMembership(
    key: OrganizationKey,
    values: { userId: string; role: Row<'organization_memberships'>['role'] },
    authorId: string,
    trx: Kysely<DB>,
  ): Promise<string | undefined> {
    const row = await trx
      .insertInto('organization_memberships')
      .values({
        id: generateId(),
        organization_id: key.organizationId,
        user_id: values.userId,
        role: values.role,
        created_by: authorId,
        updated_by: authorId,
      })
      .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  /** Accepting is the operator's act, so the invitation keeps the author of its last change. */
  markAccepted(invitation: Row<'organization_invitations'>, trx: Kysely<DB>): Promise<Row<'organization_invitations'>> {
    return this.in({ organizationId: invitation.organization_id }, trx)
      .updating()
      .set({ status: 'accepted', version: sql`version + 1`, updated_at: new Date() })
      .where('id', '=', invitation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
