import type { GraphQLError } from 'graphql';
import type { ActiveContentType } from '../resources/content-types/service.js';
import { contentfulError } from './errors.js';

/**
 * Contentful's naming rules for the generated schema (GraphQL Content API reference, "Schema generation"):
 * a type is the PascalCase content type id stripped of other characters, prefixed with `ContentType` when
 * it starts with a digit or is a reserved name; two ids giving one name fail the schema (422).
 */
export const RESERVED_TYPE_NAMES = new Set([
  'Query',
  'String',
  'Int',
  'Float',
  'Boolean',
  'ID',
  'JSON',
  'Location',
  'Circle',
  'Rectangle',
  'DateTime',
  'RichText',
  'Asset',
  'AssetCollection',
  'AssetLinkingCollections',
  'AssetFilter',
  'AssetOrder',
  'Entry',
  'EntryCollection',
  'EntryFilter',
  'EntryOrder',
  'Sys',
  'SysFilter',
  'ContentfulMetadata',
  'ContentfulTag',
  'ContentfulMetadataFilter',
  'ContentfulMetadataTagsFilter',
  'Dimension',
  'HexColor',
  'Quality',
  'ImageResizeFocus',
  'ImageResizeStrategy',
  'ImageFormat',
  'ImageTransformOptions',
  'ResourceSys',
  'ResourceLink',
  'ResourceLinkCollection',
  'Never',
  '_Node',
]);

/** Fields every entry type has; a content type field with one of these ids cannot be generated. */
export const RESERVED_FIELD_NAMES = new Set(['sys', 'contentfulMetadata', 'linkedFrom', '_id']);

export function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

export function typeNameOf(contentTypeId: string): string {
  const name = pascalCase(contentTypeId);
  return /^[0-9]/.test(name) || RESERVED_TYPE_NAMES.has(name) || name === '' ? `ContentType${name}` : name;
}

/** `BlogPost` -> `blogPost`: the single-entity query field; `blogPostCollection` is the collection. */
export const queryFieldOf = (typeName: string) => typeName[0]!.toLowerCase() + typeName.slice(1);

const GRAPHQL_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Type names by content type id, or the schema error of colliding or unusable names. */
export function typeNames(contentTypes: ActiveContentType[]): Map<string, string> {
  const byName = new Map<string, string[]>();
  for (const ct of contentTypes) {
    const name = typeNameOf(ct.id);
    byName.set(name, [...(byName.get(name) ?? []), ct.id]);
  }
  for (const [name, ids] of byName) {
    if (ids.length > 1) {
      throw schemaError(
        `Schema generation failed. Type name generated for the content types ${ids.map((id) => `'${id}'`).join(', ')} would be the same for all of them: '${name}'`,
        'COLLIDING_TYPE_NAMES',
        { collidingContentTypeIds: ids, resultingTypeName: name },
      );
    }
  }
  for (const ct of contentTypes) {
    const names = new Map<string, string>();
    for (const field of ct.fields) {
      if (field.omitted || field.deleted) continue;
      if (RESERVED_FIELD_NAMES.has(field.id) || !GRAPHQL_NAME.test(field.id)) {
        throw schemaError(
          `Schema generation failed. Field '${field.id}' of content type '${ct.id}' has a reserved name`,
          'RESERVED_FIELD_NAME',
          { contentTypeId: ct.id, fieldId: field.id },
        );
      }
      const many = field.type === 'Array' && field.items?.type === 'Link';
      const graphName = many ? `${field.id}Collection` : field.id;
      const clash = names.get(graphName);
      if (clash) {
        throw schemaError(
          `Schema generation failed. Fields '${clash}' and '${field.id}' of content type '${ct.id}' would both be named '${graphName}'`,
          'COLLIDING_FIELD_NAMES',
          { contentTypeId: ct.id, collidingFieldIds: [clash, field.id], resultingFieldName: graphName },
        );
      }
      names.set(graphName, field.id);
    }
  }
  return new Map(contentTypes.map((ct) => [ct.id, typeNameOf(ct.id)]));
}

/** A schema that cannot be generated: answered with 422 and no data. */
export class SchemaGenerationError extends Error {
  constructor(readonly error: GraphQLError) {
    super(error.message);
  }
}

function schemaError(message: string, code: string, details: Record<string, unknown>) {
  return new SchemaGenerationError(contentfulError(message, code, details));
}
