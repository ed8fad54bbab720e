import { Button, Flex, Heading, Paragraph, Table } from '@contentful/f36-components';
import { Link, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import ApiKeyEditor from './ApiKeyEditor';
import { ReadOnlyNote, useSettingsContent } from './shared';

/** API keys for the delivery and preview APIs: the list, or one key to create (`new`) or show and edit. */
export default function ApiKeys() {
  const { itemId } = useParams();
  return itemId ? <ApiKeyEditor key={itemId} keyId={itemId} /> : <ApiKeyList />;
}

function ApiKeyList() {
  const navigate = useNavigate();
  usePageTitle('API keys');
  const api = useSettingsContent();
  const access = useAccess();
  const manage = access.admin || access.may('ContentDelivery', 'manage');
  const keys = useQuery(() => api.apiKeys(), [api]);
  const items = keys.data?.items ?? [];
  return (
    <section aria-labelledby="api-keys-title">
      <Flex justifyContent="space-between" alignItems="center" gap="spacingS" flexWrap="wrap" marginBottom="spacingM">
        <Heading as="h1" id="api-keys-title" marginBottom="none">
          API keys
        </Heading>
        {manage ? (
          <Button variant="primary" onClick={() => navigate('new')}>
            Add API key
          </Button>
        ) : null}
      </Flex>
      <Paragraph>
        Each key has a token for the Content Delivery API (published content) and one for the Content Preview API (drafts too).
      </Paragraph>
      {manage ? null : <ReadOnlyNote>Your role may see the API keys but not change them.</ReadOnlyNote>}
      <ErrorNote error={keys.error} />
      <div className="table-scroll">
        <Table aria-label="API keys">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Name</Table.Cell>
              <Table.Cell>Description</Table.Cell>
              <Table.Cell>Environments</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {items.map((key) => (
              <Table.Row key={key.sys.id}>
                <Table.Cell>
                  <Link to={key.sys.id}>{key.name}</Link>
                </Table.Cell>
                <Table.Cell>{key.description}</Table.Cell>
                <Table.Cell>{key.environments.map((e) => e.sys.id).join(', ')}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      {keys.data && items.length === 0 ? <Paragraph marginTop="spacingS">No API keys yet.</Paragraph> : null}
    </section>
  );
}
