import { type Kysely, sql } from 'kysely';
import { type EnvironmentKey, environmentColumns, Repository, type TableDefinition, tableIn } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';

/** Where tasks live: one entry of one environment. */
export interface EntryKey extends EnvironmentKey {
  entryId: string;
}

const taskTable: TableDefinition<'tasks', EntryKey> = {
  table: 'tasks',
  type: 'Task',
  scope: (key) => ({ space_id: key.spaceId, environment_id: key.environmentId, entry_id: key.entryId }),
  order: ['created_at', 'id'],
};

/** An entry's tasks; every statement names the space, environment and entry. */
export class TaskRepository extends Repository<'tasks', EntryKey> {
  constructor(db: Kysely<DB>) {
    super(db, taskTable);
  }

  /** Whether the team has access to the space (a team space membership). */
  async teamInSpace(spaceId: string, teamId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('team_space_memberships')
      .select('id')
      .where('space_id', '=', spaceId)
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async inTeam(teamId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('team_memberships')
      .select('id')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }
}

/** Whether the entry `entryIdColumn` names has an unresolved task, as a column of a read of entries (a write's read). */
export function hasUnresolvedTasks(key: EnvironmentKey, entryIdColumn: string) {
  return unresolvedTasksExist(key, entryIdColumn).as('unresolved_tasks');
}

/** Whether the entry in `entryIdColumn` has an unresolved task, as a condition. */
export function unresolvedTasksExist(key: EnvironmentKey, entryIdColumn: string) {
  return sql<boolean>`exists (select 1 from tasks t where t.space_id = ${key.spaceId} and t.environment_id = ${key.environmentId}
    and t.entry_id = ${sql.ref(entryIdColumn)} and t.status = 'active')`;
}

/** Of these entries, those with an unresolved task (one statement): publishing them is refused. */
export async function entriesWithUnresolvedTasks(db: Kysely<DB>, key: EnvironmentKey, entryIds: string[]): Promise<Set<string>> {
  if (entryIds.length === 0) return new Set();
  const rows = await tableIn(db, 'tasks', environmentColumns(key))
    .select()
    .select('entry_id')
    .distinct()
    .where('entry_id', 'in', entryIds)
    .where('status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.entry_id));
}
