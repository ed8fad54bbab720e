import type { ContentTypeField, Validation } from '../../api/cma';

/** The field types a field can be created with; links and arrays carry what they hold after a colon. */
export const KINDS: { value: string; label: string }[] = [
  { value: 'Symbol', label: 'Short text (Symbol)' },
  { value: 'Text', label: 'Long text (Text)' },
  { value: 'RichText', label: 'Rich text' },
  { value: 'Integer', label: 'Integer' },
  { value: 'Number', label: 'Decimal number (Number)' },
  { value: 'Date', label: 'Date and time' },
  { value: 'Location', label: 'Location' },
  { value: 'Boolean', label: 'Boolean' },
  { value: 'Object', label: 'JSON object' },
  { value: 'Link:Entry', label: 'Reference to an entry' },
  { value: 'Link:Asset', label: 'Media (reference to an asset)' },
  { value: 'Array:Symbol', label: 'List of short texts' },
  { value: 'Array:Link:Entry', label: 'References to entries' },
  { value: 'Array:Link:Asset', label: 'Media list (references to assets)' },
];

/** A field's type as one word: `Symbol`, `Link:Asset`, `Array:Link:Entry`... */
export function kindOf(field: ContentTypeField): string {
  if (field.type === 'Link') return `Link:${field.linkType}`;
  if (field.type === 'Array') return `Array:${field.items?.type}${field.items?.linkType ? `:${field.items.linkType}` : ''}`;
  return field.type;
}

export function newField(kind: string, id: string, name: string): ContentTypeField {
  const [type, ...rest] = kind.split(':');
  const base = { id, name, localized: false, required: false, disabled: false, omitted: false, validations: [] };
  if (type === 'Link') return { ...base, type, linkType: rest[0] };
  if (type === 'Array') {
    return {
      ...base,
      type,
      items: rest[0] === 'Link' ? { type: 'Link', linkType: rest[1], validations: [] } : { type: rest[0], validations: [] },
    };
  }
  return { ...base, type };
}

export function fieldIdFromName(name: string) {
  const words = name
    .replace(/[^a-zA-Z0-9 ]/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/** The validation of kind `key` in a list (a field's, its items' or a rich text node's), as a whole with its message. */
export function findValidation(list: Validation[] | undefined, key: string): Validation | undefined {
  return list?.find((v) => key in v);
}

export function getValidation(list: Validation[] | undefined, key: string): unknown {
  return findValidation(list, key)?.[key];
}

/**
 * The list with the validation `key` set to `value` in its place (a new one goes last; undefined removes it).
 * `message` is the validation's custom error message: undefined keeps the current one, '' removes it.
 */
export function setValidation(list: Validation[] | undefined, key: string, value: unknown, message?: string): Validation[] {
  const current = list ?? [];
  if (value === undefined) return current.filter((v) => !(key in v));
  const before = findValidation(current, key);
  const text = message ?? (before?.message as string | undefined);
  const next: Validation = text ? { [key]: value, message: text } : { [key]: value };
  return before ? current.map((v) => (v === before ? next : v)) : [...current, next];
}

/** A value such as { min, max } without its empty parts; undefined when all are empty. */
export function withoutEmpty(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const clean = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ''));
  return Object.keys(clean).length ? clean : undefined;
}
