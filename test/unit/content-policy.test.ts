import { describe, expect, it } from 'vitest';
import { changedFieldPaths, ContentPolicy, TAGS_PATH, type PolicyEntity } from '../../src/auth/content-policy.js';
import { SpacePermissions } from '../../src/auth/permissions.js';
import type { RolePolicy } from '../../src/domain/roles.js';

const post: PolicyEntity = { type: 'Entry', id: 'p1', contentTypeId: 'post', createdBy: 'alice', tags: ['news'] };
const page: PolicyEntity = { type: 'Entry', id: 'g1', contentTypeId: 'page', createdBy: 'bob', tags: [] };
const logo: PolicyEntity = { type: 'Asset', id: 'a1', createdBy: 'bob', tags: [] };
const isEntry = { equals: [{ doc: 'sys.type' }, 'Entry'] as [{ doc: string }, string] };

describe('ContentPolicy', () => {
  it('allows only what an allow policy matches, and deny overrides allow', () => {
    const policy = new ContentPolicy(
      [
        { effect: 'allow', actions: ['read'], constraint: isEntry },
        { effect: 'allow', actions: 'all', constraint: { and: [isEntry, { equals: [{ doc: 'sys.contentType.sys.id' }, 'post'] }] } },
        { effect: 'deny', actions: ['delete'], constraint: { in: [{ doc: 'metadata.tags.sys.id' }, ['news', 'legal']] } },
      ],
      'alice',
    );
    expect(policy.allows('read', page)).toBe(true);
    expect(policy.allows('update', page)).toBe(false);
    expect(policy.allows('publish', post)).toBe(true);
    expect(policy.allows('delete', post)).toBe(false);
    expect(policy.allows('read', logo)).toBe(false);
    expect(() => policy.require('update', page)).toThrow(expect.objectContaining({ id: 'AccessDenied' }));
  });

  it('resolves User.current() and `not`', () => {
    const own = new ContentPolicy(
      [{ effect: 'allow', actions: ['update'], constraint: { equals: [{ doc: 'sys.createdBy.sys.id' }, 'User.current()'] } }],
      'alice',
    );
    expect(own.allows('update', post)).toBe(true);
    expect(own.allows('update', page)).toBe(false);
    const notPages = new ContentPolicy(
      [{ effect: 'allow', actions: ['read'], constraint: { not: { equals: [{ doc: 'sys.contentType.sys.id' }, 'page'] } } }],
      'x',
    );
    expect([notPages.allows('read', post), notPages.allows('read', page), notPages.allows('read', logo)]).toEqual([true, false, true]);
  });

  it('paths narrow updates to fields and locales: allow-with-paths grants part, deny-with-paths forbids part', () => {
    const policies: RolePolicy[] = [
      {
        effect: 'allow',
        actions: ['update'],
        constraint: { and: [isEntry, { paths: [{ doc: 'fields.%.de-DE' }, { doc: 'fields.slug' }] }] },
      },
      { effect: 'deny', actions: ['update'], constraint: { paths: [{ doc: 'fields.secret.%' }] } },
    ];
    const policy = new ContentPolicy(policies, 'x');
    expect(policy.allows('update', post)).toBe(true);
    expect(policy.allows('update', post, ['fields', 'title', 'de-DE'])).toBe(true);
    expect(policy.allows('update', post, ['fields', 'title', 'en-US'])).toBe(false);
    expect(policy.allows('update', post, ['fields', 'slug', 'en-US'])).toBe(true);
    expect(policy.allows('update', post, ['fields', 'secret', 'de-DE'])).toBe(false);
    expect(policy.allows('update', post, TAGS_PATH)).toBe(false);
    expect(() =>
      policy.requireUpdate(post, [
        ['fields', 'title', 'de-DE'],
        ['fields', 'title', 'en-US'],
      ]),
    ).toThrow(/fields\.title\.en-US/);
    expect(() => policy.requireUpdate(post, [['fields', 'title', 'de-DE']])).not.toThrow();
  });

  it('the unrestricted policy allows everything and filters nothing', () => {
    expect(ContentPolicy.unrestricted.allows('delete', logo)).toBe(true);
    expect(ContentPolicy.unrestricted.readFilter('Entry', 'e')).toBeUndefined();
    expect(new ContentPolicy([], 'x').readFilter('Entry', 'e')).toBeDefined();
  });
});

describe('changedFieldPaths', () => {
  it('lists every field and locale whose value differs, ignoring key order', () => {
    const before = { title: { 'en-US': 'A', 'de-DE': 'B' }, body: { 'en-US': { a: 1, b: [1, 2] } } };
    const after = { title: { 'en-US': 'A', 'de-DE': 'C' }, body: { 'en-US': { b: [1, 2], a: 1 } }, slug: { 'en-US': 'a' } };
    expect(changedFieldPaths(before, after)).toEqual([
      ['fields', 'title', 'de-DE'],
      ['fields', 'slug', 'en-US'],
    ]);
    expect(changedFieldPaths(after, { title: after.title, body: after.body })).toEqual([['fields', 'slug', 'en-US']]);
  });
});

describe('SpacePermissions', () => {
  it('unites the roles: manage implies read, "all" is manage, admins may do everything', () => {
    const permissions = SpacePermissions.fromRoles(
      [
        { permissions: { ContentModel: ['read'], Settings: [] }, policies: [] },
        { permissions: { ContentModel: 'all', ContentDelivery: ['read'] }, policies: [] },
      ],
      'u',
    );
    expect(permissions.allows('ContentModel', 'manage')).toBe(true);
    expect(permissions.allows('ContentDelivery', 'read')).toBe(true);
    expect(permissions.allows('ContentDelivery', 'manage')).toBe(false);
    expect(permissions.allows('Settings', 'read')).toBe(false);
    expect(() => permissions.require('Tags', 'manage')).toThrow(expect.objectContaining({ id: 'AccessDenied' }));
    expect(SpacePermissions.administrator.allows('Settings', 'manage')).toBe(true);
  });

  it('outside master, only members with the Environments permission get in, without content rules', () => {
    const plain = SpacePermissions.fromRoles([{ permissions: {}, policies: [] }], 'u');
    expect(plain.inEnvironment(true)).toBe(plain);
    expect(plain.inEnvironment(false)).toBeUndefined();
    const developer = SpacePermissions.fromRoles([{ permissions: { Environments: 'all' }, policies: [] }], 'u');
    expect(developer.inEnvironment(false)?.content.isUnrestricted).toBe(true);
    expect(developer.inEnvironment(false)?.allows('Settings', 'manage')).toBe(true);
  });
});
