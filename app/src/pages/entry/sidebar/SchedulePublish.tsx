import { Badge, Button, Flex, Form, FormControl, Heading, Note, Paragraph, Select, TextInput } from '@contentful/f36-components';
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { CollaborationApi, ScheduledAction, ScheduledActionKind } from '../../../api/collaboration';
import type { EntityStatus } from '../../../api/status';
import { useQuery } from '../../../api/use-query';
import { ErrorNote } from '../../common';
import { useAction } from '../../shared/use-action';
import { dayInput, formatDateTime, localDateTime, nextFullHour, timeInput, timeZone } from './dates';

/** Actions due within this time are watched, so the editor shows the entry once the server ran them. */
const WATCH_WITHIN_MS = 24 * 60 * 60_000;
/** How long after an action's time to look at it (the server's scheduler polls every second), and again while it waits. */
const CHECK_AFTER_MS = 3_000;

const ACTION_TEXT: Record<ScheduledActionKind, string> = { publish: 'Publish', unpublish: 'Unpublish' };

interface SchedulePublishProps {
  api: CollaborationApi;
  entryId: string;
  status: EntityStatus;
  canPublish: boolean;
  canUnpublish: boolean;
  /** The entry changed on the server: a scheduled action ran. */
  onRan(): void;
}

/**
 * Scheduled publishing of the entry: its pending scheduled actions (cancel), and a new publish or unpublish
 * at a date and time of the browser's time zone, for those whose role allows that action.
 */
export function SchedulePublish({ api, entryId, status, canPublish, canUnpublish, onRan }: SchedulePublishProps) {
  const uid = useId();
  const pending = useQuery(() => api.scheduledActions(entryId), [api, entryId]);
  const [start] = useState(nextFullHour);
  const [day, setDay] = useState(() => dayInput(start));
  const [time, setTime] = useState(() => timeInput(start));
  const [chosen, setChosen] = useState<ScheduledActionKind>();
  const { busy, error, run } = useAction();
  const [failed, setFailed] = useState<ScheduledAction>();

  const items = pending.data?.items ?? [];
  const may = (action: ScheduledActionKind) => (action === 'publish' ? canPublish : canUnpublish);
  const offered = ([] as ScheduledActionKind[]).concat(
    canPublish && status !== 'archived' ? ['publish'] : [],
    canUnpublish && (status === 'published' || status === 'changed' || items.some((a) => a.action === 'publish')) ? ['unpublish'] : [],
  );
  const action = chosen && offered.includes(chosen) ? chosen : offered[0];
  const at = localDateTime(day, time);
  const inFuture = at !== undefined && at.getTime() > Date.now();

  // Once the soonest action is due, see how it went: the entry is reloaded after it ran.
  const soonest = items[0];
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the soonest action, not the callbacks' identity
  useEffect(() => {
    if (!soonest) return;
    const wait = Date.parse(soonest.scheduledFor.datetime) - Date.now();
    if (wait > WATCH_WITHIN_MS) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const check = async () => {
      const current = await api.scheduledAction(soonest.sys.id).catch(() => undefined);
      if (stopped) return;
      if (current?.sys.status === 'scheduled') {
        timer = setTimeout(check, CHECK_AFTER_MS);
        return;
      }
      pending.reload();
      if (current?.sys.status === 'failed') setFailed(current);
      if (current?.sys.status === 'succeeded' || current?.sys.status === 'failed') onRan();
    };
    timer = setTimeout(check, Math.max(wait, 0) + CHECK_AFTER_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [soonest?.sys.id, soonest?.scheduledFor.datetime, api]);

  // Reloaded whether or not the CMA took it: what it refused may have changed meanwhile.
  const write = async (work: () => Promise<unknown>) => {
    await run(work);
    pending.reload();
  };
  const schedule = (event: FormEvent) => {
    event.preventDefault();
    if (!action || !at || !inFuture) return;
    void write(() => api.schedule(entryId, action, at.toISOString(), timeZone()));
  };

  if (offered.length === 0 && items.length === 0) return null;
  return (
    <section className="sidebar-panel" aria-labelledby={`${uid}-heading`}>
      <Heading as="h2" id={`${uid}-heading`} className="sidebar-heading">
        Scheduled publishing
      </Heading>
      <ErrorNote error={pending.error ?? error} />
      {failed && (
        <Note variant="negative" title={`The scheduled ${failed.action} failed`}>
          {failed.error?.message ?? 'The server could not carry it out.'}
        </Note>
      )}
      {items.length > 0 ? (
        <ul className="sidebar-list" aria-label="Scheduled actions of this entry">
          {items.map((scheduled) => {
            const when = formatDateTime(scheduled.scheduledFor.datetime);
            return (
              <li key={scheduled.sys.id} className="sidebar-item" aria-label={`${ACTION_TEXT[scheduled.action]} on ${when}`}>
                <Flex gap="spacingXs" alignItems="center" flexWrap="wrap">
                  <Badge variant={scheduled.action === 'publish' ? 'positive' : 'warning'}>{ACTION_TEXT[scheduled.action]}</Badge>
                  <time dateTime={scheduled.scheduledFor.datetime}>{when}</time>
                </Flex>
                {may(scheduled.action) && (
                  <Button
                    size="small"
                    variant="negative"
                    className="sidebar-item-action"
                    isDisabled={busy}
                    aria-label={`Cancel the scheduled ${scheduled.action} on ${when}`}
                    onClick={() => write(() => api.cancelScheduledAction(scheduled.sys.id))}
                  >
                    Cancel
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <Paragraph className="sidebar-hint">Nothing scheduled.</Paragraph>
      )}
      {action && (
        <Form onSubmit={schedule} aria-label="Schedule" className="sidebar-form">
          {offered.length > 1 && (
            <FormControl id={`${uid}-action`} marginBottom="spacingS">
              <FormControl.Label>Action</FormControl.Label>
              <Select value={action} onChange={(e) => setChosen(e.target.value as ScheduledActionKind)}>
                {offered.map((kind) => (
                  <Select.Option key={kind} value={kind}>
                    {ACTION_TEXT[kind]}
                  </Select.Option>
                ))}
              </Select>
            </FormControl>
          )}
          <Flex gap="spacingXs" flexWrap="wrap">
            <FormControl id={`${uid}-day`} isRequired marginBottom="spacingS" className="sidebar-grow">
              <FormControl.Label>Date</FormControl.Label>
              <TextInput type="date" value={day} onChange={(e) => setDay(e.target.value)} />
            </FormControl>
            <FormControl id={`${uid}-time`} isRequired marginBottom="spacingS" className="sidebar-grow">
              <FormControl.Label>Time</FormControl.Label>
              <TextInput type="time" value={time} onChange={(e) => setTime(e.target.value)} />
            </FormControl>
          </Flex>
          <Paragraph className="sidebar-hint">{at && !inFuture ? 'Choose a time in the future.' : `Time zone: ${timeZone()}.`}</Paragraph>
          <Button type="submit" variant="primary" size="small" isLoading={busy} isDisabled={busy || !inFuture}>
            {`Schedule ${action}`}
          </Button>
        </Form>
      )}
    </section>
  );
}
