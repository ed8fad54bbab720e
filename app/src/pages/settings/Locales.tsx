import { Badge, Button, Flex, Heading, Table } from '@contentful/f36-components';
import { Link, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import LocaleEditor from './LocaleEditor';
import { ReadOnlyNote, useSettingsContent } from './shared';

/** Locales: the list, or one locale to create (`new`) or edit. */
export default function Locales() {
  const { itemId } = useParams();
  return itemId ? <LocaleEditor key={itemId} localeId={itemId} /> : <LocaleList />;
}

function Flag({ on, label }: { on: boolean; label: string }) {
  return <Badge variant={on ? 'positive' : 'secondary'}>{`${label}: ${on ? 'yes' : 'no'}`}</Badge>;
}

function LocaleList() {
  const navigate = useNavigate();
  usePageTitle('Locales');
  const api = useSettingsContent();
  const access = useAccess();
  const manage = access.admin || access.may('Settings', 'manage');
  const locales = useQuery(() => api.locales(), [api]);
  const items = locales.data?.items ?? [];
  return (
    <section aria-labelledby="locales-title">
      <Flex justifyContent="space-between" alignItems="center" gap="spacingS" flexWrap="wrap" marginBottom="spacingM">
        <Heading as="h1" id="locales-title" marginBottom="none">
          Locales
        </Heading>
        {manage ? (
          <Button variant="primary" onClick={() => navigate('new')}>
            Add locale
          </Button>
        ) : null}
      </Flex>
      {manage ? null : <ReadOnlyNote>Your role may read the locales but not change them.</ReadOnlyNote>}
      <ErrorNote error={locales.error} />
      <div className="table-scroll">
        <Table aria-label="Locales">
          <Table.Head>
            <Table.Row>
              <Table.Cell>Locale</Table.Cell>
              <Table.Cell>Code</Table.Cell>
              <Table.Cell>Fallback</Table.Cell>
              <Table.Cell>Settings</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {items.map((locale) => (
              <Table.Row key={locale.sys.id}>
                <Table.Cell>
                  <Link to={locale.sys.id}>{locale.name}</Link> {locale.default ? <Badge variant="primary">Default</Badge> : null}
                </Table.Cell>
                <Table.Cell>
                  <code>{locale.code}</code>
                </Table.Cell>
                <Table.Cell>{locale.fallbackCode ? <code>{locale.fallbackCode}</code> : 'None'}</Table.Cell>
                <Table.Cell>
                  <Flex gap="spacing2Xs" flexWrap="wrap">
                    <Flag on={locale.contentDeliveryApi} label="Delivery API" />
                    <Flag on={locale.contentManagementApi} label="Editing" />
                    <Flag on={locale.optional} label="Optional" />
                  </Flex>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
    </section>
  );
}
