import { Badge, Button, Flex, Heading, Note, Spinner, Stack } from '@contentful/f36-components';
import type { FieldAppSDK } from '@contentful/app-sdk';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type AccessSubject, useAccess } from '../../access';
import type { ContentType } from '../../api/cma';
import { type EditorInterface, type Entry, entriesApi, type Locale } from '../../api/entries';
import { entityStatus } from '../../api/status';
import { useQuery } from '../../api/use-query';
import { useCma, useSession } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { EntityPicker, type PickerRequest } from './EntityPicker';
import { CurrentDialog, EntryFields } from './EntryFields';
import { EntryDocument, type SaveState } from './entry-document';
import type { HostContext } from './field-sdk';
import { managementClient, prepareFieldEditors } from './host';
import { EntryReferences } from './EntryReferences';
import { EntryVersions } from './EntryVersions';
import { EntrySidebar } from './sidebar/EntrySidebar';

const SAVE_DELAY_MS = 300;
const SAVE_STATE_TEXT: Record<SaveState, string> = {
  saved: 'All changes saved',
  pending: 'Changes pending',
  saving: 'Saving…',
  conflict: 'Not saved: changed elsewhere',
  failed: 'Not saved',
};
const STATUS_BADGE = { draft: 'warning', changed: 'primary', published: 'positive', archived: 'secondary' } as const;

interface Loaded {
  entry: Entry;
  contentType: ContentType;
  contentTypes: ContentType[];
  editorInterface?: EditorInterface;
  locales: Locale[];
}

/** The entry editor: the field editors over one entry, its status and actions, references and history. */
export default function EntryEditor() {
  const { spaceId = '', environmentId = '', entryId = '' } = useParams();
  const cma = useCma();
  const { session } = useSession();
  const api = useMemo(() => entriesApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const loaded = useQuery(async (): Promise<Loaded> => {
    prepareFieldEditors();
    const [entry, locales, contentTypes] = await Promise.all([api.get(entryId), api.locales(), cma.contentTypes(spaceId, environmentId)]);
    const contentTypeId = entry.sys.contentType.sys.id;
    const [contentType, editorInterface] = await Promise.all([
      api.contentType(contentTypeId),
      api.editorInterface(contentTypeId).catch(() => undefined),
    ]);
    return { entry, contentType, contentTypes: contentTypes.items, editorInterface, locales: locales.items };
  }, [api, entryId]);

  if (loaded.loading && !loaded.data) {
    return (
      <Flex justifyContent="center" padding="spacingL">
        <Spinner size="large" />
      </Flex>
    );
  }
  if (!loaded.data) return <ErrorNote error={loaded.error} title="This entry could not be loaded" />;
  return (
    <LoadedEntryEditor
      key={`${loaded.data.entry.sys.id}-${loaded.data.entry.sys.version}`}
      loaded={loaded.data}
      reload={loaded.reload}
      token={session?.token ?? ''}
      userId={session?.user.sys.id ?? ''}
    />
  );
}

function LoadedEntryEditor({ loaded, reload, token, userId }: { loaded: Loaded; reload(): void; token: string; userId: string }) {
  const { spaceId = '', environmentId = '' } = useParams();
  const navigate = useNavigate();
  const cma = useCma();
  const access = useAccess();
  const api = useMemo(() => entriesApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const doc = useMemo(
    () =>
      new EntryDocument(loaded.entry, api, (run) => {
        const timer = setTimeout(run, SAVE_DELAY_MS);
        return () => clearTimeout(timer);
      }),
    [loaded.entry, api],
  );
  const [sys, setSys] = useState(doc.sys);
  const [saveState, setSaveState] = useState(doc.saveState);
  const [tab, setTab] = useState<'editor' | 'references' | 'versions'>('editor');
  const [picker, setPicker] = useState<PickerRequest>();
  const [current, setCurrent] = useState<{ title?: string; parameters?: unknown; sdk: FieldAppSDK; resolve(v: unknown): void }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => doc.onSysChanged(setSys), [doc]);
  useEffect(() => doc.onStateChanged(setSaveState), [doc]);
  // Leaving the page saves what is still pending.
  useEffect(() => () => void doc.save(), [doc]);

  const { contentType, locales } = loaded;
  const defaultLocale = locales.find((l) => l.default)?.code ?? locales[0]?.code ?? 'en-US';
  const createdBy = sys.createdBy?.sys.id;
  const tagIds = (doc.entry.metadata?.tags ?? []).map((t) => t.sys.id).join(',');
  const subject: AccessSubject = useMemo(
    () => ({ type: 'Entry', id: sys.id, contentTypeId: contentType.sys.id, createdBy, tags: tagIds ? tagIds.split(',') : [] }),
    [sys.id, contentType.sys.id, createdBy, tagIds],
  );
  const base = `/spaces/${spaceId}/environments/${environmentId}`;
  const host: HostContext = useMemo(
    () => ({
      doc,
      contentType,
      locales,
      spaceId,
      environmentId,
      userId,
      cma: managementClient(token, spaceId, environmentId),
      access,
      isEditable: (field, locale) => !field.disabled && access.canEdit(subject, field.id, locale),
      dialogs: {
        selectEntries: ({ contentTypes, multiple }) =>
          new Promise((resolve) =>
            setPicker({
              linkType: 'Entry',
              contentTypes,
              multiple,
              resolve: (picked) => {
                setPicker(undefined);
                resolve(picked as Entry[] | null);
              },
            }),
          ),
        selectAssets: ({ multiple }) =>
          new Promise((resolve) =>
            setPicker({
              linkType: 'Asset',
              multiple,
              resolve: (picked) => {
                setPicker(undefined);
                resolve(picked);
              },
            }),
          ),
        openCurrent: (options, sdk) =>
          new Promise((resolve) =>
            setCurrent({
              ...options,
              sdk,
              resolve: (value) => {
                setCurrent(undefined);
                resolve(value);
              },
            }),
          ),
      },
      navigator: {
        openEntry: (id) => navigate(`${base}/content/${id}`),
        openAsset: (id) => navigate(`${base}/media/${id}`),
        openNewEntry: (contentTypeId) =>
          cma.request<Entry>('POST', `${base}/entries`, { body: { fields: {} }, headers: { 'X-Contentful-Content-Type': contentTypeId } }),
      },
    }),
    [doc, contentType, locales, spaceId, environmentId, userId, token, access, subject, cma, navigate, base],
  );

  const status = entityStatus(sys);
  const titleValue = contentType.displayField ? doc.getValue(contentType.displayField, defaultLocale) : undefined;
  const title = typeof titleValue === 'string' && titleValue ? titleValue : 'Untitled';
  usePageTitle(`${title} — ${contentType.name}`);

  const run = async (action: 'publish' | 'unpublish' | 'archive' | 'unarchive') => {
    setBusy(true);
    await doc.act(action);
    setBusy(false);
  };
  const remove = async () => {
    if (!window.confirm(`Delete "${title}"? This cannot be undone.`)) return;
    setBusy(true);
    try {
      await doc.save();
      await api.remove(sys.id, doc.sys.version);
      navigate(`${base}/content`);
    } catch {
      setBusy(false);
      reload();
    }
  };
  const can = (action: Parameters<typeof access.can>[0]) => access.can(action, subject);
  // A refused action leaves `failed`: publishing again is allowed (it saves first what is still unsaved).
  const settled = saveState !== 'saving' && saveState !== 'conflict';
  const error = doc.error;
  const fieldErrorCount = doc.fieldErrors.length;
  const generalErrors = doc.generalErrors;

  return (
    <article className="entry-editor" aria-labelledby="entry-title">
      <header className="entry-header">
        <Stack flexDirection="column" alignItems="flex-start" spacing="spacingXs">
          <span className="entry-content-type">{contentType.name}</span>
          <Heading as="h1" id="entry-title" marginBottom="none">
            {title}
          </Heading>
          <Stack spacing="spacingS">
            <Badge variant={STATUS_BADGE[status]} aria-label={`Status: ${status}`}>
              {status}
            </Badge>
            <span className="entry-save-state" role="status">
              {SAVE_STATE_TEXT[saveState]}
            </span>
            <span className="entry-version">Version {sys.version}</span>
          </Stack>
        </Stack>
        <Stack flexWrap="wrap" spacing="spacingXs" className="entry-actions">
          {status !== 'archived' && can('publish') && (
            <Button variant="positive" isDisabled={busy || !settled || status === 'published'} onClick={() => run('publish')}>
              {status === 'changed' ? 'Publish changes' : 'Publish'}
            </Button>
          )}
          {(status === 'published' || status === 'changed') && can('unpublish') && (
            <Button isDisabled={busy} onClick={() => run('unpublish')}>
              Unpublish
            </Button>
          )}
          {status === 'draft' && can('archive') && (
            <Button isDisabled={busy} onClick={() => run('archive')}>
              Archive
            </Button>
          )}
          {status === 'archived' && can('unarchive') && (
            <Button isDisabled={busy} onClick={() => run('unarchive')}>
              Unarchive
            </Button>
          )}
          {(status === 'draft' || status === 'archived') && can('delete') && (
            <Button variant="negative" isDisabled={busy} onClick={remove}>
              Delete
            </Button>
          )}
        </Stack>
      </header>

      {saveState === 'conflict' && (
        <Note variant="warning" title="This entry was changed elsewhere" role="alert">
          Someone else saved a newer version of this entry while you were editing, so your last change was not saved (nothing was
          overwritten). Reload to see the current version, then make your change again.{' '}
          <Button size="small" onClick={reload}>
            Reload
          </Button>
        </Note>
      )}
      {error && saveState !== 'conflict' && (
        <ErrorNote
          error={error}
          title={
            fieldErrorCount
              ? `${error.message} (${fieldErrorCount} ${fieldErrorCount === 1 ? 'error' : 'errors'}, shown on their fields)`
              : undefined
          }
        />
      )}
      {error && generalErrors.length > 0 && (
        <ul className="entry-general-errors" role="alert" aria-label="Errors of the entry">
          {generalErrors.map((e) => (
            <li key={`${e.name}-${e.details ?? e.message ?? ''}`}>{e.details ?? e.message ?? e.name}</li>
          ))}
        </ul>
      )}

      <div className="entry-tabs" role="tablist" aria-label="Entry views">
        {(['editor', 'references', 'versions'] as const).map((name) => (
          <Button
            key={name}
            role="tab"
            aria-selected={tab === name}
            variant={tab === name ? 'primary' : 'secondary'}
            size="small"
            onClick={() => setTab(name)}
          >
            {name === 'editor' ? 'Editor' : name === 'references' ? 'References' : 'Versions'}
          </Button>
        ))}
      </div>
      <div className="entry-body">
        <div role="tabpanel" className="entry-main">
          {tab === 'editor' && <EntryFields host={host} locales={locales} editorInterface={loaded.editorInterface} />}
          {tab === 'references' && (
            <EntryReferences api={api} entryId={sys.id} contentTypes={loaded.contentTypes} defaultLocale={defaultLocale} base={base} />
          )}
          {tab === 'versions' && (
            <EntryVersions api={api} doc={doc} contentType={contentType} onRestored={reload} canRestore={can('update')} />
          )}
        </div>
        <EntrySidebar
          spaceId={spaceId}
          environmentId={environmentId}
          sys={sys}
          title={title}
          access={access}
          reload={reload}
          tags={subject.tags}
        />
      </div>
      {picker && (
        <EntityPicker
          request={picker}
          cma={cma}
          spaceId={spaceId}
          environmentId={environmentId}
          contentTypes={loaded.contentTypes}
          defaultLocale={defaultLocale}
        />
      )}
      {current && <CurrentDialog request={current} />}
    </article>
  );
}
