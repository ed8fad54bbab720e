import type { ContentTypeField } from '../../api/cma';
import type { EditorControl } from '../../api/content-model';
import { kindOf } from './fields';

/** Contentful's builtin widgets (the entry editor's FieldEditor picks its editor by these ids). */
export const WIDGET_LABELS: Record<string, string> = {
  singleLine: 'Single line',
  multipleLine: 'Multiple line',
  markdown: 'Markdown',
  urlEditor: 'URL',
  slugEditor: 'Slug',
  dropdown: 'Dropdown',
  radio: 'Radio buttons',
  rating: 'Rating',
  numberEditor: 'Number',
  richTextEditor: 'Rich text',
  boolean: 'Boolean (yes or no)',
  datePicker: 'Date picker',
  locationEditor: 'Location',
  objectEditor: 'JSON editor',
  entryLinkEditor: 'Entry link',
  entryCardEditor: 'Entry card',
  assetLinkEditor: 'Asset card',
  tagEditor: 'Tags',
  listInput: 'List (comma separated)',
  checkbox: 'Checkboxes',
  entryLinksEditor: 'Entry links',
  entryCardsEditor: 'Entry cards',
  assetLinksEditor: 'Asset links',
  assetGalleryEditor: 'Asset gallery',
};

/** The builtin widgets a field may use, by its type, the default first. */
const WIDGETS_BY_KIND: Record<string, string[]> = {
  Symbol: ['singleLine', 'urlEditor', 'dropdown', 'radio', 'slugEditor'],
  Text: ['markdown', 'multipleLine', 'singleLine'],
  RichText: ['richTextEditor'],
  Integer: ['numberEditor', 'rating', 'dropdown', 'radio'],
  Number: ['numberEditor', 'rating', 'dropdown', 'radio'],
  Boolean: ['boolean'],
  Date: ['datePicker'],
  Location: ['locationEditor'],
  Object: ['objectEditor'],
  'Link:Entry': ['entryLinkEditor', 'entryCardEditor'],
  'Link:Asset': ['assetLinkEditor'],
  'Array:Symbol': ['tagEditor', 'listInput', 'checkbox'],
  'Array:Link:Entry': ['entryLinksEditor', 'entryCardsEditor'],
  'Array:Link:Asset': ['assetLinksEditor', 'assetGalleryEditor'],
};

/** The settings (besides helpText) each widget reads; switching widgets keeps only the new one's. */
const WIDGET_SETTINGS: Record<string, string[]> = {
  rating: ['stars'],
  boolean: ['trueLabel', 'falseLabel'],
  datePicker: ['format', 'ampm'],
};

/** Widgets that offer the field's predefined values (its `in` validation) to pick from. */
export const CHOICE_WIDGETS = new Set(['dropdown', 'radio', 'checkbox']);

export function widgetsFor(field: ContentTypeField): string[] {
  return WIDGETS_BY_KIND[kindOf(field)] ?? ['singleLine'];
}

const hasPredefinedValues = (field: ContentTypeField) =>
  [...(field.validations ?? []), ...(field.items?.validations ?? [])].some((v) => 'in' in v);

/** The widget a field without a control gets in the entry editor (as FieldEditor's defaultWidgetId). */
export function defaultWidgetId(field: ContentTypeField): string {
  const kind = kindOf(field);
  if (hasPredefinedValues(field) && ['Symbol', 'Integer', 'Number'].includes(kind)) return 'dropdown';
  if (hasPredefinedValues(field) && kind === 'Array:Symbol') return 'checkbox';
  return widgetsFor(field)[0];
}

/** The control a field shows: the one edited or loaded, or the default the entry editor would use. */
export function controlOf(field: ContentTypeField, control: EditorControl | undefined): EditorControl {
  return control ?? { fieldId: field.id, widgetId: defaultWidgetId(field), widgetNamespace: 'builtin' };
}

/** The control with `settings` replaced: empty values dropped, and no `settings` at all when none is left. */
export function withSettings(control: EditorControl, settings: Record<string, unknown>): EditorControl {
  const { settings: _old, ...rest } = control;
  const kept = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined && v !== ''));
  return Object.keys(kept).length ? { ...rest, settings: kept } : rest;
}

/** The control switched to a builtin widget, keeping its help text and the settings the new widget reads. */
export function withWidget(control: EditorControl, widgetId: string): EditorControl {
  const settings = control.settings ?? {};
  const keep = ['helpText', ...(WIDGET_SETTINGS[widgetId] ?? [])];
  const kept = Object.fromEntries(Object.entries(settings).filter(([key]) => keep.includes(key)));
  return withSettings({ ...control, widgetId, widgetNamespace: 'builtin' }, kept);
}
