import { sql, type RawBuilder } from 'kysely';

/** An organization id as SQL: a value, or an expression such as the organization of a space. */
export type OrganizationRef = string | RawBuilder<string>;

/** The organization a space belongs to, as a scalar subquery (delivery searches know only the space). */
export const organizationOfSpace = (spaceId: string): RawBuilder<string> =>
  sql<string>`(select organization_id from spaces where id = ${spaceId})`;

/**
 * The ids of the taxonomy concepts below `roots` in one organization, walking `broader` links down (a GIN
 * index answers each step). Unbounded, the roots are included and the walk ends when no new id appears
 * (so it ends even on a cycle); with `depth`, only the concepts 1 to `depth` levels below the roots.
 */
export function conceptsBelow(organization: OrganizationRef, roots: readonly string[], depth?: number): RawBuilder<string> {
  const org = typeof organization === 'string' ? sql`${organization}` : organization;
  if (depth === undefined) {
    return sql<string>`(with recursive below(id) as (
      select unnest(${roots}::text[])
      union
      select c.id from taxonomy_concepts c join below on c.broader @> array[below.id] where c.organization_id = ${org}
    ) select id from below)`;
  }
  return sql<string>`(with recursive below(id, depth) as (
      select unnest(${roots}::text[]), 0
      union
      select c.id, below.depth + 1 from taxonomy_concepts c join below on c.broader @> array[below.id]
      where c.organization_id = ${org} and below.depth < ${depth}::int
    ) select id from below where depth > 0)`;
}
