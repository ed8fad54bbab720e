import { Badge, Button, Flex, Heading, Paragraph, Spinner, Table } from '@contentful/f36-components';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { WebhookCall, WebhookCallDetails } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote } from '../common';
import { ListTable } from '../shared/Page';
import { useSettingsContent } from './shared';

function StatusBadge({ call }: { call: WebhookCall }) {
  if (call.statusCode === null)
    return <Badge variant={call.status === 'pending' ? 'warning' : 'negative'}>{call.status ?? 'no answer'}</Badge>;
  const ok = call.statusCode >= 200 && call.statusCode < 300;
  return <Badge variant={ok ? 'positive' : 'negative'}>{String(call.statusCode)}</Badge>;
}

function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;
}

/** A body as sent or received: JSON indented, anything else as it is. */
function pretty(body: string | undefined) {
  if (!body) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function Headers({ headers }: { headers?: Record<string, string> }) {
  const entries = Object.entries(headers ?? {});
  if (!entries.length) return <Paragraph>No headers.</Paragraph>;
  return (
    <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: '0 0 12px' }}>
      {entries.map(([name, value]) => `${name}: ${value}`).join('\n')}
    </pre>
  );
}

function Body({ body }: { body?: string }) {
  if (!body) return <Paragraph>No body.</Paragraph>;
  return (
    <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 400, overflow: 'auto', background: '#f7f9fa', padding: 8 }}>
      {pretty(body)}
    </pre>
  );
}

/** One call: what was sent, what came back, and the errors. */
function CallDetails({ webhookId, callId }: { webhookId: string; callId: string }) {
  const api = useSettingsContent();
  const details = useQuery<WebhookCallDetails>(() => api.webhookCall(webhookId, callId), [api, webhookId, callId]);
  if (details.error) return <ErrorNote error={details.error} />;
  const call = details.data;
  if (!call) return <Spinner />;
  return (
    <section aria-label="Call details" style={{ border: '1px solid #cfd9e0', borderRadius: 6, padding: 16, marginTop: 16 }}>
      <Flex gap="spacingS" alignItems="center" flexWrap="wrap" marginBottom="spacingS">
        <Heading as="h3" marginBottom="none">
          {call.eventType}
        </Heading>
        <StatusBadge call={call} />
        <Time iso={call.requestAt} />
      </Flex>
      {call.errors.length ? (
        <div role="alert" style={{ color: '#bd002a', marginBottom: 12 }}>
          {call.errors.map((text) => (
            <div key={text}>{text}</div>
          ))}
        </div>
      ) : null}
      <Heading as="h4">Request</Heading>
      <Paragraph>
        <code>{`${call.request?.method ?? ''} ${call.request?.url ?? call.url ?? ''}`}</code>
      </Paragraph>
      <Headers headers={call.request?.headers} />
      <Body body={call.request?.body} />
      <Heading as="h4" marginTop="spacingM">
        Response
      </Heading>
      {call.response ? (
        <>
          <Paragraph>{`Status code ${call.response.statusCode ?? ''}`}</Paragraph>
          <Headers headers={call.response.headers} />
          <Body body={call.response.body} />
        </>
      ) : (
        <Paragraph>No response was received.</Paragraph>
      )}
    </section>
  );
}

/** Finished calls and how many succeeded, as Contentful's web app shows a webhook's health. */
export function Health({ webhookId }: { webhookId: string }) {
  const api = useSettingsContent();
  const health = useQuery(() => api.webhookHealth(webhookId), [api, webhookId]);
  if (health.error) return <span>{health.error.message}</span>;
  if (!health.data) return <Spinner size="small" />;
  const { total, healthy } = health.data.calls;
  if (total === 0) return <span>No calls yet</span>;
  const percent = Math.round((healthy / total) * 100);
  return (
    <Flex gap="spacingXs" alignItems="center" flexWrap="wrap">
      <Badge variant={percent === 100 ? 'positive' : percent >= 50 ? 'warning' : 'negative'}>{`${percent}%`}</Badge>
      <span>{`${healthy} of ${total} calls succeeded`}</span>
    </Flex>
  );
}

/** The webhook's call log, newest first; `?call=` opens one call's request and response. */
export function WebhookCalls({ webhookId }: { webhookId: string }) {
  const api = useSettingsContent();
  const [params] = useSearchParams();
  const calls = useQuery(() => api.webhookCalls(webhookId), [api, webhookId]);
  // A refresh loads the health again too.
  const [refreshes, setRefreshes] = useState(0);
  const selected = params.get('call');
  const items = calls.data?.items ?? [];
  return (
    <section aria-labelledby="webhook-calls-title">
      <Flex gap="spacingS" alignItems="center" justifyContent="space-between" flexWrap="wrap" marginTop="spacing2Xl">
        <Heading as="h2" id="webhook-calls-title" marginBottom="none">
          Call log
        </Heading>
        <Button
          size="small"
          onClick={() => {
            calls.reload();
            setRefreshes((n) => n + 1);
          }}
          isLoading={calls.loading}
        >
          Refresh
        </Button>
      </Flex>
      <Flex gap="spacingXs" alignItems="center" marginTop="spacingXs" marginBottom="spacingS">
        <strong>Health:</strong>
        <Health key={refreshes} webhookId={webhookId} />
      </Flex>
      <ErrorNote error={calls.error} />
      <ListTable
        label="Webhook calls"
        columns={['Time', 'Event', 'Status', 'Errors', 'Details']}
        empty={calls.data && items.length === 0 ? 'No calls yet.' : undefined}
      >
        {items.map((call) => (
          <Table.Row key={call.sys.id} aria-current={call.sys.id === selected ? 'true' : undefined}>
            <Table.Cell>
              <Time iso={call.requestAt} />
            </Table.Cell>
            <Table.Cell>
              <code>{call.eventType}</code>
            </Table.Cell>
            <Table.Cell>
              <StatusBadge call={call} />
            </Table.Cell>
            <Table.Cell>{call.errors.join('; ')}</Table.Cell>
            <Table.Cell>
              <Link
                to={`?call=${encodeURIComponent(call.sys.id)}`}
                aria-label={`Details of the ${call.eventType} call at ${call.requestAt}`}
              >
                View
              </Link>
            </Table.Cell>
          </Table.Row>
        ))}
      </ListTable>
      {selected ? <CallDetails key={selected} webhookId={webhookId} callId={selected} /> : null}
    </section>
  );
}
