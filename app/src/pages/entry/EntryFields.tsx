import type { FieldAppSDK } from '@contentful/app-sdk';
import { Checkbox, Modal, Stack } from '@contentful/f36-components';
import { renderRichTextDialog } from '@contentful/field-editor-rich-text';
import { useEffect, useId, useMemo, useState } from 'react';
import type { ContentTypeField } from '../../api/cma';
import type { EditorInterface, Locale } from '../../api/entries';
import type { FieldError } from './entry-document';
import { FieldEditor } from './FieldEditor';
import { fieldSdk, type HostContext } from './field-sdk';

function errorText(error: FieldError): string {
  if (error.details) return error.details;
  if (error.message) return error.message;
  if (error.name === 'required') return 'Required';
  return `Invalid (${error.name})`;
}

/** One field in one locale: its label, help text, editor and the CMA's errors for it. */
function FieldInLocale({
  host,
  field,
  locale,
  control,
  showLocale,
}: {
  host: HostContext;
  field: ContentTypeField;
  locale: Locale;
  control?: NonNullable<EditorInterface['controls']>[number];
  showLocale: boolean;
}) {
  const id = useId();
  const sdk = useMemo(() => fieldSdk(host, field, locale.code), [host, field, locale.code]);
  const [errors, setErrors] = useState(() => host.doc.errors(field.id, locale.code));
  useEffect(() => host.doc.onErrorsChanged(field.id, locale.code, setErrors), [host.doc, field.id, locale.code]);
  const helpText = control?.settings?.helpText;
  const editable = host.isEditable(field, locale.code);
  const label = `${field.name}${showLocale ? ` (${locale.code})` : ''}`;
  return (
    <section className={`entry-field${errors.length ? ' entry-field-invalid' : ''}`} aria-label={`Field ${label}`}>
      <label className="entry-field-label" htmlFor={id} id={`${id}-label`}>
        {label}
        {field.required && <span className="entry-field-required"> (required)</span>}
        {!editable && <span className="entry-field-readonly"> (read only)</span>}
      </label>
      <div className="entry-field-editor">
        <FieldEditor sdk={sdk} control={control} id={id} />
      </div>
      {typeof helpText === 'string' && helpText && <p className="entry-field-help">{helpText}</p>}
      {errors.length > 0 && (
        <ul className="entry-field-errors" role="alert" aria-label={`Errors of ${label}`}>
          {errors.map((error) => (
            <li key={`${error.name}-${error.path.join('.')}-${errorText(error)}`}>{errorText(error)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The entry's fields in the locales chosen: a localized field once per locale (side by side when several
 * are shown), the others once, in the default locale, as Contentful stores them.
 */
export function EntryFields({
  host,
  locales,
  editorInterface,
}: {
  host: HostContext;
  locales: Locale[];
  editorInterface?: EditorInterface;
}) {
  const defaultLocale = locales.find((l) => l.default) ?? locales[0];
  const [shown, setShown] = useState<string[]>(() => (defaultLocale ? [defaultLocale.code] : []));
  const shownLocales = locales.filter((l) => shown.includes(l.code));
  const fields = host.contentType.fields.filter((f) => !f.disabled && !f.omitted && !f.deleted);
  return (
    <div className="entry-fields">
      {locales.length > 1 && (
        <fieldset className="entry-locales">
          <legend>Locales shown</legend>
          <Stack flexWrap="wrap">
            {locales.map((l) => (
              <Checkbox
                key={l.code}
                isChecked={shown.includes(l.code)}
                onChange={() => setShown(shown.includes(l.code) ? shown.filter((c) => c !== l.code) : [...shown, l.code])}
              >
                {`${l.name} (${l.code})`}
              </Checkbox>
            ))}
          </Stack>
        </fieldset>
      )}
      {fields.map((field) => {
        const fieldLocales = field.localized ? shownLocales : defaultLocale ? [defaultLocale] : [];
        const control = editorInterface?.controls?.find((c) => c.fieldId === field.id);
        return (
          <div key={field.id} className={fieldLocales.length > 1 ? 'entry-field-row entry-field-side-by-side' : 'entry-field-row'}>
            {fieldLocales.map((locale) => (
              <FieldInLocale
                key={locale.code}
                host={host}
                field={field}
                locale={locale}
                control={control}
                showLocale={locales.length > 1 && Boolean(field.localized)}
              />
            ))}
          </div>
        );
      })}
    </div>
  );
}

/** The rich text editor's own dialog (its hyperlink dialog), opened through `sdk.dialogs.openCurrent`. */
export function CurrentDialog({
  request,
}: {
  request: { title?: string; parameters?: unknown; sdk: FieldAppSDK; resolve(value: unknown): void };
}) {
  const dialogSdk = { ...request.sdk, parameters: { ...request.sdk.parameters, invocation: request.parameters }, close: request.resolve };
  return (
    <Modal isShown onClose={() => request.resolve(null)} size="large" aria-label={request.title ?? 'Dialog'}>
      {() => (
        <>
          <Modal.Header title={request.title ?? ''} onClose={() => request.resolve(null)} />
          <Modal.Content>{renderRichTextDialog(dialogSdk as never)}</Modal.Content>
        </>
      )}
    </Modal>
  );
}
