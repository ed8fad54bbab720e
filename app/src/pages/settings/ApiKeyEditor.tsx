import {
  Button,
  Checkbox,
  CopyButton,
  Flex,
  Form,
  FormControl,
  Heading,
  ModalConfirm,
  Paragraph,
  Spinner,
  Textarea,
  TextInput,
} from '@contentful/f36-components';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import type { CmaError } from '../../api/cma';
import type { ApiKey, ApiKeyInput } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { useEnvironments } from '../Shell';
import { asCmaError, BackLink, fieldErrors, ReadOnlyNote, RefusedNote, useSettingsContent } from './shared';

const FIELDS = ['name', 'description', 'environments'];

function toInput(key: ApiKey): ApiKeyInput {
  return { name: key.name, description: key.description, environments: key.environments.map((e) => e.sys.id) };
}

/** A value to read and copy (a token, the space id), read-only with Forma 36's copy button beside it. */
function CopyableValue({ label, name, value }: { label: string; name: string; value: string }) {
  const uid = useId();
  return (
    <FormControl id={`${uid}-value`}>
      <FormControl.Label>{label}</FormControl.Label>
      <TextInput.Group>
        <TextInput name={name} value={value} isReadOnly />
        <CopyButton value={value} label={`Copy ${label}`} tooltipText={`Copy ${label}`} />
      </TextInput.Group>
    </FormControl>
  );
}

/** The environments and aliases a key may read, as checkboxes (an alias follows the environment it points at). */
function EnvironmentChoices({ selected, disabled, onChange }: { selected: string[]; disabled: boolean; onChange(ids: string[]): void }) {
  const uid = useId();
  const environments = useEnvironments().data?.items ?? [];
  const aliases = environments.flatMap((e) =>
    (e.sys.aliases ?? []).filter((a) => a.sys.id !== e.sys.id).map((a) => ({ id: a.sys.id, label: `${a.sys.id} (alias of ${e.sys.id})` })),
  );
  const choices = [
    ...aliases,
    ...environments.filter((e) => !aliases.some((a) => a.id === e.sys.id)).map((e) => ({ id: e.sys.id, label: e.sys.id })),
  ];
  // Ids the key lists that are gone from the space stay visible, so that saving does not drop them unseen.
  for (const id of selected) if (!choices.some((c) => c.id === id)) choices.push({ id, label: `${id} (not found)` });
  return (
    <fieldset style={{ marginBottom: 24, minWidth: 0 }}>
      <legend>
        <strong>Environments</strong> the tokens may read
      </legend>
      {choices.map((choice, index) => (
        <Checkbox
          key={choice.id}
          id={`${uid}-${index}`}
          isChecked={selected.includes(choice.id)}
          isDisabled={disabled}
          onChange={(e) => onChange(e.target.checked ? [...selected, choice.id] : selected.filter((id) => id !== choice.id))}
        >
          {choice.label}
        </Checkbox>
      ))}
    </fieldset>
  );
}

/** Creating (`new`) or showing an API key: its delivery and preview tokens to copy, name, description and environments. */
export default function ApiKeyEditor({ keyId }: { keyId: string }) {
  const uid = useId();
  const api = useSettingsContent();
  const { spaceId = '' } = useParams();
  const navigate = useNavigate();
  const access = useAccess();
  const manage = access.admin || access.may('ContentDelivery', 'manage');
  const creating = keyId === 'new';
  const loaded = useQuery(async () => {
    if (creating) return undefined;
    const key = await api.apiKey(keyId);
    const preview = key.preview_api_key ? await api.previewApiKey(key.preview_api_key.sys.id) : undefined;
    return { key, preview };
  }, [api, keyId, creating]);
  const [server, setServer] = useState<ApiKey>();
  const [draft, setDraft] = useState<ApiKeyInput>({ name: '', description: '', environments: ['master'] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  usePageTitle(creating ? 'New API key — API keys' : `${server?.name ?? 'API key'} — API keys`);

  useEffect(() => {
    if (!loaded.data) return;
    setServer(loaded.data.key);
    setDraft(toInput(loaded.data.key));
    setError(undefined);
  }, [loaded.data]);

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!creating && !server) return <Spinner size="large" />;

  const byField = fieldErrors(error);
  const change = (next: Partial<ApiKeyInput>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const input = { ...draft, name: draft.name.trim(), description: draft.description?.trim() || null };
    try {
      if (server) {
        const updated = await api.updateApiKey(server, input);
        setServer(updated);
        setDraft(toInput(updated));
        setSaved(true);
      } else {
        const created = await api.createApiKey(input);
        navigate(`../${created.sys.id}`, { relative: 'path' });
      }
    } catch (err) {
      setError(asCmaError(err));
    }
    setBusy(false);
  }

  async function remove() {
    if (!server) return;
    setDeleting(false);
    setError(undefined);
    try {
      await api.deleteApiKey(server);
      navigate('..', { relative: 'path' });
    } catch (err) {
      setError(asCmaError(err));
    }
  }

  const preview = loaded.data?.preview;
  return (
    <section aria-labelledby={`${uid}-title`}>
      <BackLink label="All API keys" />
      <Heading as="h1" id={`${uid}-title`}>
        {creating ? 'New API key' : server?.name}
      </Heading>
      {manage ? null : <ReadOnlyNote>Your role may see this API key but not change it.</ReadOnlyNote>}
      <RefusedNote error={error} what="API key" fields={FIELDS} onReload={loaded.reload} />
      {server ? (
        <section aria-label="Access tokens" style={{ maxWidth: 640, marginBottom: 24 }}>
          <CopyableValue label="Space ID" name="spaceId" value={spaceId} />
          <CopyableValue label="Content Delivery API access token" name="deliveryToken" value={server.accessToken} />
          {preview ? <CopyableValue label="Content Preview API access token" name="previewToken" value={preview.accessToken} /> : null}
        </section>
      ) : null}
      <Form onSubmit={save} aria-label={creating ? 'New API key' : 'API key settings'} style={{ maxWidth: 640 }}>
        <FormControl id={`${uid}-name`} isRequired isInvalid={byField.has('name')} isDisabled={!manage}>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput name="name" value={draft.name} maxLength={255} onChange={(e) => change({ name: e.target.value })} />
          {byField.get('name')?.map((text) => (
            <FormControl.ValidationMessage key={text}>{text}</FormControl.ValidationMessage>
          ))}
        </FormControl>
        <FormControl id={`${uid}-description`} isInvalid={byField.has('description')} isDisabled={!manage}>
          <FormControl.Label>Description</FormControl.Label>
          <Textarea
            name="description"
            value={draft.description ?? ''}
            maxLength={1000}
            onChange={(e) => change({ description: e.target.value })}
          />
        </FormControl>
        <EnvironmentChoices selected={draft.environments} disabled={!manage} onChange={(environments) => change({ environments })} />
        {byField.get('environments')?.map((text) => (
          <Paragraph key={text} role="alert">
            {text}
          </Paragraph>
        ))}
        {manage ? (
          <Flex gap="spacingS" alignItems="center" flexWrap="wrap">
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !draft.name.trim()}>
              {creating ? 'Create API key' : 'Save API key'}
            </Button>
            {server ? (
              <Button variant="negative" onClick={() => setDeleting(true)} isDisabled={busy}>
                Delete API key
              </Button>
            ) : null}
            {saved ? (
              <Paragraph marginBottom="none" role="status">
                Saved.
              </Paragraph>
            ) : null}
          </Flex>
        ) : null}
      </Form>
      <ModalConfirm
        isShown={deleting}
        intent="negative"
        title="Delete API key"
        confirmLabel="Delete API key"
        onCancel={() => setDeleting(false)}
        onConfirm={() => void remove()}
      >
        <Paragraph>
          Delete the API key <strong>{server?.name}</strong>? Its delivery and preview tokens stop working at once.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}
