import { Badge, Button, Flex, Heading, Note, Paragraph, Spinner, Table } from '@contentful/f36-components';
import { useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import type { Webhook } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { BackLink, useSettingsContent } from './shared';
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
      <section aria-labelledby="webhooks-title">
        <Heading as="h1" id="webhooks-title">
          Webhooks
        </Heading>
        <Note variant="neutral">Your role does not allow you to see or change the webhooks of this space.</Note>
      </section>
    );
  }
  if (itemId === 'new') return <NewWebhook />;
  return itemId ? <WebhookPage key={itemId} webhookId={itemId} /> : <WebhookList />;
}

function WebhookList() {
  const navigate = useNavigate();
  const api = useSettingsContent();
  const webhooks = useQuery(() => api.webhooks(), [api]);
  const items = webhooks.data?.items ?? [];
  return (
    <section aria-labelledby="webhooks-title">
      <Flex justifyContent="space-between" alignItems="center" gap="spacingS" flexWrap="wrap" marginBottom="spacingM">
        <Heading as="h1" id="webhooks-title" marginBottom="none">
          Webhooks
        </Heading>
        <Button variant="primary" onClick={() => navigate('new')}>
          Add webhook
        </Button>
      </Flex>
      <ErrorNote error={webhooks.error} />
      <div className="table-scroll">
        <Table aria-label="Webhooks">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Name</Table.Cell>
              <Table.Cell>URL</Table.Cell>
              <Table.Cell>Health</Table.Cell>
              <Table.Cell>Status</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
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
          </Table.Body>
        </Table>
      </div>
      {webhooks.data && items.length === 0 ? <Paragraph marginTop="spacingS">No webhooks yet.</Paragraph> : null}
    </section>
  );
}

function NewWebhook() {
  const uid = useId();
  const navigate = useNavigate();
  return (
    <section aria-labelledby={`${uid}-title`}>
      <BackLink label="All webhooks" />
      <Heading as="h1" id={`${uid}-title`}>
        New webhook
      </Heading>
      <WebhookEditor onSaved={(created) => navigate(`../${created.sys.id}`, { relative: 'path' })} />
    </section>
  );
}

function WebhookPage({ webhookId }: { webhookId: string }) {
  const uid = useId();
  const api = useSettingsContent();
  const webhook = useQuery(() => api.webhook(webhookId), [api, webhookId]);
  // What a save answered: the version the next save is made at, until a reload loads the server's again.
  const [saved, setSaved] = useState<Webhook>();
  if (webhook.error) return <ErrorNote error={webhook.error} />;
  if (!webhook.data) return <Spinner size="large" />;
  const current = saved && saved.sys.version > webhook.data.sys.version ? saved : webhook.data;
  return (
    <section aria-labelledby={`${uid}-title`}>
      <BackLink label="All webhooks" />
      <Heading as="h1" id={`${uid}-title`}>
        {current.name}
      </Heading>
      <WebhookEditor key={webhook.data.sys.version} webhook={current} onSaved={setSaved} onReload={webhook.reload} />
      <WebhookCalls webhookId={webhookId} />
    </section>
  );
}
