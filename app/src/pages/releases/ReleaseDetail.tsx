import { Button, Flex, Form, FormControl, Heading, ModalConfirm, Note, Paragraph, Spinner, TextInput } from '@contentful/f36-components';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import { CmaError } from '../../api/cma';
import {
  entityErrors,
  itemAction,
  itemLink,
  newItem,
  type Release,
  type ReleaseAction,
  type ReleaseActionName,
  releasesApi,
  sameItem,
} from '../../api/releases';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { describeEntities, type EntityRef, refKey } from './entities';
import { ReleaseEntities } from './ReleaseEntities';
import { ReleasePicker } from './ReleasePicker';
import { ReleaseSchedule } from './ReleaseSchedule';
import { ConflictNote, ReleaseActionSummary, ReleaseStatusBadge } from './shared';
import { useLastAction } from './use-last-action';

const RUNNING_WORDS = { publish: 'Publishing the release…', unpublish: 'Unpublishing the release…', validate: 'Validating the release…' };
const SUCCESS_WORDS = {
  publish: 'Published: every entity of the release is published.',
  unpublish: 'Unpublished: the entities of the release are no longer published.',
  validate: 'Validated: every entity of the release can be published.',
};
const FAILURE_TITLES = { publish: 'Publishing failed', unpublish: 'Unpublishing failed', validate: 'Validation failed' };

/** How the last action went, once it finished: the per-entity problems are shown next to their entities. */
function ActionOutcome({ action }: { action: ReleaseAction }) {
  if (action.sys.status === 'succeeded') {
    return (
      <Note variant="positive" role="status" style={{ marginBottom: 16 }}>
        {SUCCESS_WORDS[action.action]}
      </Note>
    );
  }
  if (action.sys.status !== 'failed') return null;
  const count = action.error?.details?.errors?.length ?? 0;
  return (
    <Note variant="negative" title={FAILURE_TITLES[action.action]} role="alert" style={{ marginBottom: 16 }}>
      {count
        ? `${count === 1 ? 'One entity has' : `${count} entities have`} problems; they are shown next to ${count === 1 ? 'it' : 'them'}. ${
            action.action === 'publish' ? 'Nothing was published.' : ''
          }`
        : (action.error?.message ?? 'The action failed.')}
    </Note>
  );
}

/** One release: its entities (added, removed), title, validation, publishing and unpublishing now or at a set time. */
export default function ReleaseDetail() {
  const uid = useId();
  const { spaceId = '', environmentId = '', releaseId = '' } = useParams();
  const cma = useCma();
  const access = useAccess();
  const navigate = useNavigate();
  const api = useMemo(() => releasesApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const loaded = useQuery(() => api.get(releaseId), [api, releaseId]);
  const [release, setRelease] = useState<Release>();
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [picking, setPicking] = useState(false);
  const [deleting, setDeleting] = useState(false);
  usePageTitle(release ? `${release.title} — Releases` : 'Releases');

  useEffect(() => {
    if (!loaded.data) return;
    setRelease(loaded.data);
    setTitle(loaded.data.title);
    setError(undefined);
  }, [loaded.data]);

  const items = release?.entities.items ?? [];
  const refs: EntityRef[] = items.map(itemLink);
  const refsKey = refs.map(refKey).join(',');
  // `refsKey` stands for `refs`: the entities are described again when the release's items change.
  const described = useQuery(() => describeEntities(api, refs), [api, refsKey]);
  const last = useLastAction(api, releaseId, release?.sys.lastAction?.sys.id, described.reload);

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!release) return <Spinner size="large" />;

  const base = `/spaces/${spaceId}/environments/${environmentId}`;
  const archived = release.sys.status === 'archived';
  const infos = described.data;
  // Offered only when the user's roles allow it for every entity (the CMA checks each as the action runs).
  const mayForAll = (action: 'publish' | 'unpublish') =>
    infos !== undefined &&
    items.length > 0 &&
    items.every((item) => {
      const info = infos.get(refKey(itemLink(item)));
      const wanted = action === 'publish' ? itemAction(item) : 'unpublish';
      return (
        info?.linkType !== 'Release' &&
        access.can(wanted, { type: itemLink(item).linkType, id: info?.id, contentTypeId: info?.contentTypeId })
      );
    });
  const canPublish = mayForAll('publish');
  const canUnpublish = mayForAll('unpublish');

  async function run(work: () => Promise<Release | undefined>) {
    setBusy(true);
    setError(undefined);
    try {
      const next = await work();
      if (next) {
        setRelease(next);
        setTitle(next.title);
      }
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }
  const current = release;
  const start = (action: ReleaseActionName) =>
    run(async () => {
      last.started(await api.start(current, action));
      // Starting an action records it as the release's last one (a new version of the release).
      return api.get(current.sys.id);
    });
  const add = (picked: EntityRef[]) => {
    setPicking(false);
    const fresh = picked.filter((p) => !refs.some((r) => sameItem(r, p)));
    void run(() =>
      api.update(current, {
        entities: { items: [...items, ...fresh.map((p) => newItem(current.sys.schemaVersion, p.linkType as 'Entry' | 'Asset', p.id))] },
      }),
    );
  };
  const remove = (ref: EntityRef) =>
    void run(() => api.update(current, { entities: { items: items.filter((item) => !sameItem(itemLink(item), ref)) } }));
  const rename = (event: FormEvent) => {
    event.preventDefault();
    void run(() => api.update(current, { title: title.trim() }));
  };
  const reload = () => {
    setError(undefined);
    loaded.reload();
  };

  const lastAction = last.action;
  const showErrors = lastAction?.sys.status === 'failed' ? entityErrors(lastAction) : new Map();

  return (
    <section aria-labelledby={`${uid}-title`}>
      <Paragraph>
        <Link to={`${base}/releases`}>← All releases</Link>
      </Paragraph>
      <Flex alignItems="center" gap="spacingS" flexWrap="wrap">
        <Heading as="h1" id={`${uid}-title`} marginBottom="none">
          {release.title}
        </Heading>
        <ReleaseStatusBadge status={release.sys.status} />
      </Flex>
      <Paragraph marginTop="spacingXs">
        {items.length === 1 ? '1 entity' : `${items.length} entities`} · Last action: <ReleaseActionSummary action={lastAction} />
      </Paragraph>

      {error?.id === 'VersionMismatch' ? <ConflictNote onReload={reload} /> : <ErrorNote error={error} title="The server refused" />}
      <ErrorNote error={described.error ?? last.error} />
      {last.running && lastAction ? (
        <Flex gap="spacingS" alignItems="center" marginBottom="spacingM" role="status">
          <Spinner size="small" />
          <span>{RUNNING_WORDS[lastAction.action]}</span>
        </Flex>
      ) : lastAction ? (
        <ActionOutcome action={lastAction} />
      ) : null}

      <Flex gap="spacingS" flexWrap="wrap" marginBottom="spacingM">
        {archived ? null : (
          <>
            <Button variant="secondary" isDisabled={busy} onClick={() => setPicking(true)}>
              Add content
            </Button>
            <Button isDisabled={busy || last.running || items.length === 0} onClick={() => void start('validate')}>
              Validate
            </Button>
            {canPublish ? (
              <Button variant="positive" isDisabled={busy || last.running} onClick={() => void start('publish')}>
                Publish all
              </Button>
            ) : null}
            {canUnpublish ? (
              <Button isDisabled={busy || last.running} onClick={() => void start('unpublish')}>
                Unpublish all
              </Button>
            ) : null}
          </>
        )}
        <Button isDisabled={busy} onClick={() => void run(() => (archived ? api.unarchive(current) : api.archive(current)))}>
          {archived ? 'Unarchive' : 'Archive'}
        </Button>
        <Button variant="negative" isDisabled={busy} onClick={() => setDeleting(true)}>
          Delete release
        </Button>
      </Flex>
      {archived ? <Paragraph>An archived release cannot be changed or acted on; unarchive it first.</Paragraph> : null}

      {archived ? null : (
        <Form onSubmit={rename} aria-label="Rename the release">
          <Flex gap="spacingS" alignItems="flex-end" flexWrap="wrap">
            <FormControl id={`${uid}-rename`} isRequired marginBottom="none">
              <FormControl.Label>Title</FormControl.Label>
              <TextInput value={title} maxLength={255} onChange={(e) => setTitle(e.target.value)} />
            </FormControl>
            <Button type="submit" isDisabled={busy || !title.trim() || title.trim() === release.title}>
              Save title
            </Button>
          </Flex>
        </Form>
      )}

      <Heading as="h2" marginTop="spacingL">
        Content
      </Heading>
      {items.length === 0 ? (
        <Paragraph>No entries or assets yet: add some with “Add content”, or from an entry's sidebar.</Paragraph>
      ) : (
        <ReleaseEntities
          items={items}
          described={infos}
          errors={showErrors}
          base={base}
          canRemove={!archived}
          busy={busy}
          onRemove={remove}
        />
      )}

      <ReleaseSchedule api={api} release={release} canPublish={canPublish} canUnpublish={canUnpublish} />

      {picking ? <ReleasePicker api={api} present={new Set(refs.map(refKey))} onAdd={add} onClose={() => setPicking(false)} /> : null}
      <ModalConfirm
        isShown={deleting}
        intent="negative"
        title="Delete release"
        confirmLabel="Delete release"
        onCancel={() => setDeleting(false)}
        onConfirm={() => {
          setDeleting(false);
          void run(async () => {
            await api.remove(current);
            navigate(`${base}/releases`);
            return undefined;
          });
        }}
      >
        <Paragraph>
          Delete the release <strong>{release.title}</strong>? Its entries and assets stay as they are; only the release is removed.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}
