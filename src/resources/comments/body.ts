import type { RichTextDocument } from '../../db/schema.js';
import { validationFailed, type ValidationErrorItem } from '../../domain/errors.js';

/**
 * Comment bodies (Contentful's "Entry comments"): plain text, or rich text whose nodes are `document`,
 * `paragraph`, `text` and `mention`. Either is stored as sent and read in the format the request asks
 * for with `x-contentful-comment-body-format`: rich text as plain text shows a mention as `User(id=...)`;
 * plain text as rich text is a paragraph per line.
 */
export type BodyFormat = 'plain-text' | 'rich-text';
export type StoredBody = string | RichTextDocument;

/** The length the reference gives comment bodies, counted on their plain text. */
export const MAX_COMMENT_CHARACTERS = 512;

const MENTION_TYPES = new Set(['User', 'Team']);

interface Node {
  nodeType?: unknown;
  value?: unknown;
  content?: unknown;
  data?: { target?: { sys?: { linkType?: unknown; id?: unknown } } };
}

function inlineError(node: Node, path: (string | number)[]): ValidationErrorItem | undefined {
  if (node?.nodeType === 'text') {
    return typeof node.value === 'string'
      ? undefined
      : { name: 'type', type: 'String', path: [...path, 'value'], details: 'A text node has a string value' };
  }
  if (node?.nodeType === 'mention') {
    const sys = node.data?.target?.sys;
    return MENTION_TYPES.has(sys?.linkType as string) && typeof sys?.id === 'string'
      ? undefined
      : { name: 'type', path: [...path, 'data', 'target'], details: 'A mention targets a User or Team link' };
  }
  return {
    name: 'in',
    path: [...path, 'nodeType'],
    value: node?.nodeType,
    expected: ['text', 'mention'],
    details: 'A paragraph holds text and mention nodes',
  };
}

/** What is wrong with a rich text comment body, with paths from `body`. */
function richTextErrors(body: Node): ValidationErrorItem[] {
  if (body.nodeType !== 'document' || !Array.isArray(body.content))
    return [{ name: 'type', path: ['body'], details: 'A rich text body is a document node with content' }];
  return body.content.flatMap((paragraph: Node, i): ValidationErrorItem[] => {
    const path = ['body', 'content', i];
    if (paragraph?.nodeType !== 'paragraph' || !Array.isArray(paragraph.content))
      return [
        {
          name: 'in',
          path: [...path, 'nodeType'],
          value: paragraph?.nodeType,
          expected: ['paragraph'],
          details: 'A document holds paragraphs',
        },
      ];
    return paragraph.content.flatMap((node: Node, j) => inlineError(node, [...path, 'content', j]) ?? []);
  });
}

/** The body as plain text (mentions as `User(id=...)`, paragraphs on lines of their own). */
export function plainText(body: StoredBody): string {
  if (typeof body === 'string') return body;
  return (body.content as Node[])
    .map((paragraph) =>
      (paragraph.content as Node[])
        .map((node) =>
          node.nodeType === 'mention' ? `${node.data?.target?.sys?.linkType}(id=${node.data?.target?.sys?.id})` : String(node.value),
        )
        .join(''),
    )
    .join('\n');
}

function richText(body: StoredBody): RichTextDocument {
  if (typeof body !== 'string') return body;
  return {
    nodeType: 'document',
    data: {},
    content: body.split('\n').map((line) => ({
      nodeType: 'paragraph',
      data: {},
      content: [{ nodeType: 'text', value: line, marks: [], data: {} }],
    })),
  };
}

export function bodyIn(format: BodyFormat, body: StoredBody): StoredBody {
  return format === 'rich-text' ? richText(body) : plainText(body);
}

/** Checks a body as sent (a string, or a rich text document) and answers what to store. */
export function checkedBody(body: string | Record<string, unknown>): StoredBody {
  if (typeof body !== 'string') {
    const errors = richTextErrors(body as Node);
    if (errors.length) throw validationFailed(errors);
  }
  const stored = body as StoredBody;
  const length = [...plainText(stored)].length;
  if (length === 0 || length > MAX_COMMENT_CHARACTERS)
    throw validationFailed([
      {
        name: 'size',
        path: ['body'],
        min: 1,
        max: MAX_COMMENT_CHARACTERS,
        details: `A comment's body has 1 to ${MAX_COMMENT_CHARACTERS} characters; this one has ${length}`,
      },
    ]);
  return stored;
}
