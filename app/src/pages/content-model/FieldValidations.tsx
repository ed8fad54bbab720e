import { Checkbox, Flex, FormControl, Paragraph, TextInput } from '@contentful/f36-components';
import { useId } from 'react';
import type { ContentTypeField, Validation } from '../../api/cma';
import { AssetValidations } from './AssetValidations';
import { type Problem, problemsByKind } from './problems';
import { RichTextValidations } from './RichTextValidations';
import { ListInput, MinMaxInputs, type ProblemsByKind, ValidationBlock } from './ValidationControls';
import { kindOf } from './fields';

/** A pattern and its flags (`regexp`, `prohibitRegexp`); no pattern, no validation. */
function PatternInputs({ label, value, onChange }: { label: string; value: unknown; onChange(value: unknown): void }) {
  const uid = useId();
  const regexp = (value ?? {}) as { pattern?: string; flags?: string | null };
  return (
    <Flex gap="spacingS" marginBottom="spacingS" alignItems="flex-end" flexWrap="wrap">
      <FormControl id={`${uid}-pattern`} marginBottom="none" className="pattern-input">
        <FormControl.Label>{`${label} (regular expression)`}</FormControl.Label>
        <TextInput
          value={regexp.pattern ?? ''}
          onChange={(e) => onChange(e.target.value ? { ...regexp, pattern: e.target.value } : undefined)}
        />
      </FormControl>
      <FormControl id={`${uid}-flags`} marginBottom="none" className="flags-input" isDisabled={!regexp.pattern}>
        <FormControl.Label>{`${label} flags`}</FormControl.Label>
        <TextInput
          size="small"
          value={regexp.flags ?? ''}
          maxLength={6}
          onChange={(e) => {
            const { flags: _old, ...rest } = regexp;
            onChange(e.target.value ? { ...rest, flags: e.target.value } : rest);
          }}
        />
        <FormControl.HelpText>i, m, s, u…</FormControl.HelpText>
      </FormControl>
    </Flex>
  );
}

/** The validations a list of values (a text or number field, or a list of texts' items) can have. */
function ValueValidations({
  kind,
  list,
  problems,
  onChange,
}: {
  kind: string;
  list: Validation[] | undefined;
  problems: ProblemsByKind;
  onChange(list: Validation[]): void;
}) {
  const numeric = kind === 'Integer' || kind === 'Number';
  const textual = kind === 'Symbol' || kind === 'Text' || kind === 'Array:Symbol';
  const block = { list, problems, onChange };
  return (
    <>
      {numeric ? (
        <ValidationBlock title="Range" kind="range" {...block}>
          {(value, set) => <MinMaxInputs label="Range" value={value} onChange={set} />}
        </ValidationBlock>
      ) : null}
      <ValidationBlock title="Predefined values" kind="in" {...block}>
        {(value, set) => <ListInput label="Predefined values" value={value as unknown[]} numeric={numeric} onChange={set} />}
      </ValidationBlock>
      {textual ? (
        <>
          <ValidationBlock title="Pattern" kind="regexp" {...block}>
            {(value, set) => <PatternInputs label="Pattern" value={value} onChange={set} />}
          </ValidationBlock>
          <ValidationBlock title="Prohibited pattern" kind="prohibitRegexp" {...block}>
            {(value, set) => <PatternInputs label="Prohibited pattern" value={value} onChange={set} />}
          </ValidationBlock>
        </>
      ) : null}
    </>
  );
}

/** Which validations a field offers, by its type, as the CMA accepts them (the server's VALIDATION_APPLIES_TO). */
export function FieldValidations({
  field,
  problems,
  onChange,
}: {
  field: ContentTypeField;
  problems: Problem[];
  onChange(field: ContentTypeField): void;
}) {
  const uid = useId();
  const kind = kindOf(field);
  const own = field.validations;
  const items = field.items?.validations;
  const setOwn = (validations: Validation[]) => onChange({ ...field, validations });
  const setItems = (validations: Validation[]) => field.items && onChange({ ...field, items: { ...field.items, validations } });
  const ownBlock = { list: own, problems: problemsByKind(problems, ['validations'], own), onChange: setOwn };
  const itemsBlock = { list: items, problems: problemsByKind(problems, ['items', 'validations'], items), onChange: setItems };
  const sizeLabel = field.type === 'Array' ? 'Number of items' : field.type === 'Object' ? 'Number of properties' : 'Length';
  return (
    <fieldset className="field-validations">
      <legend>Validations</legend>
      {['Symbol', 'Text', 'Object', 'Array'].includes(field.type) ? (
        <ValidationBlock title={sizeLabel} kind="size" {...ownBlock}>
          {(value, set) => <MinMaxInputs label={sizeLabel} value={value} onChange={set} />}
        </ValidationBlock>
      ) : null}
      {['Symbol', 'Integer', 'Number'].includes(field.type) ? (
        <ValidationBlock title="Unique" kind="unique" {...ownBlock}>
          {(value, set) => (
            <Checkbox id={`${uid}-unique`} isChecked={value === true} onChange={(e) => set(e.target.checked ? true : undefined)}>
              Unique (no other entry may have the same value)
            </Checkbox>
          )}
        </ValidationBlock>
      ) : null}
      {['Symbol', 'Text', 'Integer', 'Number'].includes(kind) ? <ValueValidations kind={kind} {...ownBlock} /> : null}
      {kind === 'Array:Symbol' ? <ValueValidations kind={kind} {...itemsBlock} /> : null}
      {kind === 'Date' ? (
        <ValidationBlock title="Date range" kind="dateRange" {...ownBlock}>
          {(value, set) => <MinMaxInputs label="Date range" type="date" value={value} onChange={set} />}
        </ValidationBlock>
      ) : null}
      {kind === 'Link:Entry' || kind === 'Array:Link:Entry' ? (
        <ValidationBlock title="Content types" kind="linkContentType" {...(kind === 'Link:Entry' ? ownBlock : itemsBlock)}>
          {(value, set) => <ListInput label="Allowed content types (ids)" value={value as unknown[]} onChange={set} />}
        </ValidationBlock>
      ) : null}
      {kind === 'Link:Asset' ? <AssetValidations {...ownBlock} /> : null}
      {kind === 'Array:Link:Asset' ? <AssetValidations {...itemsBlock} /> : null}
      {kind === 'RichText' ? <RichTextValidations {...ownBlock} /> : null}
      {['Boolean', 'Location'].includes(kind) ? <Paragraph marginBottom="none">None for this type of field.</Paragraph> : null}
    </fieldset>
  );
}
