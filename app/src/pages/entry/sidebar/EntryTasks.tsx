import {
  Badge,
  Button,
  Flex,
  Form,
  FormControl,
  Heading,
  ModalConfirm,
  Paragraph,
  Select,
  Textarea,
  TextInput,
} from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import type { CmaError } from '../../../api/cma';
import { type CollaborationApi, type Task, type TaskInput, userLink } from '../../../api/collaboration';
import { useQuery } from '../../../api/use-query';
import { ErrorNote } from '../../common';
import { dueDateInput, formatDay, isPastDay } from './dates';
import { displayName, type People } from './people';

/** "It has maximum size of 512 bytes" (the tasks API counts UTF-8 bytes). */
const MAX_BODY_BYTES = 512;
const byteLength = (text: string) => new TextEncoder().encode(text).length;
/** Not a task id (ids have no spaces): the form for a new task. */
const NEW = 'new task';

interface EntryTasksProps {
  api: CollaborationApi;
  entryId: string;
  people: People;
  userId: string;
  admin: boolean;
}

/**
 * The entry's tasks: body, assignee, due date and status; anyone who reads the entry creates them. Their
 * creator and space admins edit (while open) and delete them; the assignee, the creator and admins resolve
 * and reopen them. Open tasks keep the entry from being published.
 */
export function EntryTasks({ api, entryId, people, userId, admin }: EntryTasksProps) {
  const headingId = useId();
  const tasks = useQuery(() => api.tasks(entryId), [api, entryId]);
  /** The id of the task being edited, or `NEW` while one is created. */
  const [editing, setEditing] = useState<string>();
  const [deleting, setDeleting] = useState<Task>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();

  const write = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await run();
      setEditing(undefined);
    } catch (err) {
      setError(err as CmaError);
    }
    setBusy(false);
    tasks.reload();
  };

  const items = [...(tasks.data?.items ?? [])].sort((a, b) => a.sys.createdAt.localeCompare(b.sys.createdAt));
  const open = items.filter((task) => task.status === 'active').length;
  const manages = (task: Task) => admin || task.sys.createdBy?.sys.id === userId;
  // A team's members may resolve its tasks too; whether the user is one is the API's to say.
  const mayResolve = (task: Task) => manages(task) || task.assignedTo.sys.linkType === 'Team' || task.assignedTo.sys.id === userId;

  return (
    <section className="sidebar-panel" aria-labelledby={headingId}>
      <Heading as="h2" id={headingId} className="sidebar-heading">
        Tasks
      </Heading>
      <ErrorNote error={tasks.error ?? error} />
      {open > 0 && (
        <Paragraph className="sidebar-hint" role="status">
          {open === 1 ? '1 open task' : `${open} open tasks`}: the entry can be published once {open === 1 ? 'it is' : 'they are'} resolved.
        </Paragraph>
      )}
      {tasks.data && items.length === 0 && <Paragraph className="sidebar-hint">No tasks yet.</Paragraph>}
      {items.length > 0 && (
        <ul className="sidebar-list" aria-label="Tasks of this entry">
          {items.map((task) =>
            editing === task.sys.id ? (
              <li key={task.sys.id} className="sidebar-item">
                <TaskForm
                  people={people}
                  task={task}
                  busy={busy}
                  onCancel={() => setEditing(undefined)}
                  onSubmit={(input) => write(() => api.updateTask(entryId, task, input))}
                />
              </li>
            ) : (
              <li key={task.sys.id} className="sidebar-item" aria-label={`Task: ${task.body}`}>
                <p className="sidebar-body">{task.body}</p>
                <Flex flexWrap="wrap" gap="spacingXs" alignItems="center" className="sidebar-meta">
                  <Badge variant={task.status === 'resolved' ? 'positive' : 'warning'}>
                    {task.status === 'resolved' ? 'resolved' : 'open'}
                  </Badge>
                  <span>Assigned to {people.name(task.assignedTo)}</span>
                  {task.dueDate && (
                    <span className={task.status === 'active' && isPastDay(task.dueDate) ? 'sidebar-overdue' : undefined}>
                      Due {formatDay(task.dueDate)}
                      {task.status === 'active' && isPastDay(task.dueDate) ? ' (overdue)' : ''}
                    </span>
                  )}
                </Flex>
                <Flex flexWrap="wrap" gap="spacingXs" marginTop="spacingXs">
                  {mayResolve(task) && (
                    <Button
                      size="small"
                      variant={task.status === 'active' ? 'positive' : 'secondary'}
                      isDisabled={busy}
                      aria-label={`${task.status === 'active' ? 'Resolve' : 'Reopen'} task: ${task.body}`}
                      onClick={() =>
                        write(() => api.updateTask(entryId, task, { status: task.status === 'active' ? 'resolved' : 'active' }))
                      }
                    >
                      {task.status === 'active' ? 'Resolve' : 'Reopen'}
                    </Button>
                  )}
                  {/* The API refuses to change a resolved task's body, assignee or due date: reopen it first. */}
                  {manages(task) && task.status === 'active' && (
                    <Button size="small" isDisabled={busy} aria-label={`Edit task: ${task.body}`} onClick={() => setEditing(task.sys.id)}>
                      Edit
                    </Button>
                  )}
                  {manages(task) && (
                    <Button
                      size="small"
                      variant="negative"
                      isDisabled={busy}
                      aria-label={`Delete task: ${task.body}`}
                      onClick={() => setDeleting(task)}
                    >
                      Delete
                    </Button>
                  )}
                </Flex>
              </li>
            ),
          )}
        </ul>
      )}
      {editing === NEW ? (
        <TaskForm
          people={people}
          busy={busy}
          onCancel={() => setEditing(undefined)}
          onSubmit={(input) => write(() => api.createTask(entryId, input))}
        />
      ) : (
        tasks.data && (
          <Button size="small" onClick={() => setEditing(NEW)} isDisabled={busy}>
            Create task
          </Button>
        )
      )}
      <ModalConfirm
        isShown={deleting !== undefined}
        intent="negative"
        title="Delete task"
        confirmLabel="Delete task"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const task = deleting;
          setDeleting(undefined);
          if (task) void write(() => api.deleteTask(entryId, task));
        }}
      >
        <Paragraph>Delete the task “{deleting?.body}”? This cannot be undone.</Paragraph>
      </ModalConfirm>
    </section>
  );
}

interface TaskFormProps {
  people: People;
  task?: Task;
  busy: boolean;
  onSubmit(input: TaskInput): void;
  onCancel(): void;
}

/** Creating a task, or editing an open one: its body, an assignee among the space's members, and an optional due date. */
function TaskForm({ people, task, busy, onSubmit, onCancel }: TaskFormProps) {
  const uid = useId();
  const [body, setBody] = useState(task?.body ?? '');
  const [assigneeId, setAssigneeId] = useState(task?.assignedTo.sys.id ?? '');
  const initialDue = dueDateInput(task?.dueDate);
  const [due, setDue] = useState(initialDue);
  const bytes = byteLength(body);
  const tooLong = bytes > MAX_BODY_BYTES;
  const members = [...people.members].sort((a, b) => displayName(a).localeCompare(displayName(b)));
  const assignedToTeam = task?.assignedTo.sys.linkType === 'Team';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim() || tooLong || !assigneeId) return;
    onSubmit({
      body,
      assignedTo: assignedToTeam && assigneeId === task?.assignedTo.sys.id ? task.assignedTo : userLink(assigneeId),
      status: task?.status ?? 'active',
      // An untouched due date is sent as it was (the API compares it as sent).
      dueDate: task && due === initialDue ? (task.dueDate ?? null) : due || null,
    });
  };

  return (
    <Form onSubmit={submit} aria-label={task ? 'Edit task' : 'New task'} className="sidebar-form">
      <FormControl id={`${uid}-body`} isRequired isInvalid={tooLong} marginBottom="spacingS">
        <FormControl.Label>Task</FormControl.Label>
        <Textarea rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        <FormControl.HelpText>
          {bytes} / {MAX_BODY_BYTES} bytes
        </FormControl.HelpText>
        {tooLong && <FormControl.ValidationMessage>A task has at most {MAX_BODY_BYTES} bytes.</FormControl.ValidationMessage>}
      </FormControl>
      <FormControl id={`${uid}-assignee`} isRequired marginBottom="spacingS">
        <FormControl.Label>Assign to</FormControl.Label>
        <Select value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
          <Select.Option value="" isDisabled>
            Choose a member
          </Select.Option>
          {assignedToTeam && task && <Select.Option value={task.assignedTo.sys.id}>{people.name(task.assignedTo)}</Select.Option>}
          {members.map((user) => (
            <Select.Option key={user.sys.id} value={user.sys.id}>
              {displayName(user)}
            </Select.Option>
          ))}
        </Select>
      </FormControl>
      <FormControl id={`${uid}-due`} marginBottom="spacingS">
        <FormControl.Label>Due date</FormControl.Label>
        <TextInput type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        <FormControl.HelpText>Optional.</FormControl.HelpText>
      </FormControl>
      <Flex gap="spacingXs">
        <Button type="submit" variant="primary" size="small" isLoading={busy} isDisabled={busy || !body.trim() || tooLong || !assigneeId}>
          {task ? 'Save task' : 'Create task'}
        </Button>
        <Button size="small" onClick={onCancel}>
          Cancel
        </Button>
      </Flex>
    </Form>
  );
}
