import { Paragraph, Table } from '@contentful/f36-components';
import { Link, useParams } from 'react-router';
import { useAccess } from '../../access';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { ListTable, NewButton, Page } from '../shared/Page';
import ApiKeyEditor from './ApiKeyEditor';
import { ReadOnlyNote, useSettingsContent } from './shared';

/** API keys for the delivery and preview APIs: the list, or one key to create (`new`) or show and edit. */
export default function ApiKeys() {
  const { itemId } = useParams();
  return itemId ? <ApiKeyEditor key={itemId} keyId={itemId} /> : <ApiKeyList />;
}

function ApiKeyList() {
  usePageTitle('API keys');
  const api = useSettingsContent();
  const access = useAccess();
  const manage = access.admin || access.may('ContentDelivery', 'manage');
  const keys = useQuery(() => api.apiKeys(), [api]);
  const items = keys.data?.items ?? [];
  return (
    <Page title="API keys" actions={manage ? <NewButton>Add API key</NewButton> : null}>
      <Paragraph>
        Each key has a token for the Content Delivery API (published content) and one for the Content Preview API (drafts too).
      </Paragraph>
      {manage ? null : <ReadOnlyNote>Your role may see the API keys but not change them.</ReadOnlyNote>}
      <ErrorNote error={keys.error} />
      <ListTable
        label="API keys"
        columns={['Name', 'Description', 'Environments']}
        empty={keys.data && items.length === 0 ? 'No API keys yet.' : undefined}
      >
        {items.map((key) => (
          <Table.Row key={key.sys.id}>
            <Table.Cell>
              <Link to={key.sys.id}>{key.name}</Link>
            </Table.Cell>
            <Table.Cell>{key.description}</Table.Cell>
            <Table.Cell>{key.environments.map((e) => e.sys.id).join(', ')}</Table.Cell>
          </Table.Row>
        ))}
      </ListTable>
    </Page>
  );
}
