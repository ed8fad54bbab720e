import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import { DEFAULT_LIMIT } from './schema.js';

/** Contentful's limit on a query's complexity ("GraphQL Query Complexity Limit"). */
export const MAX_COMPLEXITY = 11_000;

/**
 * The most entries and assets a query can return, as Contentful counts it: a collection costs its `limit`
 * (100 unless given) times what its parents may return, a single link 1 per parent, each kind of rich
 * text link its field's node-count validation (1000 without one); scalars cost nothing. Fragments count
 * where they are spread.
 */
export function queryComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);

  const argument = (node: { arguments?: readonly { name: { value: string }; value: import('graphql').ValueNode }[] }, name: string) => {
    const found = node.arguments?.find((a) => a.name.value === name);
    return found ? valueFromASTUntyped(found.value, variables) : undefined;
  };

  const fieldOf = (type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined =>
    isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, seen: Set<string>): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'InlineFragment') {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type) cost += walk(selection.selectionSet, type, multiplier, seen);
        continue;
      }
      if (selection.kind === 'FragmentSpread') {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type) cost += walk(fragment.selectionSet, type, multiplier, new Set([...seen, fragment.name.value]));
        continue;
      }
      const field = fieldOf(parent, selection.name.value);
      if (!field || !selection.selectionSet) continue;
      const type = getNamedType(field.type);
      let count = 0;
      const declared = field.extensions?.complexity;
      if (typeof declared === 'number') count = declared;
      else if (isObjectType(type) && type.getFields().items && type.getFields().total) {
        const limit = argument(selection, 'limit');
        count = typeof limit === 'number' ? limit : DEFAULT_LIMIT;
      } else if (!isListType(getNullableType(field.type)) && isEntity(type)) count = 1;
      const below = count > 0 ? multiplier * count : multiplier;
      cost += count > 0 ? multiplier * count : 0;
      cost += walk(selection.selectionSet, type, below, seen);
    }
    return cost;
  };
  const root = schema.getQueryType();
  return root ? walk(operation.selectionSet, root, 1, new Set()) : 0;
}

/** The deepest nesting of selections a query may have (a link followed, a collection's items, ...). */
export const MAX_DEPTH = 20;

/** How deep the operation's selections go, fragments counted where they are spread. */
export function queryDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  const depth = (selectionSet: SelectionSetNode, seen: Set<string>): number => {
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') {
        if (selection.selectionSet) deepest = Math.max(deepest, 1 + depth(selection.selectionSet, seen));
      } else if (selection.kind === 'InlineFragment') deepest = Math.max(deepest, depth(selection.selectionSet, seen));
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value))
          deepest = Math.max(deepest, depth(fragment.selectionSet, new Set([...seen, fragment.name.value])));
      }
    }
    return deepest;
  };
  return depth(operation.selectionSet, new Set());
}

/** Entries, assets, and the interfaces and unions of them, count; `sys`, collections' wrappers and the like do not. */
function isEntity(type: GraphQLNamedType): boolean {
  if (type.name === 'Asset' || type.name === 'Entry' || type.name === '_Node') return true;
  if (isObjectType(type)) return type.getInterfaces().some((i) => i.name === 'Entry');
  return isUnionType(type);
}
