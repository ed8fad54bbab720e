import { Button, Card, Checkbox, Flex, FormControl, Heading, Note, Paragraph, Select } from '@contentful/f36-components';
import { useId } from 'react';
import type { ContentType } from '../../api/cma';
import type { Locale, PolicyAction } from '../../api/settings-access';
import { ACTIONS, type EntityType, newRule, type Rule, ruleProblem } from './role-policies';

const TYPE_LABELS: Record<EntityType, { plural: string; noun: string }> = {
  Entry: { plural: 'Entries', noun: 'entries' },
  Asset: { plural: 'Assets', noun: 'assets' },
};
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A rule in one sentence, e.g. "Allows update of entries of any content type, only in de-DE." */
function describeRule(rule: Rule, contentTypes: ContentType[]) {
  const { noun } = TYPE_LABELS[rule.type];
  const actions = rule.actions === 'all' ? 'everything' : rule.actions.join(', ') || 'nothing';
  const names = rule.contentTypes === 'all' ? [] : rule.contentTypes.map((id) => contentTypes.find((ct) => ct.sys.id === id)?.name ?? id);
  const types = rule.type === 'Asset' ? '' : names.length ? ` of the content types ${names.join(', ')}` : ' of any content type';
  const own = rule.ownOnly ? ' the user created' : '';
  const locales = rule.locales && !rule.locales.includes('%') ? `, only in ${rule.locales.join(', ')}` : '';
  return `${rule.effect === 'allow' ? 'Allows' : 'Denies'} ${actions} on ${noun}${types}${own}${locales}.`;
}

/** Checkboxes for a set of choices, in a fieldset named by its legend. */
function ChoiceSet({
  legend,
  choices,
  chosen,
  onChange,
}: {
  legend: string;
  choices: { value: string; label: string }[];
  chosen: string[];
  onChange(chosen: string[]): void;
}) {
  const uid = useId();
  return (
    <fieldset className="access-choices">
      <legend>{legend}</legend>
      <Flex gap="spacingM" flexWrap="wrap">
        {choices.map((choice) => (
          <Checkbox
            key={choice.value}
            id={`${uid}-${choice.value}`}
            isChecked={chosen.includes(choice.value)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, choice.value] : chosen.filter((v) => v !== choice.value))}
          >
            {choice.label}
          </Checkbox>
        ))}
      </Flex>
    </fieldset>
  );
}

function RuleCard({
  rule,
  label,
  contentTypes,
  locales,
  readOnly,
  onChange,
  onRemove,
}: {
  rule: Rule;
  label: string;
  readOnly: boolean;
  contentTypes: ContentType[];
  locales: Locale[];
  onChange(rule: Rule): void;
  onRemove(): void;
}) {
  const uid = useId();
  // Any change makes the rule the editor's own: it is written anew in Contentful's form.
  const change = (next: Partial<Rule>) => onChange({ ...rule, ...next, source: undefined });
  const chosenActions = rule.actions === 'all' ? [] : rule.actions;
  const updates = rule.actions === 'all' || rule.actions.includes('update');
  const anyLocale = !rule.locales || rule.locales.includes('%');
  const problem = ruleProblem(rule);
  // Ids the role names that the environment does not have (yet) stay choices, so they can be seen and removed.
  const typeChoices = [
    ...contentTypes.map((ct) => ({ value: ct.sys.id, label: ct.name })),
    ...(rule.contentTypes === 'all' ? [] : rule.contentTypes)
      .filter((id) => !contentTypes.some((ct) => ct.sys.id === id))
      .map((id) => ({ value: id, label: id })),
  ];
  const localeChoices = [
    ...locales.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` })),
    ...(rule.locales ?? [])
      .filter((code) => code !== '%' && !locales.some((l) => l.code === code))
      .map((code) => ({ value: code, label: code })),
  ];
  return (
    <Card as="article" aria-label={label} className="access-rule">
      <Flex justifyContent="space-between" alignItems="center" gap="spacingS" flexWrap="wrap">
        <Heading as="h4" marginBottom="none">
          {label}
        </Heading>
        {readOnly ? null : (
          <Button size="small" variant="negative" onClick={onRemove} aria-label={`Remove ${label.toLowerCase()}`}>
            Remove rule
          </Button>
        )}
      </Flex>
      <Paragraph marginBottom="none">{describeRule(rule, contentTypes)}</Paragraph>
      <Flex gap="spacingM" flexWrap="wrap" marginTop="spacingS">
        <FormControl id={`${uid}-effect`} marginBottom="spacingS">
          <FormControl.Label>Effect</FormControl.Label>
          <Select value={rule.effect} onChange={(e) => change({ effect: e.target.value as Rule['effect'] })}>
            <Select.Option value="allow">Allow</Select.Option>
            <Select.Option value="deny">Deny</Select.Option>
          </Select>
        </FormControl>
        {rule.type === 'Entry' ? (
          <FormControl id={`${uid}-types`} marginBottom="spacingS">
            <FormControl.Label>Content types</FormControl.Label>
            <Select
              value={rule.contentTypes === 'all' ? 'all' : 'some'}
              onChange={(e) => change({ contentTypes: e.target.value === 'all' ? 'all' : [] })}
            >
              <Select.Option value="all">All content types</Select.Option>
              <Select.Option value="some">Only the content types chosen</Select.Option>
            </Select>
          </FormControl>
        ) : null}
        <FormControl id={`${uid}-own`} marginBottom="spacingS">
          <FormControl.Label>Created by</FormControl.Label>
          <Select value={rule.ownOnly ? 'own' : 'anyone'} onChange={(e) => change({ ownOnly: e.target.value === 'own' })}>
            <Select.Option value="anyone">Anyone</Select.Option>
            <Select.Option value="own">The user themselves</Select.Option>
          </Select>
        </FormControl>
      </Flex>
      <Checkbox
        id={`${uid}-all-actions`}
        isChecked={rule.actions === 'all'}
        onChange={(e) => change({ actions: e.target.checked ? 'all' : ['read'] })}
      >
        All actions
      </Checkbox>
      {rule.actions === 'all' ? null : (
        <ChoiceSet
          legend="Actions"
          choices={ACTIONS.map((a) => ({ value: a, label: capitalized(a) }))}
          chosen={chosenActions}
          onChange={(chosen) => {
            const actions = chosen as PolicyAction[];
            // A locale limit only narrows updates: without updates it has nothing left to say.
            change(actions.includes('update') ? { actions } : { actions, locales: undefined });
          }}
        />
      )}
      {rule.contentTypes === 'all' ? null : (
        <ChoiceSet
          legend="Content types chosen"
          choices={typeChoices}
          chosen={rule.contentTypes}
          onChange={(contentTypes) => change({ contentTypes })}
        />
      )}
      {updates || rule.locales ? (
        <>
          <FormControl id={`${uid}-locales`} marginTop="spacingS" marginBottom="spacingS" className="access-narrow">
            <FormControl.Label>Locales an update may change</FormControl.Label>
            <Select value={anyLocale ? 'all' : 'some'} onChange={(e) => change({ locales: e.target.value === 'all' ? undefined : [] })}>
              <Select.Option value="all">All locales</Select.Option>
              <Select.Option value="some">Only the locales chosen</Select.Option>
            </Select>
          </FormControl>
          {anyLocale ? null : (
            <ChoiceSet
              legend="Locales chosen"
              choices={localeChoices}
              chosen={rule.locales ?? []}
              onChange={(codes) => change({ locales: codes })}
            />
          )}
        </>
      ) : null}
      {problem && !readOnly ? (
        <Note variant="warning" style={{ marginTop: 8 }} role="alert">
          {problem}
        </Note>
      ) : null}
    </Card>
  );
}

/** The rules of a role for entries or for assets: which actions, on which of them, in which locales. */
export function PolicyEditor({
  type,
  rules,
  contentTypes,
  locales,
  readOnly,
  onChange,
}: {
  type: EntityType;
  /** Every rule of the role (their order is the policies' order); this editor shows those of `type`. */
  rules: Rule[];
  contentTypes: ContentType[];
  locales: Locale[];
  /** Shown to users who may not change roles: the controls disabled (by the enclosing fieldset), no buttons. */
  readOnly: boolean;
  onChange(rules: Rule[]): void;
}) {
  const { plural, noun } = TYPE_LABELS[type];
  const own = rules.filter((r) => r.type === type);
  return (
    <section aria-label={`${plural} rules`}>
      <Heading as="h3" marginTop="spacingL">
        {plural}
      </Heading>
      {own.length === 0 ? <Paragraph>No rules: the role gives no access to {noun}.</Paragraph> : null}
      <ol className="access-rules">
        {own.map((rule, index) => (
          <li key={rule.key}>
            <RuleCard
              rule={rule}
              label={`${plural} rule ${index + 1}`}
              contentTypes={contentTypes}
              locales={locales}
              readOnly={readOnly}
              onChange={(next) => onChange(rules.map((r) => (r.key === rule.key ? next : r)))}
              onRemove={() => onChange(rules.filter((r) => r.key !== rule.key))}
            />
          </li>
        ))}
      </ol>
      {readOnly ? null : (
        <Button size="small" onClick={() => onChange([...rules, newRule(type)])}>
          {`Add a rule for ${noun}`}
        </Button>
      )}
    </section>
  );
}
