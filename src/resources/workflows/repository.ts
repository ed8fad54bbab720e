import { type Expression, type Insertable, type Kysely, type SqlBool, sql } from 'kysely';
import { oneOf } from '../../db/lists.js';
import {
  type EnvironmentKey,
  environmentColumns,
  type Ordering,
  Repository,
  rowsOf,
  type TableDefinition,
  tableIn,
} from '../../db/repository.js';
import type { DB, WorkflowStepJson, WorkflowsChangelogTable } from '../../db/schema.js';
import type { Paging } from '../../domain/collections.js';
import { validationFailed } from '../../domain/errors.js';

export const workflowTable: TableDefinition<'workflows', EnvironmentKey> = {
  table: 'workflows',
  type: 'Workflow',
  scope: environmentColumns,
  order: ['created_at desc', 'id'],
  // The partial unique index: one active workflow of a definition per entry.
  conflict: () =>
    validationFailed([
      { name: 'unique', path: ['entity'], details: 'The entry already has an active workflow of this workflow definition' },
    ]),
};

export interface WorkflowFilters {
  stepIds?: string[];
  entityIds?: string[];
  definitionId?: string;
  order: Ordering<'workflows'>;
}

export interface ChangelogFilters {
  entityIds: string[];
  workflowId?: string;
  definitionIds?: string[];
  eventAt: { op: '<=' | '>='; value: Date }[];
}

/** Workflows of an environment, the entries they are on, and the workflows changelog. */
export class WorkflowRepository extends Repository<'workflows', EnvironmentKey> {
  constructor(db: Kysely<DB>) {
    super(db, workflowTable);
  }

  /** The workflow, locked in `trx` for a change. */
  locked(key: EnvironmentKey, id: string, trx: Kysely<DB>) {
    return this.in(key, trx).select().selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /**
   * What the read permission of these entries looks at; in `trx`, locked against their deletion while a
   * workflow starts on one.
   */
  entries(key: EnvironmentKey, entityIds: string[], trx?: Kysely<DB>) {
    const query = rowsOf(trx ?? this.db, 'entries', 'Entry', environmentColumns(key))
      .select()
      .select(['id', 'content_type_id', 'created_by', 'tags'])
      .where('id', '=', oneOf(entityIds));
    return (trx ? query.forShare() : query).execute();
  }

  /** The steps the active workflows of a definition are at. */
  async activeSteps(key: EnvironmentKey, definitionId: string, trx: Kysely<DB>): Promise<string[]> {
    const rows = await this.in(key, trx)
      .select()
      .select('step_id')
      .distinct()
      .where('definition_id', '=', definitionId)
      .where('completed_at', 'is', null)
      .execute();
    return rows.map((r) => r.step_id);
  }

  /** A page of active workflows (and their total), only those on entries `readable` lets the caller read. */
  list(key: EnvironmentKey, f: WorkflowFilters, paging: Paging, readable: Expression<SqlBool> | undefined) {
    return tableIn(this.db, 'workflows', environmentColumns(key), [f.order, 'id']).list(paging, (query) => {
      let narrowed = query.where('completed_at', 'is', null);
      if (f.stepIds) narrowed = narrowed.where('step_id', '=', oneOf(f.stepIds));
      if (f.entityIds) narrowed = narrowed.where('entity_id', '=', oneOf(f.entityIds));
      if (f.definitionId) narrowed = narrowed.where('definition_id', '=', f.definitionId);
      if (readable)
        narrowed = narrowed.where(
          sql<SqlBool>`exists (select 1 from entries e where e.space_id = workflows.space_id and e.environment_id = workflows.environment_id and e.id = workflows.entity_id and ${readable})`,
        );
      return narrowed;
    });
  }

  /** The active workflows on these entries, each with the steps of its definition (publishing looks at them). */
  activeOn(key: EnvironmentKey, entryIds: string[]) {
    return this.in(key)
      .select()
      .select([
        'entity_id',
        'step_id',
        sql<WorkflowStepJson[]>`(select d.steps from workflow_definitions d
          where d.space_id = workflows.space_id and d.environment_id = workflows.environment_id and d.id = workflows.definition_id)`.as(
          'steps',
        ),
      ])
      .where('entity_id', '=', oneOf(entryIds))
      .where('completed_at', 'is', null)
      .execute();
  }

  /** The teams a user is a member of (a step's permissions may name teams). */
  async teamIdsOf(userId: string, db: Kysely<DB> = this.db): Promise<Set<string>> {
    const rows = await db.selectFrom('team_memberships').select('team_id').where('user_id', '=', userId).execute();
    return new Set(rows.map((r) => r.team_id));
  }

  /** Records a workflow event in the changelog, in the transaction of the change. */
  async record(key: EnvironmentKey, trx: Kysely<DB>, record: Omit<Insertable<WorkflowsChangelogTable>, 'space_id' | 'environment_id'>) {
    await tableIn(trx, 'workflows_changelog', environmentColumns(key)).inserting(record).execute();
  }

  /** A page of changelog records (and their total), the most recent event first. */
  changelog(key: EnvironmentKey, f: ChangelogFilters, paging: Paging) {
    return tableIn(this.db, 'workflows_changelog', environmentColumns(key), ['event_at desc', 'seq desc']).list(paging, (query) => {
      let narrowed = query.where('entity_id', '=', oneOf(f.entityIds));
      if (f.workflowId) narrowed = narrowed.where('workflow_id', '=', f.workflowId);
      if (f.definitionIds) narrowed = narrowed.where('definition_id', '=', oneOf(f.definitionIds));
      for (const { op, value } of f.eventAt) narrowed = narrowed.where('event_at', op, value);
      return narrowed;
    });
  }
}
