import { Button, ButtonGroup, Card, Checkbox, Flex, FormControl, Heading, Note, TextInput } from '@contentful/f36-components';
import { useId } from 'react';
import type { ContentTypeField } from '../../api/cma';
import type { EditorControl } from '../../api/content-model';
import { FieldAppearance } from './FieldAppearance';
import { FieldValidations } from './FieldValidations';
import { KINDS, kindOf } from './fields';
import type { Problem } from './problems';

const FLAGS = [
  ['localized', 'Localized'],
  ['required', 'Required'],
  ['disabled', 'Disabled in editing'],
  ['omitted', 'Omitted from the API responses'],
] as const;

/** One field of the content type being edited: its settings, validations and appearance, and its place in the order. */
export function FieldCard({
  field,
  control,
  label,
  isFirst,
  isLast,
  isDisplayField,
  appearancePending,
  problems,
  onField,
  onControl,
  onMove,
  onRemove,
}: {
  field: ContentTypeField;
  control: EditorControl | undefined;
  /** The field's name (or id, or place) that names its card and buttons. */
  label: string;
  isFirst: boolean;
  isLast: boolean;
  isDisplayField: boolean;
  appearancePending: boolean;
  problems: Problem[];
  onField(field: ContentTypeField): void;
  onControl(control: EditorControl): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}) {
  // Forma 36 makes control ids from Math.random (four digits), which collide on a page with many
  // controls and tie labels to the wrong inputs: every control here gets an id of its own.
  const uid = useId();
  return (
    <Card as="article" aria-label={`Field ${label}`} className={field.deleted ? 'field-deleted' : undefined}>
      <Flex justifyContent="space-between" alignItems="center" flexWrap="wrap" gap="spacingS">
        <Heading as="h3" marginBottom="none">
          {label} <small>— {KINDS.find((k) => k.value === kindOf(field))?.label ?? kindOf(field)}</small>
          {isDisplayField ? <small> (display field)</small> : null}
          {field.deleted ? <small> (deleted on save)</small> : null}
        </Heading>
        <ButtonGroup variant="spaced" spacing="spacingXs">
          <Button size="small" aria-label={`Move field ${label} up`} isDisabled={isFirst} onClick={() => onMove(-1)}>
            Up
          </Button>
          <Button size="small" aria-label={`Move field ${label} down`} isDisabled={isLast} onClick={() => onMove(1)}>
            Down
          </Button>
          {field.deleted ? (
            <Button size="small" aria-label={`Restore field ${label}`} onClick={() => onField({ ...field, deleted: undefined })}>
              Restore
            </Button>
          ) : (
            <Button size="small" variant="negative" aria-label={`Delete field ${label}`} onClick={onRemove}>
              Delete
            </Button>
          )}
        </ButtonGroup>
      </Flex>
      {problems.length ? (
        <Note variant="negative" role="alert" style={{ margin: '8px 0' }} aria-label={`Problems of field ${label}`}>
          {problems.map((problem) => (
            <div key={problem.text}>{problem.text}</div>
          ))}
        </Note>
      ) : null}
      <Flex gap="spacingM" flexWrap="wrap" marginTop="spacingS">
        <FormControl id={`${uid}-name`} marginBottom="spacingS">
          <FormControl.Label>Field name</FormControl.Label>
          <TextInput value={field.name} onChange={(e) => onField({ ...field, name: e.target.value })} />
        </FormControl>
        <FormControl id={`${uid}-id`} marginBottom="spacingS">
          <FormControl.Label>Field ID</FormControl.Label>
          <TextInput value={field.id} onChange={(e) => onField({ ...field, id: e.target.value })} />
        </FormControl>
      </Flex>
      <Flex gap="spacingM" flexWrap="wrap" marginBottom="spacingS">
        {FLAGS.map(([flag, text]) => (
          <Checkbox
            id={`${uid}-${flag}`}
            key={flag}
            isChecked={field[flag] === true}
            onChange={(e) => onField({ ...field, [flag]: e.target.checked })}
          >
            {text}
          </Checkbox>
        ))}
      </Flex>
      <div className="field-settings">
        <FieldValidations field={field} problems={problems} onChange={onField} />
        {field.deleted ? null : <FieldAppearance field={field} control={control} pending={appearancePending} onChange={onControl} />}
      </div>
    </Card>
  );
}
