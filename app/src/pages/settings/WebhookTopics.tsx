import { Checkbox, FormControl, Paragraph, Radio, TextInput } from '@contentful/f36-components';
import { useId, useState } from 'react';

const ACTIONS = [
  ['create', 'Create'],
  ['save', 'Save'],
  ['auto_save', 'Autosave'],
  ['archive', 'Archive'],
  ['unarchive', 'Unarchive'],
  ['publish', 'Publish'],
  ['unpublish', 'Unpublish'],
  ['delete', 'Delete'],
  ['complete', 'Complete'],
  ['execute', 'Execute'],
] as const;
type Action = (typeof ACTIONS)[number][0];

const CONTENT: Action[] = ['create', 'save', 'auto_save', 'archive', 'unarchive', 'publish', 'unpublish', 'delete'];
/** The entity types of Contentful's webhook topics and the actions each has (its webhook reference). */
const TYPES: { type: string; label: string; actions: Action[] }[] = [
  { type: 'ContentType', label: 'Content type', actions: ['create', 'save', 'publish', 'unpublish', 'delete'] },
  { type: 'Entry', label: 'Entry', actions: CONTENT },
  { type: 'Asset', label: 'Asset', actions: CONTENT },
  { type: 'Task', label: 'Task', actions: ['create', 'save', 'delete'] },
  { type: 'Comment', label: 'Comment', actions: ['create', 'delete'] },
  { type: 'Workflow', label: 'Workflow', actions: ['create', 'save', 'complete', 'delete'] },
  { type: 'Release', label: 'Release', actions: ['create', 'save', 'archive', 'unarchive', 'delete'] },
  { type: 'ReleaseAction', label: 'Release action', actions: ['create', 'execute'] },
  { type: 'ScheduledAction', label: 'Scheduled action', actions: ['create', 'save', 'delete', 'execute'] },
  { type: 'BulkAction', label: 'Bulk action', actions: ['create', 'execute'] },
];

export const ALL_EVENTS = '*.*';

/** Whether the grid shows a topic (a cell, a row's `Type.*` or a column's `*.action`); the others are listed apart. */
function inGrid(topic: string) {
  const [type, action] = topic.split('.');
  if (topic === ALL_EVENTS) return false;
  if (type === '*') return ACTIONS.some(([a]) => a === action);
  const row = TYPES.find((t) => t.type === type);
  return !!row && (action === '*' || row.actions.includes(action as Action));
}

/**
 * The events a webhook is called for, as Contentful's web app chooses them: all events, or a grid of entity
 * types by actions where a row's or a column's own box stands for its wildcard (`Entry.*`, `*.publish`).
 * Topics the grid has no cell for stay, listed apart.
 */
export function WebhookTopics({ topics, onChange }: { topics: string[]; onChange(topics: string[]): void }) {
  const uid = useId();
  const all = topics.includes(ALL_EVENTS);
  const others = topics.filter((t) => t !== ALL_EVENTS && !inGrid(t));
  const [othersText, setOthersText] = useState(others.join(', '));
  const has = (topic: string) => topics.includes(topic);
  const toggle = (topic: string, on: boolean, covered: (t: string) => boolean = () => false) =>
    onChange(on ? [...topics.filter((t) => !covered(t)), topic] : topics.filter((t) => t !== topic));

  return (
    <fieldset style={{ marginBottom: 24, minWidth: 0 }}>
      <legend>
        <strong>Triggers</strong>
      </legend>
      <Radio id={`${uid}-all`} name={`${uid}-mode`} isChecked={all} onChange={() => onChange([ALL_EVENTS])}>
        Trigger for all events
      </Radio>
      <Radio id={`${uid}-some`} name={`${uid}-mode`} isChecked={!all} onChange={() => onChange(topics.filter((t) => t !== ALL_EVENTS))}>
        Select specific triggering events
      </Radio>
      {all ? null : (
        <>
          <div className="table-scroll" style={{ marginTop: 8 }}>
            <table aria-label="Triggering events" style={{ borderCollapse: 'collapse' }}>
              <thead>
                <tr>
                  <th scope="col" style={{ textAlign: 'left', padding: 4 }}>
                    Entity
                  </th>
                  <th scope="col" style={{ padding: 4 }}>
                    All
                  </th>
                  {ACTIONS.map(([action, label]) => (
                    <th key={action} scope="col" style={{ padding: '4px 6px', fontWeight: 'normal', textAlign: 'center' }}>
                      <div style={{ whiteSpace: 'nowrap' }}>{label}</div>
                      <Checkbox
                        id={`${uid}-col-${action}`}
                        isChecked={has(`*.${action}`)}
                        onChange={(e) => toggle(`*.${action}`, e.target.checked, (t) => t.endsWith(`.${action}`))}
                        aria-label={`${label} of every entity (*.${action})`}
                      />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {TYPES.map((row) => {
                  const rowAll = has(`${row.type}.*`);
                  return (
                    <tr key={row.type} style={{ borderTop: '1px solid #e7ebee' }}>
                      <th scope="row" style={{ textAlign: 'left', padding: 4, whiteSpace: 'nowrap' }}>
                        {row.label}
                      </th>
                      <td style={{ padding: 4, textAlign: 'center' }}>
                        <Checkbox
                          id={`${uid}-${row.type}-all`}
                          isChecked={rowAll}
                          onChange={(e) => toggle(`${row.type}.*`, e.target.checked, (t) => t.startsWith(`${row.type}.`))}
                          aria-label={`${row.label}: all actions (${row.type}.*)`}
                        />
                      </td>
                      {ACTIONS.map(([action, label]) => {
                        if (!row.actions.includes(action)) return <td key={action} />;
                        const topic = `${row.type}.${action}`;
                        const covered = rowAll || has(`*.${action}`);
                        return (
                          <td key={action} style={{ padding: 4, textAlign: 'center' }}>
                            <Checkbox
                              id={`${uid}-${row.type}-${action}`}
                              isChecked={covered || has(topic)}
                              isDisabled={covered}
                              onChange={(e) => toggle(topic, e.target.checked)}
                              aria-label={`${row.label}: ${label} (${topic})`}
                            />
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Paragraph marginTop="spacingXs">
            A box in the header picks that action of every entity (*.publish); a row's All box every action of that entity (Entry.*).
          </Paragraph>
          <FormControl id={`${uid}-others`} marginTop="spacingS">
            <FormControl.Label>Other topics</FormControl.Label>
            <TextInput
              name="otherTopics"
              value={othersText}
              onChange={(e) => {
                setOthersText(e.target.value);
                const typed = e.target.value
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean);
                onChange([...topics.filter((t) => t !== ALL_EVENTS && inGrid(t)), ...typed]);
              }}
            />
            <FormControl.HelpText>
              Topics the grid has no box for, as Type.action separated by commas (e.g. Tag.create).
            </FormControl.HelpText>
          </FormControl>
        </>
      )}
    </fieldset>
  );
}
