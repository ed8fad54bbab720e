import { ValidationMessage } from '@contentful/f36-components';
import { useState } from 'react';
import type { Validation } from '../../api/cma';
import { ChoiceList, ListInput, MinMaxInputs, type ProblemsByKind, ValidationBlock } from './ValidationControls';
import { getValidation, setValidation } from './fields';

/** The node types a rich text field may restrict (`enabledNodeTypes`): Contentful's top-level blocks but the paragraph, and its inlines. */
const NODE_TYPES = [
  { value: 'heading-1', label: 'Heading 1' },
  { value: 'heading-2', label: 'Heading 2' },
  { value: 'heading-3', label: 'Heading 3' },
  { value: 'heading-4', label: 'Heading 4' },
  { value: 'heading-5', label: 'Heading 5' },
  { value: 'heading-6', label: 'Heading 6' },
  { value: 'ordered-list', label: 'Numbered list' },
  { value: 'unordered-list', label: 'Bulleted list' },
  { value: 'hr', label: 'Horizontal rule' },
  { value: 'blockquote', label: 'Quote' },
  { value: 'table', label: 'Table' },
  { value: 'embedded-entry-block', label: 'Block entry' },
  { value: 'embedded-entry-inline', label: 'Inline entry' },
  { value: 'embedded-asset-block', label: 'Asset' },
  { value: 'hyperlink', label: 'Link to a URL' },
  { value: 'entry-hyperlink', label: 'Link to an entry' },
  { value: 'asset-hyperlink', label: 'Link to an asset' },
];

const MARKS = [
  { value: 'bold', label: 'Bold' },
  { value: 'italic', label: 'Italic' },
  { value: 'underline', label: 'Underline' },
  { value: 'code', label: 'Code' },
  { value: 'superscript', label: 'Superscript' },
  { value: 'subscript', label: 'Subscript' },
  { value: 'strikethrough', label: 'Strikethrough' },
];

/** The nodes that embed or link entries and assets, each with its own limits in `nodes`. */
const EMBEDDING_NODES = [
  { nodeType: 'embedded-entry-block', label: 'Block entries', linksEntries: true },
  { nodeType: 'embedded-entry-inline', label: 'Inline entries', linksEntries: true },
  { nodeType: 'entry-hyperlink', label: 'Links to entries', linksEntries: true },
  { nodeType: 'embedded-asset-block', label: 'Assets', linksEntries: false },
  { nodeType: 'asset-hyperlink', label: 'Links to assets', linksEntries: false },
];

type Nodes = Record<string, Validation[]>;

/** The limits of one embedding node type: which content types its entries have, and how many there may be. */
function NodeLimits({
  label,
  linksEntries,
  list,
  onChange,
}: {
  label: string;
  linksEntries: boolean;
  list: Validation[];
  onChange(list: Validation[]): void;
}) {
  return (
    <fieldset className="choice-list">
      <legend>{label}</legend>
      {linksEntries ? (
        <ValidationBlock title={`${label}: content types`} kind="linkContentType" list={list} onChange={onChange}>
          {(value, set) => (
            <ListInput label={`${label}: allowed content types (ids)`} value={value as unknown[] | undefined} onChange={set} />
          )}
        </ValidationBlock>
      ) : null}
      <ValidationBlock title={`${label}: number`} kind="size" list={list} onChange={onChange}>
        {(value, set) => <MinMaxInputs label={`Number of ${label.toLowerCase()}`} value={value} onChange={set} />}
      </ValidationBlock>
    </fieldset>
  );
}

/** The validations of a rich text field: allowed node types and marks, and limits per embedded entry or asset node. */
export function RichTextValidations({
  list,
  problems,
  onChange,
}: {
  list: Validation[] | undefined;
  problems: ProblemsByKind;
  onChange(list: Validation[]): void;
}) {
  const enabled = getValidation(list, 'enabledNodeTypes') as string[] | undefined;
  const nodes = (getValidation(list, 'nodes') ?? {}) as Nodes;
  const [limitsOpen, setLimitsOpen] = useState(Object.keys(nodes).length > 0);
  const setNodes = (nodeType: string, nodeList: Validation[]) => {
    const next: Nodes = { ...nodes, [nodeType]: nodeList };
    if (!nodeList.length) delete next[nodeType];
    onChange(setValidation(list, 'nodes', Object.keys(next).length ? next : undefined));
  };
  return (
    <>
      <ValidationBlock title="Node types" kind="enabledNodeTypes" list={list} problems={problems} onChange={onChange}>
        {(value, set) => (
          <ChoiceList
            legend="Allowed blocks, embeds and links"
            restrictLabel="Allow only some node types"
            options={NODE_TYPES}
            value={value as string[] | undefined}
            onChange={set}
          />
        )}
      </ValidationBlock>
      <ValidationBlock title="Marks" kind="enabledMarks" list={list} problems={problems} onChange={onChange}>
        {(value, set) => (
          <ChoiceList
            legend="Allowed formatting marks"
            restrictLabel="Allow only some marks"
            options={MARKS}
            value={value as string[] | undefined}
            onChange={set}
          />
        )}
      </ValidationBlock>
      <details className="validation-block" open={limitsOpen} onToggle={(e) => setLimitsOpen(e.currentTarget.open)}>
        <summary>Limits of embedded entries and assets</summary>
        {EMBEDDING_NODES.filter((node) => !enabled || enabled.includes(node.nodeType)).map((node) => (
          <NodeLimits
            key={node.nodeType}
            label={node.label}
            linksEntries={node.linksEntries}
            list={nodes[node.nodeType] ?? []}
            onChange={(nodeList) => setNodes(node.nodeType, nodeList)}
          />
        ))}
        {(problems.get('nodes') ?? []).map((text) => (
          <ValidationMessage key={text} marginBottom="spacingS">
            {text}
          </ValidationMessage>
        ))}
      </details>
    </>
  );
}
