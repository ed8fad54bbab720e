import {
  Button,
  EntityStatusBadge,
  Flex,
  Form,
  Heading,
  Pagination,
  Paragraph,
  Select,
  Table,
  TextInput,
} from '@contentful/f36-components';
import { type DragEvent, type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useAccess } from '../../access';
import { type Asset, createAssetsApi, type Locale } from '../../api/assets';
import { ENTITY_STATUSES, type EntityStatus, entityStatus } from '../../api/status';
import { useQuery } from '../../api/use-query';
import { useCma, useSession } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { FormRow } from '../shared/FormRow';
import { Page } from '../shared/Page';
import { assetFile, assetTitle, defaultLocale, fileKind, formatBytes, imageUrl, STATUS_LABELS } from './files';
import { UploadProgress, useUploadQueue } from './uploads';
import './media.css';

const PAGE_SIZE = 20;

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

/** A square preview through the Images API; the file's kind for what is not an image. */
function Thumbnail({ asset, locales }: { asset: Asset; locales: Locale[] }) {
  const file = assetFile(asset, locales);
  const src = imageUrl(file, { w: 96, h: 96, fit: 'thumb' });
  if (src) {
    const src2x = imageUrl(file, { w: 192, h: 192, fit: 'thumb' });
    return <img className="media-thumb" src={src} srcSet={`${src} 1x, ${src2x} 2x`} alt="" width={48} height={48} loading="lazy" />;
  }
  return (
    <span className="media-thumb media-thumb-kind" aria-hidden="true">
      {file ? (file.url ? fileKind(file) : 'Processing') : 'No file'}
    </span>
  );
}

/** The environment's assets (search, status filter, paging) and uploads dropped onto it or picked. */
export default function MediaLibrary() {
  usePageTitle('Media');
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const { session } = useSession();
  const access = useAccess();
  const api = useMemo(() => createAssetsApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const [params, setParams] = useSearchParams();
  const query = params.get('query') ?? '';
  const status = (ENTITY_STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as EntityStatus) : undefined;
  const page = Math.max(0, Number(params.get('page') ?? '0') || 0);
  const [queryText, setQueryText] = useState(query);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const locales = useQuery(() => api.locales(), [api]);
  const assets = useQuery(() => api.search({ query, status, skip: page * PAGE_SIZE, limit: PAGE_SIZE }), [api, query, status, page]);
  const localeList = locales.data?.items ?? [];
  const uploadLocale = defaultLocale(localeList)?.code;
  const mayUpload = access.can('create', { type: 'Asset' });
  // Files are taken once the default locale, which new assets are written in, is known.
  const acceptsFiles = mayUpload && uploadLocale !== undefined;
  const uploads = useUploadQueue({ api, token: session?.token ?? '', spaceId, environmentId }, uploadLocale, () => assets.reload());

  useEffect(() => setQueryText(query), [query]);

  const change = (next: { query?: string; status?: string; page?: number }) => {
    const merged = { query, status: status ?? '', page: 0, ...next };
    const search = new URLSearchParams();
    if (merged.query) search.set('query', merged.query);
    if (merged.status) search.set('status', merged.status);
    if (merged.page) search.set('page', String(merged.page));
    setParams(search);
  };
  const search = (event: FormEvent) => {
    event.preventDefault();
    change({ query: queryText.trim() });
  };

  const onDragOver = (event: DragEvent) => {
    if (!acceptsFiles || !hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    if (!acceptsFiles || !hasFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    uploads.add(Array.from(event.dataTransfer.files));
  };

  const items = assets.data?.items ?? [];
  const total = assets.data?.total ?? 0;
  const filtered = Boolean(query || status);

  return (
    <Page
      title="Media"
      actions={
        mayUpload ? (
          <Button variant="primary" onClick={() => fileInput.current?.click()} isDisabled={!acceptsFiles}>
            Upload files
          </Button>
        ) : null
      }
      className={dragging ? 'media-library media-dragging' : 'media-library'}
      onDragOver={onDragOver}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <ErrorNote error={locales.error ?? assets.error} />

      {mayUpload ? (
        <div className="media-dropzone">
          <Paragraph marginBottom="none">
            Drop files anywhere on the library to upload them, several at once, or use <strong>Upload files</strong>.
          </Paragraph>
          <input
            ref={fileInput}
            className="sr-only"
            type="file"
            multiple
            tabIndex={-1}
            aria-label="Files to upload"
            onChange={(event) => {
              uploads.add(Array.from(event.target.files ?? []));
              event.target.value = '';
            }}
          />
        </div>
      ) : null}

      {uploads.items.length ? (
        <section aria-label="Uploads" className="media-uploads">
          <Flex justifyContent="space-between" alignItems="center">
            <Heading as="h2" marginBottom="none">
              Uploads
            </Heading>
            <Button size="small" variant="transparent" onClick={uploads.clearFinished}>
              Clear finished
            </Button>
          </Flex>
          <ul>
            {uploads.items.map((item) => (
              <UploadProgress key={item.key} item={item} assetPath={(id) => id} />
            ))}
          </ul>
        </section>
      ) : null}

      <Form onSubmit={search} aria-label="Search assets">
        <Flex gap="spacingM" flexWrap="wrap" alignItems="flex-end" marginBottom="spacingM">
          <FormRow label="Search" marginBottom="none" className="media-search">
            <TextInput
              type="search"
              name="query"
              value={queryText}
              placeholder="Title, description or file name"
              onChange={(e) => setQueryText(e.target.value)}
            />
          </FormRow>
          <Button type="submit" variant="secondary">
            Search
          </Button>
          <FormRow label="Status" marginBottom="none">
            <Select name="status" value={status ?? ''} onChange={(e) => change({ status: e.target.value })}>
              <Select.Option value="">Any</Select.Option>
              {ENTITY_STATUSES.map((s) => (
                <Select.Option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </Select.Option>
              ))}
            </Select>
          </FormRow>
        </Flex>
      </Form>

      <div className="table-scroll">
        <Table aria-label="Assets" aria-busy={assets.loading}>
          <Table.Head>
            <Table.Row>
              <Table.Cell>Preview</Table.Cell>
              <Table.Cell>Title</Table.Cell>
              <Table.Cell>Type</Table.Cell>
              <Table.Cell className="media-optional">Size</Table.Cell>
              <Table.Cell className="media-optional">Updated</Table.Cell>
              <Table.Cell>Status</Table.Cell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {items.map((asset) => {
              const file = assetFile(asset, localeList);
              const dimensions = file?.details?.image;
              return (
                <Table.Row key={asset.sys.id}>
                  <Table.Cell>
                    <Thumbnail asset={asset} locales={localeList} />
                  </Table.Cell>
                  <Table.Cell>
                    <Link to={asset.sys.id}>{assetTitle(asset, localeList)}</Link>
                  </Table.Cell>
                  <Table.Cell>{fileKind(file)}</Table.Cell>
                  <Table.Cell className="media-optional media-nowrap">
                    {formatBytes(file?.details?.size)}
                    {dimensions ? <div className="media-muted">{`${dimensions.width} × ${dimensions.height}`}</div> : null}
                  </Table.Cell>
                  <Table.Cell className="media-optional">{new Date(asset.sys.updatedAt).toLocaleString()}</Table.Cell>
                  <Table.Cell>
                    <EntityStatusBadge entityStatus={entityStatus(asset.sys)} />
                  </Table.Cell>
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table>
      </div>
      {!assets.loading && !items.length ? (
        <Paragraph marginTop="spacingM">
          {filtered ? 'No assets match.' : mayUpload ? 'No assets yet: drop files here to upload them.' : 'No assets yet.'}
        </Paragraph>
      ) : null}
      {total > PAGE_SIZE || page > 0 ? (
        <Pagination
          className="media-pagination"
          activePage={page}
          itemsPerPage={PAGE_SIZE}
          totalItems={total}
          onPageChange={(next) => change({ page: next })}
        />
      ) : null}
    </Page>
  );
}
