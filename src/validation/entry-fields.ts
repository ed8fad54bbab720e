import type { LocalizedFields } from '../db/schema.js';
import type { ValidationErrorItem } from '../domain/errors.js';
import type { FieldDefinition, FieldValidation, LocaleInfo } from '../domain/field-types.js';
import { mimetypeGroupOf } from '../domain/field-types.js';
import { richTextLinks, richTextShapeErrors, richTextValidationErrors } from './rich-text.js';

/**
 * Validation of entry fields against their content type (seed 000, "Content types" validations table).
 * Saving checks the shape (known fields and locales, value types); publishing also checks `required`,
 * the limits of each type and every field validation. Checks that need other entities (links, unique)
 * are in `validateLinkedEntities` and run over data the caller loads in bulk.
 */

export const SYMBOL_MAX = 256;
export const TEXT_MAX = 50_000;
const INTEGER_LIMIT = 2 ** 53;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 date naming a day that exists: `Date.parse` rolls `2020-02-30` over into March, which
 * PostgreSQL refuses when a query orders or compares by the field. Year 0 does not exist for it either.
 */
function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  return year > 0 && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
}

type Path = (string | number)[];
type Fields = Record<string, Record<string, unknown>>;

const isLink = (value: unknown, linkType?: string): value is { sys: { type: 'Link'; linkType: string; id: string } } => {
  const sys = (value as { sys?: { type?: unknown; linkType?: unknown; id?: unknown } } | null)?.sys;
  return Boolean(sys && sys.type === 'Link' && typeof sys.id === 'string' && (linkType === undefined || sys.linkType === linkType));
};

function typeError(type: string, value: unknown, path: Path, details?: string): ValidationErrorItem {
  return { name: 'type', type, value, path, details: details ?? `The type of "value" is incorrect, expected type: ${type}` };
}

/** Checks that a value has the JSON shape of its field type. */
function valueTypeErrors(field: FieldDefinition, value: unknown, path: Path): ValidationErrorItem[] {
  switch (field.type) {
    case 'Symbol':
    case 'Text':
      return typeof value === 'string' ? [] : [typeError(field.type, value, path)];
    case 'Integer':
      return Number.isInteger(value) ? [] : [typeError('Integer', value, path)];
    case 'Number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [typeError('Number', value, path)];
    case 'Boolean':
      return typeof value === 'boolean' ? [] : [typeError('Boolean', value, path)];
    case 'Date':
      return isIsoDate(value) ? [] : [typeError('Date', value, path, 'A date must be an ISO 8601 string')];
    case 'Location': {
      const loc = value as { lat?: unknown; lon?: unknown } | null;
      const ok =
        loc !== null &&
        typeof loc === 'object' &&
        typeof loc.lat === 'number' &&
        typeof loc.lon === 'number' &&
        Math.abs(loc.lat) <= 90 &&
        Math.abs(loc.lon) <= 180;
      return ok ? [] : [typeError('Location', value, path, 'A location must be {"lat": -90..90, "lon": -180..180}')];
    }
    case 'Object':
      return value !== null && typeof value === 'object' ? [] : [typeError('Object', value, path)];
    case 'RichText':
      return richTextShapeErrors(value, path);
    case 'Link':
      return isLink(value, field.linkType)
        ? []
        : [typeError('Link', value, path, `A link to an ${field.linkType ?? 'entity'} is expected`)];
    case 'ResourceLink': {
      const sys = (value as { sys?: { type?: unknown; urn?: unknown } } | null)?.sys;
      return sys?.type === 'ResourceLink' && typeof sys.urn === 'string' ? [] : [typeError('ResourceLink', value, path)];
    }
    case 'Array': {
      if (!Array.isArray(value)) return [typeError('Array', value, path)];
      const items = field.items;
      if (!items) return [];
      const itemField = { id: field.id, name: field.name, type: items.type, linkType: items.linkType } as FieldDefinition;
      return value.flatMap((item, i) => valueTypeErrors(itemField, item, [...path, i]));
    }
  }
}

function withMessage(validation: FieldValidation, error: ValidationErrorItem): ValidationErrorItem {
  return validation.message ? { ...error, customMessage: validation.message, details: validation.message } : error;
}

function outOfRange(n: number, limits: { min?: number; max?: number }) {
  return (limits.min !== undefined && n < limits.min) || (limits.max !== undefined && n > limits.max);
}

function compileRegexp(spec: { pattern: string; flags?: string | null }): RegExp | undefined {
  try {
    return new RegExp(spec.pattern, spec.flags ?? undefined);
  } catch {
    return undefined;
  }
}

/** The validations that look at a single value (not links, not uniqueness). */
function valueValidationErrors(type: string, validations: FieldValidation[], value: unknown, path: Path): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  for (const v of validations) {
    if (v.size) {
      const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
      if (length !== undefined && outOfRange(length, v.size)) {
        errors.push(withMessage(v, { name: 'size', min: v.size.min, max: v.size.max, value, path, details: sizeDetails(v.size) }));
      }
    }
    if (v.range && typeof value === 'number' && outOfRange(value, v.range)) {
      errors.push(
        withMessage(v, { name: 'range', min: v.range.min, max: v.range.max, value, path, details: 'Value out of the allowed range' }),
      );
    }
    if (v.regexp && typeof value === 'string') {
      const re = compileRegexp(v.regexp);
      if (re && !re.test(value))
        errors.push(
          withMessage(v, { name: 'regexp', pattern: v.regexp.pattern, value, path, details: 'Does not match the expected pattern' }),
        );
    }
    if (v.prohibitRegexp && typeof value === 'string') {
      const re = compileRegexp(v.prohibitRegexp);
      if (re?.test(value)) {
        errors.push(
          withMessage(v, {
            name: 'prohibitRegexp',
            pattern: v.prohibitRegexp.pattern,
            value,
            path,
            details: 'Matches a prohibited pattern',
          }),
        );
      }
    }
    if (v.in && (typeof value === 'string' || typeof value === 'number') && !v.in.includes(value)) {
      errors.push(withMessage(v, { name: 'in', expected: v.in, value, path, details: `Value must be one of ${JSON.stringify(v.in)}` }));
    }
    if (v.dateRange && typeof value === 'string') {
      const t = Date.parse(value);
      const min = v.dateRange.min ? Date.parse(v.dateRange.min) : undefined;
      const max = v.dateRange.max ? Date.parse(v.dateRange.max) : undefined;
      if ((min !== undefined && t < min) || (max !== undefined && t > max)) {
        errors.push(
          withMessage(v, {
            name: 'dateRange',
            min: v.dateRange.min,
            max: v.dateRange.max,
            value,
            path,
            details: 'Date out of the allowed range',
          }),
        );
      }
    }
  }
  if (type === 'RichText') errors.push(...richTextValidationErrors(value, validations, path));
  return errors;
}

function sizeDetails(size: { min?: number; max?: number }) {
  if (size.min !== undefined && size.max !== undefined) return `Size must be between ${size.min} and ${size.max}`;
  if (size.max !== undefined) return `Size must be at most ${size.max}`;
  return `Size must be at least ${size.min}`;
}

/** The built-in limits of each type, checked on publish. */
function builtInLimitErrors(field: FieldDefinition, value: unknown, path: Path): ValidationErrorItem[] {
  if (field.type === 'Symbol' && typeof value === 'string' && value.length > SYMBOL_MAX) {
    return [{ name: 'size', max: SYMBOL_MAX, value, path, details: `Size must be at most ${SYMBOL_MAX}` }];
  }
  if (field.type === 'Text' && typeof value === 'string' && value.length > TEXT_MAX) {
    return [{ name: 'size', max: TEXT_MAX, path, details: `Size must be at most ${TEXT_MAX}` }];
  }
  if (field.type === 'Integer' && typeof value === 'number' && Math.abs(value) > INTEGER_LIMIT) {
    return [{ name: 'range', min: -INTEGER_LIMIT, max: INTEGER_LIMIT, value, path, details: 'Integer out of range' }];
  }
  if (field.type === 'Array' && field.items?.type === 'Symbol' && Array.isArray(value)) {
    return value.flatMap((item, i) =>
      typeof item === 'string' && item.length > SYMBOL_MAX
        ? [{ name: 'size', max: SYMBOL_MAX, value: item, path: [...path, i], details: `Size must be at most ${SYMBOL_MAX}` }]
        : [],
    );
  }
  return [];
}

const isEmpty = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0);

export interface FieldValidationOptions {
  mode: 'save' | 'publish';
}

/** Shape and value checks; `UnknownField`-kind problems come back with `name: 'unknown'`. */
export function validateEntryFields(
  definitions: FieldDefinition[],
  fields: Fields,
  locales: LocaleInfo[],
  options: FieldValidationOptions,
): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  const byId = new Map(definitions.filter((f) => !f.deleted).map((f) => [f.id, f]));
  const localeCodes = new Set(locales.map((l) => l.code));
  const defaultLocale = locales.find((l) => l.default)?.code;

  for (const [fieldId, byLocale] of Object.entries(fields)) {
    const field = byId.get(fieldId);
    if (!field) {
      errors.push({ name: 'unknown', path: ['fields', fieldId], details: `The property "${fieldId}" is not expected` });
      continue;
    }
    if (byLocale === null || typeof byLocale !== 'object' || Array.isArray(byLocale)) {
      errors.push({
        name: 'type',
        type: 'Object',
        value: byLocale,
        path: ['fields', fieldId],
        details: 'Field values are objects keyed by locale code',
      });
      continue;
    }
    for (const [code, value] of Object.entries(byLocale)) {
      const path = ['fields', fieldId, code];
      if (!localeCodes.has(code)) {
        errors.push({ name: 'unknown', path, details: `"${code}" is not a locale of this environment` });
        continue;
      }
      if (!field.localized && code !== defaultLocale) {
        errors.push({
          name: 'unknown',
          path,
          details: `The field "${fieldId}" is not localized; only the default locale ${defaultLocale} may hold a value`,
        });
        continue;
      }
      if (value === null || value === undefined) continue;
      const typeErrors = valueTypeErrors(field, value, path);
      errors.push(...typeErrors);
      if (typeErrors.length > 0 || options.mode === 'save') continue;
      errors.push(...builtInLimitErrors(field, value, path));
      errors.push(...valueValidationErrors(field.type, field.validations ?? [], value, path));
      if (field.type === 'Array' && field.items?.validations?.length && Array.isArray(value)) {
        for (const [i, item] of value.entries())
          errors.push(...valueValidationErrors(field.items!.type, field.items!.validations!, item, [...path, i]));
      }
    }
  }

  if (options.mode === 'publish') errors.push(...requiredErrors([...byId.values()], fields, locales));
  return errors;
}

/**
 * `required`: a localized field needs a value in every locale that is not optional (optional locales fall
 * back as the CDA does); a non-localized one needs it in the default locale. Omitted and disabled fields
 * are still required, as on Contentful.
 */
function requiredErrors(definitions: FieldDefinition[], fields: Fields, locales: LocaleInfo[]): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  const defaultLocale = locales.find((l) => l.default);
  for (const field of definitions) {
    if (!field.required) continue;
    const checked = field.localized ? locales.filter((l) => !l.optional || l.default) : defaultLocale ? [defaultLocale] : [];
    for (const locale of checked) {
      if (isEmpty(fields[field.id]?.[locale.code])) {
        errors.push({ name: 'required', path: ['fields', field.id, locale.code], details: `The property "${field.id}" is required here` });
      }
    }
  }
  return errors;
}

export interface LinkReference {
  linkType: 'Entry' | 'Asset';
  id: string;
  path: Path;
  /** The validations that apply to this link (the field's, or the array items'). */
  validations: FieldValidation[];
}

/** Every entry and asset link in the fields (single links, arrays of links and rich text embeds). */
export function collectLinks(definitions: FieldDefinition[], fields: Fields): LinkReference[] {
  const links: LinkReference[] = [];
  for (const field of definitions) {
    const byLocale = fields[field.id];
    if (!byLocale || typeof byLocale !== 'object') continue;
    for (const [code, value] of Object.entries(byLocale)) {
      const path = ['fields', field.id, code];
      if (field.type === 'Link' && isLink(value)) {
        links.push({ linkType: value.sys.linkType as 'Entry' | 'Asset', id: value.sys.id, path, validations: field.validations ?? [] });
      } else if (field.type === 'Array' && field.items?.type === 'Link' && Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isLink(item))
            links.push({
              linkType: item.sys.linkType as 'Entry' | 'Asset',
              id: item.sys.id,
              path: [...path, i],
              validations: field.items?.validations ?? [],
            });
        });
      } else if (field.type === 'RichText') {
        const nodes = (field.validations ?? []).find((v) => v.nodes)?.nodes ?? {};
        for (const link of richTextLinks(value, path)) {
          links.push({ linkType: link.linkType, id: link.id, path: link.path, validations: nodes[link.nodeType] ?? [] });
        }
      }
    }
  }
  return links;
}

/**
 * What the caller loaded about linked entities: every one that exists, whatever its state (Contentful publishes
 * links to drafts and archived entities; the delivery APIs then list them under `errors`).
 */
export interface LinkedEntities {
  entries: Map<string, { contentTypeId: string }>;
  assets: Map<
    string,
    { files: Record<string, { contentType?: string; details?: { size?: number; image?: { width: number; height: number } } }> }
  >;
}

export function validateLinkedEntities(links: LinkReference[], linked: LinkedEntities): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  for (const link of links) {
    const sysLink = { sys: { type: 'Link', linkType: link.linkType, id: link.id } };
    if (link.linkType === 'Entry') {
      const entry = linked.entries.get(link.id);
      if (!entry) {
        errors.push({
          name: 'notResolvable',
          link: sysLink.sys,
          path: link.path,
          details: 'The link target does not exist',
        });
        continue;
      }
      for (const v of link.validations) {
        if (v.linkContentType && !v.linkContentType.includes(entry.contentTypeId)) {
          errors.push(
            withMessage(v, {
              name: 'linkContentType',
              contentTypeId: v.linkContentType,
              path: link.path,
              details: `Linked entry has content type "${entry.contentTypeId}", expected one of ${JSON.stringify(v.linkContentType)}`,
            }),
          );
        }
      }
    } else {
      const asset = linked.assets.get(link.id);
      if (!asset) {
        errors.push({
          name: 'notResolvable',
          link: sysLink.sys,
          path: link.path,
          details: 'The link target does not exist',
        });
        continue;
      }
      const files = Object.values(asset.files);
      for (const v of link.validations) {
        const groups = v.linkMimetypeGroup === undefined ? undefined : [v.linkMimetypeGroup].flat();
        if (groups && !files.some((f) => f.contentType && groups.includes(mimetypeGroupOf(f.contentType)))) {
          errors.push(
            withMessage(v, {
              name: 'linkMimetypeGroup',
              mimetypeGroupName: v.linkMimetypeGroup,
              path: link.path,
              details: `Linked asset must be of type ${groups.join(', ')}`,
            }),
          );
        }
        if (v.assetFileSize && files.some((f) => f.details?.size !== undefined && outOfRange(f.details.size, v.assetFileSize!))) {
          errors.push(
            withMessage(v, {
              name: 'assetFileSize',
              min: v.assetFileSize.min,
              max: v.assetFileSize.max,
              path: link.path,
              details: 'Linked asset file size out of the allowed range',
            }),
          );
        }
        if (v.assetImageDimensions) {
          const { width, height } = v.assetImageDimensions;
          const bad = files.some((f) => {
            const image = f.details?.image;
            if (!image) return true;
            return (width && outOfRange(image.width, width)) || (height && outOfRange(image.height, height));
          });
          if (bad)
            errors.push(
              withMessage(v, {
                name: 'assetImageDimensions',
                width,
                height,
                path: link.path,
                details: 'Linked image dimensions out of the allowed range',
              }),
            );
        }
      }
    }
  }
  return errors;
}

/** The (field, locale, value) triples that a `unique` validation needs compared with other published entries. */
export function uniqueCandidates(definitions: FieldDefinition[], fields: Fields) {
  const out: { fieldId: string; locale: string; value: string | number; path: Path }[] = [];
  for (const field of definitions) {
    if (!(field.validations ?? []).some((v) => v.unique)) continue;
    for (const [locale, value] of Object.entries(fields[field.id] ?? {})) {
      if (typeof value === 'string' || typeof value === 'number')
        out.push({ fieldId: field.id, locale, value, path: ['fields', field.id, locale] });
    }
  }
  return out;
}

/**
 * Values of a non-localized field in other locales than the default one are dropped on save: Contentful
 * accepts them (contentful-migration's deriveLinkedEntries writes links in every locale) and only ever
 * uses the default locale's value.
 */
export function withoutUnlocalizedValues(
  definitions: readonly FieldDefinition[],
  fields: LocalizedFields,
  locales: readonly LocaleInfo[],
): LocalizedFields {
  const defaultLocale = locales.find((l) => l.default)?.code;
  const others = new Set(locales.filter((l) => !l.default).map((l) => l.code));
  const out: LocalizedFields = { ...fields };
  for (const field of definitions) {
    const byLocale = out[field.id];
    if (field.localized || !byLocale || typeof byLocale !== 'object' || Array.isArray(byLocale)) continue;
    if (Object.keys(byLocale).some((code) => others.has(code))) {
      out[field.id] = Object.fromEntries(Object.entries(byLocale).filter(([code]) => !others.has(code) || code === defaultLocale));
    }
  }
  return out;
}
