import { EntityStatusBadge, Table, TableCellSorting } from '@contentful/f36-components';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ContentType, User } from '../../api/cma';
import type { Entry } from '../../api/entry-search';
import { entityStatus } from '../../api/status';
import { userName } from './use-users';

/** Field types the CMA orders by (Symbol, numbers, dates, booleans); Text and the others it refuses. */
const ORDERABLE_TYPES = ['Symbol', 'Integer', 'Number', 'Date', 'Boolean'];

/** The entry's display field in the default locale, or "Untitled". */
export function entryTitle(entry: Entry, contentType: ContentType | undefined, locale: string): string {
  const field = contentType?.displayField;
  const value = field ? entry.fields[field]?.[locale] : undefined;
  if (value === undefined || value === null || value === '') return 'Untitled';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The `order` key of the title column: the display field, once a content type is chosen and its type can be ordered. */
export function titleOrderKey(contentType: ContentType | undefined): string | undefined {
  const field = contentType?.fields.find((f) => f.id === contentType.displayField);
  return field && ORDERABLE_TYPES.includes(field.type) ? `fields.${field.id}` : undefined;
}

const updatedFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface EntryTableProps {
  entries: Entry[];
  contentTypes: Map<string, ContentType>;
  users: Map<string, User>;
  locale: string;
  order: string;
  /** The key the title column orders by, when it can. */
  titleOrder?: string;
  onOrder(order: string): void;
}

/** The entries of a page: title (a link to the editor), content type, last update, its author and status. */
export function EntryTable({ entries, contentTypes, users, locale, order, titleOrder, onOrder }: EntryTableProps) {
  const sortable = (key: string | undefined, label: ReactNode, firstDescending = false) => {
    if (!key) return <Table.Cell>{label}</Table.Cell>;
    const direction = order === key ? TableCellSorting.Ascending : order === `-${key}` ? TableCellSorting.Descending : undefined;
    const next = direction === TableCellSorting.Ascending || (!direction && firstDescending) ? `-${key}` : key;
    return (
      <Table.Cell isSortable sortDirection={direction} onClick={() => onOrder(next)}>
        {label}
      </Table.Cell>
    );
  };
  return (
    <div className="table-scroll">
      <Table aria-label="Entries">
        <Table.Head>
          <Table.Row>
            {sortable(titleOrder, 'Title')}
            <Table.Cell>Content type</Table.Cell>
            {sortable('sys.updatedAt', 'Updated', true)}
            <Table.Cell>Author</Table.Cell>
            <Table.Cell>Status</Table.Cell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {entries.map((entry) => {
            const contentType = contentTypes.get(entry.sys.contentType.sys.id);
            const author = entry.sys.updatedBy && users.get(entry.sys.updatedBy.sys.id);
            return (
              <Table.Row key={entry.sys.id}>
                <Table.Cell>
                  <Link to={entry.sys.id}>{entryTitle(entry, contentType, locale)}</Link>
                </Table.Cell>
                <Table.Cell>{contentType?.name ?? entry.sys.contentType.sys.id}</Table.Cell>
                <Table.Cell>
                  <time dateTime={entry.sys.updatedAt}>{updatedFormat.format(new Date(entry.sys.updatedAt))}</time>
                </Table.Cell>
                <Table.Cell>{author ? userName(author) : 'Unknown user'}</Table.Cell>
                <Table.Cell>
                  <EntityStatusBadge entityStatus={entityStatus(entry.sys)} />
                </Table.Cell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </div>
  );
}
