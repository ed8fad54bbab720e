import type { Kysely } from 'kysely';
import { type EnvironmentKey, environmentColumns, nextVersion, type ScopedTable, tableIn, type UpdateValues } from '../../db/repository.js';
import type { DB, EditorInterfaceRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import type { Paging } from '../../domain/collections.js';

type EditorInterfaceValues = UpdateValues<'editor_interfaces'>;

/**
 * Editor interfaces: one per content type, keyed by the content type's id (the table has no id of its
 * own, so it is not a versioned resource of the generic repository; its writes still move the version).
 */
export class EditorInterfaceRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private of(key: EnvironmentKey, contentTypeId: string, db: Kysely<DB> = this.db): ScopedTable<'editor_interfaces'> {
    return tableIn(db, 'editor_interfaces', { ...environmentColumns(key), content_type_id: contentTypeId });
  }

  list(key: EnvironmentKey, paging: Paging) {
    return tableIn(this.db, 'editor_interfaces', environmentColumns(key), ['content_type_id']).list(paging);
  }

  find(key: EnvironmentKey, contentTypeId: string, db: Kysely<DB> = this.db): Promise<EditorInterfaceRow | undefined> {
    return this.of(key, contentTypeId, db).select().selectAll().executeTakeFirst();
  }

  async insert(key: EnvironmentKey, contentTypeId: string, controls: string, userId: string | null, db: Kysely<DB>): Promise<void> {
    await this.of(key, contentTypeId, db)
      .inserting({ content_type_id: contentTypeId, controls, created_by: userId, updated_by: userId })
      .execute();
  }

  /** Saves `values` as the next version, whatever the current one. */
  async save(
    key: EnvironmentKey,
    contentTypeId: string,
    values: EditorInterfaceValues,
    userId: string | null,
    db: Kysely<DB>,
  ): Promise<void> {
    await this.of(key, contentTypeId, db)
      .updating()
      .set({ ...values, ...nextVersion(userId) })
      .execute();
  }

  /** Saves `values` if the interface still has `expectedVersion`: no interface is a 404, another version a 409. */
  update(
    key: EnvironmentKey,
    contentTypeId: string,
    expectedVersion: number | undefined,
    values: EditorInterfaceValues,
    userId: string | null,
  ): Promise<EditorInterfaceRow> {
    return versionLockedUpdate({
      type: 'EditorInterface',
      id: contentTypeId,
      expectedVersion,
      update: (version) =>
        this.of(key, contentTypeId)
          .updating()
          .set({ ...values, ...nextVersion(userId) })
          .where('version', '=', version)
          .returningAll()
          .executeTakeFirst(),
      exists: async () => (await this.find(key, contentTypeId)) !== undefined,
    });
  }
}
