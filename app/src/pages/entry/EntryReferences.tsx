import { Badge, Table } from '@contentful/f36-components';
import { Link } from 'react-router';
import type { ContentType } from '../../api/cma';
import type { EntriesApi, Entry } from '../../api/entries';
import { entityStatus } from '../../api/status';
import { useQuery } from '../../api/use-query';
import { ErrorNote } from '../common';

/** The references tab: the entries and assets this entry links to (two levels, from the CMA's references endpoint). */
export function EntryReferences({
  api,
  entryId,
  contentTypes,
  defaultLocale,
  base,
}: {
  api: EntriesApi;
  entryId: string;
  contentTypes: ContentType[];
  defaultLocale: string;
  base: string;
}) {
  const references = useQuery(() => api.references(entryId), [api, entryId]);
  const entries = (references.data?.includes?.Entry ?? []).filter((e) => e.sys.id !== entryId);
  const assets = (references.data?.includes?.Asset ?? []) as { sys: Entry['sys']; fields: { title?: Record<string, string> } }[];
  const entryTitle = (entry: Entry) => {
    const type = contentTypes.find((t) => t.sys.id === entry.sys.contentType.sys.id);
    const value = type?.displayField ? entry.fields[type.displayField]?.[defaultLocale] : undefined;
    return { title: typeof value === 'string' && value ? value : 'Untitled', type: type?.name ?? entry.sys.contentType.sys.id };
  };
  if (references.error) return <ErrorNote error={references.error} />;
  if (!references.data) return null;
  if (entries.length === 0 && assets.length === 0) return <p>This entry links to no other entries or assets.</p>;
  return (
    <Table aria-label="References">
      <Table.Head>
        <Table.Row>
          <Table.Cell>Title</Table.Cell>
          <Table.Cell>Type</Table.Cell>
          <Table.Cell>Status</Table.Cell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {entries.map((entry) => {
          const { title, type } = entryTitle(entry);
          return (
            <Table.Row key={`entry-${entry.sys.id}`}>
              <Table.Cell>
                <Link to={`${base}/content/${entry.sys.id}`}>{title}</Link>
              </Table.Cell>
              <Table.Cell>{type}</Table.Cell>
              <Table.Cell>
                <Badge>{entityStatus(entry.sys)}</Badge>
              </Table.Cell>
            </Table.Row>
          );
        })}
        {assets.map((asset) => (
          <Table.Row key={`asset-${asset.sys.id}`}>
            <Table.Cell>
              <Link to={`${base}/media/${asset.sys.id}`}>{asset.fields.title?.[defaultLocale] || 'Untitled'}</Link>
            </Table.Cell>
            <Table.Cell>Asset</Table.Cell>
            <Table.Cell>
              <Badge>{entityStatus(asset.sys)}</Badge>
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}
