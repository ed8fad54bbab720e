import type { ContentTypeRow, LocalizedFields } from '../db/schema.js';
import { environmentScope, iso, link } from '../http/sys.js';
import type { PublishableRow, PublishableType } from '../resources/publishable/lifecycle.js';
import { nonEmptyFields } from '../resources/publishable/view.js';
import type { FieldDefinition, LocaleInfo } from '../validation/field-types.js';

export type DeliveryApi = 'delivery' | 'preview';

/** `locale=*` (all locales) or one locale code with its fallback chain. */
export type LocaleChoice = { all: true } | { all: false; code: string };

/** The value of a field in a locale, following `fallbackCode` step by step (seed 003, "Retrieve localized entries"). */
export function resolveLocale(byLocale: Record<string, unknown>, code: string, locales: Map<string, LocaleInfo>): unknown {
  const seen = new Set<string>();
  for (let current: string | null = code; current && !seen.has(current); current = locales.get(current)?.fallbackCode ?? null) {
    seen.add(current);
    const value = byLocale[current];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/**
 * Delivery fields: omitted fields left out, one locale (with fallbacks; non-localized fields always from
 * the default locale) or all locales.
 */
export function deliveryFields(
  fields: LocalizedFields,
  definitions: FieldDefinition[] | undefined,
  choice: LocaleChoice,
  locales: LocaleInfo[],
): Record<string, unknown> {
  const byCode = new Map(locales.map((l) => [l.code, l]));
  const defaultCode = locales.find((l) => l.default)?.code ?? 'en-US';
  const delivered = new Set(locales.filter((l) => l.contentDeliveryApi !== false).map((l) => l.code));
  const defs = definitions ? new Map(definitions.map((d) => [d.id, d])) : undefined;
  const out: Record<string, unknown> = {};
  for (const [fieldId, byLocale] of Object.entries(nonEmptyFields(fields))) {
    const def = defs?.get(fieldId);
    if (defs && (!def || def.omitted || def.deleted)) continue;
    if (choice.all) {
      const kept = Object.fromEntries(Object.entries(byLocale).filter(([code]) => delivered.has(code)));
      if (Object.keys(kept).length) out[fieldId] = kept;
      continue;
    }
    const value = def && !def.localized ? byLocale[defaultCode] : resolveLocale(byLocale, choice.code, byCode);
    if (value !== undefined && value !== null) out[fieldId] = value;
  }
  return out;
}

/** `sys` as the delivery API shows it: createdAt/updatedAt are first/last publication, revision the publish count. */
export function deliverySys(type: PublishableType, row: PublishableRow, api: DeliveryApi, choice: LocaleChoice) {
  const published = api === 'delivery';
  return {
    space: link('Space', row.space_id),
    id: row.id,
    type,
    createdAt: iso(published ? row.first_published_at : row.created_at),
    updatedAt: iso(published ? row.published_at : row.updated_at),
    environment: environmentScope(row.space_id, row.environment_id).environment,
    revision: published ? row.published_counter : row.version,
    ...(row.content_type_id ? { contentType: link('ContentType', row.content_type_id) } : {}),
    ...(choice.all ? {} : { locale: choice.code }),
  };
}

export function deliveryEntity(
  type: PublishableType,
  row: PublishableRow,
  api: DeliveryApi,
  choice: LocaleChoice,
  locales: LocaleInfo[],
  definitions: FieldDefinition[] | undefined,
  publicTags: Set<string>,
) {
  const fields = api === 'delivery' ? (row.published_fields ?? {}) : row.fields;
  const tags = (api === 'delivery' ? row.published_tags : row.tags) ?? [];
  return {
    metadata: { tags: tags.filter((t) => publicTags.has(t)).map((t) => link('Tag', t)), concepts: [] as unknown[] },
    sys: deliverySys(type, row, api, choice),
    fields: deliveryFields(fields, definitions, choice, locales),
  };
}

/** The content model as delivered: the activated definition (CDA) or the draft (CPA), omitted fields hidden. */
export function deliveryContentType(row: ContentTypeRow, api: DeliveryApi) {
  const definition = api === 'delivery' || !row ? row.published! : { name: row.name, description: row.description, displayField: row.display_field, fields: row.fields };
  return {
    sys: {
      space: link('Space', row.space_id),
      id: row.id,
      type: 'ContentType',
      createdAt: iso(row.first_published_at ?? row.created_at),
      updatedAt: iso(row.published_at ?? row.updated_at),
      environment: link('Environment', row.environment_id),
      revision: row.published_counter,
    },
    displayField: definition.displayField,
    name: definition.name,
    description: definition.description ?? '',
    fields: definition.fields.filter((f) => !f.omitted && !f.deleted),
  };
}
