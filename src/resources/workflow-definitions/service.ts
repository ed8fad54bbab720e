import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB, WorkflowDefinitionRow, WorkflowStepJson } from '../../db/schema.js';
import { badRequest, notFound, type ValidationErrorItem, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, environmentScope, versionedSys } from '../../http/sys.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { type ResourceDeclaration, VersionedResourceReader } from '../versioned-resource.js';
import { WorkflowRepository } from '../workflows/repository.js';
import { WorkflowDefinitionRepository, workflowDefinitionTable } from './repository.js';

/** A workflow definition as the client sends it (validated by the route's schema); `steps` may omit their ids. */
export interface WorkflowDefinitionInput {
  name: string;
  description?: string | null;
  appliesTo?: unknown[];
  steps?: { id?: string; name: string; [property: string]: unknown }[];
  startOnEntityCreation?: boolean;
  flowType?: 'no_restriction' | 'strict_neighbor';
}

export function workflowDefinitionView(row: WorkflowDefinitionRow) {
  return dropUndefined({
    sys: {
      id: row.id,
      type: 'WorkflowDefinition',
      ...versionedSys(row),
      ...environmentScope(row.space_id, row.environment_id),
      isLocked: false,
    },
    name: row.name,
    description: row.description ?? undefined,
    appliesTo: row.applies_to ?? undefined,
    steps: row.steps,
    startOnEntityCreation: row.start_on_entity_creation,
    flowType: row.flow_type,
  });
}

type WorkflowDefinitionView = ReturnType<typeof workflowDefinitionView>;

/** The steps to store: every step keeps the id it was sent with or gets one; ids must be unique. */
function storedSteps(input: WorkflowDefinitionInput): WorkflowStepJson[] {
  // The route's schema checked each step's shape.
  const steps = (input.steps ?? []).map((step) => ({ ...step, id: step.id ?? generateId() }) as WorkflowStepJson);
  const seen = new Set<string>();
  const errors: ValidationErrorItem[] = [];
  steps.forEach((step, index) => {
    if (seen.has(step.id))
      errors.push({ name: 'unique', path: ['steps', index, 'id'], value: step.id, details: 'Step ids must be unique' });
    seen.add(step.id);
  });
  if (errors.length) throw validationFailed(errors);
  return steps;
}

function columns(input: WorkflowDefinitionInput, steps: WorkflowStepJson[]) {
  return {
    name: input.name,
    description: input.description ?? null,
    applies_to: input.appliesTo ? JSON.stringify(input.appliesTo) : null,
    steps: JSON.stringify(steps),
    flow_type: input.flowType ?? 'no_restriction',
    start_on_entity_creation: input.startOnEntityCreation ?? false,
  };
}

const declaration: ResourceDeclaration<'workflow_definitions', EnvironmentScope, WorkflowDefinitionInput, WorkflowDefinitionView> = {
  ...workflowDefinitionTable,
  view: workflowDefinitionView,
  values: (input) => columns(input, storedSteps(input)),
  // "Get a workflow definition: accessible to all users"; "Only org or space admins can create [update] workflow definitions."
  canRead: () => undefined,
  canWrite: (_actor, scope) => scope.permissions.requireAdmin(),
  changes: 'content',
};

/**
 * Workflow definitions: an ordered list of at most 20 steps (route schema) with their actions and
 * permissions, the content types whose entries they apply to, and how workflows move (`flowType`). Space
 * admins write them, every member reads them. A definition keeps the steps its active workflows are at,
 * and is deleted only when none of its workflows is active.
 */
export class WorkflowDefinitionService extends VersionedResourceReader<
  'workflow_definitions',
  EnvironmentScope,
  WorkflowDefinitionInput,
  WorkflowDefinitionView
> {
  private readonly definitions: WorkflowDefinitionRepository;
  private readonly workflows: WorkflowRepository;

  constructor(db: Kysely<DB>, notices: WriteNotices) {
    const definitions = new WorkflowDefinitionRepository(db);
    super(db, declaration, notices, definitions);
    this.definitions = definitions;
    this.workflows = new WorkflowRepository(db);
  }

  async create(actor: Actor, scope: EnvironmentScope, input: WorkflowDefinitionInput) {
    await declaration.canWrite(actor, scope);
    const row = await this.definitions.in(scope).insert({ ...declaration.values(input), id: generateId() }, actor.userId);
    this.written();
    return workflowDefinitionView(row);
  }

  /** A version-locked replacement; a step an active workflow is at cannot be taken out. */
  async update(actor: Actor, scope: EnvironmentScope, id: string, input: WorkflowDefinitionInput, expectedVersion: number | undefined) {
    await declaration.canWrite(actor, scope);
    const steps = storedSteps(input);
    const row = await this.definitions.transaction(async (trx) => {
      // The update locks the row: a workflow moving to a step waits for it and checks the new steps.
      const updated = await this.definitions.in(scope, trx).update(id, expectedVersion, columns(input, steps), actor.userId);
      const kept = new Set(steps.map((s) => s.id));
      const removed = (await this.workflows.activeSteps(scope, id, trx)).filter((stepId) => !kept.has(stepId));
      if (removed.length)
        throw validationFailed(
          removed.map((stepId) => ({
            name: 'inUse',
            path: ['steps'],
            value: stepId,
            details: `Active workflows are at the step "${stepId}"; move, complete or cancel them first`,
          })),
        );
      return updated;
    });
    this.written();
    return workflowDefinitionView(row);
  }

  /** Deletes the definition (at `expectedVersion` when given) with its completed workflows; refused while one is active. */
  async delete(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    await declaration.canWrite(actor, scope);
    await this.definitions.transaction(async (trx) => {
      // Locked first: a workflow starting on it waits, then finds it gone.
      if (!(await this.definitions.locked(scope, id, trx, 'update'))) throw notFound('WorkflowDefinition', id);
      if ((await this.workflows.activeSteps(scope, id, trx)).length)
        throw badRequest('The workflow definition has active workflows; complete or cancel them first', { type: 'WorkflowDefinition', id });
      await this.definitions.in(scope, trx).delete(id, expectedVersion);
    });
    this.written();
  }

  /** The definition, held in `trx` while a workflow's change is checked against its steps. */
  async held(scope: EnvironmentScope, id: string, trx: Kysely<DB>): Promise<WorkflowDefinitionRow | undefined> {
    return this.definitions.locked(scope, id, trx, 'share');
  }

  /** The definitions that start a workflow on a new entry of this content type, held in `trx`. */
  startingOn(scope: EnvironmentScope, contentTypeId: string, trx: Kysely<DB>): Promise<WorkflowDefinitionRow[]> {
    return this.definitions.startingOn(scope, contentTypeId, trx);
  }
}
