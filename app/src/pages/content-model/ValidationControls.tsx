import { Checkbox, Flex, FormControl, TextInput, ValidationMessage } from '@contentful/f36-components';
import { type ReactNode, useId, useRef, useState } from 'react';
import type { Validation } from '../../api/cma';
import { findValidation, withoutEmpty, setValidation } from './fields';

// Every control gets an id from useId(): Forma 36's own ids (four random digits) collided on pages with many controls.

/** Comma-separated values kept as typed, handed on as a list (numbers for numeric fields). */
export function ListInput({
  label,
  value,
  numeric,
  onChange,
}: {
  label: string;
  value: unknown[] | undefined;
  numeric?: boolean;
  onChange(value: unknown[] | undefined): void;
}) {
  const [text, setText] = useState((value ?? []).join(', '));
  const uid = useId();
  return (
    <FormControl id={`${uid}-list`} marginBottom="spacingS">
      <FormControl.Label>{label}</FormControl.Label>
      <TextInput
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const parts = e.target.value
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean);
          onChange(parts.length ? (numeric ? parts.map(Number) : parts) : undefined);
        }}
      />
      <FormControl.HelpText>Separated by commas; empty for no restriction.</FormControl.HelpText>
    </FormControl>
  );
}

type Bounds = { min?: unknown; max?: unknown };

/** Two inputs, "at least" and "at most", for a { min, max } value (numbers, or dates with `type="date"`). */
export function MinMaxInputs({
  label,
  value,
  type = 'number',
  onChange,
}: {
  label: string;
  value: unknown;
  type?: 'number' | 'date';
  onChange(value: Bounds | undefined): void;
}) {
  const uid = useId();
  const bounds = (value ?? {}) as Bounds;
  const update = (key: 'min' | 'max', raw: string) => {
    const typed = raw === '' ? undefined : type === 'number' ? Number(raw) : raw;
    onChange(withoutEmpty({ ...bounds, [key]: typed }));
  };
  // A date input shows only YYYY-MM-DD: a bound saved with a time (as other clients may write it) shows its day.
  const shown = (v: unknown) => (v === undefined || v === null ? '' : type === 'date' ? String(v).slice(0, 10) : String(v));
  return (
    <Flex gap="spacingS" marginBottom="spacingS" alignItems="flex-end" flexWrap="wrap">
      <FormControl id={`${uid}-min`} marginBottom="none" className="bound-input">
        <FormControl.Label>{`${label}: at least`}</FormControl.Label>
        <TextInput type={type} value={shown(bounds.min)} onChange={(e) => update('min', e.target.value)} />
      </FormControl>
      <FormControl id={`${uid}-max`} marginBottom="none" className="bound-input">
        <FormControl.Label>{`${label}: at most`}</FormControl.Label>
        <TextInput type={type} value={shown(bounds.max)} onChange={(e) => update('max', e.target.value)} />
      </FormControl>
    </Flex>
  );
}

/**
 * Checkboxes for a list of allowed values. With `restrictLabel`, an absent list means "all allowed" and the
 * first checkbox starts the restriction (with every option allowed, an empty list allowing none); without it,
 * no value checked means no restriction.
 */
export function ChoiceList({
  legend,
  options,
  value,
  restrictLabel,
  onChange,
}: {
  legend: string;
  options: { value: string; label: string }[];
  value: string[] | undefined;
  restrictLabel?: string;
  onChange(value: string[] | undefined): void;
}) {
  const uid = useId();
  const restricted = value !== undefined;
  const toggle = (option: string, on: boolean) => {
    const next = options.map((o) => o.value).filter((v) => (v === option ? on : value?.includes(v)));
    onChange(next.length || restrictLabel ? next : undefined);
  };
  return (
    <fieldset className="choice-list">
      <legend>{legend}</legend>
      {restrictLabel ? (
        <Checkbox
          id={`${uid}-restrict`}
          isChecked={restricted}
          onChange={(e) => onChange(e.target.checked ? options.map((o) => o.value) : undefined)}
        >
          {restrictLabel}
        </Checkbox>
      ) : null}
      {!restrictLabel || restricted ? (
        <div className="choice-list-options">
          {options.map((option) => (
            <Checkbox
              key={option.value}
              id={`${uid}-${option.value}`}
              isChecked={value?.includes(option.value) ?? false}
              onChange={(e) => toggle(option.value, e.target.checked)}
            >
              {option.label}
            </Checkbox>
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}

/** What the CMA refused about each validation kind of a list, from the 422's paths (`…validations.<index>.<kind>…`). */
export type ProblemsByKind = Map<string, string[]>;

/**
 * One validation of a list: its own inputs (`children`, given the current value and a setter), the custom
 * error message once it is set, and what the CMA refused about it. A message typed and then the validation
 * cleared comes back with it.
 */
export function ValidationBlock({
  title,
  kind,
  list,
  problems,
  onChange,
  children,
}: {
  title: string;
  kind: string;
  list: Validation[] | undefined;
  problems?: ProblemsByKind;
  onChange(list: Validation[]): void;
  children(value: unknown, set: (value: unknown) => void): ReactNode;
}) {
  const uid = useId();
  const current = findValidation(list, kind);
  const remembered = useRef<string | undefined>(current?.message as string | undefined);
  const set = (value: unknown) => onChange(setValidation(list, kind, value, current ? undefined : remembered.current));
  return (
    <div className="validation-block">
      {children(current?.[kind], set)}
      {current ? (
        <FormControl id={`${uid}-message`} marginBottom="spacingS">
          <FormControl.Label>{`Error message for ${title}`}</FormControl.Label>
          <TextInput
            value={(current.message as string | undefined) ?? ''}
            onChange={(e) => {
              remembered.current = e.target.value;
              onChange(setValidation(list, kind, current[kind], e.target.value));
            }}
          />
        </FormControl>
      ) : null}
      {(problems?.get(kind) ?? []).map((text) => (
        <ValidationMessage key={text} marginBottom="spacingS">
          {text}
        </ValidationMessage>
      ))}
    </div>
  );
}
