import { GraphQLError } from 'graphql';

/**
 * Errors in the shape of Contentful's GraphQL Content API ("GraphQL Errors"): the GraphQL error with
 * `extensions.contentful` holding the `code`, the request id (filled in when the answer is sent) and
 * optional `details`.
 */
export function contentfulError(message: string, code: string, details?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { contentful: { code, ...(details ? { details } : {}) } } });
}

export const unknownLocale = (code: string) =>
  contentfulError(`Query execution error. Requested locale '${code}' does not exist in the space`, 'UNKNOWN_LOCALE', { locale: code });

export interface UnresolvableLink {
  type: string;
  field: string;
  linkType: 'Entry' | 'Asset';
  linkId: string;
  linkingEntryId: string;
}

export const unresolvableLink = (link: UnresolvableLink) =>
  contentfulError(
    `Query execution error. Link from entry '${link.linkingEntryId}' to ${link.linkType.toLowerCase()} '${link.linkId}' on field '${link.field}' within type '${link.type}' cannot be resolved`,
    'UNRESOLVABLE_LINK',
    { ...link },
  );

export const unexpectedLinkedContentType = (link: UnresolvableLink & { contentType: string }) =>
  contentfulError(
    `Query execution error. Link from entry '${link.linkingEntryId}' to entry '${link.linkId}' on field '${link.field}' within type '${link.type}' returned an unexpected content type '${link.contentType}'`,
    'UNEXPECTED_LINKED_CONTENT_TYPE',
    { ...link },
  );

/** A request-level error: the HTTP status and the one error of a body without data. */
export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toGraphQL(): GraphQLError {
    return contentfulError(this.message, this.code, this.details);
  }
}
