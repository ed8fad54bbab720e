import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLFloat,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
  GraphQLID,
  Kind,
  type ValueNode,
  type GraphQLInputFieldConfigMap,
} from 'graphql';
import type { Entity, GraphContext } from './context.js';
import { sysOperators, SYS_FILTER_FIELDS, type FilterOperator } from './where.js';

/**
 * The types every generated schema shares (Contentful's built-in types: scalars, `Sys`, metadata, the
 * `Entry` and `_Node` interfaces, image transform options, `sys` and metadata filters).
 */

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return ast.values.map(literal);
    default:
      return null;
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'The `JSON` scalar type represents JSON values as specified by ECMA-404',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format of RFC 3339',
  serialize: (value) => (value instanceof Date ? value.toISOString() : value),
  parseValue: (value) => checkedDate(value),
  parseLiteral: (ast) => checkedDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function checkedDate(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new GraphQLError(`DateTime cannot represent "${String(value)}"`);
  return value;
}

function boundedInt(name: string, description: string, min: number, max: number) {
  const check = (value: unknown) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw new GraphQLError(`${name} must be a whole number between ${min} and ${max}, got ${String(value)}`);
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (v) => v,
    parseValue: check,
    parseLiteral: (ast) => check(ast.kind === Kind.INT ? Number(ast.value) : undefined),
  });
}

export const DimensionScalar = boundedInt(
  'Dimension',
  "The 'Dimension' type represents dimensions as whole numeric values between `1` and `4000`.",
  1,
  4000,
);
export const QualityScalar = boundedInt(
  'Quality',
  "The 'Quality' type represents quality as whole numeric values between `1` and `100`.",
  1,
  100,
);

export const HexColorScalar = new GraphQLScalarType({
  name: 'HexColor',
  description: "The 'HexColor' type represents color in `rgb:ffffff` string format.",
  serialize: (v) => v,
  parseValue: (v) => checkedColor(v),
  parseLiteral: (ast) => checkedColor(ast.kind === Kind.STRING ? ast.value : undefined),
});

function checkedColor(value: unknown) {
  if (typeof value !== 'string' || !/^rgb:[0-9a-fA-F]{6}$/.test(value))
    throw new GraphQLError(`HexColor must be rgb:RRGGBB, got ${String(value)}`);
  return value;
}

const shapeScalar = (name: string, description: string) =>
  new GraphQLScalarType({ name, description, serialize: (v) => v, parseValue: (v) => v, parseLiteral: literal });
export const CircleScalar = shapeScalar('Circle', 'A circle: [lat, lon, radius in km], or { lat, lon, radius }');
export const RectangleScalar = shapeScalar('Rectangle', 'A rectangle: [lat1, lon1, lat2, lon2] (two opposite corners)');

export const LocationType = new GraphQLObjectType({
  name: 'Location',
  fields: { lat: { type: GraphQLFloat }, lon: { type: GraphQLFloat } },
});

export const SysType = new GraphQLObjectType<Entity, GraphContext>({
  name: 'Sys',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLString), resolve: (e) => e.id },
    spaceId: { type: new GraphQLNonNull(GraphQLString), resolve: (e) => e.spaceId },
    environmentId: { type: new GraphQLNonNull(GraphQLString), resolve: (e) => e.environmentId },
    publishedAt: { type: DateTimeScalar, resolve: (e) => e.publishedAt },
    firstPublishedAt: { type: DateTimeScalar, resolve: (e) => e.firstPublishedAt },
    publishedVersion: { type: GraphQLInt, resolve: (e) => e.publishedVersion },
    locale: { type: GraphQLString, description: 'The locale that was requested.', resolve: (e) => e.view.locale },
  },
});

export const ContentfulTagType = new GraphQLObjectType({
  name: 'ContentfulTag',
  description: 'Represents a tag entity for finding and organizing content easily.',
  fields: { id: { type: GraphQLString }, name: { type: GraphQLString } },
});

export const TaxonomyConceptType = new GraphQLObjectType({
  name: 'TaxonomyConcept',
  description: 'Represents a taxonomy concept entity for finding and organizing content easily.',
  fields: { id: { type: GraphQLString } },
});

export const ContentfulMetadataType = new GraphQLObjectType<Entity, GraphContext>({
  name: 'ContentfulMetadata',
  fields: {
    tags: {
      type: new GraphQLNonNull(new GraphQLList(ContentfulTagType)),
      // Only public tags are delivered.
      resolve: (e, _args, ctx) => e.tags.filter((id) => ctx.publicTags.has(id)).map((id) => ({ id, name: ctx.publicTags.get(id) })),
    },
    concepts: { type: new GraphQLNonNull(new GraphQLList(TaxonomyConceptType)), resolve: (e) => e.concepts.map((id) => ({ id })) },
  },
});

export const sysField = { type: new GraphQLNonNull(SysType), resolve: (e: Entity) => e };
export const metadataField = { type: new GraphQLNonNull(ContentfulMetadataType), resolve: (e: Entity) => e };

export const NodeInterface = new GraphQLInterfaceType({
  name: '_Node',
  fields: { _id: { type: new GraphQLNonNull(GraphQLID) } },
});

export const EntryInterface = new GraphQLInterfaceType({
  name: 'Entry',
  fields: { sys: { type: new GraphQLNonNull(SysType) }, contentfulMetadata: { type: new GraphQLNonNull(ContentfulMetadataType) } },
});

const described = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([name, description]) => [name, { description }]));

export const ImageResizeStrategy = new GraphQLEnumType({
  name: 'ImageResizeStrategy',
  values: described({
    FIT: 'Resizes the image to fit into the specified dimensions.',
    PAD: 'Resizes the image to the specified dimensions, padding the image if needed. Uses desired background color as padding color.',
    FILL: 'Resizes the image to the specified dimensions, cropping the image if needed.',
    SCALE: 'Resizes the image to the specified dimensions, changing the original aspect ratio if needed.',
    CROP: 'Crops a part of the original image to fit into the specified dimensions.',
    THUMB: 'Creates a thumbnail from the image.',
  }),
});

export const ImageResizeFocus = new GraphQLEnumType({
  name: 'ImageResizeFocus',
  values: described({
    CENTER: 'Focus the resizing on the center.',
    TOP: 'Focus the resizing on the top.',
    TOP_RIGHT: 'Focus the resizing on the top right.',
    RIGHT: 'Focus the resizing on the right.',
    BOTTOM_RIGHT: 'Focus the resizing on the bottom right.',
    BOTTOM: 'Focus the resizing on the bottom.',
    BOTTOM_LEFT: 'Focus the resizing on the bottom left.',
    LEFT: 'Focus the resizing on the left.',
    TOP_LEFT: 'Focus the resizing on the top left.',
    FACE: 'Focus the resizing on the largest face.',
    FACES: 'Focus the resizing on the area containing all the faces.',
  }),
});

export const ImageFormat = new GraphQLEnumType({
  name: 'ImageFormat',
  values: described({
    JPG: 'JPG image format.',
    JPG_PROGRESSIVE: 'Progressive JPG format stores multiple passes of an image in progressively higher detail.',
    PNG: 'PNG image format',
    PNG8: '8-bit PNG images support up to 256 colors and weigh less than the standard 24-bit PNG equivalent.',
    WEBP: 'WebP image format.',
    AVIF: 'AVIF image format.',
  }),
});

export const ImageTransformOptions = new GraphQLInputObjectType({
  name: 'ImageTransformOptions',
  fields: {
    width: { type: DimensionScalar, description: 'Desired width in pixels. Defaults to the original image width.' },
    height: { type: DimensionScalar, description: 'Desired height in pixels. Defaults to the original image height.' },
    quality: { type: QualityScalar, description: 'Desired quality of the image in percents.' },
    cornerRadius: { type: GraphQLInt, description: 'Desired corner radius in pixels (`-1` for a full circle/ellipse). Defaults to `0`.' },
    resizeStrategy: { type: ImageResizeStrategy, description: 'Desired resize strategy. Defaults to `FIT`.' },
    resizeFocus: { type: ImageResizeFocus, description: 'Desired resize focus area. Defaults to `CENTER`.' },
    backgroundColor: { type: HexColorScalar, description: 'Desired background color, used with corner radius or `PAD` resize strategy.' },
    format: { type: ImageFormat, description: 'Desired image format. Defaults to the original image format.' },
  },
});

/** The input fields of a value's filters: `name`, `name_not`, `name_in`, ... of one GraphQL scalar. */
export function operatorInputs(name: string, operators: FilterOperator[], scalar: GraphQLScalarType): GraphQLInputFieldConfigMap {
  const fields: GraphQLInputFieldConfigMap = {};
  for (const o of operators) {
    const type =
      o.kind === 'exists'
        ? GraphQLBoolean
        : o.kind === 'list'
          ? new GraphQLList(scalar)
          : o.kind === 'circle'
            ? CircleScalar
            : o.kind === 'rectangle'
              ? RectangleScalar
              : scalar;
    fields[`${name}${o.suffix}`] = { type };
  }
  return fields;
}

export const SysFilter = new GraphQLInputObjectType({
  name: 'SysFilter',
  fields: () =>
    Object.assign(
      {},
      ...SYS_FILTER_FIELDS.map((name) =>
        operatorInputs(
          name,
          sysOperators(name),
          name === 'id' ? GraphQLString : name === 'publishedVersion' ? GraphQLFloat : DateTimeScalar,
        ),
      ),
    ),
});

const ContentfulMetadataTagsFilter = new GraphQLInputObjectType({
  name: 'ContentfulMetadataTagsFilter',
  fields: {
    id_contains_all: { type: new GraphQLList(GraphQLString) },
    id_contains_some: { type: new GraphQLList(GraphQLString) },
    id_contains_none: { type: new GraphQLList(GraphQLString) },
  },
});

/** Concepts by id (`id_contains_*`), or with `descendants` by a concept or any concept below it (Contentful's GraphQL reference). */
const ContentfulMetadataConceptsDescendantsFilter = new GraphQLInputObjectType({
  name: 'ContentfulMetadataConceptsDescendantsFilter',
  fields: ContentfulMetadataTagsFilter.getFields(),
});

const ContentfulMetadataConceptsFilter = new GraphQLInputObjectType({
  name: 'ContentfulMetadataConceptsFilter',
  fields: { ...ContentfulMetadataTagsFilter.getFields(), descendants: { type: ContentfulMetadataConceptsDescendantsFilter } },
});

export const ContentfulMetadataFilter = new GraphQLInputObjectType({
  name: 'ContentfulMetadataFilter',
  fields: {
    tags_exists: { type: GraphQLBoolean },
    tags: { type: ContentfulMetadataTagsFilter },
    concepts_exists: { type: GraphQLBoolean },
    concepts: { type: ContentfulMetadataConceptsFilter },
  },
});

/** `SYS_ORDER` enum values every order enum ends with. */
export const SYS_ORDER_VALUES = ['id', 'publishedAt', 'firstPublishedAt', 'publishedVersion'];
