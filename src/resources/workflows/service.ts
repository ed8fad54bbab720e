import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type {
  DB,
  WorkflowDefinitionRow,
  WorkflowRow,
  WorkflowStepJson,
  WorkflowStepPermissionJson,
  WorkflowsChangelogRow,
} from '../../db/schema.js';
import { collection, parsePaging } from '../../domain/collections.js';
import { accessDenied, type ApiError, badRequest, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, environmentScope, iso, link, userLink, versionedSys } from '../../http/sys.js';
import { recordEvent } from '../../events/outbox.js';
import { writeWithEvent } from '../background/acting.js';
import type { EntryWorkflows } from '../entries/service.js';
import type { EnvironmentScope } from '../environments/scope.js';
import type { WorkflowDefinitionService } from '../workflow-definitions/service.js';
import { type ChangelogFilters, type WorkflowFilters, WorkflowRepository } from './repository.js';

export interface WorkflowInput {
  entity: { sys: { id: string } };
  workflowDefinition: { sys: { id: string } };
  stepId?: string;
}

export function workflowView(row: WorkflowRow) {
  return {
    stepId: row.step_id,
    sys: dropUndefined({
      id: row.id,
      type: 'Workflow',
      ...versionedSys(row),
      ...environmentScope(row.space_id, row.environment_id),
      entity: link('Entry', row.entity_id),
      workflowDefinition: link('WorkflowDefinition', row.definition_id),
      completedAt: iso(row.completed_at),
      completedBy: userLink(row.completed_by),
    }),
  };
}

function changelogView(row: WorkflowsChangelogRow) {
  return dropUndefined({
    event: row.event,
    eventBy: userLink(row.event_by),
    eventAt: iso(row.event_at),
    workflow: { sys: { type: 'Link', linkType: 'Workflow', id: row.workflow_id, version: row.workflow_version } },
    workflowDefinition: link('WorkflowDefinition', row.definition_id),
    entity: link('Entry', row.entity_id),
    stepId: row.step_id,
    stepName: row.step_name,
    stepAnnotations: row.step_annotations,
  });
}

/** A `Workflow.<action>` webhook event (Contentful's content events: create, save and complete; `begin` records create). */
const workflowEvent = (action: 'save' | 'complete', actor: Actor) => ({
  type: 'Workflow' as const,
  action,
  payload: workflowView,
  userId: actor.userId,
});

/** Whether a step's rule names the actor: everyone, the user, or one of their teams. */
function namesActor(rule: WorkflowStepPermissionJson, userId: string, teams: ReadonlySet<string>): boolean {
  const { actors } = rule.configuration;
  return actors === 'all' || actors.some((a) => (a.sys.linkType === 'User' ? a.sys.id === userId : teams.has(a.sys.id)));
}

const stepIndex = (definition: WorkflowDefinitionRow, stepId: string) => definition.steps.findIndex((s) => s.id === stepId);

const ORDERS = {
  'sys.createdAt': 'created_at',
  '-sys.createdAt': 'created_at desc',
  'sys.updatedAt': 'updated_at',
  '-sys.updatedAt': 'updated_at desc',
} as const satisfies Record<string, WorkflowFilters['order']>;

/** A query parameter given once (a repeated one is a 400), or undefined. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`The query parameter "${name}" must be given once`);
  return value;
}

const commaList = (value: string | undefined) =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** `sys.entity.sys.linkType` (or `entity.sys.linkType`) must be `Entry` where the API takes entry ids. */
function assertEntryLinkType(name: string, value: string | undefined) {
  if (value?.toLowerCase() !== 'entry') throw badRequest(`The query parameter "${name}" must be "Entry"`);
}

function workflowFilters(query: Record<string, unknown>): WorkflowFilters {
  const linkType = single(query, 'sys.entity.sys.linkType');
  const entityIds = commaList(single(query, 'sys.entity.sys.id[in]'));
  if ((linkType === undefined) !== (entityIds === undefined))
    throw badRequest('The query parameters "sys.entity.sys.linkType" and "sys.entity.sys.id[in]" go together');
  if (linkType !== undefined) assertEntryLinkType('sys.entity.sys.linkType', linkType);
  const order = single(query, 'order') ?? '-sys.createdAt';
  if (!(order in ORDERS)) throw badRequest(`Workflows are ordered by ${Object.keys(ORDERS).join(', ')}`);
  return {
    stepIds: commaList(single(query, 'stepId[in]')),
    entityIds,
    definitionId: single(query, 'sys.workflowDefinition.sys.id'),
    order: ORDERS[order as keyof typeof ORDERS],
  };
}

function changelogFilters(query: Record<string, unknown>): ChangelogFilters {
  assertEntryLinkType('entity.sys.linkType', single(query, 'entity.sys.linkType'));
  const entityIds = commaList(single(query, 'entity.sys.id'));
  if (!entityIds?.length) throw badRequest('The query parameter "entity.sys.id" is required');
  const eventAt: ChangelogFilters['eventAt'] = [];
  for (const [param, op] of [
    ['eventAt[lte]', '<='],
    ['eventAt[gte]', '>='],
  ] as const) {
    const raw = single(query, param);
    if (raw === undefined) continue;
    const value = new Date(raw);
    if (Number.isNaN(value.getTime())) throw badRequest(`The query parameter "${param}" must be an ISO 8601 date`);
    eventAt.push({ op, value });
  }
  return {
    entityIds,
    workflowId: single(query, 'workflow.sys.id'),
    definitionIds: commaList(single(query, 'workflowDefinition.sys.id[in]')),
    eventAt,
  };
}

/**
 * Workflows: one entry taken through the steps of a workflow definition, one active workflow of a
 * definition per entry. Any user who may read the entry starts one and reads it; moving it to another step,
 * completing and cancelling it is for space admins and for the users and teams the current step's
 * `workflow_permission` rules allow. Every change is recorded in the workflows changelog (and announced to
 * webhooks as Workflow.create, save or complete) in its own transaction. A step's `entity_permission`
 * rule that denies `publish` keeps the actors it names from publishing the entry (`publishRefusals`).
 */
export class WorkflowService implements EntryWorkflows {
  private readonly rows: WorkflowRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly definitions: WorkflowDefinitionService,
  ) {
    this.rows = new WorkflowRepository(db);
  }

  /** The entries of these ids that exist and that the caller may read (in `trx`, held until it ends). */
  private async readableEntries(scope: EnvironmentScope, ids: string[], trx?: Kysely<DB>) {
    const policy = scope.permissions.content;
    return (await this.rows.entries(scope, ids, trx)).filter((e) =>
      policy.allows('read', { type: 'Entry', id: e.id, contentTypeId: e.content_type_id, createdBy: e.created_by, tags: e.tags }),
    );
  }

  /** Whether the caller may read the workflow's entry. */
  private async entryReadable(scope: EnvironmentScope, workflow: WorkflowRow, trx?: Kysely<DB>): Promise<boolean> {
    return (await this.readableEntries(scope, [workflow.entity_id], trx)).length === 1;
  }

  /** The teams of the actor, looked up (in `db`) only when one of these rules names a team. */
  private actorTeams(actor: Actor, rules: WorkflowStepPermissionJson[], db: Kysely<DB> = this.db): Promise<Set<string>> {
    const namesTeam = rules.some((r) => r.configuration.actors !== 'all' && r.configuration.actors.some((a) => a.sys.linkType === 'Team'));
    return namesTeam ? this.rows.teamIdsOf(actor.userId, db) : Promise.resolve(new Set());
  }

  /**
   * "Only org or space admins can update [complete, cancel] by default; step-level permissions can grant
   * access to other users": an allow rule of the current step that names the actor, and no deny rule that does.
   */
  private async mayChange(actor: Actor, scope: EnvironmentScope, step: WorkflowStepJson, trx: Kysely<DB>): Promise<boolean> {
    if (scope.permissions.admin) return true;
    const rules = (step.permissions ?? []).filter((p) => p.type === 'workflow_permission');
    const teams = await this.actorTeams(actor, rules, trx);
    const named = rules.filter((r) => namesActor(r, actor.userId, teams));
    return named.some((r) => r.configuration.effect === 'allow') && !named.some((r) => r.configuration.effect === 'deny');
  }

  async create(actor: Actor, scope: EnvironmentScope, input: WorkflowInput) {
    const row = await this.db.transaction().execute(async (trx) => {
      const entityId = input.entity.sys.id;
      const [entry] = await this.readableEntries(scope, [entityId], trx);
      if (!entry)
        throw validationFailed([
          { name: 'notResolvable', path: ['entity'], value: entityId, details: `The entry "${entityId}" does not exist` },
        ]);
      const definitionId = input.workflowDefinition.sys.id;
      const definition = await this.definitions.held(scope, definitionId, trx);
      if (!definition)
        throw validationFailed([
          {
            name: 'notResolvable',
            path: ['workflowDefinition'],
            value: definitionId,
            details: `The workflow definition "${definitionId}" does not exist`,
          },
        ]);
      assertApplies(definition, entry.content_type_id);
      const step = input.stepId === undefined ? definition.steps[0] : definition.steps.find((s) => s.id === input.stepId);
      if (!step) throw unknownStep(definition, input.stepId);
      return this.begin(actor, scope, trx, entityId, definition, step);
    });
    return workflowView(row);
  }

  /**
   * "startOnEntityCreation: automatically start a workflow on targeted entries when they are created": a
   * workflow at the first step of each such definition for the entry's content type, in the entry's transaction.
   */
  async startOnCreation(actor: Actor, scope: EnvironmentScope, trx: Kysely<DB>, entry: { id: string; content_type_id: string }) {
    for (const definition of await this.definitions.startingOn(scope, entry.content_type_id, trx)) {
      if (definition.steps.length) await this.begin(actor, scope, trx, entry.id, definition, definition.steps[0]);
    }
  }

  /** Starts a workflow at `step`, with its changelog record and `Workflow.create` event, in `trx`. */
  private async begin(
    actor: Actor,
    scope: EnvironmentScope,
    trx: Kysely<DB>,
    entityId: string,
    definition: WorkflowDefinitionRow,
    step: WorkflowStepJson,
  ) {
    const created = await this.rows
      .in(scope, trx)
      .insert({ id: generateId(), entity_id: entityId, definition_id: definition.id, step_id: step.id }, actor.userId);
    await this.record(scope, trx, created, 'created', actor, step, created.created_at);
    await recordEvent(trx, {
      spaceId: created.space_id,
      environmentId: created.environment_id,
      entityType: 'Workflow',
      entityId: created.id,
      action: 'create',
      payload: workflowView(created),
      userId: actor.userId,
      triggerHeaders: actor.triggerHeaders,
    });
    return created;
  }

  async get(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.rows.in(scope).find(id);
    if (!row || !(await this.entryReadable(scope, row))) throw notFound('Workflow', id);
    return workflowView(row);
  }

  /** Active workflows, filtered as the SDK's `WorkflowQueryOptions` say; only those on entries the caller may read. */
  async list(_actor: Actor, scope: EnvironmentScope, query: Record<string, unknown>) {
    const filters = workflowFilters(query);
    const paging = parsePaging(query);
    const { rows, total } = await this.rows.list(scope, filters, paging, scope.permissions.content.readFilter('Entry', 'e'));
    return collection(rows.map(workflowView), total, paging);
  }

  /**
   * The active workflow `id`, locked in `trx`, with its definition (held) and current step, once the actor
   * may read its entry (else 404) and change it (else 403).
   */
  private async changing(actor: Actor, scope: EnvironmentScope, id: string, trx: Kysely<DB>) {
    const current = await this.rows.locked(scope, id, trx);
    if (!current || !(await this.entryReadable(scope, current, trx))) throw notFound('Workflow', id);
    if (current.completed_at) throw badRequest('The workflow is completed', { type: 'Workflow', id });
    // The foreign key keeps the definition, and the definition keeps the steps of its active workflows.
    const definition = (await this.definitions.held(scope, current.definition_id, trx))!;
    const step = definition.steps[stepIndex(definition, current.step_id)];
    if (!(await this.mayChange(actor, scope, step, trx)))
      throw accessDenied(`The step "${step.name}" does not allow you to change this workflow`, { type: 'Workflow', id });
    return { current, definition, step };
  }

  /** Moves the workflow to another step of its definition (version-locked). */
  async update(actor: Actor, scope: EnvironmentScope, id: string, stepId: string, expectedVersion: number | undefined) {
    const row = await writeWithEvent(
      this.db,
      async (trx) => {
        const { current, definition } = await this.changing(actor, scope, id, trx);
        const to = stepIndex(definition, stepId);
        if (to < 0) throw unknownStep(definition, stepId);
        const from = stepIndex(definition, current.step_id);
        // strict_neighbor: "Enforce non-admin users to only move to the previous or the following step."
        if (definition.flow_type === 'strict_neighbor' && !scope.permissions.admin && Math.abs(to - from) > 1)
          throw validationFailed([
            {
              name: 'flowType',
              path: ['stepId'],
              value: stepId,
              details: 'This workflow moves only to the previous or the following step',
            },
          ]);
        const updated = await this.rows.in(scope, trx).update(id, expectedVersion, { step_id: stepId }, actor.userId);
        if (to !== from) await this.record(scope, trx, updated, 'stepChanged', actor, definition.steps[to], updated.updated_at);
        return updated;
      },
      workflowEvent('save', actor),
    );
    return workflowView(row!);
  }

  /** Completes the workflow (version-locked): its entry may start another workflow of the definition. */
  async complete(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    await writeWithEvent(
      this.db,
      async (trx) => {
        const { definition, step } = await this.changing(actor, scope, id, trx);
        // strict_neighbor: "The workflow can only be marked as 'complete' upon reaching the last step."
        if (definition.flow_type === 'strict_neighbor' && !scope.permissions.admin && step !== definition.steps.at(-1))
          throw validationFailed([
            { name: 'flowType', path: ['stepId'], value: step.id, details: 'This workflow completes at its last step' },
          ]);
        const now = new Date();
        const completed = await this.rows
          .in(scope, trx)
          .update(id, expectedVersion, { completed_at: now, completed_by: actor.userId }, actor.userId);
        await this.record(scope, trx, completed, 'completed', actor, step, now);
        return completed;
      },
      workflowEvent('complete', actor),
    );
  }

  /** Cancels the workflow (at `expectedVersion` when given). */
  async delete(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    await this.db.transaction().execute(async (trx) => {
      const { step } = await this.changing(actor, scope, id, trx);
      const deleted = await this.rows.in(scope, trx).delete(id, expectedVersion);
      await this.record(scope, trx, deleted, 'deleted', actor, step, new Date());
    });
  }

  private record(
    scope: EnvironmentScope,
    trx: Kysely<DB>,
    workflow: WorkflowRow,
    event: WorkflowsChangelogRow['event'],
    actor: Actor,
    step: WorkflowStepJson,
    at: Date,
  ) {
    return this.rows.record(scope, trx, {
      entity_id: workflow.entity_id,
      workflow_id: workflow.id,
      workflow_version: workflow.version,
      definition_id: workflow.definition_id,
      event,
      event_by: actor.userId,
      event_at: at,
      step_id: step.id,
      step_name: step.name,
      step_annotations: JSON.stringify(step.annotations ?? []),
    });
  }

  /**
   * The workflows changelog of entries, most recent first: "Every user can query a workflows changelog if
   * they have read access to the specified entry" (an entry they may not read is a 404).
   */
  async changelog(_actor: Actor, scope: EnvironmentScope, query: Record<string, unknown>) {
    const filters = changelogFilters(query);
    const paging = parsePaging(query);
    const readable = new Set((await this.readableEntries(scope, filters.entityIds)).map((e) => e.id));
    const unreadable = filters.entityIds.find((entityId) => !readable.has(entityId));
    if (unreadable !== undefined) throw notFound('Entry', unreadable);
    const { rows, total } = await this.rows.changelog(scope, filters, paging);
    return collection(rows.map(changelogView), total, paging);
  }

  /**
   * Publishing refused by the current step of an active workflow: an `entity_permission` rule denying
   * `publish` that names the actor. Space admins are not held by step rules.
   */
  async publishRefusals(actor: Actor, scope: EnvironmentScope, entryIds: string[]): Promise<Map<string, ApiError>> {
    const refusals = new Map<string, ApiError>();
    if (scope.permissions.admin || entryIds.length === 0) return refusals;
    const denying = (await this.rows.activeOn(scope, entryIds)).flatMap((workflow) => {
      const step = workflow.steps.find((s) => s.id === workflow.step_id);
      const rules = (step?.permissions ?? []).filter(
        (p) => p.type === 'entity_permission' && p.configuration.action === 'publish' && p.configuration.effect === 'deny',
      );
      return step && rules.length ? [{ entryId: workflow.entity_id, step, rules }] : [];
    });
    if (denying.length === 0) return refusals;
    const teams = await this.actorTeams(
      actor,
      denying.flatMap((d) => d.rules),
    );
    for (const { entryId, step, rules } of denying) {
      if (rules.some((r) => namesActor(r, actor.userId, teams)))
        refusals.set(
          entryId,
          accessDenied(`The workflow step "${step.name}" does not allow you to publish this entry`, { type: 'Entry', id: entryId }),
        );
    }
    return refusals;
  }
}

/** A definition's `appliesTo` names the content types (`linkContentType`) whose entries its workflows may take. */
function assertApplies(definition: WorkflowDefinitionRow, contentTypeId: string) {
  const validations = (definition.applies_to ?? []) as { validations?: { linkContentType?: string[] }[] }[];
  const contentTypes = validations.flatMap((a) => (a.validations ?? []).flatMap((v) => v.linkContentType ?? []));
  if (validations.length && !contentTypes.includes(contentTypeId))
    throw validationFailed([
      {
        name: 'linkContentType',
        path: ['entity'],
        value: contentTypeId,
        details: `The workflow definition does not apply to entries of the content type "${contentTypeId}"`,
      },
    ]);
}

function unknownStep(definition: WorkflowDefinitionRow, stepId: string | undefined) {
  return validationFailed([
    {
      name: 'in',
      path: ['stepId'],
      value: stepId,
      expected: definition.steps.map((s) => s.id),
      details: stepId === undefined ? 'The workflow definition has no steps' : `The workflow definition has no step "${stepId}"`,
    },
  ]);
}
