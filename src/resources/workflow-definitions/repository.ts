import { type Kysely, sql } from 'kysely';
import { type EnvironmentKey, environmentColumns, Repository, type TableDefinition } from '../../db/repository.js';
import type { DB, WorkflowDefinitionRow } from '../../db/schema.js';

export const workflowDefinitionTable: TableDefinition<'workflow_definitions', EnvironmentKey> = {
  table: 'workflow_definitions',
  type: 'WorkflowDefinition',
  scope: environmentColumns,
  order: ['created_at', 'id'],
};

/** Workflow definitions of an environment. */
export class WorkflowDefinitionRepository extends Repository<'workflow_definitions', EnvironmentKey> {
  constructor(db: Kysely<DB>) {
    super(db, workflowDefinitionTable);
  }

  /**
   * The definition, locked in `trx` against changes (`share`: a workflow's writes hold it while they check
   * their step against it) or for a delete (`update`).
   */
  async locked(key: EnvironmentKey, id: string, trx: Kysely<DB>, lock: 'share' | 'update'): Promise<WorkflowDefinitionRow | undefined> {
    const query = this.in(key, trx).select().selectAll().where('id', '=', id);
    return (lock === 'share' ? query.forShare() : query.forUpdate()).executeTakeFirst();
  }

  /**
   * The definitions that start a workflow on each new entry of a content type (`startOnEntityCreation`, the
   * content type in `appliesTo`), held in `trx` while it starts them.
   */
  startingOn(key: EnvironmentKey, contentTypeId: string, trx: Kysely<DB>): Promise<WorkflowDefinitionRow[]> {
    const applies = JSON.stringify([{ validations: [{ linkContentType: [contentTypeId] }] }]);
    return this.in(key, trx)
      .select()
      .selectAll()
      .where('start_on_entity_creation', '=', true)
      .where(sql<boolean>`applies_to @> ${applies}::jsonb`)
      .orderBy('created_at')
      .orderBy('id')
      .forShare()
      .execute();
  }
}
