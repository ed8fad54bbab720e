import { Button, Flex, Form, Note, Paragraph, Select, Switch, TextInput } from '@contentful/f36-components';
import { useId } from 'react';
import type { Webhook, WebhookInput } from '../../api/settings-content';
import { ActionBar } from '../shared/ActionBar';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { atFields, RefusedNote, sortProblems } from '../shared/RefusedNote';
import { useVersionedDraft } from '../shared/use-versioned-draft';
import { fieldErrors, useSettingsContent } from './shared';
import { ALL_EVENTS, WebhookTopics } from './WebhookTopics';

const PLACE_OF = atFields(['name', 'url', 'topics', 'headers', 'httpBasicUsername', 'httpBasicPassword']);
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
  const kind = header.secret ? 'Secret header' : 'Header';
  return (
    <Flex gap="spacingS" alignItems="flex-end" flexWrap="wrap" marginBottom="spacingS">
      <FormRow label={`${kind} ${index + 1}: name`} marginBottom="none" isRequired>
        <TextInput value={header.key} maxLength={255} onChange={(e) => onChange({ ...header, key: e.target.value })} />
      </FormRow>
      <FormRow label={`${kind} ${index + 1}: value`} marginBottom="none" problems={error}>
        <TextInput
          type={header.secret ? 'password' : 'text'}
          autoComplete="off"
          value={header.value}
          placeholder={header.stored ? 'Stored; type to replace' : undefined}
          onChange={(e) => onChange({ ...header, value: e.target.value })}
        />
      </FormRow>
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
  const { server, draft, saved, busy, error, change, save, remove } = useVersionedDraft({ loaded: webhook, toDraft, blank: toDraft() });
  const byField = fieldErrors(error);
  // A header's problems name its place in the list: headers.{index}.
  const headerErrors = sortProblems(error, (path) => (path[0] === 'headers' ? String(path[1]) : undefined)).placed;
  const setHeader = (index: number, header: HeaderRow) => change({ headers: draft.headers.map((h, i) => (i === index ? header : h)) });
  const saveWebhook = () =>
    save(
      async (current) => {
        const updated = await api.updateWebhook(current, toInput(draft, current));
        onSaved(updated);
        return updated;
      },
      () => api.createWebhook(toInput(draft)).then(onSaved),
    );

  return (
    <>
      <RefusedNote error={error} what="webhook" placeOf={PLACE_OF} onReload={onReload} />
      <Form onSubmit={() => void saveWebhook()} aria-label={server ? 'Webhook settings' : 'New webhook'} style={{ maxWidth: 960 }}>
        <FormRow label="Name" isRequired problems={byField.get('name')}>
          <TextInput name="name" value={draft.name} maxLength={255} onChange={(e) => change({ name: e.target.value })} />
        </FormRow>
        <Flex gap="spacingS" alignItems="flex-start" flexWrap="wrap">
          <FormRow label="Method">
            <Select name="method" value={draft.method} onChange={(e) => change({ method: e.target.value })}>
              {METHODS.map((m) => (
                <Select.Option key={m} value={m}>
                  {m}
                </Select.Option>
              ))}
            </Select>
          </FormRow>
          <FormRow label="URL" isRequired problems={byField.get('url')} style={{ flex: '1 1 280px' }}>
            <TextInput
              name="url"
              type="url"
              value={draft.url}
              maxLength={2048}
              placeholder="https://example.com/hook"
              onChange={(e) => change({ url: e.target.value })}
            />
          </FormRow>
        </Flex>
        <WebhookTopics topics={draft.topics} onChange={(topics) => change({ topics })} />
        {byField.get('topics')?.map((text) => (
          <Paragraph key={text} role="alert" style={{ color: '#bd002a' }}>
            {text}
          </Paragraph>
        ))}
        {server?.filters?.length ? (
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
              error={headerErrors.get(String(index))}
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
            <FormRow label="User" marginBottom="none" problems={byField.get('httpBasicUsername')}>
              <TextInput
                name="httpBasicUsername"
                autoComplete="off"
                value={draft.username}
                onChange={(e) => change({ username: e.target.value })}
              />
            </FormRow>
            <FormRow label="Password" marginBottom="none" problems={byField.get('httpBasicPassword')}>
              <TextInput
                name="httpBasicPassword"
                type="password"
                autoComplete="new-password"
                value={draft.password}
                placeholder={server?.httpBasicUsername ? 'Stored; type to replace' : undefined}
                onChange={(e) => change({ password: e.target.value })}
              />
            </FormRow>
          </Flex>
        </fieldset>

        <Switch id={`${uid}-active`} isChecked={draft.active} onChange={(e) => change({ active: e.target.checked })}>
          Active (calls are made)
        </Switch>

        <ActionBar marginTop="spacingL" done={saved}>
          <Button
            variant="primary"
            type="submit"
            isLoading={busy}
            isDisabled={busy || !draft.name.trim() || !draft.url.trim() || draft.topics.length === 0}
          >
            {server ? 'Save webhook' : 'Create webhook'}
          </Button>
          {server ? (
            <ConfirmDelete title="Delete webhook" isDisabled={busy} onConfirm={() => void remove((current) => api.deleteWebhook(current))}>
              Delete the webhook <strong>{server.name}</strong> and its call log?
            </ConfirmDelete>
          ) : null}
        </ActionBar>
      </Form>
    </>
  );
}
