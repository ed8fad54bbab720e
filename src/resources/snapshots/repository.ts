import type { Insertable, Kysely } from 'kysely';
import { type EnvironmentKey, environmentColumns, type ScopedTable, tableIn } from '../../db/repository.js';
import type { DB, SnapshotsTable } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';

/** The entry or content type snapshots are taken of. */
export interface SnapshotEntity {
  type: SnapshotsTable['entity_type'];
  id: string;
}

/** Publish snapshots: written once, never changed, read per entity. */
export class SnapshotRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The snapshots of one entry or content type, newest first. */
  private of(key: EnvironmentKey, entity: SnapshotEntity): ScopedTable<'snapshots'> {
    return tableIn(this.db, 'snapshots', { ...environmentColumns(key), entity_type: entity.type, entity_id: entity.id }, [
      'created_at desc',
      'id',
    ]);
  }

  list(key: EnvironmentKey, entity: SnapshotEntity, paging: Paging) {
    return this.of(key, entity).list(paging);
  }

  find(key: EnvironmentKey, entity: SnapshotEntity, id: string) {
    return this.of(key, entity).select().selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(row: Insertable<SnapshotsTable>): Promise<void> {
    const key = { spaceId: row.space_id, environmentId: row.environment_id };
    await tableIn(this.db, 'snapshots', environmentColumns(key)).inserting(row).execute();
  }
}
