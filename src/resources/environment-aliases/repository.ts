import type { Kysely } from 'kysely';
import { Repository, rowsOf, type SpaceKey } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';

/** A space's environment aliases, and the environments they may target. */
export class EnvironmentAliasRepository extends Repository<'environment_aliases', SpaceKey> {
  private environments(key: SpaceKey, db: Kysely<DB>) {
    return rowsOf(db, 'environments', 'Environment', this.definition.scope(key));
  }

  /** The environment `id` of the space and its status, if there is one. */
  environment(key: SpaceKey, id: string, db: Kysely<DB> = this.db) {
    return this.environments(key, db).select().select(['id', 'status']).where('id', '=', id).executeTakeFirst();
  }

  /** The ids of the space's aliases, locked until `trx` ends so that creations serialize. */
  async lockedIds(key: SpaceKey, trx: Kysely<DB>): Promise<string[]> {
    const rows = await this.in(key, trx).select().select('id').forUpdate().execute();
    return rows.map((r) => r.id);
  }
}
