import type { ValidationErrorItem } from '../domain/errors.js';
import type { FieldDefinition, FieldType, FieldValidation } from '../domain/field-types.js';
import { MIMETYPE_GROUPS } from '../domain/field-types.js';

/**
 * Validation of a content type definition (seed 000, "Content types" and its validations table). The
 * entry validator in entry-fields.ts enforces these same validation kinds on entries.
 */

export const FIELD_TYPES: FieldType[] = [
  'Symbol',
  'Text',
  'RichText',
  'Integer',
  'Number',
  'Date',
  'Boolean',
  'Location',
  'Object',
  'Link',
  'Array',
  'ResourceLink',
];

type ValidationKind = Exclude<keyof FieldValidation, 'message'>;

/** Which validation applies to which type ("Link:Entry" for entry links, "Link:Asset" for asset links). */
export const VALIDATION_APPLIES_TO: Record<ValidationKind, string[]> = {
  size: ['Symbol', 'Text', 'Array', 'Object', 'RichText'],
  range: ['Integer', 'Number'],
  regexp: ['Symbol', 'Text'],
  prohibitRegexp: ['Symbol', 'Text'],
  in: ['Symbol', 'Text', 'Integer', 'Number'],
  unique: ['Symbol', 'Integer', 'Number'],
  dateRange: ['Date'],
  linkContentType: ['Link:Entry'],
  linkMimetypeGroup: ['Link:Asset'],
  assetImageDimensions: ['Link:Asset'],
  assetFileSize: ['Link:Asset'],
  enabledNodeTypes: ['RichText'],
  enabledMarks: ['RichText'],
  nodes: ['RichText'],
};

export const FIELD_ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;
const DISPLAY_FIELD_TYPES = new Set(['Symbol', 'Text']);

type Path = (string | number)[];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumberOrUndefined = (v: unknown) => v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v));

function minMaxErrors(value: unknown, path: Path, kind: string): ValidationErrorItem[] {
  if (!isObject(value) || !isNumberOrUndefined(value.min) || !isNumberOrUndefined(value.max) || (value.min == null && value.max == null)) {
    return [{ name: 'invalid', path, details: `${kind} needs a numeric min and/or max` }];
  }
  return [];
}

function regexpErrors(value: unknown, path: Path, kind: string): ValidationErrorItem[] {
  if (!isObject(value) || typeof value.pattern !== 'string') return [{ name: 'invalid', path, details: `${kind} needs a string pattern` }];
  if (value.flags !== undefined && value.flags !== null && (typeof value.flags !== 'string' || !/^[gimsuy]*$/.test(value.flags))) {
    return [{ name: 'invalid', path: [...path, 'flags'], details: `Invalid regular expression flags` }];
  }
  try {
    new RegExp(value.pattern, (value.flags as string | null | undefined) ?? undefined);
  } catch {
    return [{ name: 'regexp', path: [...path, 'pattern'], value: value.pattern, details: 'Invalid regular expression' }];
  }
  return [];
}

function stringListErrors(value: unknown, path: Path, kind: string, allowed?: Set<string>, emptyAllowed = false): ValidationErrorItem[] {
  if (!Array.isArray(value) || (value.length === 0 && !emptyAllowed) || !value.every((v) => typeof v === 'string')) {
    return [{ name: 'invalid', path, details: `${kind} needs a ${emptyAllowed ? '' : 'non-empty '}list of strings` }];
  }
  if (allowed) {
    const unknown = value.filter((v) => !allowed.has(v));
    if (unknown.length)
      return [{ name: 'in', path, value: unknown, expected: [...allowed], details: `Unknown values for ${kind}: ${unknown.join(', ')}` }];
  }
  return [];
}

/** Checks one validation object: exactly one known kind (plus `message`), applicable to the type, well formed. */
export function validationDefinitionErrors(validation: unknown, appliesTo: string, path: Path): ValidationErrorItem[] {
  if (!isObject(validation)) return [{ name: 'type', type: 'Object', path, details: 'A validation is an object' }];
  const kinds = Object.keys(validation).filter((k) => k !== 'message');
  if (validation.message !== undefined && validation.message !== null && typeof validation.message !== 'string') {
    return [{ name: 'type', type: 'Symbol', path: [...path, 'message'], details: 'message must be a string' }];
  }
  if (kinds.length !== 1) return [{ name: 'invalid', path, details: 'A validation must have exactly one kind (e.g. size, range, regexp)' }];
  const kind = kinds[0] as ValidationKind;
  const at = [...path, kind];
  const applicable = VALIDATION_APPLIES_TO[kind];
  if (!applicable) return [{ name: 'unknown', path: at, details: `Unknown validation "${kind}"` }];
  if (!applicable.includes(appliesTo) && !applicable.includes(appliesTo.split(':')[0])) {
    return [{ name: 'invalid', path: at, details: `The validation "${kind}" cannot be used on a ${appliesTo} field` }];
  }
  const value = validation[kind];
  switch (kind) {
    case 'size':
    case 'range':
    case 'assetFileSize':
      return minMaxErrors(value, at, kind);
    case 'regexp':
    case 'prohibitRegexp':
      return regexpErrors(value, at, kind);
    case 'in':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number')
        ? []
        : [{ name: 'invalid', path: at, details: 'in needs a non-empty list of strings or numbers' }];
    case 'unique':
      return value === true ? [] : [{ name: 'invalid', path: at, details: 'unique must be true' }];
    case 'dateRange': {
      if (!isObject(value) || (value.min == null && value.max == null))
        return [{ name: 'invalid', path: at, details: 'dateRange needs min and/or max dates' }];
      const bad = ['min', 'max'].filter(
        (k) => value[k] != null && (typeof value[k] !== 'string' || Number.isNaN(Date.parse(value[k] as string))),
      );
      return bad.length ? [{ name: 'invalid', path: [...at, bad[0]], details: 'Not a valid date' }] : [];
    }
    case 'linkContentType':
      return stringListErrors(value, at, kind);
    case 'enabledNodeTypes':
    case 'enabledMarks':
      // An empty list is Contentful's "none allowed" (no embedded nodes, no marks).
      return stringListErrors(value, at, kind, undefined, true);
    case 'linkMimetypeGroup':
      // Contentful's exports carry a single group as a plain string.
      return stringListErrors(typeof value === 'string' ? [value] : value, at, kind, new Set(MIMETYPE_GROUPS));
    case 'assetImageDimensions': {
      if (!isObject(value) || (value.width == null && value.height == null))
        return [{ name: 'invalid', path: at, details: 'assetImageDimensions needs width and/or height' }];
      return ['width', 'height'].flatMap((k) => (value[k] == null ? [] : minMaxErrors(value[k], [...at, k], `assetImageDimensions.${k}`)));
    }
    case 'nodes': {
      if (!isObject(value)) return [{ name: 'invalid', path: at, details: 'nodes maps node types to validation lists' }];
      return Object.entries(value).flatMap(([nodeType, list]) => {
        if (!Array.isArray(list)) return [{ name: 'invalid', path: [...at, nodeType], details: 'A list of validations is expected' }];
        const nodeAppliesTo = nodeType.includes('asset') ? 'Link:Asset' : nodeType.includes('entry') ? 'Link:Entry' : 'Array';
        return list.flatMap((v, i) => {
          if (isObject(v) && 'size' in v) return minMaxErrors(v.size, [...at, nodeType, i, 'size'], 'size');
          return validationDefinitionErrors(v, nodeAppliesTo, [...at, nodeType, i]);
        });
      });
    }
  }
}

function fieldErrors(field: unknown, index: number): ValidationErrorItem[] {
  const path: Path = ['fields', index];
  if (!isObject(field)) return [{ name: 'type', type: 'Object', path, details: 'A field is an object' }];
  const errors: ValidationErrorItem[] = [];
  if (typeof field.id !== 'string' || !FIELD_ID_PATTERN.test(field.id)) {
    errors.push({
      name: 'regexp',
      path: [...path, 'id'],
      value: field.id,
      details: 'Field ids start with a letter and have up to 64 letters, digits and underscores',
    });
  }
  if (typeof field.name !== 'string' || field.name.trim() === '' || field.name.length > 50) {
    errors.push({
      name: field.name === undefined ? 'required' : 'size',
      path: [...path, 'name'],
      details: 'Field names are 1 to 50 characters',
    });
  }
  for (const flag of ['localized', 'required', 'disabled', 'omitted', 'deleted'] as const) {
    if (field[flag] !== undefined && typeof field[flag] !== 'boolean')
      errors.push({ name: 'type', type: 'Boolean', path: [...path, flag], value: field[flag] });
  }
  if (!FIELD_TYPES.includes(field.type as FieldType)) {
    errors.push({
      name: 'in',
      path: [...path, 'type'],
      value: field.type,
      expected: FIELD_TYPES,
      details: `Unknown field type "${String(field.type)}"`,
    });
    return errors;
  }
  let appliesTo = field.type as string;
  if (field.type === 'Link') {
    if (field.linkType !== 'Entry' && field.linkType !== 'Asset') {
      errors.push({
        name: 'in',
        path: [...path, 'linkType'],
        value: field.linkType,
        expected: ['Entry', 'Asset'],
        details: 'A Link field needs linkType Entry or Asset',
      });
    }
    appliesTo = `Link:${String(field.linkType)}`;
  }
  if (field.type === 'Array') {
    const items = field.items;
    if (!isObject(items)) {
      errors.push({ name: 'required', path: [...path, 'items'], details: 'An Array field needs items' });
    } else if (items.type === 'Symbol' || items.type === 'Link' || items.type === 'ResourceLink') {
      if (items.type === 'Link' && items.linkType !== 'Entry' && items.linkType !== 'Asset') {
        errors.push({
          name: 'in',
          path: [...path, 'items', 'linkType'],
          value: items.linkType,
          expected: ['Entry', 'Asset'],
          details: 'Link items need linkType Entry or Asset',
        });
      }
      const itemAppliesTo = items.type === 'Link' ? `Link:${String(items.linkType)}` : String(items.type);
      if (items.validations !== undefined) {
        if (!Array.isArray(items.validations)) errors.push({ name: 'type', type: 'Array', path: [...path, 'items', 'validations'] });
        else {
          for (const [i, v] of items.validations.entries()) {
            errors.push(...validationDefinitionErrors(v, itemAppliesTo, [...path, 'items', 'validations', i]));
          }
        }
      }
    } else {
      errors.push({
        name: 'in',
        path: [...path, 'items', 'type'],
        value: items.type,
        expected: ['Symbol', 'Link', 'ResourceLink'],
        details: 'Array items are Symbol, Link or ResourceLink',
      });
    }
  } else if (field.items !== undefined) {
    errors.push({ name: 'unexpected', path: [...path, 'items'], details: 'Only Array fields have items' });
  }
  if (field.validations !== undefined) {
    if (!Array.isArray(field.validations)) errors.push({ name: 'type', type: 'Array', path: [...path, 'validations'] });
    else
      for (const [i, v] of field.validations.entries())
        errors.push(...validationDefinitionErrors(v, appliesTo, [...path, 'validations', i]));
  }
  return errors;
}

/**
 * Checks a content type body. `published` is the last activated definition, whose fields can only be
 * removed after they were omitted there, and whose field types never change.
 */
export function contentTypeDefinitionErrors(
  body: { name?: unknown; displayField?: unknown; fields?: unknown; description?: unknown },
  published?: { fields: FieldDefinition[] } | null,
  draft?: { fields: FieldDefinition[] } | null,
): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  if (typeof body.name !== 'string' || body.name.trim() === '')
    errors.push({ name: 'required', path: ['name'], details: 'The property "name" is required here' });
  else if (body.name.length > 50) errors.push({ name: 'size', max: 50, path: ['name'], details: 'Size must be at most 50' });
  if (body.description !== undefined && body.description !== null && typeof body.description !== 'string') {
    errors.push({ name: 'type', type: 'Text', path: ['description'] });
  }
  const fields = body.fields === undefined ? [] : body.fields;
  if (!Array.isArray(fields)) return [...errors, { name: 'type', type: 'Array', path: ['fields'], details: 'fields must be an array' }];
  if (fields.length > 50) errors.push({ name: 'size', max: 50, path: ['fields'], details: 'A content type has at most 50 fields' });
  for (const [i, field] of fields.entries()) errors.push(...fieldErrors(field, i));
  if (errors.length) return errors;

  const defined = fields as FieldDefinition[];
  const seen = new Map<string, number>();
  defined.forEach((field, i) => {
    if (seen.has(field.id))
      errors.push({ name: 'uniqueFieldIds', path: ['fields', i, 'id'], value: field.id, details: `Duplicate field id "${field.id}"` });
    seen.set(field.id, i);
  });

  if (body.displayField !== undefined && body.displayField !== null) {
    const display = defined.find((f) => f.id === body.displayField);
    if (!display || display.deleted)
      errors.push({
        name: 'in',
        path: ['displayField'],
        value: body.displayField,
        details: 'displayField must name a field of this content type',
      });
    else if (!DISPLAY_FIELD_TYPES.has(display.type))
      errors.push({
        name: 'type',
        path: ['displayField'],
        value: body.displayField,
        details: 'displayField must be a Symbol or Text field',
      });
  }

  const earlier = new Map<string, FieldDefinition>();
  for (const f of draft?.fields ?? []) earlier.set(f.id, f);
  for (const f of published?.fields ?? []) earlier.set(f.id, f);
  defined.forEach((field, i) => {
    const before = earlier.get(field.id);
    if (!before) return;
    const itemsChanged =
      field.type === 'Array' && (before.items?.type !== field.items?.type || before.items?.linkType !== field.items?.linkType);
    if (before.type !== field.type || (field.type === 'Link' && before.linkType !== field.linkType) || itemsChanged) {
      errors.push({
        name: 'fieldTypeChange',
        path: ['fields', i, 'type'],
        value: field.type,
        details: `The type of field "${field.id}" cannot be changed`,
      });
    }
    if (
      field.deleted &&
      published &&
      !published.fields.find((p) => p.id === field.id)?.omitted &&
      published.fields.some((p) => p.id === field.id)
    ) {
      errors.push({
        name: 'fieldDeletion',
        path: ['fields', i, 'deleted'],
        details: `Omit field "${field.id}" and activate the content type before deleting it`,
      });
    }
  });
  for (const old of published?.fields ?? []) {
    if (!seen.has(old.id) && !old.omitted) {
      errors.push({
        name: 'fieldDeletion',
        path: ['fields'],
        value: old.id,
        details: `Omit field "${old.id}" and activate the content type before removing it`,
      });
    }
  }
  return errors;
}
