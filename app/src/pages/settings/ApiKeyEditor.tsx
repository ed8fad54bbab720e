import { Button, Checkbox, CopyButton, Form, Paragraph, Spinner, Textarea, TextInput } from '@contentful/f36-components';
import { useId } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import type { ApiKey, ApiKeyInput } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { useEnvironments } from '../Shell';
import { ActionBar } from '../shared/ActionBar';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { Page } from '../shared/Page';
import { atFields, RefusedNote } from '../shared/RefusedNote';
import { useVersionedDraft } from '../shared/use-versioned-draft';
import { fieldErrors, ReadOnlyNote, useSettingsContent } from './shared';

const PLACE_OF = atFields(['name', 'description', 'environments']);
const NEW_KEY: ApiKeyInput = { name: '', description: '', environments: ['master'] };

function toInput(key: ApiKey): ApiKeyInput {
  return { name: key.name, description: key.description, environments: key.environments.map((e) => e.sys.id) };
}

/** A value to read and copy (a token, the space id), read-only with Forma 36's copy button beside it. */
function CopyableValue({ label, name, value }: { label: string; name: string; value: string }) {
  return (
    <FormRow label={label}>
      <TextInput.Group>
        <TextInput name={name} value={value} isReadOnly />
        <CopyButton value={value} label={`Copy ${label}`} tooltipText={`Copy ${label}`} />
      </TextInput.Group>
    </FormRow>
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
  const { server, draft, saved, busy, error, change, save, remove } = useVersionedDraft({
    loaded: loaded.data?.key,
    toDraft: toInput,
    blank: NEW_KEY,
  });
  usePageTitle(creating ? 'New API key — API keys' : `${server?.name ?? 'API key'} — API keys`);

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!creating && !server) return <Spinner size="large" />;

  const byField = fieldErrors(error);
  const input = { ...draft, name: draft.name.trim(), description: draft.description?.trim() || null };
  const preview = loaded.data?.preview;
  return (
    <Page title={creating ? 'New API key' : server?.name} back="All API keys">
      {manage ? null : <ReadOnlyNote>Your role may see this API key but not change it.</ReadOnlyNote>}
      <RefusedNote error={error} what="API key" placeOf={PLACE_OF} onReload={loaded.reload} />
      {server ? (
        <section aria-label="Access tokens" style={{ maxWidth: 640, marginBottom: 24 }}>
          <CopyableValue label="Space ID" name="spaceId" value={spaceId} />
          <CopyableValue label="Content Delivery API access token" name="deliveryToken" value={server.accessToken} />
          {preview ? <CopyableValue label="Content Preview API access token" name="previewToken" value={preview.accessToken} /> : null}
        </section>
      ) : null}
      <Form
        onSubmit={() =>
          void save(
            (key) => api.updateApiKey(key, input),
            async () => navigate(`../${(await api.createApiKey(input)).sys.id}`, { relative: 'path' }),
          )
        }
        aria-label={creating ? 'New API key' : 'API key settings'}
        style={{ maxWidth: 640 }}
      >
        <FormRow label="Name" isRequired isDisabled={!manage} problems={byField.get('name')}>
          <TextInput name="name" value={draft.name} maxLength={255} onChange={(e) => change({ name: e.target.value })} />
        </FormRow>
        <FormRow label="Description" isDisabled={!manage} problems={byField.get('description')}>
          <Textarea
            name="description"
            value={draft.description ?? ''}
            maxLength={1000}
            onChange={(e) => change({ description: e.target.value })}
          />
        </FormRow>
        <EnvironmentChoices selected={draft.environments} disabled={!manage} onChange={(environments) => change({ environments })} />
        {byField.get('environments')?.map((text) => (
          <Paragraph key={text} role="alert">
            {text}
          </Paragraph>
        ))}
        {manage ? (
          <ActionBar done={saved}>
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !draft.name.trim()}>
              {creating ? 'Create API key' : 'Save API key'}
            </Button>
            {server ? (
              <ConfirmDelete title="Delete API key" isDisabled={busy} onConfirm={() => void remove((key) => api.deleteApiKey(key))}>
                Delete the API key <strong>{server.name}</strong>? Its delivery and preview tokens stop working at once.
              </ConfirmDelete>
            ) : null}
          </ActionBar>
        ) : null}
      </Form>
    </Page>
  );
}
