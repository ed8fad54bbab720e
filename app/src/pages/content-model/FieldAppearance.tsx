import { Flex, FormControl, Paragraph, Select, TextInput } from '@contentful/f36-components';
import { useId } from 'react';
import type { ContentTypeField } from '../../api/cma';
import type { EditorControl } from '../../api/content-model';
import { CHOICE_WIDGETS, controlOf, WIDGET_LABELS, widgetsFor, withSettings, withWidget } from './widgets';

/** The settings of the rating, boolean and date widgets, as Contentful names them. */
function WidgetSettings({ control, onChange }: { control: EditorControl; onChange(control: EditorControl): void }) {
  const uid = useId();
  const settings = control.settings ?? {};
  const set = (key: string, value: unknown) => onChange(withSettings(control, { ...settings, [key]: value }));
  const text = (key: string) => (settings[key] === undefined ? '' : String(settings[key]));
  switch (control.widgetNamespace === 'builtin' ? control.widgetId : undefined) {
    case 'rating':
      return (
        <FormControl id={`${uid}-stars`} marginBottom="spacingS">
          <FormControl.Label>Number of stars</FormControl.Label>
          <TextInput
            type="number"
            min={1}
            max={20}
            placeholder="5"
            value={text('stars')}
            onChange={(e) => set('stars', e.target.value === '' ? undefined : Number(e.target.value))}
          />
        </FormControl>
      );
    case 'boolean':
      return (
        <Flex gap="spacingS" flexWrap="wrap">
          <FormControl id={`${uid}-true`} marginBottom="spacingS">
            <FormControl.Label>Label for yes (true)</FormControl.Label>
            <TextInput placeholder="Yes" value={text('trueLabel')} onChange={(e) => set('trueLabel', e.target.value)} />
          </FormControl>
          <FormControl id={`${uid}-false`} marginBottom="spacingS">
            <FormControl.Label>Label for no (false)</FormControl.Label>
            <TextInput placeholder="No" value={text('falseLabel')} onChange={(e) => set('falseLabel', e.target.value)} />
          </FormControl>
        </Flex>
      );
    case 'datePicker':
      return (
        <Flex gap="spacingS" flexWrap="wrap">
          <FormControl id={`${uid}-format`} marginBottom="spacingS">
            <FormControl.Label>Date format</FormControl.Label>
            <Select value={text('format') || 'timeZ'} onChange={(e) => set('format', e.target.value)}>
              <Select.Option value="dateonly">Date only</Select.Option>
              <Select.Option value="time">Date and time</Select.Option>
              <Select.Option value="timeZ">Date and time with time zone</Select.Option>
            </Select>
          </FormControl>
          {settings.format !== 'dateonly' ? (
            <FormControl id={`${uid}-ampm`} marginBottom="spacingS">
              <FormControl.Label>Time format</FormControl.Label>
              <Select value={text('ampm') || '24'} onChange={(e) => set('ampm', e.target.value)}>
                <Select.Option value="24">24 hours</Select.Option>
                <Select.Option value="12">12 hours (AM/PM)</Select.Option>
              </Select>
            </FormControl>
          ) : null}
        </Flex>
      );
    default:
      return null;
  }
}

/**
 * How a field is edited in the entry editor: the widget of its editor interface control, its help text and
 * the widget's settings. `pending` says the content type has no editor interface yet (it is created on activation).
 */
export function FieldAppearance({
  field,
  control,
  pending,
  onChange,
}: {
  field: ContentTypeField;
  control: EditorControl | undefined;
  pending: boolean;
  onChange(control: EditorControl): void;
}) {
  const uid = useId();
  const shown = controlOf(field, control);
  const builtin = !shown.widgetNamespace || shown.widgetNamespace === 'builtin';
  const current = builtin ? String(shown.widgetId) : `${shown.widgetNamespace}/${shown.widgetId}`;
  const widgets = widgetsFor(field);
  const hasValues = [...(field.validations ?? []), ...(field.items?.validations ?? [])].some((v) => 'in' in v);
  const helpText = shown.settings?.helpText;
  return (
    <fieldset className="field-validations">
      <legend>Appearance</legend>
      <FormControl id={`${uid}-widget`} marginBottom="spacingS">
        <FormControl.Label>Editor</FormControl.Label>
        <Select value={current} onChange={(e) => e.target.value !== current && onChange(withWidget(shown, e.target.value))}>
          {widgets.includes(current) ? null : (
            <Select.Option value={current}>
              {builtin ? (WIDGET_LABELS[current] ?? current) : `${shown.widgetId} (${shown.widgetNamespace})`}
            </Select.Option>
          )}
          {widgets.map((id) => (
            <Select.Option key={id} value={id}>
              {WIDGET_LABELS[id]}
            </Select.Option>
          ))}
        </Select>
        {CHOICE_WIDGETS.has(current) && !hasValues ? (
          <FormControl.HelpText>Offers the predefined values of the validations: add some.</FormControl.HelpText>
        ) : null}
      </FormControl>
      <FormControl id={`${uid}-help`} marginBottom="spacingS">
        <FormControl.Label>Help text</FormControl.Label>
        <TextInput
          value={typeof helpText === 'string' ? helpText : ''}
          maxLength={255}
          onChange={(e) => onChange(withSettings(shown, { ...shown.settings, helpText: e.target.value }))}
        />
        <FormControl.HelpText>Shown below the field in the entry editor.</FormControl.HelpText>
      </FormControl>
      <WidgetSettings control={shown} onChange={onChange} />
      {pending ? <Paragraph marginBottom="none">The appearance is saved when the content type is activated.</Paragraph> : null}
    </fieldset>
  );
}
