import { Button, Flex, Form, FormControl, Heading, Paragraph, Select } from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import type { CollaborationApi, Workflow, WorkflowDefinition, WorkflowStep } from '../../../api/collaboration';
import { useQuery } from '../../../api/use-query';
import { ErrorNote } from '../../common';
import { useAction } from '../../shared/use-action';

interface EntryWorkflowProps {
  api: CollaborationApi;
  entryId: string;
  contentTypeId: string;
  userId: string;
  admin: boolean;
}

/** A definition without `appliesTo` takes entries of any content type. */
function appliesTo(definition: WorkflowDefinition, contentTypeId: string) {
  const validations = definition.appliesTo ?? [];
  if (validations.length === 0) return true;
  return validations.some((a) => (a.validations ?? []).some((v) => v.linkContentType?.includes(contentTypeId)));
}

/**
 * "Only org or space admins can update [complete] by default; step-level permissions can grant access to
 * other users": an allow rule of the step naming the user or everyone, and no deny rule naming them. Rules
 * naming teams are left to the API (the app does not know the user's teams).
 */
function mayChange(step: WorkflowStep | undefined, userId: string, admin: boolean) {
  if (admin) return true;
  const rules = (step?.permissions ?? []).filter((p) => p.type === 'workflow_permission');
  const named = rules.filter((r) => r.configuration.actors === 'all' || r.configuration.actors.some((a) => a.sys.id === userId));
  return named.some((r) => r.configuration.effect === 'allow') && !named.some((r) => r.configuration.effect === 'deny');
}

/** The steps a workflow may move to: any other step, or with `strict_neighbor` (admins aside) the previous and next. */
function reachableSteps(definition: WorkflowDefinition, stepId: string, admin: boolean) {
  const at = definition.steps.findIndex((s) => s.id === stepId);
  return definition.steps.filter((_, i) => i !== at && (admin || definition.flowType !== 'strict_neighbor' || Math.abs(i - at) === 1));
}

/**
 * The entry's workflows, when a workflow definition applies to its content type: the current step, a move
 * to another step the definition allows, completing it; and starting one of a definition not yet running.
 */
export function EntryWorkflow({ api, entryId, contentTypeId, userId, admin }: EntryWorkflowProps) {
  const headingId = useId();
  const definitions = useQuery(() => api.workflowDefinitions(), [api]);
  const workflows = useQuery(() => api.workflows(entryId), [api, entryId]);
  const { busy, error, run } = useAction();

  const applicable = (definitions.data?.items ?? []).filter((d) => appliesTo(d, contentTypeId) && d.steps.length > 0);
  if (applicable.length === 0 || !workflows.data) return definitions.error ? <ErrorNote error={definitions.error} /> : null;
  const running = workflows.data.items;
  const idle = applicable.filter((d) => !running.some((w) => w.sys.workflowDefinition.sys.id === d.sys.id));

  // Reloaded whether or not the CMA took it: what it refused may have changed meanwhile.
  const write = async (work: () => Promise<unknown>) => {
    await run(work);
    workflows.reload();
  };

  return (
    <section className="sidebar-panel" aria-labelledby={headingId}>
      <Heading as="h2" id={headingId} className="sidebar-heading">
        Workflow
      </Heading>
      <ErrorNote error={workflows.error ?? error} />
      {running.map((workflow) => {
        const definition = applicable.find((d) => d.sys.id === workflow.sys.workflowDefinition.sys.id);
        return definition ? (
          <RunningWorkflow
            key={workflow.sys.id}
            workflow={workflow}
            definition={definition}
            mayChange={mayChange(
              definition.steps.find((s) => s.id === workflow.stepId),
              userId,
              admin,
            )}
            admin={admin}
            busy={busy}
            onMove={(stepId) => write(() => api.moveWorkflow(workflow, stepId))}
            onComplete={() => write(() => api.completeWorkflow(workflow))}
          />
        ) : null;
      })}
      {idle.map((definition) => (
        <div key={definition.sys.id} className="sidebar-item">
          <Paragraph className="sidebar-hint">{definition.name}: not started.</Paragraph>
          <Button size="small" isDisabled={busy} onClick={() => write(() => api.startWorkflow(entryId, definition.sys.id))}>
            {`Start ${definition.name}`}
          </Button>
        </div>
      ))}
    </section>
  );
}

interface RunningWorkflowProps {
  workflow: Workflow;
  definition: WorkflowDefinition;
  mayChange: boolean;
  admin: boolean;
  busy: boolean;
  onMove(stepId: string): void;
  onComplete(): void;
}

function RunningWorkflow({ workflow, definition, mayChange, admin, busy, onMove, onComplete }: RunningWorkflowProps) {
  const uid = useId();
  const index = definition.steps.findIndex((s) => s.id === workflow.stepId);
  const step = definition.steps[index];
  const targets = reachableSteps(definition, workflow.stepId, admin);
  const [chosen, setChosen] = useState('');
  const target = targets.some((s) => s.id === chosen) ? chosen : (targets[0]?.id ?? '');
  // strict_neighbor: "The workflow can only be marked as 'complete' upon reaching the last step."
  const mayComplete = mayChange && (admin || definition.flowType !== 'strict_neighbor' || index === definition.steps.length - 1);

  const move = (event: FormEvent) => {
    event.preventDefault();
    if (target) onMove(target);
  };
  return (
    <section className="sidebar-item" aria-label={`Workflow ${definition.name}`}>
      <Paragraph className="sidebar-meta">{definition.name}</Paragraph>
      <p className="sidebar-step">
        Current step: <strong>{step?.name ?? workflow.stepId}</strong>{' '}
        <span className="sidebar-meta">
          ({index + 1} of {definition.steps.length})
        </span>
      </p>
      {step?.description && <Paragraph className="sidebar-hint">{step.description}</Paragraph>}
      {mayChange && targets.length > 0 && (
        <Form onSubmit={move} aria-label={`Move ${definition.name}`} className="sidebar-form">
          <FormControl id={`${uid}-step`} marginBottom="spacingXs">
            <FormControl.Label>Move to step</FormControl.Label>
            <Select value={target} onChange={(e) => setChosen(e.target.value)}>
              {targets.map((s) => (
                <Select.Option key={s.id} value={s.id}>
                  {s.name}
                </Select.Option>
              ))}
            </Select>
          </FormControl>
          <Flex gap="spacingXs" flexWrap="wrap">
            <Button type="submit" size="small" variant="primary" isDisabled={busy}>
              Move
            </Button>
            {mayComplete && (
              <Button size="small" isDisabled={busy} onClick={onComplete}>
                Complete workflow
              </Button>
            )}
          </Flex>
        </Form>
      )}
      {mayChange && targets.length === 0 && mayComplete && (
        <Button size="small" isDisabled={busy} onClick={onComplete}>
          Complete workflow
        </Button>
      )}
      {!mayChange && <Paragraph className="sidebar-hint">This step does not let you move the workflow.</Paragraph>}
    </section>
  );
}
