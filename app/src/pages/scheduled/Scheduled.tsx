import { Badge, Button, Heading, ModalConfirm, Paragraph, Table, Tabs } from '@contentful/f36-components';
import { CursorPager } from '../shared/CursorPager';
import { useId, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAccess } from '../../access';
import { CmaError } from '../../api/cma';
import { releasesApi, type ScheduledAction, type ScheduledStatus } from '../../api/releases';
import { useQuery } from '../../api/use-query';
import { useCma } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { userName, useUsers } from '../content/use-users';
import { describeEntities, type EntityInfo, entityPath, refKey } from '../releases/entities';
import { errorLines } from '../releases/ReleaseEntities';
import { DateTime, ScheduledStatusBadge } from '../releases/shared';

/** The tabs: what is still to come (soonest first), and what ran or was canceled (latest first). */
const VIEWS = {
  scheduled: { label: 'Scheduled', statuses: ['scheduled'], descending: false },
  completed: { label: 'Completed', statuses: ['succeeded', 'failed'], descending: true },
  canceled: { label: 'Canceled', statuses: ['canceled'], descending: true },
} as const satisfies Record<string, { label: string; statuses: ScheduledStatus[]; descending: boolean }>;
type View = keyof typeof VIEWS;

function ScheduledTable({
  view,
  items,
  described,
  base,
  mayCancel,
  busy,
  onCancel,
}: {
  view: View;
  items: ScheduledAction[];
  described?: Map<string, EntityInfo>;
  base: string;
  mayCancel(scheduled: ScheduledAction, info?: EntityInfo): boolean;
  busy: boolean;
  onCancel(scheduled: ScheduledAction, title: string): void;
}) {
  const { spaceId = '' } = useParams();
  const users = useUsers(
    spaceId,
    items.flatMap((s) => (s.sys.createdBy ? [s.sys.createdBy.sys.id] : [])),
  );
  if (items.length === 0) return <Paragraph marginTop="spacingM">Nothing {view === 'scheduled' ? 'is scheduled' : `${view}`}.</Paragraph>;
  return (
    <div className="table-scroll">
      <Table aria-label={`${VIEWS[view].label} actions`}>
        <Table.Head>
          <Table.Row>
            <Table.Cell>Entity</Table.Cell>
            <Table.Cell>Type</Table.Cell>
            <Table.Cell>Action</Table.Cell>
            <Table.Cell>Scheduled for</Table.Cell>
            <Table.Cell>Status</Table.Cell>
            <Table.Cell>Scheduled by</Table.Cell>
            {view === 'scheduled' ? <Table.Cell>Actions</Table.Cell> : null}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {items.map((scheduled) => {
            const ref = { linkType: scheduled.entity.sys.linkType, id: scheduled.entity.sys.id };
            const info = described?.get(refKey(ref));
            const title = info?.title ?? '…';
            const author = scheduled.sys.createdBy && users.get(scheduled.sys.createdBy.sys.id);
            return (
              <Table.Row key={scheduled.sys.id}>
                <Table.Cell>{info && !info.missing ? <Link to={`${base}/${entityPath(ref)}`}>{title}</Link> : title}</Table.Cell>
                <Table.Cell>{info?.typeName ?? ref.linkType}</Table.Cell>
                <Table.Cell>
                  <Badge variant={scheduled.action === 'publish' ? 'positive' : 'warning'}>{scheduled.action}</Badge>
                </Table.Cell>
                <Table.Cell>
                  <DateTime value={scheduled.scheduledFor.datetime} />
                  {scheduled.scheduledFor.timezone ? <div>{scheduled.scheduledFor.timezone}</div> : null}
                </Table.Cell>
                <Table.Cell>
                  <ScheduledStatusBadge status={scheduled.sys.status} />
                  {scheduled.error ? <div role="note">{errorLines(scheduled.error).join(' ')}</div> : null}
                </Table.Cell>
                <Table.Cell>{author ? userName(author) : scheduled.sys.createdBy ? 'Unknown user' : '—'}</Table.Cell>
                {view === 'scheduled' ? (
                  <Table.Cell>
                    {mayCancel(scheduled, info) ? (
                      <Button
                        size="small"
                        variant="negative"
                        isDisabled={busy}
                        aria-label={`Cancel the scheduled ${scheduled.action} of ${title}`}
                        onClick={() => onCancel(scheduled, title)}
                      >
                        Cancel
                      </Button>
                    ) : null}
                  </Table.Cell>
                ) : null}
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </div>
  );
}

/** The environment's scheduled actions (entries, assets, releases): what is to come, what ran, what was canceled; cancel. */
export default function Scheduled() {
  usePageTitle('Scheduled');
  const uid = useId();
  const { spaceId = '', environmentId = '' } = useParams();
  const cma = useCma();
  const access = useAccess();
  const api = useMemo(() => releasesApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const [view, setView] = useState<View>('scheduled');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const listed = useQuery(async () => {
    const { statuses, descending } = VIEWS[view];
    const page = await api.scheduled({ statuses: [...statuses], descending, next: cursor });
    const described = await describeEntities(
      api,
      page.items.map((s) => ({ linkType: s.entity.sys.linkType, id: s.entity.sys.id })),
    );
    return { page, described };
  }, [api, view, cursor]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [canceling, setCanceling] = useState<{ scheduled: ScheduledAction; title: string }>();

  // Entries and assets: those whose role allows the action itself; a release's schedule, anyone who may use releases.
  const mayCancel = (scheduled: ScheduledAction, info?: EntityInfo) =>
    scheduled.entity.sys.linkType === 'Release' ||
    access.can(scheduled.action, {
      type: scheduled.entity.sys.linkType as 'Entry' | 'Asset',
      id: info?.id,
      contentTypeId: info?.contentTypeId,
    });

  async function cancel(scheduled: ScheduledAction) {
    setBusy(true);
    setError(undefined);
    try {
      await api.cancelScheduled(scheduled.sys.id);
      listed.reload();
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }

  const table = (v: View) =>
    view === v && listed.data ? (
      <ScheduledTable
        view={v}
        items={listed.data.page.items}
        described={listed.data.described}
        base={`/spaces/${spaceId}/environments/${environmentId}`}
        mayCancel={mayCancel}
        busy={busy}
        onCancel={(scheduled, title) => setCanceling({ scheduled, title })}
      />
    ) : null;

  return (
    <section aria-labelledby={`${uid}-title`}>
      <Heading as="h1" id={`${uid}-title`}>
        Scheduled
      </Heading>
      <Paragraph>Entries, assets and releases set to be published or unpublished at a date and time in this environment.</Paragraph>
      <ErrorNote error={listed.error} />
      <ErrorNote error={error} title="The server refused" />
      <Tabs
        currentTab={view}
        onTabChange={(tab) => {
          setView(tab as View);
          setCursors([]);
        }}
      >
        <Tabs.List>
          {(Object.keys(VIEWS) as View[]).map((v) => (
            <Tabs.Tab key={v} panelId={v}>
              {VIEWS[v].label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <Tabs.Panel key={v} id={v}>
            {table(v)}
          </Tabs.Panel>
        ))}
      </Tabs>
      <CursorPager cursors={cursors} next={listed.data?.page.pages?.next} onChange={setCursors} />

      <ModalConfirm
        isShown={canceling !== undefined}
        intent="negative"
        title="Cancel the scheduled action"
        confirmLabel="Cancel it"
        cancelLabel="Keep it"
        onCancel={() => setCanceling(undefined)}
        onConfirm={() => {
          const chosen = canceling;
          setCanceling(undefined);
          if (chosen) void cancel(chosen.scheduled);
        }}
      >
        <Paragraph>
          Cancel the scheduled {canceling?.scheduled.action} of <strong>{canceling?.title}</strong>? It will not run; it stays in the list
          of canceled actions.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}
