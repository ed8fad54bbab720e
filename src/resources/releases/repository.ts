import { type Kysely, sql } from 'kysely';
import type { EnvironmentKey } from '../../db/repository.js';
import type { DB, ReleaseActionRow, ReleaseRow } from '../../db/schema.js';

export interface ReleaseFilters {
  ids?: string[];
  excludedIds?: string[];
  statuses?: string[];
  excludedStatuses?: string[];
  entityIds?: string[];
  title?: string;
  /** `Release.v1` also matches releases created without a schema version. */
  schemaVersion?: string;
  skip: number;
  limit: number;
}

/** Releases and their actions in one environment; every statement names the space and environment. */
export class ReleaseRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private releases(key: EnvironmentKey) {
    return this.db.selectFrom('releases').where('space_id', '=', key.spaceId).where('environment_id', '=', key.environmentId);
  }

  async insert(key: EnvironmentKey, row: Pick<ReleaseRow, 'id' | 'title' | 'entities' | 'schema_version' | 'metadata' | 'created_by'>) {
    return this.db
      .insertInto('releases')
      .values({
        ...row,
        space_id: key.spaceId,
        environment_id: key.environmentId,
        entities: JSON.stringify(row.entities),
        metadata: row.metadata === null ? null : JSON.stringify(row.metadata),
        updated_by: row.created_by,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async find(key: EnvironmentKey, id: string) {
    return this.releases(key).selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A page (one more row than `limit`, to tell whether another page follows), newest change first. */
  async list(key: EnvironmentKey, f: ReleaseFilters) {
    let query = this.releases(key).selectAll();
    if (f.ids) query = query.where('id', 'in', f.ids.length ? f.ids : ['']);
    if (f.excludedIds?.length) query = query.where('id', 'not in', f.excludedIds);
    if (f.statuses) query = query.where('status', 'in', (f.statuses.length ? f.statuses : ['']) as never);
    if (f.excludedStatuses?.length) query = query.where('status', 'not in', f.excludedStatuses as never);
    if (f.schemaVersion === 'Release.v1')
      query = query.where((eb) => eb.or([eb('schema_version', 'is', null), eb('schema_version', '=', 'Release.v1')]));
    else if (f.schemaVersion) query = query.where('schema_version', '=', f.schemaVersion);
    if (f.title) query = query.where(sql<boolean>`strpos(lower(title), lower(${f.title})) > 0`);
    if (f.entityIds)
      query = query.where(
        sql<boolean>`exists (select 1 from jsonb_array_elements(entities) e where coalesce(e -> 'sys' ->> 'id', e -> 'entity' -> 'sys' ->> 'id') = any(${f.entityIds}::text[]))`,
      );
    return query
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .offset(f.skip)
      .limit(f.limit + 1)
      .execute();
  }

  /** Changes a release at `version`; undefined when it is gone or changed. */
  async update(
    key: EnvironmentKey,
    id: string,
    version: number,
    changes: Partial<Omit<ReleaseRow, 'space_id' | 'environment_id' | 'id'>>,
    now: Date,
  ) {
    const set: Record<string, unknown> = { ...changes, updated_at: now, version: sql`version + 1` };
    if (changes.entities !== undefined) set.entities = JSON.stringify(changes.entities);
    if (changes.metadata !== undefined) set.metadata = changes.metadata === null ? null : JSON.stringify(changes.metadata);
    return this.db
      .updateTable('releases')
      .set(set)
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  async delete(key: EnvironmentKey, id: string) {
    return this.db
      .deleteFrom('releases')
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async insertAction(key: EnvironmentKey, row: Pick<ReleaseActionRow, 'id' | 'release_id' | 'action' | 'created_by'>) {
    return this.db
      .insertInto('release_actions')
      .values({ ...row, space_id: key.spaceId, environment_id: key.environmentId, updated_by: row.created_by })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async findAction(key: EnvironmentKey, releaseId: string, id: string) {
    return this.db
      .selectFrom('release_actions')
      .selectAll()
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId)
      .where('release_id', '=', releaseId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async listActions(
    key: EnvironmentKey,
    f: { releaseIds?: string[]; ids?: string[]; statuses?: string[]; action?: string; limit: number },
  ) {
    let query = this.db
      .selectFrom('release_actions')
      .selectAll()
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId);
    if (f.releaseIds) query = query.where('release_id', 'in', f.releaseIds.length ? f.releaseIds : ['']);
    if (f.ids) query = query.where('id', 'in', f.ids.length ? f.ids : ['']);
    if (f.statuses) query = query.where('status', 'in', (f.statuses.length ? f.statuses : ['']) as never);
    if (f.action) query = query.where('action', '=', f.action as never);
    return query.orderBy('created_at', 'desc').orderBy('id').limit(f.limit).execute();
  }

  /** Takes the oldest waiting release action for this process (created -> inProgress). */
  async claimNextAction(now: Date): Promise<ReleaseActionRow | undefined> {
    const result = await sql<ReleaseActionRow>`
      update release_actions a set status = 'inProgress', claimed_at = ${now}, updated_at = ${now}
      where (a.space_id, a.environment_id, a.id) = (
        select space_id, environment_id, id from release_actions where status = 'created' order by created_at, id limit 1 for update skip locked)
      returning a.*`.execute(this.db);
    return result.rows[0];
  }

  async finishAction(row: ReleaseActionRow, outcome: { status: 'succeeded' | 'failed'; error?: Record<string, unknown> }, now: Date) {
    return this.db
      .updateTable('release_actions')
      .set({ status: outcome.status, error: outcome.error ? JSON.stringify(outcome.error) : null, updated_at: now })
      .where('space_id', '=', row.space_id)
      .where('environment_id', '=', row.environment_id)
      .where('id', '=', row.id)
      .where('status', '=', 'inProgress')
      .returningAll()
      .executeTakeFirst();
  }

  async releaseAction(row: ReleaseActionRow) {
    await this.db
      .updateTable('release_actions')
      .set({ status: 'created', claimed_at: null })
      .where('space_id', '=', row.space_id)
      .where('environment_id', '=', row.environment_id)
      .where('id', '=', row.id)
      .where('status', '=', 'inProgress')
      .execute();
  }
}
