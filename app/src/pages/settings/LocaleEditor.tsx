import {
  Button,
  Checkbox,
  Flex,
  Form,
  FormControl,
  Heading,
  ModalConfirm,
  Paragraph,
  Select,
  Spinner,
  TextInput,
} from '@contentful/f36-components';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAccess } from '../../access';
import type { CmaError } from '../../api/cma';
import type { Locale, LocaleInput } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { asCmaError, BackLink, fieldErrors, ReadOnlyNote, RefusedNote, useSettingsContent } from './shared';

const NEW_LOCALE: LocaleInput = {
  name: '',
  code: '',
  fallbackCode: null,
  optional: false,
  contentDeliveryApi: true,
  contentManagementApi: true,
};
const FIELDS = ['code', 'name', 'fallbackCode', 'optional', 'contentDeliveryApi', 'contentManagementApi'];

/** A name for a locale code in English ("German (Germany)" for de-DE), when the browser knows the code. */
function suggestName(code: string) {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code.trim());
    return name && name !== code.trim() ? name : '';
  } catch {
    return '';
  }
}

function toInput(locale: Locale): LocaleInput {
  const { name, code, fallbackCode, optional, contentDeliveryApi, contentManagementApi } = locale;
  return { name, code, fallbackCode, optional, contentDeliveryApi, contentManagementApi };
}

/** Creating (`new`) or editing a locale: code, name, fallback and where it is used; deleting one that is not the default. */
export default function LocaleEditor({ localeId }: { localeId: string }) {
  const uid = useId();
  const api = useSettingsContent();
  const navigate = useNavigate();
  const access = useAccess();
  const manage = access.admin || access.may('Settings', 'manage');
  const creating = localeId === 'new';
  const locales = useQuery(() => api.locales(), [api]);
  const [server, setServer] = useState<Locale>();
  const [draft, setDraft] = useState<LocaleInput>(NEW_LOCALE);
  const [nameTouched, setNameTouched] = useState(!creating);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  usePageTitle(creating ? 'New locale — Locales' : `${server?.name ?? 'Locale'} — Locales`);

  const all = locales.data?.items ?? [];
  const found = all.find((l) => l.sys.id === localeId);
  useEffect(() => {
    if (!found) return;
    setServer(found);
    setDraft(toInput(found));
    setError(undefined);
  }, [found]);

  if (locales.error) return <ErrorNote error={locales.error} />;
  if (!locales.data) return <Spinner size="large" />;
  if (!creating && !found) return <ErrorNote error={asCmaError(`No locale ${localeId} in this environment`)} title="Not found" />;

  const byField = fieldErrors(error);
  const name = nameTouched ? draft.name : suggestName(draft.code);
  const change = (next: Partial<LocaleInput>) => {
    setDraft({ ...draft, ...next });
    setSaved(false);
  };
  const fallbacks = all.filter((l) => l.sys.id !== server?.sys.id);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const input = { ...draft, name: name.trim(), code: draft.code.trim() };
    try {
      if (server) {
        const updated = await api.updateLocale(server, input);
        setServer(updated);
        setDraft(toInput(updated));
        setSaved(true);
      } else {
        await api.createLocale(input);
        navigate('..', { relative: 'path' });
      }
    } catch (err) {
      setError(asCmaError(err));
    }
    setBusy(false);
  }

  async function remove() {
    if (!server) return;
    setDeleting(false);
    setError(undefined);
    try {
      await api.deleteLocale(server);
      navigate('..', { relative: 'path' });
    } catch (err) {
      setError(asCmaError(err));
    }
  }

  const invalid = (field: string) =>
    byField.get(field)?.map((text) => <FormControl.ValidationMessage key={text}>{text}</FormControl.ValidationMessage>);

  return (
    <section aria-labelledby={`${uid}-title`}>
      <BackLink label="All locales" />
      <Heading as="h1" id={`${uid}-title`}>
        {creating ? 'New locale' : server?.name}
      </Heading>
      {manage ? null : <ReadOnlyNote>Your role may read the locales but not change them.</ReadOnlyNote>}
      <RefusedNote error={error} what="locale" fields={FIELDS} onReload={locales.reload} />
      <Form onSubmit={save} aria-label={creating ? 'New locale' : 'Locale settings'} style={{ maxWidth: 640 }}>
        <FormControl id={`${uid}-code`} isRequired isInvalid={byField.has('code')} isDisabled={!manage}>
          <FormControl.Label>Code</FormControl.Label>
          <TextInput name="code" value={draft.code} onChange={(e) => change({ code: e.target.value })} placeholder="de-DE" />
          <FormControl.HelpText>A language code, optionally with a region: en, en-US, de-DE, zh-Hant-TW.</FormControl.HelpText>
          {invalid('code')}
        </FormControl>
        <FormControl id={`${uid}-name`} isRequired isInvalid={byField.has('name')} isDisabled={!manage}>
          <FormControl.Label>Name</FormControl.Label>
          <TextInput
            name="name"
            value={name}
            onChange={(e) => {
              setNameTouched(true);
              change({ name: e.target.value });
            }}
          />
          {invalid('name')}
        </FormControl>
        <FormControl id={`${uid}-fallback`} isInvalid={byField.has('fallbackCode')} isDisabled={!manage}>
          <FormControl.Label>Fallback locale</FormControl.Label>
          <Select name="fallbackCode" value={draft.fallbackCode ?? ''} onChange={(e) => change({ fallbackCode: e.target.value || null })}>
            <Select.Option value="">None (no fallback)</Select.Option>
            {fallbacks.map((l) => (
              <Select.Option key={l.sys.id} value={l.code}>
                {`${l.name} (${l.code})`}
              </Select.Option>
            ))}
          </Select>
          <FormControl.HelpText>An empty field of this locale shows the fallback locale's value in the delivery API.</FormControl.HelpText>
          {invalid('fallbackCode')}
        </FormControl>
        <fieldset style={{ marginBottom: 24, minWidth: 0 }}>
          <legend>
            <strong>Locale settings</strong>
          </legend>
          <Checkbox
            id={`${uid}-cda`}
            isChecked={draft.contentDeliveryApi}
            isDisabled={!manage}
            onChange={(e) => change({ contentDeliveryApi: e.target.checked })}
            helpText="Includes the locale in the Content Delivery API's responses"
          >
            Enable this locale in response
          </Checkbox>
          <Checkbox
            id={`${uid}-cma`}
            isChecked={draft.contentManagementApi}
            isDisabled={!manage}
            onChange={(e) => change({ contentManagementApi: e.target.checked })}
            helpText="Shows the locale to editors and enables it in the Content Management API"
          >
            Enable editing for this locale
          </Checkbox>
          <Checkbox
            id={`${uid}-optional`}
            isChecked={draft.optional}
            isDisabled={!manage}
            onChange={(e) => change({ optional: e.target.checked })}
            helpText="Entries with required fields can still be published when this locale is empty"
          >
            Allow empty fields for this locale
          </Checkbox>
        </fieldset>
        {manage ? (
          <Flex gap="spacingS" alignItems="center" flexWrap="wrap">
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !draft.code.trim() || !name.trim()}>
              {creating ? 'Create locale' : 'Save locale'}
            </Button>
            {server && !server.default ? (
              <Button variant="negative" onClick={() => setDeleting(true)} isDisabled={busy}>
                Delete locale
              </Button>
            ) : null}
            {server?.default ? <Paragraph marginBottom="none">The default locale cannot be deleted.</Paragraph> : null}
            {saved ? (
              <Paragraph marginBottom="none" role="status">
                Saved.
              </Paragraph>
            ) : null}
          </Flex>
        ) : null}
      </Form>
      <ModalConfirm
        isShown={deleting}
        intent="negative"
        title="Delete locale"
        confirmLabel="Delete locale"
        onCancel={() => setDeleting(false)}
        onConfirm={() => void remove()}
      >
        <Paragraph>
          Delete the locale <strong>{server?.code}</strong>? Its values are removed from every entry and asset of this environment.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}
