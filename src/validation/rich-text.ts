import type { ValidationErrorItem } from '../domain/errors.js';
import type { FieldValidation } from '../domain/field-types.js';

/** Rich text nodes that carry a Link in `data.target`, and what they link to. */
export const EMBEDDING_NODES: Record<string, 'Entry' | 'Asset'> = {
  'embedded-entry-block': 'Entry',
  'embedded-entry-inline': 'Entry',
  'entry-hyperlink': 'Entry',
  'embedded-asset-block': 'Asset',
  'asset-hyperlink': 'Asset',
};

const BLOCK_NODES = new Set([
  'document',
  'paragraph',
  'heading-1',
  'heading-2',
  'heading-3',
  'heading-4',
  'heading-5',
  'heading-6',
  'ordered-list',
  'unordered-list',
  'list-item',
  'hr',
  'blockquote',
  'table',
  'table-row',
  'table-cell',
  'table-header-cell',
  'embedded-entry-block',
  'embedded-asset-block',
  'embedded-resource-block',
]);
const INLINE_NODES = new Set([
  'hyperlink',
  'entry-hyperlink',
  'asset-hyperlink',
  'resource-hyperlink',
  'embedded-entry-inline',
  'embedded-resource-inline',
]);

interface RichNode {
  nodeType?: unknown;
  content?: unknown;
  value?: unknown;
  marks?: unknown;
  data?: unknown;
}

/** Walks a rich text document depth first, with each node's path below the field value. */
export function walkRichText(node: unknown, visit: (node: RichNode, path: (string | number)[]) => void, path: (string | number)[] = []) {
  if (!node || typeof node !== 'object') return;
  const n = node as RichNode;
  visit(n, path);
  if (Array.isArray(n.content)) for (const [i, child] of n.content.entries()) walkRichText(child, visit, [...path, 'content', i]);
}

/** Structural checks: a `document` root, known node types, text nodes with string values and mark lists. */
export function richTextShapeErrors(value: unknown, path: (string | number)[]): ValidationErrorItem[] {
  const root = value as RichNode | null;
  if (!root || typeof root !== 'object' || root.nodeType !== 'document' || !Array.isArray(root.content)) {
    return [{ name: 'type', type: 'RichText', value, path, details: 'A rich text value must be a document node with a content array' }];
  }
  const errors: ValidationErrorItem[] = [];
  walkRichText(root, (node, nodePath) => {
    const at = [...path, ...nodePath];
    if (node.nodeType === 'text') {
      if (typeof node.value !== 'string' || !Array.isArray(node.marks)) {
        errors.push({ name: 'type', path: at, details: 'A text node needs a string value and a marks array' });
      }
      return;
    }
    if (typeof node.nodeType !== 'string' || (!BLOCK_NODES.has(node.nodeType) && !INLINE_NODES.has(node.nodeType))) {
      errors.push({
        name: 'in',
        path: [...at, 'nodeType'],
        value: node.nodeType,
        details: `Unknown rich text node type "${String(node.nodeType)}"`,
      });
      return;
    }
    if (!Array.isArray(node.content)) errors.push({ name: 'type', path: at, details: `A ${node.nodeType} node needs a content array` });
    if (node.nodeType in EMBEDDING_NODES) {
      const target = (node.data as { target?: { sys?: { type?: unknown; linkType?: unknown; id?: unknown } } } | undefined)?.target;
      if (target?.sys?.type !== 'Link' || target.sys.linkType !== EMBEDDING_NODES[node.nodeType] || typeof target.sys.id !== 'string') {
        errors.push({
          name: 'type',
          path: [...at, 'data', 'target'],
          details: `A ${node.nodeType} node needs a Link to an ${EMBEDDING_NODES[node.nodeType]}`,
        });
      }
    }
  });
  return errors;
}

/** The rich-text validations of a field: `enabledNodeTypes`, `enabledMarks` and the size limits in `nodes`. */
export function richTextValidationErrors(value: unknown, validations: FieldValidation[], path: (string | number)[]): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  for (const validation of validations) {
    if (validation.enabledNodeTypes) {
      const allowed = new Set([
        'document',
        'paragraph',
        'text',
        'list-item',
        'table-row',
        'table-cell',
        'table-header-cell',
        ...validation.enabledNodeTypes,
      ]);
      walkRichText(value, (node, nodePath) => {
        if (typeof node.nodeType === 'string' && !allowed.has(node.nodeType)) {
          errors.push({
            name: 'enabledNodeTypes',
            nodeTypes: validation.enabledNodeTypes,
            path: [...path, ...nodePath],
            details: validation.message ?? `Node type "${node.nodeType}" is not allowed in this field`,
          });
        }
      });
    }
    if (validation.enabledMarks) {
      const allowed = new Set(validation.enabledMarks);
      walkRichText(value, (node, nodePath) => {
        for (const mark of Array.isArray(node.marks) ? node.marks : []) {
          const type = (mark as { type?: unknown })?.type;
          if (typeof type === 'string' && !allowed.has(type)) {
            errors.push({
              name: 'enabledMarks',
              marks: validation.enabledMarks,
              path: [...path, ...nodePath],
              details: validation.message ?? `Mark "${type}" is not allowed in this field`,
            });
          }
        }
      });
    }
    if (validation.nodes) {
      for (const [nodeType, nodeValidations] of Object.entries(validation.nodes)) {
        let count = 0;
        walkRichText(value, (node) => {
          if (node.nodeType === nodeType) count += 1;
        });
        for (const v of nodeValidations) {
          if (v.size && ((v.size.min !== undefined && count < v.size.min) || (v.size.max !== undefined && count > v.size.max))) {
            errors.push({
              name: 'size',
              nodeType,
              min: v.size.min,
              max: v.size.max,
              path,
              details: v.message ?? `The number of ${nodeType} nodes must be within the allowed size`,
            });
          }
        }
      }
    }
  }
  return errors;
}

/** Every Link embedded in a rich text document, with its path. */
export function richTextLinks(value: unknown, path: (string | number)[]) {
  const links: { linkType: 'Entry' | 'Asset'; id: string; path: (string | number)[]; nodeType: string }[] = [];
  walkRichText(value, (node, nodePath) => {
    if (typeof node.nodeType === 'string' && node.nodeType in EMBEDDING_NODES) {
      const id = (node.data as { target?: { sys?: { id?: unknown } } } | undefined)?.target?.sys?.id;
      if (typeof id === 'string')
        links.push({ linkType: EMBEDDING_NODES[node.nodeType], id, path: [...path, ...nodePath], nodeType: node.nodeType });
    }
  });
  return links;
}
