import { Badge, Note, Spinner, Table } from '@contentful/f36-components';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import type { Webhook } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { ListTable, NewButton, Page } from '../shared/Page';
import { useSettingsContent } from './shared';
import { Health, WebhookCalls } from './WebhookCalls';
import { WebhookEditor } from './WebhookEditor';

/**
 * Webhooks: the list with each one's health, or one webhook to create (`new`) or edit with its call log.
 * The CMA lets only who may manage the space's settings read them.
 */
export default function Webhooks() {
  const { itemId } = useParams();
  const access = useAccess();
  usePageTitle('Webhooks');
  if (!access.admin && !access.may('Settings', 'manage')) {
    return (
      <Page title="Webhooks">
        <Note variant="neutral">Your role does not allow you to see or change the webhooks of this space.</Note>
      </Page>
    );
  }
  if (itemId === 'new') return <NewWebhook />;
  return itemId ? <WebhookPage key={itemId} webhookId={itemId} /> : <WebhookList />;
}

function WebhookList() {
  const api = useSettingsContent();
  const webhooks = useQuery(() => api.webhooks(), [api]);
  const items = webhooks.data?.items ?? [];
  return (
    <Page title="Webhooks" actions={<NewButton>Add webhook</NewButton>}>
      <ErrorNote error={webhooks.error} />
      <ListTable
        label="Webhooks"
        columns={['Name', 'URL', 'Health', 'Status']}
        empty={webhooks.data && items.length === 0 ? 'No webhooks yet.' : undefined}
      >
        {items.map((webhook) => (
          <Table.Row key={webhook.sys.id}>
            <Table.Cell>
              <Link to={webhook.sys.id}>{webhook.name}</Link>
            </Table.Cell>
            <Table.Cell>
              <code style={{ wordBreak: 'break-all' }}>{webhook.url}</code>
            </Table.Cell>
            <Table.Cell>
              <Health webhookId={webhook.sys.id} />
            </Table.Cell>
            <Table.Cell>
              <Badge variant={webhook.active ? 'positive' : 'secondary'}>{webhook.active ? 'Active' : 'Disabled'}</Badge>
            </Table.Cell>
          </Table.Row>
        ))}
      </ListTable>
    </Page>
  );
}

function NewWebhook() {
  const navigate = useNavigate();
  return (
    <Page title="New webhook" back="All webhooks">
      <WebhookEditor onSaved={(created) => navigate(`../${created.sys.id}`, { relative: 'path' })} />
    </Page>
  );
}

function WebhookPage({ webhookId }: { webhookId: string }) {
  const api = useSettingsContent();
  const webhook = useQuery(() => api.webhook(webhookId), [api, webhookId]);
  // What a save answered: the version the next save is made at, until a reload loads the server's again.
  const [saved, setSaved] = useState<Webhook>();
  if (webhook.error) return <ErrorNote error={webhook.error} />;
  if (!webhook.data) return <Spinner size="large" />;
  const current = saved && saved.sys.version > webhook.data.sys.version ? saved : webhook.data;
  return (
    <Page title={current.name} back="All webhooks">
      <WebhookEditor key={webhook.data.sys.version} webhook={current} onSaved={setSaved} onReload={webhook.reload} />
      <WebhookCalls webhookId={webhookId} />
    </Page>
  );
}
