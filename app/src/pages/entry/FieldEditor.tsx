import type { FieldAPI, FieldAppSDK } from '@contentful/app-sdk';
import { Spinner, TextInput } from '@contentful/f36-components';
import { BooleanEditor } from '@contentful/field-editor-boolean';
import { CheckboxEditor } from '@contentful/field-editor-checkbox';
import { DateEditor } from '@contentful/field-editor-date';
import { DropdownEditor } from '@contentful/field-editor-dropdown';
import { ListEditor } from '@contentful/field-editor-list';
import { MultipleLineEditor } from '@contentful/field-editor-multiple-line';
import { NumberEditor } from '@contentful/field-editor-number';
import { RadioEditor } from '@contentful/field-editor-radio';
import { RatingEditor } from '@contentful/field-editor-rating';
import { SingleLineEditor } from '@contentful/field-editor-single-line';
import { SlugEditor } from '@contentful/field-editor-slug';
import { TagsEditor } from '@contentful/field-editor-tags';
import { UrlEditor } from '@contentful/field-editor-url';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { ContentTypeField } from '../../api/cma';
import type { EditorInterface } from '../../api/entries';

// The large editors (rich text on Slate, markdown and JSON on CodeMirror, references) load when a field needs them.
const RichTextEditor = lazy(() => import('@contentful/field-editor-rich-text').then((m) => ({ default: m.RichTextEditor })));
const MarkdownEditor = lazy(() => import('@contentful/field-editor-markdown').then((m) => ({ default: m.MarkdownEditor })));
const JsonEditor = lazy(() => import('@contentful/field-editor-json').then((m) => ({ default: m.JsonEditor })));
const SingleEntryReferenceEditor = lazy(() =>
  import('@contentful/field-editor-reference').then((m) => ({ default: m.SingleEntryReferenceEditor })),
);
const MultipleEntryReferenceEditor = lazy(() =>
  import('@contentful/field-editor-reference').then((m) => ({ default: m.MultipleEntryReferenceEditor })),
);
const SingleMediaEditor = lazy(() => import('@contentful/field-editor-reference').then((m) => ({ default: m.SingleMediaEditor })));
const MultipleMediaEditor = lazy(() => import('@contentful/field-editor-reference').then((m) => ({ default: m.MultipleMediaEditor })));

type Control = NonNullable<EditorInterface['controls']>[number];

const hasIn = (field: ContentTypeField) => (field.validations ?? []).some((v) => 'in' in v);

/** Contentful's default widget of a field when its editor interface names none (the server's rule, too). */
export function defaultWidgetId(field: ContentTypeField): string {
  if (['Text', 'Symbol', 'Integer', 'Number', 'Boolean'].includes(field.type) && hasIn(field)) return 'dropdown';
  switch (field.type) {
    case 'Symbol':
      return 'singleLine';
    case 'Text':
      return 'markdown';
    case 'RichText':
      return 'richTextEditor';
    case 'Integer':
    case 'Number':
      return 'numberEditor';
    case 'Boolean':
      return 'boolean';
    case 'Date':
      return 'datePicker';
    case 'Location':
      return 'locationEditor';
    case 'Object':
      return 'objectEditor';
    case 'Link':
      return field.linkType === 'Asset' ? 'assetLinkEditor' : 'entryLinkEditor';
    case 'Array':
      if (field.items?.type === 'Link') return field.items.linkType === 'Asset' ? 'assetLinksEditor' : 'entryLinksEditor';
      return 'tagEditor';
    default:
      return 'singleLine';
  }
}

/** Latitude and longitude typed in: the map view needs Google Maps, which a self-hosted server cannot assume. */
function CoordinatesEditor({ field, id }: { field: FieldAPI; id: string }) {
  const [value, setValue] = useState(() => (field.getValue() as { lat?: number; lon?: number } | undefined) ?? {});
  useEffect(() => field.onValueChanged((v: { lat?: number; lon?: number } | undefined) => setValue(v ?? {})), [field]);
  const change = (part: 'lat' | 'lon', text: string) => {
    const next = { ...value, [part]: text === '' ? undefined : Number(text) };
    setValue(next);
    if (next.lat === undefined && next.lon === undefined) void field.removeValue();
    else if (Number.isFinite(next.lat) && Number.isFinite(next.lon)) void field.setValue(next);
  };
  const disabled = field.getIsDisabled();
  return (
    <div className="coordinates-editor">
      <label htmlFor={`${id}-lat`}>Latitude</label>
      <TextInput
        id={`${id}-lat`}
        type="number"
        value={value.lat?.toString() ?? ''}
        isDisabled={disabled}
        onChange={(e) => change('lat', e.target.value)}
      />
      <label htmlFor={`${id}-lon`}>Longitude</label>
      <TextInput
        id={`${id}-lon`}
        type="number"
        value={value.lon?.toString() ?? ''}
        isDisabled={disabled}
        onChange={(e) => change('lon', e.target.value)}
      />
    </div>
  );
}

/** The field editor of one field in one locale, chosen by its editor interface control as Contentful does. */
export function FieldEditor(props: { sdk: FieldAppSDK; control?: Control; id: string }) {
  return (
    <Suspense fallback={<Spinner size="small" />}>
      <ChosenEditor {...props} />
    </Suspense>
  );
}

function ChosenEditor({ sdk, control, id }: { sdk: FieldAppSDK; control?: Control; id: string }) {
  const field = sdk.field as FieldAPI;
  const widgetId = control?.widgetId ?? defaultWidgetId(field as unknown as ContentTypeField);
  const disabled = field.getIsDisabled();
  const common = { field, isInitiallyDisabled: disabled, isDisabled: disabled };
  const parameters = { installation: {}, instance: control?.settings ?? {}, invocation: undefined } as never;
  const withParameters = { ...sdk, parameters } as FieldAppSDK;
  switch (widgetId) {
    case 'singleLine':
      return <SingleLineEditor {...common} locales={sdk.locales} id={id} />;
    case 'multipleLine':
      return <MultipleLineEditor {...common} locales={sdk.locales} />;
    case 'markdown':
      return <MarkdownEditor sdk={withParameters} isInitiallyDisabled={disabled} isDisabled={disabled} />;
    case 'richTextEditor':
      return <RichTextEditor sdk={withParameters} isInitiallyDisabled={disabled} isDisabled={disabled} />;
    case 'numberEditor':
      return <NumberEditor {...common} id={id} />;
    case 'boolean':
      return <BooleanEditor {...common} parameters={parameters} />;
    case 'datePicker':
      return <DateEditor {...common} parameters={parameters} />;
    case 'locationEditor':
      return <CoordinatesEditor field={field} id={id} />;
    case 'objectEditor':
      return <JsonEditor {...common} />;
    case 'dropdown':
      return <DropdownEditor {...common} locales={sdk.locales} />;
    case 'radio':
      return <RadioEditor {...common} locales={sdk.locales} />;
    case 'checkbox':
      return <CheckboxEditor {...common} locales={sdk.locales} />;
    case 'rating':
      return <RatingEditor {...common} parameters={parameters} />;
    case 'tagEditor':
      return <TagsEditor {...common} />;
    case 'listInput':
      return <ListEditor {...common} locales={sdk.locales} />;
    case 'urlEditor':
      return <UrlEditor {...common} id={id} />;
    case 'slugEditor':
      return <SlugEditor {...common} baseSdk={withParameters} id={id} />;
    case 'entryLinkEditor':
    case 'entryCardEditor':
      return (
        <SingleEntryReferenceEditor
          sdk={withParameters}
          isInitiallyDisabled={disabled}
          hasCardEditActions
          viewType={widgetId === 'entryCardEditor' ? 'card' : 'link'}
          parameters={{ instance: { showCreateEntityAction: true, showLinkEntityAction: true } }}
        />
      );
    case 'entryLinksEditor':
    case 'entryCardsEditor':
      return (
        <MultipleEntryReferenceEditor
          sdk={withParameters}
          isInitiallyDisabled={disabled}
          hasCardEditActions
          viewType={widgetId === 'entryCardsEditor' ? 'card' : 'link'}
          parameters={{ instance: { showCreateEntityAction: true, showLinkEntityAction: true } }}
        />
      );
    case 'assetLinkEditor':
      return (
        <SingleMediaEditor
          sdk={withParameters}
          isInitiallyDisabled={disabled}
          viewType="card"
          parameters={{ instance: { showCreateEntityAction: false, showLinkEntityAction: true } }}
        />
      );
    case 'assetLinksEditor':
    case 'assetGalleryEditor':
      return (
        <MultipleMediaEditor
          sdk={withParameters}
          isInitiallyDisabled={disabled}
          viewType={widgetId === 'assetGalleryEditor' ? 'card' : 'link'}
          parameters={{ instance: { showCreateEntityAction: false, showLinkEntityAction: true } }}
        />
      );
    default:
      return <SingleLineEditor {...common} locales={sdk.locales} id={id} />;
  }
}
