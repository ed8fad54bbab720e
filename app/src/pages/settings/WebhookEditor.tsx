import { Button, Flex, Form, FormControl, ModalConfirm, Note, Paragraph, Select, Switch, TextInput } from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import type { CmaError } from '../../api/cma';
import type { Webhook, WebhookInput } from '../../api/settings-content';
import { asCmaError, fieldErrors, RefusedNote, useSettingsContent } from './shared';
import { ALL_EVENTS, WebhookTopics } from './WebhookTopics';

const FIELDS = ['name', 'url', 'topics', 'headers', 'httpBasicUsername', 'httpBasicPassword'];
const METHODS = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'];

/** A header as edited; a secret one loaded from the server has no value (`stored`): sent without one, the server keeps it. */
interface HeaderRow {
  /** Keeps a row's inputs (and the focus) when a row above it is removed. */
  rowKey: number;
  key: string;
  value: string;
  secret: boolean;
  stored: boolean;
}
let nextRowKey = 1;
const headerRow = (header: Omit<HeaderRow, 'rowKey'>): HeaderRow => ({ rowKey: nextRowKey++, ...header });

interface Draft {
  name: string;
  url: string;
  method: string;
  topics: string[];
  headers: HeaderRow[];
  username: string;
  password: string;
  active: boolean;
}

function toDraft(webhook?: Webhook): Draft {
  if (!webhook) return { name: '', url: '', method: 'POST', topics: [ALL_EVENTS], headers: [], username: '', password: '', active: true };
  return {
    name: webhook.name,
    url: webhook.url,
    method: String(webhook.transformation?.method ?? 'POST'),
    topics: webhook.topics,
    headers: webhook.headers.map((h) =>
      headerRow({ key: h.key, value: h.value ?? '', secret: !!h.secret, stored: !!h.secret && h.value === undefined }),
    ),
    username: webhook.httpBasicUsername ?? '',
    password: '',
    active: webhook.active,
  };
}

/** The body of a create or an update; filters and a transformation the app does not edit are sent back as they are. */
function toInput(draft: Draft, webhook?: Webhook): WebhookInput {
  const transformation =
    webhook?.transformation || draft.method !== 'POST' ? { ...webhook?.transformation, method: draft.method } : undefined;
  const username = draft.username.trim();
  return {
    name: draft.name.trim(),
    url: draft.url.trim(),
    topics: draft.topics,
    filters: webhook?.filters,
    headers: draft.headers.map((h) =>
      h.secret && h.stored && h.value === ''
        ? { key: h.key, secret: true }
        : { key: h.key, value: h.value, ...(h.secret ? { secret: true } : {}) },
    ),
    httpBasicUsername: username || null,
    // No user: no password either; a user without a newly typed password keeps the stored one.
    ...(username ? (draft.password ? { httpBasicPassword: draft.password } : {}) : { httpBasicPassword: null }),
    transformation,
    active: draft.active,
  };
}

/** One header: name, value (masked for a secret) and its removal. */
function HeaderFields({
  header,
  index,
  error,
  onChange,
  onRemove,
}: {
  header: HeaderRow;
  index: number;
  error?: string[];
  onChange(header: HeaderRow): void;
  onRemove(): void;
}) {
  const uid = useId();
  const kind = header.secret ? 'Secret header' : 'Header';
  return (
    <Flex gap="spacingS" alignItems="flex-end" flexWrap="wrap" marginBottom="spacingS">
      <FormControl id={`${uid}-key`} marginBottom="none" isRequired>
        <FormControl.Label>{`${kind} ${index + 1}: name`}</FormControl.Label>
        <TextInput value={header.key} maxLength={255} onChange={(e) => onChange({ ...header, key: e.target.value })} />
      </FormControl>
      <FormControl id={`${uid}-value`} marginBottom="none" isInvalid={!!error?.length}>
        <FormControl.Label>{`${kind} ${index + 1}: value`}</FormControl.Label>
        <TextInput
          type={header.secret ? 'password' : 'text'}
          autoComplete="off"
          value={header.value}
          placeholder={header.stored ? 'Stored; type to replace' : undefined}
          onChange={(e) => onChange({ ...header, value: e.target.value })}
        />
        {error?.map((text) => (
          <FormControl.ValidationMessage key={text}>{text}</FormControl.ValidationMessage>
        ))}
      </FormControl>
      <Button variant="secondary" onClick={onRemove} aria-label={`Remove ${kind.toLowerCase()} ${index + 1}`}>
        Remove
      </Button>
    </Flex>
  );
}

/** Creating or editing a webhook: name, URL and method, triggers, headers (secret ones too), HTTP basic auth, active. */
export function WebhookEditor({ webhook, onSaved, onReload }: { webhook?: Webhook; onSaved(webhook: Webhook): void; onReload?(): void }) {
  const uid = useId();
  const api = useSettingsContent();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => toDraft(webhook));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const byField = fieldErrors(error);
  const headerErrors = (error?.details as { errors?: { path?: unknown[]; details?: string }[] } | undefined)?.errors ?? [];
  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };
  const setHeader = (index: number, header: HeaderRow) => change({ headers: draft.headers.map((h, i) => (i === index ? header : h)) });

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = webhook ? await api.updateWebhook(webhook, toInput(draft, webhook)) : await api.createWebhook(toInput(draft));
      setDraft(toDraft(result));
      setSaved(true);
      onSaved(result);
    } catch (err) {
      setError(asCmaError(err));
    }
    setBusy(false);
  }

  async function remove() {
    if (!webhook) return;
    setDeleting(false);
    try {
      await api.deleteWebhook(webhook);
      navigate('..', { relative: 'path' });
    } catch (err) {
      setError(asCmaError(err));
    }
  }

  const invalid = (field: string) =>
    byField.get(field)?.map((text) => <FormControl.ValidationMessage key={text}>{text}</FormControl.ValidationMessage>);

  return (
    <>
      <RefusedNote error={error} what="webhook" fields={FIELDS} onReload={onReload} />
      <Form onSubmit={save} aria-label={webhook ? 'Webhook settings' : 'New webhook'} style={{ maxWidth: 960 }}>
        <FormControl id={`${uid}-name`} isRequired isInvalid={byField.has('name')}>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput name="name" value={draft.name} maxLength={255} onChange={(e) => change({ name: e.target.value })} />
          {invalid('name')}
        </FormControl>
        <Flex gap="spacingS" alignItems="flex-start" flexWrap="wrap">
          <FormControl id={`${uid}-method`}>
            <FormControl.Label>Method</FormControl.Label>
            <Select name="method" value={draft.method} onChange={(e) => change({ method: e.target.value })}>
              {METHODS.map((m) => (
                <Select.Option key={m} value={m}>
                  {m}
                </Select.Option>
              ))}
            </Select>
          </FormControl>
          <FormControl id={`${uid}-url`} isRequired isInvalid={byField.has('url')} style={{ flex: '1 1 280px' }}>
            <FormControl.Label>URL</FormControl.Label>
            <TextInput
              name="url"
              type="url"
              value={draft.url}
              maxLength={2048}
              placeholder="https://example.com/hook"
              onChange={(e) => change({ url: e.target.value })}
            />
            {invalid('url')}
          </FormControl>
        </Flex>
        <WebhookTopics topics={draft.topics} onChange={(topics) => change({ topics })} />
        {byField.get('topics')?.map((text) => (
          <Paragraph key={text} role="alert" style={{ color: '#bd002a' }}>
            {text}
          </Paragraph>
        ))}
        {webhook?.filters?.length ? (
          <Note variant="neutral" style={{ marginBottom: 16 }}>
            This webhook has filters (set through the API); they are kept as they are.
          </Note>
        ) : null}

        <fieldset style={{ marginBottom: 24, minWidth: 0 }}>
          <legend>
            <strong>Headers</strong>
          </legend>
          {draft.headers.map((header, index) => (
            <HeaderFields
              key={header.rowKey}
              header={header}
              index={index}
              error={headerErrors.filter((e) => e.path?.[0] === 'headers' && e.path[1] === index).map((e) => e.details ?? 'invalid')}
              onChange={(next) => setHeader(index, next)}
              onRemove={() => change({ headers: draft.headers.filter((_, i) => i !== index) })}
            />
          ))}
          <Flex gap="spacingS" flexWrap="wrap">
            <Button
              size="small"
              onClick={() => change({ headers: [...draft.headers, headerRow({ key: '', value: '', secret: false, stored: false })] })}
            >
              Add custom header
            </Button>
            <Button
              size="small"
              onClick={() => change({ headers: [...draft.headers, headerRow({ key: '', value: '', secret: true, stored: false })] })}
            >
              Add secret header
            </Button>
          </Flex>
          <Paragraph marginTop="spacingXs">A secret header's value is never shown again once saved, nor in the call log.</Paragraph>
        </fieldset>

        <fieldset style={{ marginBottom: 24, minWidth: 0 }}>
          <legend>
            <strong>HTTP basic authentication</strong> (optional)
          </legend>
          <Flex gap="spacingS" flexWrap="wrap">
            <FormControl id={`${uid}-user`} marginBottom="none" isInvalid={byField.has('httpBasicUsername')}>
              <FormControl.Label>User</FormControl.Label>
              <TextInput
                name="httpBasicUsername"
                autoComplete="off"
                value={draft.username}
                onChange={(e) => change({ username: e.target.value })}
              />
              {invalid('httpBasicUsername')}
            </FormControl>
            <FormControl id={`${uid}-password`} marginBottom="none" isInvalid={byField.has('httpBasicPassword')}>
              <FormControl.Label>Password</FormControl.Label>
              <TextInput
                name="httpBasicPassword"
                type="password"
                autoComplete="new-password"
                value={draft.password}
                placeholder={webhook?.httpBasicUsername ? 'Stored; type to replace' : undefined}
                onChange={(e) => change({ password: e.target.value })}
              />
              {invalid('httpBasicPassword')}
            </FormControl>
          </Flex>
        </fieldset>

        <Switch id={`${uid}-active`} isChecked={draft.active} onChange={(e) => change({ active: e.target.checked })}>
          Active (calls are made)
        </Switch>

        <Flex gap="spacingS" alignItems="center" flexWrap="wrap" marginTop="spacingL">
          <Button
            variant="primary"
            type="submit"
            isLoading={busy}
            isDisabled={busy || !draft.name.trim() || !draft.url.trim() || draft.topics.length === 0}
          >
            {webhook ? 'Save webhook' : 'Create webhook'}
          </Button>
          {webhook ? (
            <Button variant="negative" onClick={() => setDeleting(true)} isDisabled={busy}>
              Delete webhook
            </Button>
          ) : null}
          {saved ? (
            <Paragraph marginBottom="none" role="status">
              Saved.
            </Paragraph>
          ) : null}
        </Flex>
      </Form>
      <ModalConfirm
        isShown={deleting}
        intent="negative"
        title="Delete webhook"
        confirmLabel="Delete webhook"
        onCancel={() => setDeleting(false)}
        onConfirm={() => void remove()}
      >
        <Paragraph>
          Delete the webhook <strong>{webhook?.name}</strong> and its call log?
        </Paragraph>
      </ModalConfirm>
    </>
  );
}
