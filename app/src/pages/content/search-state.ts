import type { EntryQuery } from '../../api/entry-search';

/**
 * What the entry list shows, kept in the page's query string (so a reload or the back button keeps it):
 * `search` (the search box as typed), `contentType`, `status`, `tags` (comma-separated ids), `order` (the
 * CMA's), `page` (from 1) and `perPage`.
 */
export interface ListState {
  search: string;
  contentType: string;
  status: StatusFilter | '';
  tags: string[];
  order: string;
  page: number;
  perPage: number;
}

export const DEFAULT_ORDER = '-sys.updatedAt';
export const PER_PAGE_OPTIONS = [25, 50, 100];
const DEFAULT_PER_PAGE = PER_PAGE_OPTIONS[0];

/**
 * The status filters the CMA's search can express. "Published" also finds entries changed since they were
 * published, as in Contentful's web app: no search parameter compares `sys.version` with `sys.publishedVersion`.
 */
export const STATUS_FILTERS = {
  draft: { label: 'Draft', query: { 'sys.publishedAt[exists]': 'false', 'sys.archivedAt[exists]': 'false' } },
  published: { label: 'Published (incl. changed)', query: { 'sys.publishedAt[exists]': 'true' } },
  archived: { label: 'Archived', query: { 'sys.archivedAt[exists]': 'true' } },
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

function positiveInt(raw: string | null, fallback: number) {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function readState(params: URLSearchParams): ListState {
  const status = params.get('status') ?? '';
  const perPage = positiveInt(params.get('perPage'), DEFAULT_PER_PAGE);
  return {
    search: params.get('search') ?? '',
    contentType: params.get('contentType') ?? '',
    status: status in STATUS_FILTERS ? (status as StatusFilter) : '',
    tags: (params.get('tags') ?? '').split(',').filter(Boolean),
    order: params.get('order') || DEFAULT_ORDER,
    page: positiveInt(params.get('page'), 1),
    perPage: PER_PAGE_OPTIONS.includes(perPage) ? perPage : DEFAULT_PER_PAGE,
  };
}

/** The query string of a state, without what is at its default. */
export function writeState(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.search.trim()) params.set('search', state.search.trim());
  if (state.contentType) params.set('contentType', state.contentType);
  if (state.status) params.set('status', state.status);
  if (state.tags.length) params.set('tags', state.tags.join(','));
  if (state.order !== DEFAULT_ORDER) params.set('order', state.order);
  if (state.page !== 1) params.set('page', String(state.page));
  if (state.perPage !== DEFAULT_PER_PAGE) params.set('perPage', String(state.perPage));
  return params;
}

/** Keys the search box passes to the CMA as filters; any other word is searched as text. */
const FILTER_KEY = /^((fields|sys|metadata)\.[\w.-]+(\[[a-z]+\])?|links_to_entry|links_to_asset)$/;
/** `key=value`, `key="quoted value"`, `"a phrase"` or a word. */
const TOKEN = /([^\s="]+)=(?:"([^"]*)"|(\S*))|"([^"]*)"|(\S+)/g;

/** The search box split into the full-text `query` and the `key=value` filters (`fields.title[match]=foo`). */
export function parseSearch(text: string): { query: string; filters: [string, string][] } {
  const words: string[] = [];
  const filters: [string, string][] = [];
  for (const match of text.matchAll(TOKEN)) {
    const [whole, key, quoted, plain, phrase, word] = match;
    if (key !== undefined && FILTER_KEY.test(key)) filters.push([key, quoted ?? plain ?? '']);
    // A phrase keeps its quotes: the CMA's full-text search matches it word for word.
    else if (phrase !== undefined) words.push(`"${phrase}"`);
    else words.push(word ?? whole);
  }
  return { query: words.join(' ').trim(), filters };
}

/** The CMA's entry search for a state. */
export function entryQuery(state: ListState): EntryQuery {
  const { query, filters } = parseSearch(state.search);
  const params: EntryQuery = {
    skip: String((state.page - 1) * state.perPage),
    limit: String(state.perPage),
    order: state.order,
  };
  if (query) params.query = query;
  if (state.contentType) params.content_type = state.contentType;
  if (state.status) Object.assign(params, STATUS_FILTERS[state.status].query);
  if (state.tags.length) params['metadata.tags.sys.id[in]'] = state.tags.join(',');
  for (const [key, value] of filters) params[key] = value;
  return params;
}
