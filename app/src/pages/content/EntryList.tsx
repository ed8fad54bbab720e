import { Flex, Pagination, Paragraph, Spinner } from '@contentful/f36-components';
import { useMemo } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { defaultLocale, environmentTags, searchEntries } from '../../api/entry-search';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { Page } from '../shared/Page';
import { AddEntryMenu } from './AddEntryMenu';
import { EntryTable, titleOrderKey } from './EntryTable';
import { SearchBar } from './SearchBar';
import { DEFAULT_ORDER, entryQuery, type ListState, PER_PAGE_OPTIONS, readState, writeState } from './search-state';
import { useUsers } from './use-users';
import './entry-list.css';

/**
 * The environment's entries through the CMA's entry search: full text and filters, content type, status and
 * tags, ordering and pages, all kept in the query string; "Add entry" creates one and opens it.
 */
export default function EntryList() {
  usePageTitle('Content');
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const [searchParams, setSearchParams] = useSearchParams();
  const state = readState(searchParams);
  const query = entryQuery(state);
  const queryKey = new URLSearchParams(query).toString();

  const contentTypes = useQuery(() => cma.contentTypes(spaceId, environmentId), [cma, spaceId, environmentId]);
  const locale = useQuery(() => defaultLocale(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const tags = useQuery(() => environmentTags(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const entries = useQuery(() => searchEntries(cma, spaceId, environmentId, query), [cma, spaceId, environmentId, queryKey]);
  const items = entries.data?.items ?? [];
  const users = useUsers(
    spaceId,
    items.flatMap((e) => (e.sys.updatedBy ? [e.sys.updatedBy.sys.id] : [])),
  );

  const sortedContentTypes = useMemo(
    () => [...(contentTypes.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    [contentTypes.data],
  );
  const contentTypesById = useMemo(() => new Map(sortedContentTypes.map((ct) => [ct.sys.id, ct])), [sortedContentTypes]);
  const titleOrder = state.contentType ? titleOrderKey(contentTypesById.get(state.contentType)) : undefined;

  /** A new search state in the history (so the back button returns to the previous one); a new filter starts at page 1. */
  function change(next: Partial<ListState>) {
    const merged: ListState = { ...state, page: 1, ...next };
    // Field orders need their content type: another content type starts from the default order.
    if (next.contentType !== undefined && next.contentType !== state.contentType && merged.order.replace(/^-/, '').startsWith('fields.'))
      merged.order = DEFAULT_ORDER;
    setSearchParams(writeState(merged));
  }

  const total = entries.data?.total ?? 0;
  const ready = entries.data && contentTypes.data && locale.data;
  return (
    <Page title="Content" actions={<AddEntryMenu contentTypes={sortedContentTypes} />}>
      <ErrorNote error={contentTypes.error ?? locale.error} />
      <SearchBar state={state} contentTypes={sortedContentTypes} tags={tags.data?.items} onChange={change} />
      <ErrorNote error={entries.error} title="The search was refused" />
      {!ready && !entries.error && (
        <Flex justifyContent="center" padding="spacingL">
          <Spinner size="large" />
        </Flex>
      )}
      {ready && (
        <div aria-busy={entries.loading}>
          <EntryTable
            entries={items}
            contentTypes={contentTypesById}
            users={users}
            locale={locale.data ?? ''}
            order={state.order}
            titleOrder={titleOrder}
            onOrder={(order) => change({ order })}
          />
          {items.length === 0 && <Paragraph marginTop="spacingM">No entries match.</Paragraph>}
          <Pagination
            className="entry-list-pages"
            activePage={state.page - 1}
            itemsPerPage={state.perPage}
            totalItems={total}
            pageLength={items.length}
            isLastPage={state.page * state.perPage >= total}
            showViewPerPage
            viewPerPageOptions={PER_PAGE_OPTIONS}
            onViewPerPageChange={(perPage) => change({ perPage })}
            onPageChange={(page) => change({ page: page + 1 })}
            totalItemsLabel={(count) => `of ${count} entries`}
          />
        </div>
      )}
    </Page>
  );
}
