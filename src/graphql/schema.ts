import {
  GraphQLBoolean,
  GraphQLEnumType,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  type GraphQLInputFieldConfigMap,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  GraphQLUnionType,
} from 'graphql';
import type { FieldDefinition } from '../domain/field-types.js';
import type { OrderKey } from '../query/parse.js';
import type { ActiveContentType } from '../resources/content-types/service.js';
import { assetUrl } from './assets.js';
import type { Entity, GraphContext, Page, View, ViewArgs } from './context.js';
import { contentfulError, unexpectedLinkedContentType, unresolvableLink } from './errors.js';
import { pascalCase, queryFieldOf, typeNames } from './names.js';
import { richTextLinkCap, richTextLinks, type RichTextLinkKind } from './rich-text.js';
import {
  ContentfulMetadataFilter,
  DateTimeScalar,
  EntryInterface,
  ImageTransformOptions,
  JSONScalar,
  LocationType,
  metadataField,
  NodeInterface,
  operatorInputs,
  SYS_ORDER_VALUES,
  SysFilter,
  sysField,
} from './types.js';
import { compileWhere, fieldOperators, isManyLinks, linkedContentType } from './where.js';

/**
 * Generates the GraphQL schema of an environment from its active content types, with Contentful's names
 * (GraphQL Content API, "Schema generation"): a type, a filter input, an order enum, a collection type and
 * linking collections per content type, and the query fields `<type>`, `<type>Collection`, `asset`,
 * `assetCollection`, `entryCollection` and `_node`.
 */

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const viewArgs: GraphQLFieldConfigArgumentMap = {
  preview: { type: GraphQLBoolean },
  locale: { type: GraphQLString },
  useFallbackLocale: { type: GraphQLBoolean },
};
const localeArgs: GraphQLFieldConfigArgumentMap = { locale: { type: GraphQLString }, useFallbackLocale: { type: GraphQLBoolean } };
const pagingArgs: GraphQLFieldConfigArgumentMap = {
  skip: { type: GraphQLInt, defaultValue: 0 },
  limit: { type: GraphQLInt, defaultValue: DEFAULT_LIMIT },
  ...viewArgs,
};

type PagingArgs = ViewArgs & { skip: number; limit: number; where?: Record<string, unknown> | null; order?: OrderKey[] | null };

function checkPaging(args: PagingArgs) {
  if (args.skip < 0) throw contentfulError('Query execution error. "skip" must not be negative', 'BAD_USER_INPUT');
  if (args.limit < 0 || args.limit > MAX_LIMIT)
    throw contentfulError(`Query execution error. "limit" must be between 0 and ${MAX_LIMIT}`, 'BAD_USER_INPUT');
}

/** Whether the query asks for `total` of this collection (counting costs a statement of its own). */
function wantsTotal(info: GraphQLResolveInfo): boolean {
  const visit = (selections: readonly import('graphql').SelectionNode[]): boolean =>
    selections.some((s) => {
      if (s.kind === 'Field') return s.name.value === 'total';
      if (s.kind === 'InlineFragment') return visit(s.selectionSet.selections);
      const fragment = info.fragments[s.name.value];
      return fragment ? visit(fragment.selectionSet.selections) : false;
    });
  return info.fieldNodes.some((node) => (node.selectionSet ? visit(node.selectionSet.selections) : false));
}

const SCALAR_OF: Partial<Record<FieldDefinition['type'], GraphQLScalarType>> = {
  Symbol: GraphQLString,
  Text: GraphQLString,
  Integer: GraphQLInt,
  Number: GraphQLFloat,
  Boolean: GraphQLBoolean,
  Date: DateTimeScalar,
  Object: JSONScalar,
  RichText: GraphQLString,
  Location: GraphQLFloat,
};

const ORDERABLE = new Set(['Symbol', 'Integer', 'Number', 'Boolean', 'Date']);

interface Model {
  contentTypes: Map<string, ActiveContentType>;
  names: Map<string, string>;
  objects: Map<string, GraphQLObjectType>;
  filters: Map<string, GraphQLInputObjectType>;
  nestedFilters: Map<string, GraphQLInputObjectType>;
  orders: Map<string, GraphQLEnumType>;
  collections: Map<string, GraphQLObjectType>;
}

export function buildSchema(active: ActiveContentType[]): GraphQLSchema {
  const contentTypes = [...active].sort((a, b) => a.id.localeCompare(b.id));
  const model: Model = {
    contentTypes: new Map(contentTypes.map((ct) => [ct.id, ct])),
    names: typeNames(contentTypes),
    objects: new Map(),
    filters: new Map(),
    nestedFilters: new Map(),
    orders: new Map(),
    collections: new Map(),
  };

  const collectionType = (name: string, item: GraphQLOutputType) =>
    new GraphQLObjectType<Page<unknown>>({
      name,
      fields: {
        skip: { type: new GraphQLNonNull(GraphQLInt) },
        limit: { type: new GraphQLNonNull(GraphQLInt) },
        total: { type: new GraphQLNonNull(GraphQLInt) },
        items: { type: new GraphQLNonNull(new GraphQLList(item)) },
      },
    });

  const orderEnum = (name: string, ct: ActiveContentType | undefined) => {
    const values: Record<string, { value: OrderKey }> = {};
    for (const f of ct?.fields ?? []) {
      if (f.omitted || f.deleted || !ORDERABLE.has(f.type)) continue;
      for (const desc of [false, true])
        values[`${f.id}_${desc ? 'DESC' : 'ASC'}`] = { value: { param: 'order', path: `fields.${f.id}`, desc } };
    }
    for (const sys of SYS_ORDER_VALUES)
      for (const desc of [false, true])
        values[`sys_${sys}_${desc ? 'DESC' : 'ASC'}`] = { value: { param: 'order', path: `sys.${sys}`, desc } };
    return new GraphQLEnumType({ name, values });
  };

  const fieldFilters = (ct: ActiveContentType, nestedLinks: boolean, self: () => GraphQLInputObjectType): GraphQLInputFieldConfigMap => {
    const fields: GraphQLInputFieldConfigMap = {};
    for (const f of visibleFields(ct)) {
      const targets = linkedContentType(f);
      if (nestedLinks && targets?.length === 1 && model.contentTypes.has(targets[0]!)) {
        fields[f.id] = { type: nestedFilterOf(targets[0]!) };
      }
    }
    fields.sys = { type: SysFilter };
    fields.contentfulMetadata = { type: ContentfulMetadataFilter };
    for (const f of visibleFields(ct)) {
      if (isManyLinks(f)) {
        fields[`${f.id}Collection_exists`] = { type: GraphQLBoolean };
        continue;
      }
      const scalar = f.type === 'Array' ? GraphQLString : SCALAR_OF[f.type];
      if (!scalar) continue;
      Object.assign(fields, operatorInputs(f.id, fieldOperators(f), scalar));
    }
    fields.OR = { type: new GraphQLList(self()) };
    fields.AND = { type: new GraphQLList(self()) };
    return fields;
  };

  const filterOf = (id: string): GraphQLInputObjectType => {
    let filter = model.filters.get(id);
    if (!filter) {
      const ct = model.contentTypes.get(id)!;
      const created: GraphQLInputObjectType = new GraphQLInputObjectType({
        name: `${model.names.get(id)}Filter`,
        fields: () => fieldFilters(ct, true, () => created),
      });
      filter = created;
      model.filters.set(id, filter);
    }
    return filter;
  };

  /** A linked type's filter without its own nested filters: nested filters go one level deep. */
  function nestedFilterOf(id: string): GraphQLInputObjectType {
    let filter = model.nestedFilters.get(id);
    if (!filter) {
      const ct = model.contentTypes.get(id)!;
      const created: GraphQLInputObjectType = new GraphQLInputObjectType({
        name: `cf${model.names.get(id)}NestedFilter`,
        fields: () => fieldFilters(ct, false, () => created),
      });
      filter = created;
      model.nestedFilters.set(id, filter);
    }
    return filter;
  }

  const orderOf = (id: string) => {
    let order = model.orders.get(id);
    if (!order) {
      order = orderEnum(`${model.names.get(id)}Order`, model.contentTypes.get(id));
      model.orders.set(id, order);
    }
    return order;
  };

  const entryCollectionType = collectionType('EntryCollection', EntryInterface);
  const assetCollectionRef: { type?: GraphQLObjectType } = {};
  const collectionOf = (id: string) => {
    let collection = model.collections.get(id);
    if (!collection) {
      collection = collectionType(`${model.names.get(id)}Collection`, objectOf(id));
      model.collections.set(id, collection);
    }
    return collection;
  };

  /** The content types with a link field that may point to `target` (an entry type id, or `Asset`). */
  const linkingTypes = (target: string) =>
    contentTypes.filter((ct) =>
      visibleFields(ct).some((f) => {
        const linkType = f.type === 'Array' ? f.items?.linkType : f.linkType;
        if (target === 'Asset') return linkType === 'Asset';
        const allowed = linkedContentType(f);
        return allowed?.includes(target);
      }),
    );

  const linkingCollections = (name: string, target: string) =>
    new GraphQLObjectType<{ entity: Entity; view: View }, GraphContext>({
      name: `${name}LinkingCollections`,
      fields: () => {
        const fields: GraphQLFieldConfigMap<{ entity: Entity; view: View }, GraphContext> = {
          entryCollection: {
            type: entryCollectionType,
            args: pagingArgs,
            resolve: (source, args: PagingArgs, ctx, info) => {
              checkPaging(args);
              return ctx.linkedFrom(source.entity, ctx.view(source.view, args), { ...args, order: [], withTotal: wantsTotal(info) });
            },
          },
        };
        for (const source of linkingTypes(target)) {
          const sourceName = model.names.get(source.id)!;
          const order = orderEnum(`${name}LinkingCollections${sourceName}CollectionOrder`, source);
          fields[`${queryFieldOf(sourceName)}Collection`] = {
            type: collectionOf(source.id),
            args: { ...pagingArgs, ...(target === 'Asset' ? {} : { order: { type: new GraphQLList(order) } }) },
            resolve: (parent, args: PagingArgs, ctx, info) => {
              checkPaging(args);
              return ctx.linkedFrom(parent.entity, ctx.view(parent.view, args), {
                contentTypeId: source.id,
                definition: { id: source.id, fields: source.fields },
                skip: args.skip,
                limit: args.limit,
                order: (args.order ?? []).filter(Boolean),
                withTotal: wantsTotal(info),
              });
            },
          };
        }
        return fields;
      },
    });

  const linkedFromField = (name: string, target: string): GraphQLFieldConfig<Entity, GraphContext> => ({
    type: linkingCollections(name, target),
    args: { allowedLocales: { type: new GraphQLList(GraphQLString) } },
    resolve: (entity) => ({ entity, view: entity.view }),
  });

  const entryType = (id: string) => model.names.get(id);

  /** The entry a link points to, or the documented error when it cannot be resolved or is of another type. */
  const linkedEntry = async (ctx: GraphContext, parent: Entity, field: FieldDefinition, id: string, view: View, allowed: string[]) => {
    const entity = await ctx.entity('entries', id, view);
    const link = {
      type: entryType(parent.contentTypeId!) ?? '',
      field: field.id,
      linkType: 'Entry' as const,
      linkId: id,
      linkingEntryId: parent.id,
    };
    if (!entity) throw unresolvableLink(link);
    if (!model.names.has(entity.contentTypeId!) || (allowed.length > 0 && !allowed.includes(entity.contentTypeId!)))
      throw unexpectedLinkedContentType({ ...link, contentType: entity.contentTypeId! });
    return entity;
  };
  const linkedAsset = async (ctx: GraphContext, parent: Entity, field: FieldDefinition, id: string, view: View) => {
    const entity = await ctx.entity('assets', id, view);
    if (!entity)
      throw unresolvableLink({
        type: entryType(parent.contentTypeId!) ?? '',
        field: field.id,
        linkType: 'Asset',
        linkId: id,
        linkingEntryId: parent.id,
      });
    return entity;
  };

  const linkIdOf = (value: unknown): string | undefined => {
    const id = (value as { sys?: { id?: unknown } } | null)?.sys?.id;
    return typeof id === 'string' ? id : undefined;
  };

  /** The output type of a link field (or of an array's items) allowing `allowed` content types. */
  const linkTarget = (owner: string, field: FieldDefinition, allowed: string[], suffix: string): GraphQLOutputType => {
    const known = allowed.filter((id) => model.contentTypes.has(id));
    if (allowed.length === 1 && known.length === 1) return objectOf(known[0]!);
    if (known.length > 1)
      return new GraphQLUnionType({ name: `${owner}${pascalCase(field.id)}${suffix}`, types: () => known.map((id) => objectOf(id)) });
    return EntryInterface;
  };

  const richTextType = (owner: string, field: FieldDefinition) => {
    const base = `${owner}${pascalCase(field.id)}`;
    const list = (type: GraphQLOutputType, kind: RichTextLinkKind) => ({
      type: new GraphQLNonNull(new GraphQLList(type)),
      // The query's complexity counts each kind of link at the most the field's validations allow.
      extensions: { complexity: richTextLinkCap(field.validations, kind) },
      resolve: (source: RichTextSource, _args: unknown, ctx: GraphContext) =>
        richTextLinks(source.document, kind).map((id) =>
          kind.includes('asset')
            ? linkedAsset(ctx, source.entity, field, id, source.view)
            : linkedEntry(ctx, source.entity, field, id, source.view, []),
        ),
    });
    const entries = new GraphQLObjectType<RichTextSource, GraphContext>({
      name: `${base}Entries`,
      fields: () => ({
        inline: list(EntryInterface, 'embedded-entry-inline'),
        block: list(EntryInterface, 'embedded-entry-block'),
        hyperlink: list(EntryInterface, 'entry-hyperlink'),
      }),
    });
    const assets = new GraphQLObjectType<RichTextSource, GraphContext>({
      name: `${base}Assets`,
      fields: () => ({ block: list(assetType(), 'embedded-asset-block'), hyperlink: list(assetType(), 'asset-hyperlink') }),
    });
    const links = new GraphQLObjectType<RichTextSource, GraphContext>({
      name: `${base}Links`,
      fields: {
        entries: { type: new GraphQLNonNull(entries), resolve: (s) => s },
        assets: { type: new GraphQLNonNull(assets), resolve: (s) => s },
      },
    });
    return new GraphQLObjectType<RichTextSource, GraphContext>({
      name: base,
      fields: {
        json: { type: new GraphQLNonNull(JSONScalar), resolve: (s) => s.document },
        links: { type: new GraphQLNonNull(links), resolve: (s) => s },
      },
    });
  };

  const fieldView = (ctx: GraphContext, view: View, args: ViewArgs) =>
    args.locale || args.useFallbackLocale !== undefined ? ctx.view(view, args) : view;

  const contentField = (
    owner: string,
    _ct: ActiveContentType,
    f: FieldDefinition,
  ): [string, GraphQLFieldConfig<Entity, GraphContext>] | undefined => {
    const localized = f.localized === true;
    const value = (entity: Entity, ctx: GraphContext, args: ViewArgs) =>
      ctx.value(entity, f.id, localized, fieldView(ctx, entity.view, args));
    switch (f.type) {
      case 'Symbol':
      case 'Text':
      case 'Integer':
      case 'Number':
      case 'Boolean':
      case 'Date':
      case 'Object':
        return [f.id, { type: SCALAR_OF[f.type]!, args: localeArgs, resolve: (e, args, ctx) => value(e, ctx, args) }];
      case 'Location':
        return [f.id, { type: LocationType, args: localeArgs, resolve: (e, args, ctx) => value(e, ctx, args) }];
      case 'RichText': {
        const type = richTextType(owner, f);
        return [
          f.id,
          {
            type,
            args: localeArgs,
            resolve: (entity, args: ViewArgs, ctx) => {
              const document = value(entity, ctx, args);
              return document ? { entity, view: entity.view, document } : null;
            },
          },
        ];
      }
      case 'Link': {
        if (f.linkType === 'Asset')
          return [
            f.id,
            {
              type: assetType(),
              args: viewArgs,
              resolve: (entity, args: ViewArgs, ctx) => {
                const id = linkIdOf(ctx.value(entity, f.id, localized, entity.view));
                return id ? linkedAsset(ctx, entity, f, id, ctx.view(entity.view, args)) : null;
              },
            },
          ];
        const allowed = linkedContentType(f) ?? [];
        const single = allowed.length === 1 && model.contentTypes.has(allowed[0]!) ? allowed[0] : undefined;
        return [
          f.id,
          {
            type: linkTarget(owner, f, allowed, ''),
            args: single ? { ...viewArgs, where: { type: filterOf(single) } } : viewArgs,
            resolve: async (entity, args: ViewArgs & { where?: Record<string, unknown> | null }, ctx) => {
              const id = linkIdOf(ctx.value(entity, f.id, localized, entity.view));
              if (!id) return null;
              const view = ctx.view(entity.view, args);
              const linked = await linkedEntry(ctx, entity, f, id, view, allowed);
              if (!args.where || !single) return linked;
              // A filter on the link itself: the entry when it matches, null otherwise.
              const page = await ctx.collection('entries', view, {
                contentTypeId: single,
                skip: 0,
                limit: 1,
                order: [],
                withTotal: false,
                where: (compilerFor) => [
                  compilerFor().condition({ param: 'sys.id', target: { kind: 'sys', path: 'id' }, op: 'eq', raw: id }),
                  ...compileWhere(args.where, model.contentTypes.get(single), { compilerFor, contentTypes: model.contentTypes }),
                ],
              });
              return page.items[0] ?? null;
            },
          },
        ];
      }
      case 'Array': {
        if (f.items?.type === 'Symbol')
          return [f.id, { type: new GraphQLList(GraphQLString), args: localeArgs, resolve: (e, args, ctx) => value(e, ctx, args) }];
        if (f.items?.type !== 'Link') return undefined;
        if (f.items.linkType === 'Asset')
          return [
            `${f.id}Collection`,
            {
              type: assetCollectionRef.type!,
              args: pagingArgs,
              resolve: (entity, args: PagingArgs, ctx) => {
                checkPaging(args);
                const view = ctx.view(entity.view, args);
                const ids = linkIds(ctx.value(entity, f.id, localized, entity.view));
                return {
                  items: ids.slice(args.skip, args.skip + args.limit).map((id) => linkedAsset(ctx, entity, f, id, view)),
                  total: ids.length,
                  skip: args.skip,
                  limit: args.limit,
                };
              },
            },
          ];
        const allowed = linkedContentType(f) ?? [];
        const single = allowed.length === 1 && model.contentTypes.has(allowed[0]!) ? allowed[0] : undefined;
        const collection = collectionType(`${owner}${pascalCase(f.id)}Collection`, linkTarget(owner, f, allowed, 'Item'));
        const order = single ? orderEnum(`${owner}${pascalCase(f.id)}CollectionOrder`, model.contentTypes.get(single)) : undefined;
        return [
          `${f.id}Collection`,
          {
            type: collection,
            args: { ...pagingArgs, ...(single ? { where: { type: filterOf(single) }, order: { type: new GraphQLList(order!) } } : {}) },
            resolve: async (entity, args: PagingArgs, ctx, info) => {
              checkPaging(args);
              const view = ctx.view(entity.view, args);
              const ids = linkIds(ctx.value(entity, f.id, localized, entity.view));
              if (!single || (!args.where && !args.order?.length))
                return {
                  items: ids.slice(args.skip, args.skip + args.limit).map((id) => linkedEntry(ctx, entity, f, id, view, allowed)),
                  total: ids.length,
                  skip: args.skip,
                  limit: args.limit,
                };
              // Filtered or ordered: the linked entries are searched like a root collection, among the links.
              return ctx.collection('entries', view, {
                contentTypeId: single,
                skip: args.skip,
                limit: args.limit,
                order: (args.order ?? []).filter(Boolean),
                withTotal: wantsTotal(info),
                where: (compilerFor) => [
                  compilerFor().condition({
                    param: 'sys.id',
                    target: { kind: 'sys', path: 'id' },
                    op: 'in',
                    raw: ids.join(','),
                    values: ids,
                  }),
                  ...compileWhere(args.where, model.contentTypes.get(single), { compilerFor, contentTypes: model.contentTypes }),
                ],
              });
            },
          },
        ];
      }
      default:
        return undefined;
    }
  };

  function objectOf(id: string): GraphQLObjectType {
    let object = model.objects.get(id);
    if (!object) {
      const ct = model.contentTypes.get(id)!;
      const name = model.names.get(id)!;
      object = new GraphQLObjectType<Entity, GraphContext>({
        name,
        description: ct.name,
        interfaces: [EntryInterface, NodeInterface],
        isTypeOf: (value: Entity) => value.contentTypeId === id,
        fields: () => {
          const fields: GraphQLFieldConfigMap<Entity, GraphContext> = {
            _id: { type: new GraphQLNonNull(GraphQLID), resolve: (e) => e.id },
            sys: sysField,
            contentfulMetadata: metadataField,
            linkedFrom: linkedFromField(name, id),
          };
          for (const f of visibleFields(ct)) {
            const field = contentField(name, ct, f);
            if (field) fields[field[0]] = field[1];
          }
          return fields;
        },
      });
      model.objects.set(id, object);
    }
    return object;
  }

  let asset: GraphQLObjectType | undefined;
  function assetType(): GraphQLObjectType {
    if (asset) return asset;
    const file = (e: Entity, ctx: GraphContext, args: ViewArgs) =>
      ctx.value(e, 'file', true, fieldView(ctx, e.view, args)) as AssetFile | null;
    const fileProperty = (type: GraphQLScalarType, read: (file: AssetFile) => unknown): GraphQLFieldConfig<Entity, GraphContext> => ({
      type,
      args: localeArgs,
      resolve: (e, args, ctx) => {
        const f = file(e, ctx, args);
        return f ? (read(f) ?? null) : null;
      },
    });
    asset = new GraphQLObjectType<Entity, GraphContext>({
      name: 'Asset',
      description: 'Represents a binary file in a space. An asset can be any file type.',
      interfaces: [NodeInterface],
      isTypeOf: (value: Entity) => value.table === 'assets',
      fields: () => ({
        _id: { type: new GraphQLNonNull(GraphQLID), resolve: (e) => e.id },
        sys: sysField,
        contentfulMetadata: metadataField,
        title: {
          type: GraphQLString,
          args: localeArgs,
          resolve: (e, args, ctx) => ctx.value(e, 'title', true, fieldView(ctx, e.view, args)),
        },
        description: {
          type: GraphQLString,
          args: localeArgs,
          resolve: (e, args, ctx) => ctx.value(e, 'description', true, fieldView(ctx, e.view, args)),
        },
        contentType: fileProperty(GraphQLString, (f) => f.contentType),
        fileName: fileProperty(GraphQLString, (f) => f.fileName),
        size: fileProperty(GraphQLInt, (f) => f.details?.size),
        url: {
          type: GraphQLString,
          args: { ...localeArgs, transform: { type: ImageTransformOptions } },
          resolve: (e, args: ViewArgs & { transform?: Record<string, unknown> | null }, ctx) => {
            const f = file(e, ctx, args);
            return f?.url ? assetUrl(ctx.protocol, f.url, f.contentType, args.transform ?? undefined) : null;
          },
        },
        width: fileProperty(GraphQLInt, (f) => f.details?.image?.width),
        height: fileProperty(GraphQLInt, (f) => f.details?.image?.height),
        linkedFrom: linkedFromField('Asset', 'Asset'),
      }),
    });
    return asset;
  }
  assetCollectionRef.type = collectionType('AssetCollection', assetType());

  const AssetFilter: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: 'AssetFilter',
    fields: () => ({
      sys: { type: SysFilter },
      contentfulMetadata: { type: ContentfulMetadataFilter },
      ...operatorInputs('title', fieldOperators({ id: 'title', name: 'Title', type: 'Symbol' }), GraphQLString),
      ...operatorInputs('description', fieldOperators({ id: 'description', name: 'Description', type: 'RichText' }), GraphQLString),
      OR: { type: new GraphQLList(AssetFilter) },
      AND: { type: new GraphQLList(AssetFilter) },
    }),
  });
  const EntryFilter: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: 'EntryFilter',
    fields: () => ({
      sys: { type: SysFilter },
      contentfulMetadata: { type: ContentfulMetadataFilter },
      OR: { type: new GraphQLList(EntryFilter) },
      AND: { type: new GraphQLList(EntryFilter) },
    }),
  });

  const rootCollection =
    (table: 'entries' | 'assets', ct: ActiveContentType | undefined): GraphQLFieldConfig<unknown, GraphContext>['resolve'] =>
    (_root, args: PagingArgs, ctx, info) => {
      checkPaging(args);
      const view = ctx.view(ctx.rootView(), args);
      return ctx.collection(table, view, {
        contentTypeId: ct?.id,
        skip: args.skip,
        limit: args.limit,
        order: (args.order ?? []).filter(Boolean),
        withTotal: wantsTotal(info),
        where: args.where
          ? (compilerFor) => compileWhere(args.where, ct, { compilerFor, contentTypes: model.contentTypes }, 'e', table)
          : undefined,
      });
    };

  const query: GraphQLFieldConfigMap<unknown, GraphContext> = {};
  for (const ct of contentTypes) {
    const name = model.names.get(ct.id)!;
    const field = queryFieldOf(name);
    query[field] = {
      type: objectOf(ct.id),
      args: { id: { type: new GraphQLNonNull(GraphQLString) }, ...viewArgs },
      resolve: async (_root, args: ViewArgs & { id: string }, ctx) => {
        const entity = await ctx.entity('entries', args.id, ctx.view(ctx.rootView(), args));
        return entity?.contentTypeId === ct.id ? entity : null;
      },
    };
    query[`${field}Collection`] = {
      type: collectionOf(ct.id),
      args: { ...pagingArgs, where: { type: filterOf(ct.id) }, order: { type: new GraphQLList(orderOf(ct.id)) } },
      resolve: rootCollection('entries', ct),
    };
  }
  query.asset = {
    type: assetType(),
    args: { id: { type: new GraphQLNonNull(GraphQLString) }, ...viewArgs },
    resolve: (_root, args: ViewArgs & { id: string }, ctx) => ctx.entity('assets', args.id, ctx.view(ctx.rootView(), args)),
  };
  query.assetCollection = {
    type: assetCollectionRef.type,
    args: { ...pagingArgs, where: { type: AssetFilter }, order: { type: new GraphQLList(orderEnum('AssetOrder', undefined)) } },
    resolve: rootCollection('assets', undefined),
  };
  query.entryCollection = {
    type: entryCollectionType,
    args: { ...pagingArgs, where: { type: EntryFilter }, order: { type: new GraphQLList(orderEnum('EntryOrder', undefined)) } },
    resolve: rootCollection('entries', undefined),
  };
  query._node = {
    type: NodeInterface,
    args: { id: { type: new GraphQLNonNull(GraphQLID) }, ...viewArgs },
    resolve: async (_root, args: ViewArgs & { id: string }, ctx) => {
      const view = ctx.view(ctx.rootView(), args);
      const entity = await ctx.entity('entries', args.id, view);
      return entity && model.names.has(entity.contentTypeId!) ? entity : null;
    },
  };

  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: query }),
    types: [...contentTypes.map((ct) => objectOf(ct.id)), assetType()],
  });
}

interface RichTextSource {
  entity: Entity;
  view: View;
  document: unknown;
}

interface AssetFile {
  url?: string;
  fileName?: string;
  contentType?: string;
  details?: { size?: number; image?: { width?: number; height?: number } };
}

function visibleFields(ct: ActiveContentType) {
  return ct.fields.filter((f) => !f.omitted && !f.deleted);
}

function linkIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => (v as { sys?: { id?: unknown } } | null)?.sys?.id).filter((id): id is string => typeof id === 'string');
}
