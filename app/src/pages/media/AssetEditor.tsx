import {
  Button,
  EntityStatusBadge,
  Flex,
  Heading,
  Note,
  Paragraph,
  Select,
  Spinner,
  Textarea,
  TextInput,
} from '@contentful/f36-components';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useAccess } from '../../access';
import { type Asset, type AssetFields, createAssetsApi, type Locale, uploadFile, waitUntilProcessed } from '../../api/assets';
import { entityStatus } from '../../api/status';
import { useQuery } from '../../api/use-query';
import { useCma, useSession } from '../../session';
import { ErrorNote, usePageTitle } from '../common';
import { ActionBar } from '../shared/ActionBar';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { BackLink } from '../shared/Page';
import { type PlaceOf, RefusedNote, sortProblems } from '../shared/RefusedNote';
import { asCmaError, useAction } from '../shared/use-action';
import { FilePanel } from './FilePanel';
import { accessSubject, assetTitle } from './files';
import { newFileValue, type UploadItem } from './uploads';
import './media.css';

type TextField = 'title' | 'description';
type Draft = Record<TextField, Record<string, string>>;
type Action = 'publish' | 'unpublish' | 'archive' | 'unarchive';

const toDraft = (asset: Asset): Draft => ({ title: { ...asset.fields.title }, description: { ...asset.fields.description } });

/** The asset's fields with the edited texts (an emptied text leaves its locale out, as Contentful's web app does). */
function fieldsWith(asset: Asset, draft: Draft): AssetFields {
  const fields: AssetFields = { ...asset.fields };
  for (const id of ['title', 'description'] as const) {
    const values = Object.fromEntries(Object.entries(draft[id]).filter(([, text]) => text !== ''));
    if (Object.keys(values).length) fields[id] = values;
    else delete fields[id];
  }
  return fields;
}

/** A 422's problem of a field in a locale is shown at that field (by `field/locale`). */
const placeOf: PlaceOf = ([root, field, locale]) =>
  root === 'fields' && typeof field === 'string' && typeof locale === 'string' ? `${field}/${locale}` : undefined;

const DONE: Record<Action | 'save', string> = {
  save: 'Saved.',
  publish: 'Published.',
  unpublish: 'Unpublished: the asset is a draft again.',
  archive: 'Archived.',
  unarchive: 'Unarchived: the asset is a draft again.',
};

/** An asset: title and description in every locale, the file of each, its status and its life cycle. */
export default function AssetEditor() {
  const { spaceId = '', environmentId = '', assetId = '' } = useParams();
  const cma = useCma();
  const { session } = useSession();
  const access = useAccess();
  const navigate = useNavigate();
  const api = useMemo(() => createAssetsApi(cma, spaceId, environmentId), [cma, spaceId, environmentId]);
  const loaded = useQuery(async () => {
    const [asset, locales] = await Promise.all([api.get(assetId), api.locales()]);
    return { asset, locales: locales.items };
  }, [api, assetId]);
  const [asset, setAsset] = useState<Asset>();
  const [draft, setDraft] = useState<Draft>();
  const [dirty, setDirty] = useState(false);
  const { busy, error, setError, run } = useAction();
  const [done, setDone] = useState<string>();
  const [shownLocale, setShownLocale] = useState('');
  const [replacing, setReplacing] = useState<Record<string, UploadItem>>({});
  const locales: Locale[] = loaded.data?.locales ?? [];
  usePageTitle(asset ? `${assetTitle(asset, locales)} — Media` : 'Media');

  useEffect(() => {
    if (!loaded.data) return;
    setAsset(loaded.data.asset);
    setDraft(toDraft(loaded.data.asset));
    setDirty(false);
    setError(undefined);
    setDone(undefined);
    setReplacing({});
  }, [loaded.data, setError]);

  if (loaded.error) {
    return (
      <>
        <BackLink label="All media" />
        <ErrorNote error={loaded.error} />
      </>
    );
  }
  if (!asset || !draft) return <Spinner size="large" />;

  const subject = accessSubject(asset);
  const status = entityStatus(asset.sys);
  const archived = status === 'archived';
  const editable = (field: string, code: string) => !archived && access.canEdit(subject, field, code);
  const anyEditable = locales.some((l) => editable('title', l.code) || editable('description', l.code));
  const uploading = Object.values(replacing).some((r) => r.phase !== 'done' && r.phase !== 'failed');
  const locked = busy || uploading;

  const edit = (field: TextField, code: string, text: string) => {
    setDraft({ ...draft, [field]: { ...draft[field], [code]: text } });
    setDirty(true);
    setDone(undefined);
  };

  /** Runs one change at the version shown; any refusal (a 409 above all) stays on screen, nothing is retried over it. */
  const perform = (work: () => Promise<Asset>, message: string) =>
    run(async () => {
      setDone(undefined);
      setAsset(await work());
      setDone(message);
    });

  const saveNow = async (current: Asset) => {
    const saved = await api.update(current, fieldsWith(current, draft));
    setDirty(false);
    return saved;
  };
  const save = () => perform(() => saveNow(asset), DONE.save);
  const transition = (action: Action) =>
    perform(async () => {
      // Publishing what is on screen: unsaved texts are saved first, at the version they were edited from.
      const current = action === 'publish' && dirty ? await saveNow(asset) : asset;
      setAsset(current);
      return api[action](current);
    }, DONE[action]);
  const remove = async () => {
    const removed = await perform(async () => {
      await api.remove(asset);
      return asset;
    }, 'Deleted.');
    if (removed) navigate('..', { relative: 'path' });
  };

  const track = (code: string, change: Partial<UploadItem>) => setReplacing((all) => ({ ...all, [code]: { ...all[code], ...change } }));
  /** A new file for a locale: uploaded, saved on the asset (the other fields as the server has them), processed, waited for. */
  const replaceFile = async (code: string, file: File) => {
    setError(undefined);
    setDone(undefined);
    setReplacing((all) => ({ ...all, [code]: { key: Date.now(), name: file.name, progress: 0, phase: 'uploading' } }));
    try {
      const upload = await uploadFile(session?.token ?? '', spaceId, environmentId, file, (progress) => track(code, { progress }));
      track(code, { phase: 'saving' });
      const saved = await api.update(asset, { ...asset.fields, file: { ...asset.fields.file, [code]: newFileValue(file, upload) } });
      setAsset(saved);
      track(code, { phase: 'processing' });
      await api.process(saved, code);
      setAsset(await waitUntilProcessed(api, saved.sys.id, code));
      track(code, { phase: 'done' });
    } catch (err) {
      const refused = asCmaError(err);
      track(code, { phase: 'failed', error: refused.message });
      setError(refused);
    }
  };
  const processFile = (code: string) =>
    perform(async () => {
      await api.process(asset, code);
      return waitUntilProcessed(api, asset.sys.id, code);
    }, 'Processed.');

  const { placed } = sortProblems(error, placeOf);
  const shown = shownLocale ? locales.filter((l) => l.code === shownLocale) : locales;
  const can = (action: Action | 'delete') => access.can(action, subject);

  return (
    <section aria-labelledby="asset-title">
      <BackLink label="All media" />
      <Flex alignItems="center" gap="spacingS" flexWrap="wrap">
        <Heading as="h1" id="asset-title" marginBottom="none">
          {assetTitle(asset, locales)}
        </Heading>
        <EntityStatusBadge entityStatus={status} />
      </Flex>
      <Paragraph marginTop="spacingXs" className="media-muted">
        Version {asset.sys.version} · updated {new Date(asset.sys.updatedAt).toLocaleString()} · <code>{asset.sys.id}</code>
      </Paragraph>

      <ActionBar marginTop="spacingM" marginBottom="spacingM" dirty={dirty} done={done}>
        {anyEditable ? (
          <Button variant="secondary" onClick={() => void save()} isDisabled={locked || !dirty}>
            Save
          </Button>
        ) : null}
        {(status === 'draft' || status === 'changed' || dirty) && !archived && can('publish') ? (
          <Button variant="positive" onClick={() => void transition('publish')} isDisabled={locked}>
            {dirty ? 'Save and publish' : status === 'changed' ? 'Publish changes' : 'Publish'}
          </Button>
        ) : null}
        {(status === 'published' || status === 'changed') && can('unpublish') ? (
          <Button onClick={() => void transition('unpublish')} isDisabled={locked}>
            Unpublish
          </Button>
        ) : null}
        {status === 'draft' && can('archive') ? (
          <Button onClick={() => void transition('archive')} isDisabled={locked}>
            Archive
          </Button>
        ) : null}
        {archived && can('unarchive') ? (
          <Button onClick={() => void transition('unarchive')} isDisabled={locked}>
            Unarchive
          </Button>
        ) : null}
        {(status === 'draft' || archived) && can('delete') ? (
          <ConfirmDelete title="Delete asset" button="Delete" isDisabled={locked} onConfirm={() => void remove()}>
            Delete the asset <strong>{assetTitle(asset, locales)}</strong> and its files? This cannot be undone.
          </ConfirmDelete>
        ) : null}
      </ActionBar>

      <RefusedNote error={error} what="asset" placeOf={placeOf} invalidTitle="The server refused the asset" onReload={loaded.reload} />
      {archived ? (
        <Note variant="neutral" style={{ marginBottom: 16 }}>
          An archived asset cannot be edited or published: unarchive it first.
        </Note>
      ) : null}

      {locales.length > 1 ? (
        <FormRow label="Locales" marginBottom="none" className="media-locale-switch">
          <Select name="shownLocale" value={shownLocale} onChange={(e) => setShownLocale(e.target.value)}>
            <Select.Option value="">All, side by side</Select.Option>
            {locales.map((l) => (
              <Select.Option key={l.code} value={l.code}>
                {`${l.name} (${l.code})`}
              </Select.Option>
            ))}
          </Select>
        </FormRow>
      ) : null}

      <div className="media-locales">
        {shown.map((locale) => {
          const label = `${locale.name} (${locale.code})`;
          const problems = (field: string) => placed.get(`${field}/${locale.code}`) ?? [];
          return (
            <section className="media-locale" key={locale.code} aria-label={label}>
              <Heading as="h2" marginBottom="spacingS">
                {label}
                {locale.default ? <small> — default</small> : null}
              </Heading>
              {(['title', 'description'] as const).map((field) => {
                const readOnly = !editable(field, locale.code);
                const name = `${field}-${locale.code}`;
                const value = draft[field][locale.code] ?? '';
                return (
                  <FormRow
                    key={field}
                    label={field === 'title' ? 'Title' : 'Description'}
                    isReadOnly={readOnly}
                    problems={problems(field)}
                    help={readOnly && !archived ? 'Your role may not edit this locale.' : undefined}
                    marginBottom="spacingM"
                  >
                    {field === 'title' ? (
                      <TextInput name={name} value={value} onChange={(e) => edit(field, locale.code, e.target.value)} />
                    ) : (
                      <Textarea name={name} value={value} rows={3} onChange={(e) => edit(field, locale.code, e.target.value)} />
                    )}
                  </FormRow>
                );
              })}
              <FilePanel
                file={asset.fields.file?.[locale.code]}
                localeLabel={label}
                editable={editable('file', locale.code)}
                busy={locked}
                replacing={replacing[locale.code]}
                problems={problems('file')}
                onReplace={(file) => void replaceFile(locale.code, file)}
                onProcess={() => void processFile(locale.code)}
              />
            </section>
          );
        })}
      </div>
    </section>
  );
}
