import { Badge, Button, Note, Paragraph } from '@contentful/f36-components';
import type { ReleaseAction, ScheduledStatus } from '../../api/releases';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function DateTime({ value }: { value: string }) {
  return <time dateTime={value}>{dateTimeFormat.format(new Date(value))}</time>;
}

export function ReleaseStatusBadge({ status }: { status: string }) {
  return <Badge variant={status === 'archived' ? 'secondary' : 'primary'}>{status}</Badge>;
}

const ACTION_VARIANTS = { created: 'warning', inProgress: 'warning', succeeded: 'positive', failed: 'negative' } as const;
const ACTION_WORDS = { publish: 'Publish', unpublish: 'Unpublish', validate: 'Validation' } as const;
const STATUS_WORDS = { created: 'started', inProgress: 'in progress', succeeded: 'succeeded', failed: 'failed' } as const;

/** A release action in a few words: what it did and how it went ("Publish succeeded"). */
export function ReleaseActionSummary({ action }: { action?: ReleaseAction }) {
  if (!action) return <span>None</span>;
  return (
    <Badge variant={ACTION_VARIANTS[action.sys.status]} textTransform="none">
      {`${ACTION_WORDS[action.action]} ${STATUS_WORDS[action.sys.status]}`}
    </Badge>
  );
}

const SCHEDULED_VARIANTS = { scheduled: 'primary', succeeded: 'positive', failed: 'negative', canceled: 'secondary' } as const;
export function ScheduledStatusBadge({ status }: { status: ScheduledStatus }) {
  return <Badge variant={SCHEDULED_VARIANTS[status]}>{status}</Badge>;
}

/** A 409: someone changed the release since it was loaded; nothing was overwritten, a reload shows theirs. */
export function ConflictNote({ onReload }: { onReload(): void }) {
  return (
    <Note variant="warning" title="Someone else changed this release" role="alert" style={{ marginBottom: 16 }}>
      <Paragraph>
        The release was changed since you loaded it (in another tab or by another user), so your change was not saved: saving it would
        overwrite theirs. Reload to see the current release, then make your change again.
      </Paragraph>
      <Button variant="primary" size="small" onClick={onReload}>
        Reload
      </Button>
    </Note>
  );
}

/** The browser's time zone, in which dates and times are entered. */
export const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
