import { Button, Flex, Form, FormControl, Heading, ModalConfirm, Paragraph, Select, Table, TextInput } from '@contentful/f36-components';
import { CursorPager } from '../shared/CursorPager';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { CmaError } from '../../api/cma';
import { type Release, releasesApi } from '../../api/releases';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { ConflictNote, DateTime, ReleaseActionSummary, ReleaseStatusBadge } from './shared';

const FILTERS = { active: ['active'], archived: ['archived'], all: [] } as const;
type Filter = keyof typeof FILTERS;

/** The environment's releases (title, entities, status, last action, next scheduled action, updated); create, archive, delete. */
export default function Releases() {
  usePageTitle('Releases');
  const uid = useId();
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const navigate = useNavigate();
  const api = useMemo(() => releasesApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const [filter, setFilter] = useState<Filter>('active');
  // The cursors of the pages before the one shown (the CMA pages releases with `pageNext`).
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const listed = useQuery(async () => {
    const page = await api.list({ statuses: [...FILTERS[filter]], next: cursor });
    const lastActionIds = page.items.flatMap((r) => (r.sys.lastAction ? [r.sys.lastAction.sys.id] : []));
    const [actions, scheduled] = await Promise.all([
      api.actions(lastActionIds),
      api.scheduled({ statuses: ['scheduled'], linkType: 'Release' }),
    ]);
    return { page, actions: actions.items, scheduled: scheduled.items };
  }, [api, filter, cursor]);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [deleting, setDeleting] = useState<Release>();
  const releases = listed.data?.page.items ?? [];

  async function act(work: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      listed.reload();
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.create(title.trim());
      navigate(created.sys.id);
    } catch (err) {
      setError(err as CmaError);
      setBusy(false);
    }
  }

  const nextScheduled = (release: Release) => listed.data?.scheduled.find((s) => s.entity.sys.id === release.sys.id);

  return (
    <section aria-labelledby={`${uid}-title`}>
      <Heading as="h1" id={`${uid}-title`}>
        Releases
      </Heading>
      <Paragraph>A release groups entries and assets to validate, publish or unpublish together, now or at a set time.</Paragraph>

      <Form onSubmit={create} aria-label="Create a release">
        <Flex gap="spacingS" alignItems="flex-end" flexWrap="wrap">
          <FormControl id={`${uid}-new`} isRequired marginBottom="none">
            <FormControl.Label>New release title</FormControl.Label>
            <TextInput value={title} maxLength={255} onChange={(e) => setTitle(e.target.value)} />
          </FormControl>
          <Button type="submit" variant="primary" isDisabled={busy || !title.trim()}>
            Create release
          </Button>
        </Flex>
      </Form>

      <Flex gap="spacingS" alignItems="flex-end" marginTop="spacingL" marginBottom="spacingS">
        <FormControl id={`${uid}-filter`} marginBottom="none">
          <FormControl.Label>Show</FormControl.Label>
          <Select
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as Filter);
              setCursors([]);
            }}
          >
            <Select.Option value="active">Active releases</Select.Option>
            <Select.Option value="archived">Archived releases</Select.Option>
            <Select.Option value="all">All releases</Select.Option>
          </Select>
        </FormControl>
      </Flex>

      <ErrorNote error={listed.error} />
      {error?.id === 'VersionMismatch' ? (
        <ConflictNote
          onReload={() => {
            setError(undefined);
            listed.reload();
          }}
        />
      ) : (
        <ErrorNote error={error} title="The server refused" />
      )}
      {listed.data && releases.length === 0 ? <Paragraph>No {filter === 'all' ? '' : `${filter} `}releases.</Paragraph> : null}
      {releases.length ? (
        <div className="table-scroll">
          <Table aria-label="Releases">
            <Table.Head>
              <Table.Row>
                <Table.Cell>Title</Table.Cell>
                <Table.Cell>Entities</Table.Cell>
                <Table.Cell>Status</Table.Cell>
                <Table.Cell>Last action</Table.Cell>
                <Table.Cell>Scheduled</Table.Cell>
                <Table.Cell>Updated</Table.Cell>
                <Table.Cell>Actions</Table.Cell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {releases.map((release) => {
                const lastAction = listed.data?.actions.find((a) => a.sys.id === release.sys.lastAction?.sys.id);
                const scheduled = nextScheduled(release);
                const archived = release.sys.status === 'archived';
                return (
                  <Table.Row key={release.sys.id}>
                    <Table.Cell>
                      <Link to={release.sys.id}>{release.title}</Link>
                    </Table.Cell>
                    <Table.Cell>{release.entities.items.length}</Table.Cell>
                    <Table.Cell>
                      <ReleaseStatusBadge status={release.sys.status} />
                    </Table.Cell>
                    <Table.Cell>
                      <ReleaseActionSummary action={lastAction} />
                    </Table.Cell>
                    <Table.Cell>
                      {scheduled ? (
                        <>
                          {scheduled.action === 'publish' ? 'Publish' : 'Unpublish'} <DateTime value={scheduled.scheduledFor.datetime} />
                        </>
                      ) : (
                        '—'
                      )}
                    </Table.Cell>
                    <Table.Cell>
                      <DateTime value={release.sys.updatedAt} />
                    </Table.Cell>
                    <Table.Cell>
                      <Flex gap="spacingXs" flexWrap="wrap">
                        <Button
                          size="small"
                          isDisabled={busy}
                          aria-label={`${archived ? 'Unarchive' : 'Archive'} release ${release.title}`}
                          onClick={() => void act(() => (archived ? api.unarchive(release) : api.archive(release)))}
                        >
                          {archived ? 'Unarchive' : 'Archive'}
                        </Button>
                        <Button
                          size="small"
                          variant="negative"
                          isDisabled={busy}
                          aria-label={`Delete release ${release.title}`}
                          onClick={() => setDeleting(release)}
                        >
                          Delete
                        </Button>
                      </Flex>
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table>
        </div>
      ) : null}
      <CursorPager cursors={cursors} next={listed.data?.page.pages?.next} onChange={setCursors} />

      <ModalConfirm
        isShown={deleting !== undefined}
        intent="negative"
        title="Delete release"
        confirmLabel="Delete release"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const release = deleting;
          setDeleting(undefined);
          if (release) void act(() => api.remove(release));
        }}
      >
        <Paragraph>
          Delete the release <strong>{deleting?.title}</strong>? Its entries and assets stay as they are; only the release is removed.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}
