import {
  Button,
  ButtonGroup,
  Card,
  Checkbox,
  Flex,
  Form,
  FormControl,
  Heading,
  Note,
  Paragraph,
  Select,
  Spinner,
  Textarea,
  TextInput,
} from '@contentful/f36-components';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CmaError, type ContentType, type ContentTypeField, type Validation } from '../api/cma';
import { useQuery } from '../api/use-query';
import { useCma } from '../session';
import { StatusBadge } from './ContentModel';
import { ErrorNote, usePageTitle } from './common';

/** The field types a field can be created with; links and arrays carry what they hold after a colon. */
const KINDS: { value: string; label: string }[] = [
  { value: 'Symbol', label: 'Short text (Symbol)' },
  { value: 'Text', label: 'Long text (Text)' },
  { value: 'RichText', label: 'Rich text' },
  { value: 'Integer', label: 'Integer' },
  { value: 'Number', label: 'Decimal number (Number)' },
  { value: 'Date', label: 'Date and time' },
  { value: 'Location', label: 'Location' },
  { value: 'Boolean', label: 'Boolean' },
  { value: 'Object', label: 'JSON object' },
  { value: 'Link:Entry', label: 'Reference to an entry' },
  { value: 'Link:Asset', label: 'Media (reference to an asset)' },
  { value: 'Array:Symbol', label: 'List of short texts' },
  { value: 'Array:Link:Entry', label: 'References to entries' },
  { value: 'Array:Link:Asset', label: 'Media list (references to assets)' },
];

function kindOf(field: ContentTypeField): string {
  if (field.type === 'Link') return `Link:${field.linkType}`;
  if (field.type === 'Array') return `Array:${field.items?.type}${field.items?.linkType ? `:${field.items.linkType}` : ''}`;
  return field.type;
}

function newField(kind: string, id: string, name: string): ContentTypeField {
  const [type, ...rest] = kind.split(':');
  const base = { id, name, localized: false, required: false, disabled: false, omitted: false, validations: [] };
  if (type === 'Link') return { ...base, type, linkType: rest[0] };
  if (type === 'Array') {
    return {
      ...base,
      type,
      items: rest[0] === 'Link' ? { type: 'Link', linkType: rest[1], validations: [] } : { type: rest[0], validations: [] },
    };
  }
  return { ...base, type };
}

function fieldIdFromName(name: string) {
  const words = name
    .replace(/[^a-zA-Z0-9 ]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

function getValidation(list: Validation[] | undefined, key: string): unknown {
  return list?.find((v) => key in v)?.[key];
}
/** The list with the validation `key` replaced (undefined removes it); other validations are kept as they are. */
function setValidation(list: Validation[] | undefined, key: string, value: unknown): Validation[] {
  const others = (list ?? []).filter((v) => !(key in v));
  return value === undefined ? others : [...others, { [key]: value }];
}

/** A field as edited: a key of its own, so a renamed id or a move keeps its DOM element (and the keyboard focus). */
interface Row {
  key: number;
  field: ContentTypeField;
}
interface Draft {
  name: string;
  description: string;
  displayField: string;
  rows: Row[];
}
let nextKey = 1;
function toDraft(contentType: ContentType): Draft {
  return {
    name: contentType.name,
    description: contentType.description ?? '',
    displayField: contentType.displayField ?? '',
    rows: contentType.fields.map((field) => ({ key: nextKey++, field })),
  };
}

/** What the CMA refused (422 ValidationFailed), split between the fields its paths name and the rest. */
function placeErrors(error: CmaError | undefined) {
  const byField = new Map<number, string[]>();
  const general: string[] = [];
  if (error?.id !== 'ValidationFailed') return { byField, general };
  const items = (error.details as { errors?: { path?: unknown[]; details?: string; name?: string }[] } | undefined)?.errors ?? [];
  for (const item of items) {
    const text = `${item.details ?? item.name ?? 'invalid'}${item.path ? ` (${item.path.join('.')})` : ''}`;
    const index = item.path?.[0] === 'fields' && typeof item.path[1] === 'number' ? item.path[1] : undefined;
    if (index === undefined) general.push(text);
    else byField.set(index, [...(byField.get(index) ?? []), text]);
  }
  return { byField, general };
}

/** Comma-separated values kept as typed, handed on as a list (numbers for numeric fields). */
function ListInput({
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
    <FormControl id={`${uid}-c1`} marginBottom="spacingS">
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

function SizeInput({ label, value, onChange }: { label: string; value: unknown; onChange(value: unknown): void }) {
  const uid = useId();
  const size = (value ?? {}) as { min?: number; max?: number };
  const update = (key: 'min' | 'max', raw: string) => {
    const next = { ...size, [key]: raw === '' ? undefined : Number(raw) };
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
    onChange(Object.keys(clean).length ? clean : undefined);
  };
  return (
    <Flex gap="spacingS" marginBottom="spacingS" alignItems="flex-end" flexWrap="wrap">
      <FormControl id={`${uid}-c2`} marginBottom="none">
        <FormControl.Label>{`${label}: at least`}</FormControl.Label>
        <TextInput type="number" value={size.min === undefined ? '' : String(size.min)} onChange={(e) => update('min', e.target.value)} />
      </FormControl>
      <FormControl id={`${uid}-c3`} marginBottom="none">
        <FormControl.Label>{`${label}: at most`}</FormControl.Label>
        <TextInput type="number" value={size.max === undefined ? '' : String(size.max)} onChange={(e) => update('max', e.target.value)} />
      </FormControl>
    </Flex>
  );
}

/** The validations of a field in a simple form: size, unique, predefined values, pattern, allowed content types. */
function Validations({ field, onChange }: { field: ContentTypeField; onChange(field: ContentTypeField): void }) {
  const uid = useId();
  const kind = kindOf(field);
  const isArray = field.type === 'Array';
  const own = field.validations;
  const items = field.items?.validations;
  const setOwn = (key: string, value: unknown) => onChange({ ...field, validations: setValidation(own, key, value) });
  const setItems = (key: string, value: unknown) =>
    field.items && onChange({ ...field, items: { ...field.items, validations: setValidation(items, key, value) } });
  const valuesList = isArray ? items : own;
  const setValues = isArray ? setItems : setOwn;
  const numeric = field.type === 'Integer' || field.type === 'Number';
  const regexp = getValidation(valuesList, 'regexp') as { pattern?: string } | undefined;
  return (
    <fieldset className="field-validations">
      <legend>Validations</legend>
      {['Symbol', 'Text'].includes(field.type) || isArray ? (
        <SizeInput label={isArray ? 'Number of items' : 'Length'} value={getValidation(own, 'size')} onChange={(v) => setOwn('size', v)} />
      ) : null}
      {['Symbol', 'Integer', 'Number'].includes(field.type) ? (
        <Checkbox
          id={`${uid}-c13`}
          isChecked={getValidation(own, 'unique') === true}
          onChange={(e) => setOwn('unique', e.target.checked ? true : undefined)}
        >
          Unique (no other entry may have the same value)
        </Checkbox>
      ) : null}
      {['Symbol', 'Text', 'Integer', 'Number', 'Array:Symbol'].includes(kind) ? (
        <ListInput
          label="Predefined values"
          value={getValidation(valuesList, 'in') as unknown[]}
          numeric={numeric}
          onChange={(v) => setValues('in', v)}
        />
      ) : null}
      {['Symbol', 'Text', 'Array:Symbol'].includes(kind) ? (
        <FormControl id={`${uid}-c4`} marginBottom="spacingS">
          <FormControl.Label>Pattern (regular expression)</FormControl.Label>
          <TextInput
            value={regexp?.pattern ?? ''}
            onChange={(e) => setValues('regexp', e.target.value ? { ...regexp, pattern: e.target.value } : undefined)}
          />
        </FormControl>
      ) : null}
      {kind === 'Link:Entry' || kind === 'Array:Link:Entry' ? (
        <ListInput
          label="Allowed content types (ids)"
          value={getValidation(isArray ? items : own, 'linkContentType') as unknown[]}
          onChange={(v) => (isArray ? setItems : setOwn)('linkContentType', v)}
        />
      ) : null}
    </fieldset>
  );
}

/** Editing a content type: its fields (every type, their settings and validations, order), display field; save and activate. */
export default function ContentTypeEditor() {
  // Forma 36 makes control ids from Math.random (four digits), which collide on a page with many
  // controls and tie labels to the wrong inputs: every control here gets an id of its own.
  const uid = useId();
  const { spaceId = '', environmentId = '', contentTypeId = '' } = useParams();
  const cma = useCma();
  const loaded = useQuery(() => cma.contentType(spaceId, environmentId, contentTypeId), [cma, spaceId, environmentId, contentTypeId]);
  const [server, setServer] = useState<ContentType>();
  const [draft, setDraft] = useState<Draft>();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [saved, setSaved] = useState<string>();
  const [newName, setNewName] = useState('');
  const [newId, setNewId] = useState('');
  const [newIdTouched, setNewIdTouched] = useState(false);
  const [newKind, setNewKind] = useState('Symbol');
  usePageTitle(server ? `${server.name} — Content model` : 'Content model');

  useEffect(() => {
    if (!loaded.data) return;
    setServer(loaded.data);
    setDraft(toDraft(loaded.data));
    setDirty(false);
    setError(undefined);
  }, [loaded.data]);

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!server || !draft) return <Spinner size="large" />;

  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setDirty(true);
    setSaved(undefined);
  };
  const setField = (key: number, field: ContentTypeField) => change({ rows: draft.rows.map((r) => (r.key === key ? { ...r, field } : r)) });
  const move = (index: number, by: -1 | 1) => {
    const rows = [...draft.rows];
    const [row] = rows.splice(index, 1);
    rows.splice(index + by, 0, row);
    change({ rows });
    // The moved field's button keeps the focus; at the top or the bottom it is disabled, so its other button takes it.
    const to = index + by;
    if (to === 0 || to === rows.length - 1) {
      const label = row.field.name || row.field.id || `field ${to + 1}`;
      const other = `Move field ${label} ${by === -1 ? 'down' : 'up'}`;
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`button[aria-label="${CSS.escape(other)}"]`)?.focus());
    }
  };
  const remove = (row: Row) => {
    // A field never activated is simply left out; one the active version has is marked deleted (the CMA wants it omitted first).
    const wasPublished = server.sys.publishedVersion !== undefined && server.fields.some((f) => f.id === row.field.id);
    if (wasPublished) setField(row.key, { ...row.field, deleted: true });
    else change({ rows: draft.rows.filter((r) => r.key !== row.key) });
  };
  const addFieldId = newIdTouched ? newId : fieldIdFromName(newName);
  const addField = (event: FormEvent) => {
    event.preventDefault();
    change({ rows: [...draft.rows, { key: nextKey++, field: newField(newKind, addFieldId.trim(), newName.trim()) }] });
    setNewName('');
    setNewId('');
    setNewIdTouched(false);
  };

  async function save(): Promise<ContentType | undefined> {
    if (!server || !draft) return;
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const updated = await cma.putContentType(
        spaceId,
        environmentId,
        server.sys.id,
        {
          name: draft.name,
          description: draft.description || null,
          displayField: draft.displayField || null,
          fields: draft.rows.map((r) => r.field),
        },
        server.sys.version,
      );
      setServer(updated);
      // The saved fields as the CMA has them (a deleted field is gone), each keeping its row's key.
      setDraft({
        ...draft,
        rows: updated.fields.map((field) => ({ key: draft.rows.find((r) => r.field.id === field.id)?.key ?? nextKey++, field })),
      });
      setDirty(false);
      setSaved('Saved.');
      return updated;
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function activate() {
    const current = dirty ? await save() : server;
    if (!current) return;
    setBusy(true);
    try {
      const published = await cma.activateContentType(spaceId, environmentId, current);
      setServer(published);
      setSaved('Activated: entries can now be written with this version.');
    } catch (err) {
      setError(err as CmaError);
    } finally {
      setBusy(false);
    }
  }

  const conflict = error?.id === 'VersionMismatch';
  const placed = placeErrors(error);
  const textFields = draft.rows.filter((r) => !r.field.deleted && (r.field.type === 'Symbol' || r.field.type === 'Text'));

  return (
    <section aria-labelledby="content-type-title">
      <Paragraph>
        <Link to=".." relative="path">
          ← All content types
        </Link>
      </Paragraph>
      <Flex alignItems="center" gap="spacingS" flexWrap="wrap">
        <Heading as="h1" id="content-type-title" marginBottom="none">
          {server.name}
        </Heading>
        <StatusBadge contentType={server} />
        <code>{server.sys.id}</code>
      </Flex>

      <Flex gap="spacingS" marginTop="spacingM" marginBottom="spacingM" flexWrap="wrap">
        <Button variant="secondary" onClick={() => void save()} isDisabled={busy || !dirty}>
          Save
        </Button>
        <Button variant="positive" onClick={() => void activate()} isDisabled={busy}>
          {dirty ? 'Save and activate' : 'Activate'}
        </Button>
        {dirty ? <Paragraph marginBottom="none">Unsaved changes</Paragraph> : null}
        {saved ? (
          <Paragraph marginBottom="none" role="status">
            {saved}
          </Paragraph>
        ) : null}
      </Flex>

      {conflict ? (
        <Note variant="warning" title="Someone else changed this content type" role="alert" style={{ marginBottom: 16 }}>
          <Paragraph>
            It was changed since you opened it (in another tab or by another user), so your changes were not saved: saving them would
            overwrite theirs. Reload to see the current version (your unsaved changes are discarded), then make them again.
          </Paragraph>
          <Button variant="primary" size="small" onClick={loaded.reload}>
            Reload
          </Button>
        </Note>
      ) : error && error.id !== 'ValidationFailed' ? (
        <ErrorNote error={error} title="The server refused" />
      ) : null}
      {error?.id === 'ValidationFailed' ? (
        <Note variant="negative" title="The content type was not saved" role="alert" style={{ marginBottom: 16 }}>
          {error.message} The problems are shown next to their fields.
          {placed.general.map((text) => (
            <div key={text}>{text}</div>
          ))}
        </Note>
      ) : null}

      <Form aria-label="Content type settings" onSubmit={(e) => e.preventDefault()}>
        <FormControl id={`${uid}-c5`} isRequired>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput name="name" value={draft.name} maxLength={50} onChange={(e) => change({ name: e.target.value })} />
        </FormControl>
        <FormControl id={`${uid}-c6`}>
          <FormControl.Label>Description</FormControl.Label>
          <Textarea name="description" value={draft.description} onChange={(e) => change({ description: e.target.value })} />
        </FormControl>
        <FormControl id={`${uid}-c7`}>
          <FormControl.Label>Display field (the entry's title)</FormControl.Label>
          <Select name="displayField" value={draft.displayField} onChange={(e) => change({ displayField: e.target.value })}>
            <Select.Option value="">None</Select.Option>
            {textFields.map((r) => (
              <Select.Option key={r.key} value={r.field.id}>
                {r.field.name} ({r.field.id})
              </Select.Option>
            ))}
          </Select>
        </FormControl>
      </Form>

      <Heading as="h2" marginTop="spacingL">
        Fields
      </Heading>
      {draft.rows.length === 0 ? <Paragraph>No fields yet.</Paragraph> : null}
      <ol className="field-list">
        {draft.rows.map((row, index) => {
          const { field } = row;
          const label = field.name || field.id || `field ${index + 1}`;
          const problems = placed.byField.get(index) ?? [];
          return (
            <li key={row.key}>
              <Card as="article" aria-label={`Field ${label}`} className={field.deleted ? 'field-deleted' : undefined}>
                <Flex justifyContent="space-between" alignItems="center" flexWrap="wrap" gap="spacingS">
                  <Heading as="h3" marginBottom="none">
                    {label} <small>— {KINDS.find((k) => k.value === kindOf(field))?.label ?? kindOf(field)}</small>
                    {draft.displayField && draft.displayField === field.id ? <small> (display field)</small> : null}
                    {field.deleted ? <small> (deleted on save)</small> : null}
                  </Heading>
                  <ButtonGroup variant="spaced" spacing="spacingXs">
                    <Button size="small" aria-label={`Move field ${label} up`} isDisabled={index === 0} onClick={() => move(index, -1)}>
                      Up
                    </Button>
                    <Button
                      size="small"
                      aria-label={`Move field ${label} down`}
                      isDisabled={index === draft.rows.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      Down
                    </Button>
                    {field.deleted ? (
                      <Button
                        size="small"
                        aria-label={`Restore field ${label}`}
                        onClick={() => setField(row.key, { ...field, deleted: undefined })}
                      >
                        Restore
                      </Button>
                    ) : (
                      <Button size="small" variant="negative" aria-label={`Delete field ${label}`} onClick={() => remove(row)}>
                        Delete
                      </Button>
                    )}
                  </ButtonGroup>
                </Flex>
                {problems.length ? (
                  <Note variant="negative" role="alert" style={{ margin: '8px 0' }} aria-label={`Problems of field ${label}`}>
                    {problems.map((text) => (
                      <div key={text}>{text}</div>
                    ))}
                  </Note>
                ) : null}
                <Flex gap="spacingM" flexWrap="wrap" marginTop="spacingS">
                  <FormControl id={`${uid}-name-${row.key}`} marginBottom="spacingS">
                    <FormControl.Label>Field name</FormControl.Label>
                    <TextInput value={field.name} onChange={(e) => setField(row.key, { ...field, name: e.target.value })} />
                  </FormControl>
                  <FormControl id={`${uid}-id-${row.key}`} marginBottom="spacingS">
                    <FormControl.Label>Field ID</FormControl.Label>
                    <TextInput value={field.id} onChange={(e) => setField(row.key, { ...field, id: e.target.value })} />
                  </FormControl>
                </Flex>
                <Flex gap="spacingM" flexWrap="wrap" marginBottom="spacingS">
                  {(
                    [
                      ['localized', 'Localized'],
                      ['required', 'Required'],
                      ['disabled', 'Disabled in editing'],
                      ['omitted', 'Omitted from the API responses'],
                    ] as const
                  ).map(([flag, text]) => (
                    <Checkbox
                      id={`${uid}-${flag}-${row.key}`}
                      key={flag}
                      isChecked={field[flag] === true}
                      onChange={(e) => setField(row.key, { ...field, [flag]: e.target.checked })}
                    >
                      {text}
                    </Checkbox>
                  ))}
                </Flex>
                <Validations field={field} onChange={(f) => setField(row.key, f)} />
              </Card>
            </li>
          );
        })}
      </ol>

      <Heading as="h2" marginTop="spacingL">
        Add a field
      </Heading>
      <Form onSubmit={addField} aria-label="Add a field">
        <Flex gap="spacingM" flexWrap="wrap" alignItems="flex-end">
          <FormControl id={`${uid}-c10`} isRequired marginBottom="none">
            <FormControl.Label>Field type</FormControl.Label>
            <Select name="newFieldType" value={newKind} onChange={(e) => setNewKind(e.target.value)}>
              {KINDS.map((k) => (
                <Select.Option key={k.value} value={k.value}>
                  {k.label}
                </Select.Option>
              ))}
            </Select>
          </FormControl>
          <FormControl id={`${uid}-c11`} isRequired marginBottom="none">
            <FormControl.Label>Name</FormControl.Label>
            <TextInput name="newFieldName" value={newName} maxLength={50} onChange={(e) => setNewName(e.target.value)} />
          </FormControl>
          <FormControl id={`${uid}-c12`} isRequired marginBottom="none">
            <FormControl.Label>Field ID</FormControl.Label>
            <TextInput
              name="newFieldId"
              value={addFieldId}
              onChange={(e) => {
                setNewIdTouched(true);
                setNewId(e.target.value);
              }}
            />
          </FormControl>
          <Button type="submit" variant="primary" isDisabled={!newName.trim() || !addFieldId.trim()}>
            Add field
          </Button>
        </Flex>
      </Form>
    </section>
  );
}
