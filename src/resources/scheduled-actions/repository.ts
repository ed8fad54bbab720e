import { type Kysely, sql } from 'kysely';
import type { DB, ScheduledActionRow } from '../../db/schema.js';

const SCHEDULED_ENTITY_TYPES = ['Entry', 'Asset', 'Release'] as const;
type ScheduledEntityType = (typeof SCHEDULED_ENTITY_TYPES)[number];

export interface ScheduledActionFilters {
  environmentId: string;
  ids?: string[];
  statuses?: string[];
  entityId?: string;
  entityTypes?: string[];
  datetime?: { op: '=' | '<' | '<=' | '>' | '>='; value: string }[];
  descending: boolean;
  skip: number;
  limit: number;
}

/** Scheduled actions of a space; every statement names the space (and the environment where the API does). */
export class ScheduledActionRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(
    row: Omit<
      ScheduledActionRow,
      'version' | 'status' | 'error' | 'canceled_by' | 'canceled_at' | 'claimed_at' | 'created_at' | 'updated_at'
    >,
  ) {
    return this.db
      .insertInto('scheduled_actions')
      .values({
        ...row,
        scheduled_for_json: JSON.stringify(row.scheduled_for_json),
        payload: row.payload === null ? null : JSON.stringify(row.payload),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async find(spaceId: string, environmentId: string, id: string) {
    return this.db
      .selectFrom('scheduled_actions')
      .selectAll()
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', environmentId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async pending(spaceId: string, environmentId: string): Promise<number> {
    const row = await this.db
      .selectFrom('scheduled_actions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', environmentId)
      .where('status', '=', 'scheduled')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page (one more row than `limit`, to tell whether another page follows). */
  async list(spaceId: string, f: ScheduledActionFilters) {
    let query = this.db
      .selectFrom('scheduled_actions')
      .selectAll()
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', f.environmentId);
    if (f.ids) query = query.where('id', 'in', f.ids.length ? f.ids : ['']);
    if (f.statuses) query = query.where('status', 'in', (f.statuses.length ? f.statuses : ['']) as never);
    if (f.entityId) query = query.where('entity_id', '=', f.entityId);
    if (f.entityTypes) {
      const types = f.entityTypes.filter((t): t is ScheduledEntityType => (SCHEDULED_ENTITY_TYPES as readonly string[]).includes(t));
      query = types.length ? query.where('entity_type', 'in', types) : query.where(sql<boolean>`false`);
    }
    for (const d of f.datetime ?? []) query = query.where('scheduled_for', d.op, new Date(d.value));
    return query
      .orderBy('scheduled_for', f.descending ? 'desc' : 'asc')
      .orderBy('id')
      .offset(f.skip)
      .limit(f.limit + 1)
      .execute();
  }

  /** Changes a still scheduled action at `version`; undefined when it is gone, changed or no longer scheduled. */
  async update(
    spaceId: string,
    environmentId: string,
    id: string,
    version: number,
    changes: Pick<
      ScheduledActionRow,
      'entity_type' | 'entity_id' | 'action' | 'scheduled_for' | 'scheduled_for_json' | 'payload' | 'updated_by'
    >,
    now: Date,
  ) {
    return this.db
      .updateTable('scheduled_actions')
      .set({
        ...changes,
        scheduled_for_json: JSON.stringify(changes.scheduled_for_json),
        payload: changes.payload === null ? null : JSON.stringify(changes.payload),
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', environmentId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'scheduled')
      .returningAll()
      .executeTakeFirst();
  }

  async cancel(spaceId: string, environmentId: string, id: string, userId: string, now: Date) {
    return this.db
      .updateTable('scheduled_actions')
      .set({ status: 'canceled', canceled_by: userId, canceled_at: now, updated_by: userId, updated_at: now, version: sql`version + 1` })
      .where('space_id', '=', spaceId)
      .where('environment_id', '=', environmentId)
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Takes the next due action for this process: one statement moves it from scheduled to inProgress,
   * skipping rows another process is taking, so no two processes run the same action.
   */
  async claimDue(now: Date): Promise<ScheduledActionRow | undefined> {
    const result = await sql<ScheduledActionRow>`
      update scheduled_actions a set status = 'inProgress', claimed_at = ${now}, version = a.version + 1
      where (a.space_id, a.id) = (
        select space_id, id from scheduled_actions
        where status = 'scheduled' and scheduled_for <= ${now}
        order by scheduled_for, id
        limit 1
        for update skip locked)
      returning a.*`.execute(this.db);
    return result.rows[0];
  }

  async finish(row: ScheduledActionRow, outcome: { status: 'succeeded' | 'failed'; error?: Record<string, unknown> }, now: Date) {
    return this.db
      .updateTable('scheduled_actions')
      .set({
        status: outcome.status,
        error: outcome.error ? JSON.stringify(outcome.error) : null,
        updated_at: now,
        version: sql`version + 1`,
      })
      .where('space_id', '=', row.space_id)
      .where('id', '=', row.id)
      .where('status', '=', 'inProgress')
      .returningAll()
      .executeTakeFirst();
  }

  /** Gives a taken action back (its run could not start), to be taken again. */
  async release(row: ScheduledActionRow) {
    await this.db
      .updateTable('scheduled_actions')
      .set({ status: 'scheduled', claimed_at: null })
      .where('space_id', '=', row.space_id)
      .where('id', '=', row.id)
      .where('status', '=', 'inProgress')
      .execute();
  }

  /** Whether the action's entity shows its effect since the action was taken (published, or unpublished, then). */
  async entityChangedSince(row: ScheduledActionRow): Promise<boolean> {
    // A release's outcome is its release action's: one a stopped process started is not looked for.
    if (row.entity_type === 'Release') return false;
    const table = row.entity_type === 'Entry' ? 'entries' : 'assets';
    const since = row.claimed_at ?? row.updated_at;
    let query = this.db
      .selectFrom(table as 'entries')
      .select('id')
      .where('space_id', '=', row.space_id)
      .where('environment_id', '=', row.environment_id)
      .where('id', '=', row.entity_id);
    query =
      row.action === 'publish'
        ? query.where('published_at', '>=', since)
        : query.where('published_version', 'is', null).where('updated_at', '>=', since);
    return (await query.executeTakeFirst()) !== undefined;
  }

  /** Actions a process took and never finished (it stopped), taken longer than `before` ago. */
  async abandoned(before: Date) {
    return this.db
      .selectFrom('scheduled_actions')
      .selectAll()
      .where('status', '=', 'inProgress')
      .where('claimed_at', '<', before)
      .execute();
  }
}
