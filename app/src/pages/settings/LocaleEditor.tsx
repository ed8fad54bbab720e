import { Button, Checkbox, Form, Paragraph, Select, Spinner, TextInput } from '@contentful/f36-components';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAccess } from '../../access';
import type { Locale, LocaleInput } from '../../api/settings-content';
import { useQuery } from '../../api/use-query';
import { ErrorNote, usePageTitle } from '../common';
import { ActionBar } from '../shared/ActionBar';
import { ConfirmDelete } from '../shared/ConfirmDelete';
import { FormRow } from '../shared/FormRow';
import { Page } from '../shared/Page';
import { atFields, RefusedNote } from '../shared/RefusedNote';
import { asCmaError } from '../shared/use-action';
import { useVersionedDraft } from '../shared/use-versioned-draft';
import { fieldErrors, ReadOnlyNote, useSettingsContent } from './shared';

const NEW_LOCALE: LocaleInput = {
  name: '',
  code: '',
  fallbackCode: null,
  optional: false,
  contentDeliveryApi: true,
  contentManagementApi: true,
};
const PLACE_OF = atFields(['code', 'name', 'fallbackCode', 'optional', 'contentDeliveryApi', 'contentManagementApi']);

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
  const all = locales.data?.items ?? [];
  const found = all.find((l) => l.sys.id === localeId);
  const { server, draft, saved, busy, error, change, save, remove } = useVersionedDraft({
    loaded: found,
    toDraft: toInput,
    blank: NEW_LOCALE,
  });
  const [nameTouched, setNameTouched] = useState(!creating);
  usePageTitle(creating ? 'New locale — Locales' : `${server?.name ?? 'Locale'} — Locales`);

  if (locales.error) return <ErrorNote error={locales.error} />;
  if (!locales.data) return <Spinner size="large" />;
  if (!creating && !found) return <ErrorNote error={asCmaError(`No locale ${localeId} in this environment`)} title="Not found" />;

  const byField = fieldErrors(error);
  const name = nameTouched ? draft.name : suggestName(draft.code);
  const fallbacks = all.filter((l) => l.sys.id !== server?.sys.id);
  const input = { ...draft, name: name.trim(), code: draft.code.trim() };

  return (
    <Page title={creating ? 'New locale' : server?.name} back="All locales">
      {manage ? null : <ReadOnlyNote>Your role may read the locales but not change them.</ReadOnlyNote>}
      <RefusedNote error={error} what="locale" placeOf={PLACE_OF} onReload={locales.reload} />
      <Form
        onSubmit={() =>
          void save(
            (locale) => api.updateLocale(locale, input),
            () => api.createLocale(input).then(() => navigate('..', { relative: 'path' })),
          )
        }
        aria-label={creating ? 'New locale' : 'Locale settings'}
        style={{ maxWidth: 640 }}
      >
        <FormRow
          label="Code"
          isRequired
          isDisabled={!manage}
          problems={byField.get('code')}
          help="A language code, optionally with a region: en, en-US, de-DE, zh-Hant-TW."
        >
          <TextInput name="code" value={draft.code} onChange={(e) => change({ code: e.target.value })} placeholder="de-DE" />
        </FormRow>
        <FormRow label="Name" isRequired isDisabled={!manage} problems={byField.get('name')}>
          <TextInput
            name="name"
            value={name}
            onChange={(e) => {
              setNameTouched(true);
              change({ name: e.target.value });
            }}
          />
        </FormRow>
        <FormRow
          label="Fallback locale"
          isDisabled={!manage}
          problems={byField.get('fallbackCode')}
          help="An empty field of this locale shows the fallback locale's value in the delivery API."
        >
          <Select name="fallbackCode" value={draft.fallbackCode ?? ''} onChange={(e) => change({ fallbackCode: e.target.value || null })}>
            <Select.Option value="">None (no fallback)</Select.Option>
            {fallbacks.map((l) => (
              <Select.Option key={l.sys.id} value={l.code}>
                {`${l.name} (${l.code})`}
              </Select.Option>
            ))}
          </Select>
        </FormRow>
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
          <ActionBar done={saved}>
            <Button variant="primary" type="submit" isLoading={busy} isDisabled={busy || !draft.code.trim() || !name.trim()}>
              {creating ? 'Create locale' : 'Save locale'}
            </Button>
            {server && !server.default ? (
              <ConfirmDelete title="Delete locale" isDisabled={busy} onConfirm={() => void remove((locale) => api.deleteLocale(locale))}>
                Delete the locale <strong>{server.code}</strong>? Its values are removed from every entry and asset of this environment.
              </ConfirmDelete>
            ) : null}
            {server?.default ? <Paragraph marginBottom="none">The default locale cannot be deleted.</Paragraph> : null}
          </ActionBar>
        ) : null}
      </Form>
    </Page>
  );
}
