import { type Kysely, sql } from 'kysely';
import { type OrganizationKey, organizationColumns, Repository, type Row, type TableDefinition } from '../../db/repository.js';
import type { DB, OrganizationRow, UserRow } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';
import { generateId } from '../../domain/ids.js';
import { type UserKey, userColumns } from '../users/repository.js';

type MembershipRow = Row<'organization_memberships'>;
type Role = MembershipRow['role'];

export const organizationMembershipTable: TableDefinition<'organization_memberships', OrganizationKey> = {
  table: 'organization_memberships',
  type: 'OrganizationMembership',
  scope: organizationColumns,
  order: ['created_at', 'id'],
};

const total = sql<number>`count(*)::int`.as('total');

/** Organizations, which a user reaches through their own memberships. */
export class OrganizationRepository {
  private readonly memberships: Repository<'organization_memberships', UserKey>;

  constructor(private readonly db: Kysely<DB>) {
    this.memberships = new Repository(db, { ...organizationMembershipTable, scope: userColumns, within: undefined });
  }

  private of(key: UserKey) {
    return this.memberships.in(key).select().innerJoin('organizations as o', 'o.id', 'organization_memberships.organization_id');
  }

  async list(key: UserKey, paging: Paging): Promise<{ rows: OrganizationRow[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.of(key).selectAll('o').orderBy('o.created_at').orderBy('o.id').offset(paging.skip).limit(paging.limit).execute(),
      this.of(key).select(total).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: count.total };
  }

  find(key: UserKey, id: string): Promise<OrganizationRow | undefined> {
    return this.of(key).selectAll('o').where('o.id', '=', id).executeTakeFirst();
  }

  /** The user's role in each of their organizations, oldest membership first. */
  roles(key: UserKey): Promise<Pick<MembershipRow, 'organization_id' | 'role'>[]> {
    return this.memberships.in(key).select().select(['organization_id', 'role']).orderBy('created_at').execute();
  }

  /** Organizations are the top of every scope: made by the operator, by id alone. */
  insert(name: string, db: Kysely<DB> = this.db): Promise<OrganizationRow> {
    return db.insertInto('organizations').values({ id: generateId(), name }).returningAll().executeTakeFirstOrThrow();
  }

  async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('organizations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Adds the user to the organization, or gives them `role` when they are in it already. */
  async addMember(key: OrganizationKey, userId: string, role: Role, db: Kysely<DB> = this.db): Promise<void> {
    await db
      .insertInto('organization_memberships')
      .values({ id: generateId(), organization_id: key.organizationId, user_id: userId, role, created_by: null, updated_by: null })
      .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  }
}

/** The memberships of one organization, and what leaving it takes away. */
export class OrganizationMembershipRepository extends Repository<'organization_memberships', OrganizationKey> {
  constructor(db: Kysely<DB>) {
    super(db, organizationMembershipTable);
  }

  private members(key: OrganizationKey) {
    return this.in(key).select().innerJoin('users as u', 'u.id', 'organization_memberships.user_id');
  }

  /** The organization's users, in the order they were created. */
  async users(key: OrganizationKey, paging: Paging): Promise<{ rows: UserRow[]; total: number }> {
    const members = () => this.members(key);
    const [rows, count] = await Promise.all([
      members().selectAll('u').orderBy('u.created_at').orderBy('u.id').offset(paging.skip).limit(paging.limit).execute(),
      members().select(total).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: count.total };
  }

  /** A user of the organization; none for a user who is not in it. */
  user(key: OrganizationKey, userId: string): Promise<UserRow | undefined> {
    return this.members(key).selectAll('u').where('u.id', '=', userId).executeTakeFirst();
  }

  /** The membership, locked until the end of the transaction `trx`. */
  lock(key: OrganizationKey, id: string, trx: Kysely<DB>): Promise<MembershipRow | undefined> {
    return this.in(key, trx).select().selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async ownersBesides(key: OrganizationKey, userId: string, trx: Kysely<DB>): Promise<number> {
    const { n } = await this.in(key, trx)
      .select()
      .select(sql<number>`count(*)::int`.as('n'))
      .where('role', '=', 'owner')
      .where('user_id', '<>', userId)
      .executeTakeFirstOrThrow();
    return n;
  }

  /** Ends a membership and, with it, the user's memberships of the organization's spaces. */
  async leave(key: OrganizationKey, membership: MembershipRow, trx: Kysely<DB>): Promise<void> {
    await this.in(key, trx).delete(membership.id);
    await trx
      .deleteFrom('space_memberships')
      .where('user_id', '=', membership.user_id)
      .where('space_id', 'in', trx.selectFrom('spaces').select('id').where('organization_id', '=', key.organizationId))
      .execute();
  }
}
