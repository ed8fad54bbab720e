import { createHash } from 'node:crypto';
import type { ContentTypeRow, LocalizedFields } from '../db/schema.js';
import { environmentScope, iso, link } from '../http/sys.js';
import type { PublishableRow, PublishableTable, PublishableType, ReadColumn } from '../resources/publishable/repository.js';
import { conceptLinks } from '../resources/taxonomy/views.js';
import { type FieldDefinition, isDeliveredLocale, type LocaleInfo } from '../domain/field-types.js';
import type { TimelinePreview } from './timeline.js';

export type DeliveryApi = 'delivery' | 'preview';

/** The space and environment a delivery or preview key reads, and through which API. */
export interface DeliveryScope {
  api: DeliveryApi;
  spaceId: string;
  environmentId: string;
  /**
   * `X-Contentful-Locale-Based-Publishing: true` on the CDA (the CPA ignores it): an entry or asset is
   * delivered in a locale only when that locale is published (`published_locales`, null: every locale).
   */
  localeBased: boolean;
  /** A timeline preview (CPA `/timeline/...`): releases' content laid over the drafts. */
  timeline?: TimelinePreview;
}

/** `locale=*` (all locales) or one locale code with its fallback chain. */
export type LocaleChoice = { all: true } | { all: false; code: string };

/** The value of a field in a locale, following `fallbackCode` step by step (seed 003, "Retrieve localized entries"). */
export function resolveLocale(byLocale: Record<string, unknown>, code: string, locales: Map<string, LocaleInfo>): unknown {
  // A chain visits each locale at most once; more steps than locales means a cycle.
  let current: string | null = code;
  for (let step = 0; current && step <= locales.size; step++) {
    const value = byLocale[current];
    if (value !== undefined && value !== null) return value;
    current = locales.get(current)?.fallbackCode ?? null;
  }
  return undefined;
}

/**
 * The columns each delivery API renders from: the published copy (CDA) or the draft (CPA). Reading only
 * those halves what every collection moves and parses (bench: JSON parsing of rows led the profile).
 */
export function deliveryColumns(table: PublishableTable, api: DeliveryApi): readonly ReadColumn[] {
  const common = ['space_id', 'environment_id', 'id', ...(table === 'entries' ? ['content_type_id'] : [])];
  return api === 'delivery'
    ? [...common, 'published_fields', 'published_tags', 'published_concepts', ...deliveryState.delivery]
    : [...common, 'fields', 'tags', 'concepts', ...deliveryState.preview];
}

/** The columns of a row's state that a rendition shows besides its content: version, counter and times (as ISO text). */
const deliveryState: Record<DeliveryApi, readonly ReadColumn[]> = {
  delivery: ['published_version', 'published_counter', { iso: 'first_published_at' }, { iso: 'published_at' }],
  preview: ['version', { iso: 'created_at' }, { iso: 'updated_at' }],
};

/**
 * The columns that say which state of a row a rendition shows (its rendition key) and where it links, without
 * the fields: a page computed from kept renditions reads only these, and the full rows of those it lacks.
 */
export function deliveryKeyColumns(table: PublishableTable, api: DeliveryApi): readonly ReadColumn[] {
  const common = ['space_id', 'environment_id', 'id', ...(table === 'entries' ? ['content_type_id'] : [])];
  const links = table === 'entries' ? [api === 'delivery' ? 'published_links' : 'links'] : [];
  return [...common, ...deliveryState[api], ...links];
}

/** A row read with `deliveryKeyColumns`: the link targets (`Entry:id`, `Asset:id`) of entries come along. */
export type DeliveryKeyRow = PublishableRow & { links?: string[] | null; published_links?: string[] | null };

/** The ids an entry links to, from its link targets column (`Entry:id`, `Asset:id`). */
export function linkTargets(rows: DeliveryKeyRow[]): { entries: Set<string>; assets: Set<string> } {
  const entries = new Set<string>();
  const assets = new Set<string>();
  for (const row of rows) {
    for (const target of row.published_links ?? row.links ?? []) {
      const colon = target.indexOf(':');
      const type = target.slice(0, colon);
      if (type === 'Entry') entries.add(target.slice(colon + 1));
      else if (type === 'Asset') assets.add(target.slice(colon + 1));
    }
  }
  return { entries, assets };
}

const stamps = new WeakMap<object, string>();

/** A short digest of a model object's JSON, computed once per object (the metadata caches hand out the same one). */
function stampOf(value: object): string {
  let stamp = stamps.get(value);
  if (stamp === undefined) {
    stamp = createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
    stamps.set(value, stamp);
  }
  return stamp;
}

/** Rows reach renditions with their times as ISO text (`deliveryColumns`); a Date would make another key. */
const time = (value: Date | string | null | undefined) => (value instanceof Date ? value.toISOString() : (value ?? ''));

/**
 * What rendering needs about the environment, prepared once per response rather than per entity: the
 * locales by code, the default and delivered locales, and each content type's field definitions by id.
 */
export class DeliveryRendering {
  readonly byCode: Map<string, LocaleInfo>;
  readonly defaultCode: string;
  readonly delivered: Set<string>;
  private readonly fieldMaps = new Map<string, Map<string, FieldDefinition>>();
  readonly publicTags: Set<string>;
  private readonly modelStamps = new Map<string, string>();
  /** The locale choice, the locales and the public tags: what every rendition of this response depends on. */
  private readonly stamp: string;

  constructor(
    readonly api: DeliveryApi,
    readonly choice: LocaleChoice,
    locales: LocaleInfo[],
    tags: { id: string }[],
  ) {
    this.byCode = new Map(locales.map((l) => [l.code, l]));
    this.defaultCode = locales.find((l) => l.default)?.code ?? 'en-US';
    this.delivered = new Set(locales.filter(isDeliveredLocale).map((l) => l.code));
    this.publicTags = new Set(tags.map((t) => t.id));
    this.stamp = `${choice.all ? '*' : choice.code}/${stampOf(locales)}/${stampOf(tags)}`;
  }

  addContentType(id: string, definitions: FieldDefinition[]) {
    this.fieldMaps.set(id, new Map(definitions.map((d) => [d.id, d])));
    this.modelStamps.set(id, stampOf(definitions));
  }

  /**
   * What decides a row's rendition: the API, the row's identity and the state shown (published: its
   * published version, counter and times; preview: its version and times, which a recreated entity with
   * the same id does not share), the locale choice and the model. Needs the row's content type added.
   */
  renditionKey(type: PublishableType, row: PublishableRow): string {
    const state =
      this.api === 'delivery'
        ? `${row.published_version}.${row.published_counter}.${time(row.first_published_at)}.${time(row.published_at)}`
        : `${row.version}.${time(row.created_at)}.${time(row.updated_at)}`;
    const model = row.content_type_id ? this.modelStamps.get(row.content_type_id) : '';
    return `${this.api}/${row.space_id}/${row.environment_id}/${type}/${row.id}/${state}/${this.stamp}/${model}`;
  }

  hasContentType(id: string) {
    return this.fieldMaps.has(id);
  }

  /**
   * Delivery fields: omitted fields left out, one locale (with fallbacks; non-localized fields always from
   * the default locale) or all locales. Assets (no content type) keep every field.
   */
  fields(fields: LocalizedFields, contentTypeId: string | undefined): Record<string, unknown> {
    const defs = contentTypeId ? (this.fieldMaps.get(contentTypeId) ?? new Map<string, FieldDefinition>()) : undefined;
    const out: Record<string, unknown> = {};
    for (const fieldId in fields) {
      const byLocale = fields[fieldId];
      if (!byLocale || typeof byLocale !== 'object') continue;
      const def = defs?.get(fieldId);
      if (defs && (!def || def.omitted || def.deleted)) continue;
      if (this.choice.all) {
        let kept: Record<string, unknown> | undefined;
        for (const code in byLocale) {
          const value = byLocale[code];
          if (value === null || value === undefined || !this.delivered.has(code)) continue;
          kept ??= {};
          kept[code] = value;
        }
        if (kept) out[fieldId] = kept;
        continue;
      }
      const value = def && !def.localized ? byLocale[this.defaultCode] : resolveLocale(byLocale, this.choice.code, this.byCode);
      if (value !== undefined && value !== null) out[fieldId] = value;
    }
    return out;
  }

  entity(type: PublishableType, row: PublishableRow) {
    const published = this.api === 'delivery';
    const tags = (published ? row.published_tags : row.tags) ?? [];
    return {
      metadata: {
        tags: tags.filter((t) => this.publicTags.has(t)).map((t) => link('Tag', t)),
        concepts: conceptLinks(published ? row.published_concepts : row.concepts),
      },
      sys: {
        space: link('Space', row.space_id),
        id: row.id,
        type,
        createdAt: iso(published ? row.first_published_at : row.created_at),
        updatedAt: iso(published ? row.published_at : row.updated_at),
        environment: environmentScope(row.space_id, row.environment_id).environment,
        revision: published ? row.published_counter : row.version,
        ...(row.content_type_id ? { contentType: link('ContentType', row.content_type_id) } : {}),
        ...(this.choice.all ? {} : { locale: this.choice.code }),
      },
      fields: this.fields((published ? row.published_fields : row.fields) ?? {}, row.content_type_id),
    };
  }
}

export type DeliveryEntity = ReturnType<DeliveryRendering['entity']>;

/** The content model as delivered: the activated definition (CDA) or the draft (CPA), omitted fields hidden. */
export function deliveryContentType(row: ContentTypeRow, api: DeliveryApi) {
  const definition =
    api === 'delivery' || !row
      ? row.published!
      : { name: row.name, description: row.description, displayField: row.display_field, fields: row.fields };
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
    description: definition.description,
    fields: definition.fields.filter((f) => !f.omitted && !f.deleted),
  };
}
