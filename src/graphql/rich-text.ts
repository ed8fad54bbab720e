import type { FieldValidation } from '../domain/field-types.js';

/** The link node types of a rich text document that `links { entries { ... } assets { ... } }` resolve. */
export type RichTextLinkKind =
  | 'embedded-entry-inline'
  | 'embedded-entry-block'
  | 'entry-hyperlink'
  | 'embedded-asset-block'
  | 'asset-hyperlink';

/** The ids a document links to through nodes of `kind`, in document order, each once. */
export function richTextLinks(document: unknown, kind: RichTextLinkKind): string[] {
  const ids: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const { nodeType, data, content } = node as { nodeType?: string; data?: { target?: { sys?: { id?: unknown } } }; content?: unknown[] };
    const id = data?.target?.sys?.id;
    if (nodeType === kind && typeof id === 'string' && !ids.includes(id)) ids.push(id);
    if (Array.isArray(content)) for (const child of content) visit(child);
  };
  visit(document);
  return ids;
}

/** What a rich text field's `links` may return without a node-count validation (Contentful: "a complexity of 1000"). */
export const RICH_TEXT_LINKS_COST = 1000;

/** The most links of `kind` a document of this field may hold: its `nodes` size validation, else the default. */
export function richTextLinkCap(validations: FieldValidation[] | undefined, kind: RichTextLinkKind): number {
  for (const validation of validations ?? []) {
    for (const rule of validation.nodes?.[kind] ?? []) if (rule.size?.max !== undefined) return rule.size.max;
  }
  return RICH_TEXT_LINKS_COST;
}
