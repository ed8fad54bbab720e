import {
  Button,
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
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CmaError, type ContentType, type ContentTypeField } from '../api/cma';
import { contentModelApi, type EditorControl, type EditorInterface } from '../api/content-model';
import { useQuery } from '../api/use-query';
import { useCma } from '../session';
import { useAccess } from '../access';
import { StatusBadge } from './ContentModel';
import { ErrorNote, usePageTitle } from './common';
import { FieldCard } from './content-model/FieldCard';
import { fieldIdFromName, KINDS, newField } from './content-model/fields';
import { placeErrors } from './content-model/problems';
import { controlOf } from './content-model/widgets';
import './content-model/content-model.css';

/** A field as edited, with its editor interface control: a key of its own, so a renamed id or a move keeps its DOM element (and the keyboard focus). */
interface Row {
  key: number;
  field: ContentTypeField;
  control?: EditorControl;
}
interface Draft {
  name: string;
  description: string;
  displayField: string;
  rows: Row[];
}
let nextKey = 1;
const controlIn = (editorInterface: EditorInterface | undefined, fieldId: string) =>
  editorInterface?.controls?.find((c) => c.fieldId === fieldId);
function toDraft(contentType: ContentType, editorInterface: EditorInterface | undefined): Draft {
  return {
    name: contentType.name,
    description: contentType.description ?? '',
    displayField: contentType.displayField ?? '',
    rows: contentType.fields.map((field) => ({ key: nextKey++, field, control: controlIn(editorInterface, field.id) })),
  };
}
/** The editor interface's controls for the fields the draft keeps, each under the field's current id. */
const controlsOf = (rows: Row[]): EditorControl[] =>
  rows.filter((r) => !r.field.deleted).map((r) => ({ ...controlOf(r.field, r.control), fieldId: r.field.id }));

const asCmaError = (err: unknown) => (err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));

/**
 * Editing a content type: its fields (every type, their settings, validations and order), display field and the
 * fields' appearance (its editor interface); save and activate.
 */
export default function ContentTypeEditor() {
  // Forma 36 makes control ids from Math.random (four digits), which collide on a page with many
  // controls and tie labels to the wrong inputs: every control here gets an id of its own.
  const uid = useId();
  const mayManage = useAccess().may('ContentModel', 'manage');
  const { spaceId = '', environmentId = '', contentTypeId = '' } = useParams();
  const cma = useCma();
  const api = useMemo(() => contentModelApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const loaded = useQuery(async () => {
    const contentType = await cma.contentType(spaceId, environmentId, contentTypeId);
    // The editor interface is created when the content type is first activated.
    const editorInterface = contentType.sys.publishedVersion ? await api.editorInterface(contentTypeId) : undefined;
    return { contentType, editorInterface };
  }, [cma, api, contentTypeId]);
  const [server, setServer] = useState<ContentType>();
  const [editorInterface, setEditorInterface] = useState<EditorInterface>();
  const [draft, setDraft] = useState<Draft>();
  const [fieldsDirty, setFieldsDirty] = useState(false);
  const [appearanceDirty, setAppearanceDirty] = useState(false);
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
    setServer(loaded.data.contentType);
    setEditorInterface(loaded.data.editorInterface);
    setDraft(toDraft(loaded.data.contentType, loaded.data.editorInterface));
    setFieldsDirty(false);
    setAppearanceDirty(false);
    setError(undefined);
  }, [loaded.data]);

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!server || !draft) return <Spinner size="large" />;

  const dirty = fieldsDirty || appearanceDirty;
  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setFieldsDirty(true);
    setSaved(undefined);
  };
  const setField = (key: number, field: ContentTypeField) => change({ rows: draft.rows.map((r) => (r.key === key ? { ...r, field } : r)) });
  const setControl = (key: number, control: EditorControl) => {
    setDraft({ ...draft, rows: draft.rows.map((r) => (r.key === key ? { ...r, control } : r)) });
    setAppearanceDirty(true);
    setSaved(undefined);
  };
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

  /**
   * Saves the fields (when changed) and then the appearance (when changed and the editor interface exists).
   * Answers the saved content type and rows, and whether the appearance still waits for an activation.
   */
  async function save(): Promise<{ contentType: ContentType; rows: Row[]; appearancePending: boolean } | undefined> {
    if (!server || !draft) return;
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    let contentType = server;
    let rows = draft.rows;
    try {
      if (fieldsDirty) {
        contentType = await cma.putContentType(
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
        setServer(contentType);
        // The saved fields as the CMA has them (a deleted field is gone), each keeping its row's key and control.
        const before = draft.rows;
        rows = contentType.fields.map((field) => {
          const row = before.find((r) => r.field.id === field.id);
          return { key: row?.key ?? nextKey++, field, control: row?.control };
        });
        setDraft({ ...draft, rows });
        setFieldsDirty(false);
      }
      if (appearanceDirty && editorInterface) {
        setEditorInterface(await api.putEditorInterface(server.sys.id, controlsOf(rows), editorInterface.sys.version));
        setAppearanceDirty(false);
      }
      const appearancePending = appearanceDirty && !editorInterface;
      setSaved(appearancePending ? 'Saved. The appearance is saved when the content type is activated.' : 'Saved.');
      return { contentType, rows, appearancePending };
    } catch (err) {
      setError(asCmaError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function activate() {
    if (!server || !draft) return;
    const current = dirty ? await save() : { contentType: server, rows: draft.rows, appearancePending: false };
    if (!current) return;
    setBusy(true);
    try {
      const published = await cma.activateContentType(spaceId, environmentId, current.contentType);
      setServer(published);
      // The activation created the editor interface or brought its controls in step with the fields.
      let synced = await api.editorInterface(published.sys.id);
      if (synced && current.appearancePending)
        synced = await api.putEditorInterface(published.sys.id, controlsOf(current.rows), synced.sys.version);
      setEditorInterface(synced);
      setDraft({ ...draft, rows: current.rows.map((r) => ({ ...r, control: controlIn(synced, r.field.id) ?? r.control })) });
      setAppearanceDirty(false);
      setSaved('Activated: entries can now be written with this version.');
    } catch (err) {
      setError(asCmaError(err));
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

      {!mayManage ? (
        <Note variant="neutral" title="Read only" style={{ margin: '16px 0' }}>
          Your role may read the content model but not change it.
        </Note>
      ) : null}
      {mayManage ? (
        <Flex gap="spacingS" marginTop="spacingM" marginBottom="spacingM" flexWrap="wrap">
          <Button
            variant="secondary"
            onClick={() => void save()}
            isDisabled={busy || !(fieldsDirty || (appearanceDirty && editorInterface))}
          >
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
      ) : null}

      {conflict ? (
        <Note variant="warning" title="Someone else changed this content type" role="alert" style={{ marginBottom: 16 }}>
          <Paragraph>
            It or its appearance was changed since you opened it (in another tab or by another user), so your changes were not saved: saving
            them would overwrite theirs. Reload to see the current version (your unsaved changes are discarded), then make them again.
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

      {/* A role that may not manage the content model sees it, every control disabled. */}
      <fieldset className="plain-fieldset" disabled={!mayManage}>
        <Form aria-label="Content type settings" onSubmit={(e) => e.preventDefault()}>
          <FormControl id={`${uid}-name`} isRequired>
            <FormControl.Label>Name</FormControl.Label>
            <TextInput name="name" value={draft.name} maxLength={50} onChange={(e) => change({ name: e.target.value })} />
          </FormControl>
          <FormControl id={`${uid}-description`}>
            <FormControl.Label>Description</FormControl.Label>
            <Textarea name="description" value={draft.description} onChange={(e) => change({ description: e.target.value })} />
          </FormControl>
          <FormControl id={`${uid}-display`}>
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
          {draft.rows.map((row, index) => (
            <li key={row.key}>
              <FieldCard
                field={row.field}
                control={row.control}
                label={row.field.name || row.field.id || `field ${index + 1}`}
                isFirst={index === 0}
                isLast={index === draft.rows.length - 1}
                isDisplayField={draft.displayField !== '' && draft.displayField === row.field.id}
                appearancePending={!editorInterface}
                problems={placed.byField.get(index) ?? []}
                onField={(field) => setField(row.key, field)}
                onControl={(control) => setControl(row.key, control)}
                onMove={(by) => move(index, by)}
                onRemove={() => remove(row)}
              />
            </li>
          ))}
        </ol>
      </fieldset>

      {mayManage ? (
        <>
          <Heading as="h2" marginTop="spacingL">
            Add a field
          </Heading>
          <Form onSubmit={addField} aria-label="Add a field">
            <Flex gap="spacingM" flexWrap="wrap" alignItems="flex-end">
              <FormControl id={`${uid}-new-type`} isRequired marginBottom="none">
                <FormControl.Label>Field type</FormControl.Label>
                <Select name="newFieldType" value={newKind} onChange={(e) => setNewKind(e.target.value)}>
                  {KINDS.map((k) => (
                    <Select.Option key={k.value} value={k.value}>
                      {k.label}
                    </Select.Option>
                  ))}
                </Select>
              </FormControl>
              <FormControl id={`${uid}-new-name`} isRequired marginBottom="none">
                <FormControl.Label>Name</FormControl.Label>
                <TextInput name="newFieldName" value={newName} maxLength={50} onChange={(e) => setNewName(e.target.value)} />
              </FormControl>
              <FormControl id={`${uid}-new-id`} isRequired marginBottom="none">
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
        </>
      ) : null}
    </section>
  );
}
