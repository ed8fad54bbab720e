import type { ContentTypeRow } from '../../db/schema.js';
import { dropUndefined, environmentScope, iso, userLink } from '../../http/sys.js';
import type { FieldDefinition } from '../../domain/field-types.js';

export function contentTypeSys(row: ContentTypeRow) {
  const scope = environmentScope(row.space_id, row.environment_id);
  return dropUndefined({
    space: scope.space,
    id: row.id,
    type: 'ContentType',
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    environment: scope.environment,
    publishedVersion: row.published_version ?? undefined,
    publishedAt: iso(row.published_at),
    firstPublishedAt: iso(row.first_published_at),
    createdBy: userLink(row.created_by),
    updatedBy: userLink(row.updated_by),
    publishedCounter: row.published_counter,
    version: row.version,
    publishedBy: userLink(row.published_by),
  });
}

/** The draft definition, as the management API shows it. */
export function contentTypeView(row: ContentTypeRow) {
  return {
    sys: contentTypeSys(row),
    displayField: row.display_field,
    name: row.name,
    description: row.description,
    fields: row.fields,
    ...(row.metadata ? { metadata: row.metadata } : {}),
  };
}

/** The activated definition (`/public/content_types`, snapshots, publish webhooks). */
export function publishedContentTypeView(row: ContentTypeRow) {
  const published = row.published!;
  return {
    sys: contentTypeSys(row),
    displayField: published.displayField,
    name: published.name,
    description: published.description,
    fields: published.fields,
  };
}

/** Fields as they are stored and shown: every flag explicit, validations always a list. */
export function normalizeField(field: FieldDefinition): FieldDefinition {
  return dropUndefined({
    id: field.id,
    name: field.name,
    type: field.type,
    linkType: field.linkType,
    items: field.items ? dropUndefined({ ...field.items, validations: field.items.validations ?? [] }) : undefined,
    localized: field.localized ?? false,
    required: field.required ?? false,
    validations: field.validations ?? [],
    disabled: field.disabled ?? false,
    omitted: field.omitted ?? false,
    defaultValue: field.defaultValue,
    allowedResources: field.allowedResources,
  }) as FieldDefinition;
}
