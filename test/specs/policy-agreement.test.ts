import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentPolicy, type PolicyEntity } from '../../src/auth/content-policy.js';
import type { PolicyConstraint, RolePolicy } from '../../src/domain/roles.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * A role's read permission is decided twice: in JavaScript for one entity (`allows`) and as SQL for a
 * collection (`readFilter`). Seeded pseudo-random policies are run both ways over the same rows; the
 * readable ids must be the same, or the test prints the policies and the ids they disagree on.
 */

const SEED = 20_240_601;
const POLICY_SETS = 400;

/** mulberry32: small, fast and the same on every machine. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const some = <T>(items: readonly T[], max = items.length): T[] => items.filter(() => next() < max / items.length / 2);
  return { next, pick, some };
}

const USERS = ['alice', 'bob', 'carol'];
const CONTENT_TYPES = ['post', 'page', 'author'];
const TAGS = ['news', 'legal', 'draft', 'archive'];
const ENTRY_IDS = Array.from({ length: 30 }, (_, i) => `entry${i}`);
const ASSET_IDS = Array.from({ length: 15 }, (_, i) => `asset${i}`);
const DOCS = ['sys.type', 'sys.id', 'sys.contentType.sys.id', 'sys.createdBy.sys.id', 'metadata.tags.sys.id', 'fields.title.en-US'];

type Rng = ReturnType<typeof random>;

function value(rng: Rng, doc: string): string | number {
  switch (doc) {
    case 'sys.type':
      return rng.pick(['Entry', 'Asset']);
    case 'sys.id':
      return rng.pick([...ENTRY_IDS, ...ASSET_IDS]);
    case 'sys.contentType.sys.id':
      return rng.pick(CONTENT_TYPES);
    case 'sys.createdBy.sys.id':
      return rng.pick([...USERS, 'User.current()']);
    case 'metadata.tags.sys.id':
      return rng.pick(TAGS);
    default:
      return rng.pick(['Hello', 7]);
  }
}

function constraint(rng: Rng, depth: number): PolicyConstraint {
  const roll = rng.next();
  if (depth > 0 && roll < 0.15) return { and: [constraint(rng, depth - 1), constraint(rng, depth - 1)] };
  if (depth > 0 && roll < 0.3) return { or: [constraint(rng, depth - 1), constraint(rng, depth - 1)] };
  if (depth > 0 && roll < 0.45) return { not: constraint(rng, depth - 1) };
  if (roll < 0.52) return { paths: [{ doc: rng.pick(['fields.%.de-DE', 'fields.title', 'metadata.tags']) }] };
  const doc = rng.pick(DOCS);
  if (rng.next() < 0.5) return { equals: [{ doc }, value(rng, doc)] };
  return { in: [{ doc }, Array.from({ length: Math.floor(rng.next() * 4) }, () => value(rng, doc))] };
}

function policies(rng: Rng): RolePolicy[] {
  return Array.from({ length: 1 + Math.floor(rng.next() * 4) }, () => {
    const actions = rng.next() < 0.3 ? ('all' as const) : rng.next() < 0.8 ? (['read'] as const) : (['update', 'publish'] as const);
    const policy: RolePolicy = { effect: rng.next() < 0.65 ? 'allow' : 'deny', actions: [...(actions === 'all' ? [] : actions)] };
    if (actions === 'all') policy.actions = 'all';
    if (rng.next() < 0.85) policy.constraint = constraint(rng, 3);
    return policy;
  });
}

function entities(rng: Rng): PolicyEntity[] {
  const createdBy = () => rng.pick([...USERS, null]);
  return [
    ...ENTRY_IDS.map((id) => ({
      type: 'Entry' as const,
      id,
      contentTypeId: rng.pick(CONTENT_TYPES),
      createdBy: createdBy(),
      tags: rng.some(TAGS, 2),
    })),
    ...ASSET_IDS.map((id) => ({ type: 'Asset' as const, id, createdBy: createdBy(), tags: rng.some(TAGS, 2) })),
  ];
}

let testDb: TestDatabase;
const rng = random(SEED);
const rows = entities(rng);

beforeAll(async () => {
  testDb = await createTestDatabase({ migrated: true });
  const { db } = testDb.database;
  // The filter's columns as the entries and assets tables have them (types, nullability), without their keys.
  await sql`create table policy_entries (like entries including defaults)`.execute(db);
  await sql`create table policy_assets (like assets including defaults)`.execute(db);
  for (const row of rows) {
    const table = row.type === 'Entry' ? 'policy_entries' : 'policy_assets';
    const contentType = row.type === 'Entry' ? sql`, content_type_id` : sql``;
    const contentTypeValue = row.type === 'Entry' ? sql`, ${row.contentTypeId}` : sql``;
    await sql`insert into ${sql.table(table)} (space_id, environment_id, id, created_by, tags ${contentType})
      values ('s', 'master', ${row.id}, ${row.createdBy}, ${sql.val(row.tags)}::text[] ${contentTypeValue})`.execute(db);
  }
});
afterAll(async () => {
  await testDb?.drop();
});

async function readableInSql(policy: ContentPolicy, type: PolicyEntity['type']): Promise<string[]> {
  const filter = policy.readFilter(type, 'e') ?? sql`true`;
  const table = type === 'Entry' ? 'policy_entries' : 'policy_assets';
  const result = await sql<{ id: string }>`select e.id from ${sql.table(table)} as e where ${filter} order by e.id`.execute(
    testDb.database.db,
  );
  return result.rows.map((r) => r.id);
}

const readableInJs = (policy: ContentPolicy, type: PolicyEntity['type']) =>
  rows
    .filter((row) => row.type === type && policy.allows('read', row))
    .map((row) => row.id)
    .sort();

describe('read permission: the JavaScript check and the SQL filter', () => {
  it(`agree on which entries and assets are readable for ${POLICY_SETS} generated roles`, async () => {
    const disagreements: unknown[] = [];
    let readableSomewhere = 0;
    for (let i = 0; i < POLICY_SETS; i++) {
      const set = policies(rng);
      const policy = new ContentPolicy(set, rng.pick(USERS));
      for (const type of ['Entry', 'Asset'] as const) {
        const [inJs, inSql] = [readableInJs(policy, type), await readableInSql(policy, type)];
        if (inJs.length > 0) readableSomewhere++;
        if (JSON.stringify(inJs) !== JSON.stringify(inSql)) {
          disagreements.push({
            policies: set,
            type,
            onlyInJs: inJs.filter((id) => !inSql.includes(id)),
            onlyInSql: inSql.filter((id) => !inJs.includes(id)),
          });
        }
      }
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    // The generated roles are varied enough to mean something: many read some but not all rows.
    expect(readableSomewhere).toBeGreaterThan(POLICY_SETS / 4);
  });
});
