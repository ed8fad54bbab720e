import { Badge, Flex, Table } from '@contentful/f36-components';
import { Link, useParams } from 'react-router';
import { useAccess } from '../../access';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { ListTable, NewButton, Page } from '../shared/Page';
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
  usePageTitle('Locales');
  const api = useSettingsContent();
  const access = useAccess();
  const manage = access.admin || access.may('Settings', 'manage');
  const locales = useQuery(() => api.locales(), [api]);
  const items = locales.data?.items ?? [];
  return (
    <Page title="Locales" actions={manage ? <NewButton>Add locale</NewButton> : null}>
      {manage ? null : <ReadOnlyNote>Your role may read the locales but not change them.</ReadOnlyNote>}
      <ErrorNote error={locales.error} />
      <ListTable label="Locales" columns={['Locale', 'Code', 'Fallback', 'Settings']}>
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
      </ListTable>
    </Page>
  );
}
