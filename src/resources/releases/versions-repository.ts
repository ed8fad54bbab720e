import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { EnvironmentKey } from '../../db/repository.js';
import type { DB, LocalizedFields, ReleaseVersionRow } from '../../db/schema.js';

export type ReleaseEntityType = ReleaseVersionRow['entity_type'];

/** Releases' own versions of entries and assets; every statement names the space and environment. */
export class ReleaseVersionRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private versions(key: EnvironmentKey) {
    return this.db
      .selectFrom('release_versions')
      .selectAll()
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId);
  }

  /** The versions one release holds, of one type or all, of some entities or all. */
  async ofRelease(key: EnvironmentKey, releaseId: string, type?: ReleaseEntityType, ids?: string[]): Promise<ReleaseVersionRow[]> {
    let query = this.versions(key).where('release_id', '=', releaseId);
    if (type) query = query.where('entity_type', '=', type);
    if (ids) query = query.where('entity_id', 'in', ids.length ? ids : ['']);
    return query.execute();
  }

  /** Every version the named releases hold of these entities (timeline preview). */
  async ofEntities(key: EnvironmentKey, releaseIds: string[], type: ReleaseEntityType, ids: string[]): Promise<ReleaseVersionRow[]> {
    if (releaseIds.length === 0 || ids.length === 0) return [];
    return this.versions(key).where('entity_type', '=', type).where('entity_id', 'in', ids).where('release_id', 'in', releaseIds).execute();
  }

  /** The first version of an entity in a release; undefined when the release has one already. */
  async insert(
    key: EnvironmentKey,
    row: Pick<ReleaseVersionRow, 'release_id' | 'entity_type' | 'entity_id' | 'tags' | 'version' | 'created_by'> & {
      fields: LocalizedFields;
    },
  ) {
    return this.db
      .insertInto('release_versions')
      .values({
        ...row,
        space_id: key.spaceId,
        environment_id: key.environmentId,
        fields: JSON.stringify(row.fields),
        updated_by: row.created_by,
      })
      .onConflict((c) => c.doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** Replaces a version's content when it is still at `version`; undefined otherwise. */
  async update(
    key: EnvironmentKey,
    current: ReleaseVersionRow,
    version: number,
    draft: { fields: LocalizedFields; tags: string[] },
    userId: string,
    now: Date,
  ) {
    return this.db
      .updateTable('release_versions')
      .set({ fields: JSON.stringify(draft.fields), tags: draft.tags, version: sql`version + 1`, updated_by: userId, updated_at: now })
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId)
      .where('release_id', '=', current.release_id)
      .where('entity_type', '=', current.entity_type)
      .where('entity_id', '=', current.entity_id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }
}
