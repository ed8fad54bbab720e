import { Button, Flex, Form, FormControl, Heading, List, Paragraph, Select, TextInput } from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import { CmaError } from '../../api/cma';
import type { Release, ReleasesApi } from '../../api/releases';
import { useQuery } from '../../api/use-query';
import { ErrorNote } from '../common';
import { DateTime, LOCAL_TIME_ZONE } from './shared';

/** `YYYY-MM-DD` and `HH:MM` of a moment in the browser's time zone (what date and time inputs hold). */
function localParts(at: Date) {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
  };
}

/**
 * The release's pending scheduled actions (publish or unpublish at a date and time, in the browser's time zone),
 * scheduling one and canceling one; only the actions the user may carry out for every entity are offered.
 */
export function ReleaseSchedule({
  api,
  release,
  canPublish,
  canUnpublish,
}: {
  api: ReleasesApi;
  release: Release;
  canPublish: boolean;
  canUnpublish: boolean;
}) {
  const uid = useId();
  const pending = useQuery(
    () => api.scheduled({ statuses: ['scheduled'], entityId: release.sys.id, linkType: 'Release' }),
    [api, release.sys.id],
  );
  // Tomorrow at 09:00 local time, as a first suggestion.
  const [initial] = useState(() => localParts(new Date(new Date().setHours(24 + 9, 0, 0, 0))));
  const [chosen, setAction] = useState<'publish' | 'unpublish'>('publish');
  // What the user may do can change once the release's entities are known.
  const action = chosen === 'publish' && !canPublish ? 'unpublish' : chosen === 'unpublish' && !canUnpublish ? 'publish' : chosen;
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const mayAct = release.sys.status === 'active' && (canPublish || canUnpublish);

  async function run(work: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      pending.reload();
    } catch (err) {
      setError(err instanceof CmaError ? err : new CmaError(0, 'ClientError', String(err)));
    }
    setBusy(false);
  }

  function schedule(event: FormEvent) {
    event.preventDefault();
    const at = new Date(`${date}T${time}`);
    if (Number.isNaN(at.getTime())) {
      setError(new CmaError(0, 'InvalidDate', 'Enter a date and a time.'));
      return;
    }
    void run(() => api.schedule({ linkType: 'Release', id: release.sys.id }, action, at.toISOString(), LOCAL_TIME_ZONE));
  }

  const items = pending.data?.items ?? [];
  const validationDetails = (error?.details as { errors?: { details?: string }[] } | undefined)?.errors;
  return (
    <section aria-labelledby={`${uid}-title`}>
      <Heading as="h2" id={`${uid}-title`} marginTop="spacingXl">
        Schedule
      </Heading>
      <ErrorNote error={pending.error} />
      {items.length === 0 && pending.data ? <Paragraph>Nothing is scheduled for this release.</Paragraph> : null}
      {items.length ? (
        <List aria-label="Scheduled actions of the release">
          {items.map((scheduled) => (
            <List.Item key={scheduled.sys.id}>
              <Flex gap="spacingS" alignItems="center" flexWrap="wrap">
                <span>
                  {scheduled.action === 'publish' ? 'Publish' : 'Unpublish'} on <DateTime value={scheduled.scheduledFor.datetime} />
                  {scheduled.scheduledFor.timezone ? ` (${scheduled.scheduledFor.timezone})` : ''}
                </span>
                {(scheduled.action === 'publish' ? canPublish : canUnpublish) ? (
                  <Button
                    size="small"
                    variant="negative"
                    isDisabled={busy}
                    onClick={() => void run(() => api.cancelScheduled(scheduled.sys.id))}
                  >
                    Cancel schedule
                  </Button>
                ) : null}
              </Flex>
            </List.Item>
          ))}
        </List>
      ) : null}
      {error ? (
        <ErrorNote
          error={
            validationDetails?.length ? new CmaError(error.status, error.id, validationDetails.map((d) => d.details).join(' ')) : error
          }
          title="Not scheduled"
        />
      ) : null}
      {mayAct ? (
        <Form onSubmit={schedule} aria-label="Schedule the release">
          <Flex gap="spacingS" alignItems="flex-end" flexWrap="wrap">
            <FormControl id={`${uid}-action`} marginBottom="none">
              <FormControl.Label>Action</FormControl.Label>
              <Select value={action} onChange={(e) => setAction(e.target.value as 'publish' | 'unpublish')}>
                {canPublish ? <Select.Option value="publish">Publish</Select.Option> : null}
                {canUnpublish ? <Select.Option value="unpublish">Unpublish</Select.Option> : null}
              </Select>
            </FormControl>
            <FormControl id={`${uid}-date`} isRequired marginBottom="none">
              <FormControl.Label>Date</FormControl.Label>
              <TextInput type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            </FormControl>
            <FormControl id={`${uid}-time`} isRequired marginBottom="none">
              <FormControl.Label>Time</FormControl.Label>
              <TextInput type="time" value={time} onChange={(e) => setTime(e.target.value)} />
            </FormControl>
            <Button type="submit" variant="primary" isDisabled={busy || !date || !time}>
              Schedule
            </Button>
          </Flex>
          <Paragraph marginTop="spacingXs" marginBottom="none">
            Time zone: {LOCAL_TIME_ZONE}
          </Paragraph>
        </Form>
      ) : null}
    </section>
  );
}
