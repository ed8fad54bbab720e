import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { organizationUser } from '../helpers/users.js';

let server: TestServer;
let cma: PlainClientAPI;
let organizationId: string;
const org = () => ({ organizationId });
const conceptLink = (id: string) => ({ sys: { type: 'Link' as const, linkType: 'TaxonomyConcept' as const, id } });
const label = (text: string) => ({ 'en-US': text });

/** Every property contentful-management's integration tests expect on a concept, and on a concept scheme. */
const CONCEPT_KEYS = [
  'altLabels',
  'broader',
  'changeNote',
  'conceptSchemes',
  'definition',
  'editorialNote',
  'example',
  'hiddenLabels',
  'historyNote',
  'notations',
  'note',
  'prefLabel',
  'related',
  'scopeNote',
  'sys',
  'uri',
];
const SCHEME_KEYS = ['concepts', 'definition', 'prefLabel', 'sys', 'topConcepts', 'totalConcepts', 'uri'];

type Identified = { sys: { id: string } };
const idsOf = (items: Identified[]) => items.map((item) => item.sys.id);

/** The status and error id of a contentful.js call that must fail. */
async function cdaError(promise: Promise<unknown>): Promise<{ status: number; id: string }> {
  try {
    await promise;
  } catch (err) {
    return { status: (JSON.parse((err as Error).message) as { status: number }).status, id: (err as Error).name };
  }
  throw new Error('expected the call to fail');
}

const concept = (id: string, text: string, broader: string[] = []) =>
  cma.concept.createWithId({ ...org(), conceptId: id }, { prefLabel: label(text), broader: broader.map(conceptLink) } as never);

beforeAll(async () => {
  // Delivery answers kept long: the taxonomy tests rely on writes forgetting them.
  server = await startTestServer({ DELIVERY_CACHE_TTL_MS: '600000' });
  cma = server.plainClient();
  organizationId = server.organizationId;
});
afterAll(async () => {
  await server?.close();
});

describe('concepts', () => {
  it('are created with only a preferred label, every property present, and deleted at their version', async () => {
    const created = await cma.concept.create(org(), { prefLabel: label('Minimal') });
    expect(Object.keys(created).sort()).toEqual(CONCEPT_KEYS);
    expect(created).toMatchObject({
      uri: null,
      prefLabel: { 'en-US': 'Minimal' },
      altLabels: {},
      hiddenLabels: {},
      definition: null,
      note: null,
      notations: [],
      broader: [],
      related: [],
      conceptSchemes: [],
    });
    expect(created.sys).toMatchObject({
      type: 'TaxonomyConcept',
      version: 1,
      createdBy: { sys: { type: 'Link', linkType: 'User', id: server.adminUserId } },
      updatedBy: { sys: { type: 'Link', linkType: 'User', id: server.adminUserId } },
    });
    expect(created.sys.id).toMatch(/^[0-9A-Za-z]{22}$/);
    await expectSdkError(cma.concept.delete({ ...org(), conceptId: created.sys.id, version: 7 }), 409, 'VersionMismatch');
    await cma.concept.delete({ ...org(), conceptId: created.sys.id, version: created.sys.version });
    const gone = await expectSdkError(cma.concept.get({ ...org(), conceptId: created.sys.id }), 404, 'NotFound');
    expect(gone.message).toBe('The resource could not be found.');
  });

  it('keep every SKOS property per locale, with a chosen id', async () => {
    const full = await cma.concept.createWithId({ ...org(), conceptId: 'full-concept' }, {
      uri: 'https://example.com/concept',
      prefLabel: { 'en-US': 'Sofa', 'de-DE': 'Sofa' },
      altLabels: { 'en-US': ['Couch', 'Settee'] },
      hiddenLabels: { 'en-US': ['Sopha'] },
      definition: label('A long seat'),
      editorialNote: label('Editorial'),
      historyNote: label('History'),
      example: label('Example'),
      note: label('Note'),
      scopeNote: label('Scope'),
      changeNote: label(''),
      notations: ['S-1', 'S-2'],
    } as never);
    expect(full.sys.id).toBe('full-concept');
    expect(full).toMatchObject({
      uri: 'https://example.com/concept',
      prefLabel: { 'en-US': 'Sofa', 'de-DE': 'Sofa' },
      altLabels: { 'en-US': ['Couch', 'Settee'] },
      hiddenLabels: { 'en-US': ['Sopha'] },
      scopeNote: { 'en-US': 'Scope' },
      changeNote: { 'en-US': '' },
      notations: ['S-1', 'S-2'],
    });
    expect(await cma.concept.get({ ...org(), conceptId: 'full-concept' })).toEqual(full);
  });

  it('update with JSON Patch and in full, each at its version', async () => {
    const created = await concept('patched', 'Patched');
    const patched = await cma.concept.patch({ ...org(), conceptId: 'patched', version: created.sys.version }, [
      { op: 'replace', path: '/uri', value: 'https://example.com/patched' },
      { op: 'add', path: '/note', value: { 'en-US': 'A note' } },
    ]);
    expect(patched).toMatchObject({ uri: 'https://example.com/patched', note: { 'en-US': 'A note' }, sys: { version: 2 } });
    await expectSdkError(
      cma.concept.patch({ ...org(), conceptId: 'patched', version: 1 }, [{ op: 'replace', path: '/uri', value: null }]),
      409,
      'VersionMismatch',
    );
    // The reference: an operation on a property that is not set yet is refused; the whole object is sent instead.
    await expectSdkError(
      cma.concept.patch({ ...org(), conceptId: 'patched', version: 2 }, [{ op: 'add', path: '/definition/en-US', value: 'x' }]),
      422,
      'UnprocessableEntity',
    );
    await expectSdkError(
      cma.concept.patch({ ...org(), conceptId: 'patched', version: 2 }, [{ op: 'replace', path: '/sys/id', value: 'x' }]),
      400,
      'BadRequest',
    );
    const invalid = await expectSdkError(
      cma.concept.patch({ ...org(), conceptId: 'patched', version: 2 }, [{ op: 'remove', path: '/prefLabel' }]),
      422,
      'ValidationFailed',
    );
    expect(invalid.details).toMatchObject({ errors: [{ name: 'required', path: ['prefLabel'] }] });
    const updated = await cma.concept.update(
      { ...org(), conceptId: 'patched', version: 2 },
      {
        prefLabel: label('Patched again'),
        uri: 'https://example.com/put',
      },
    );
    expect(updated).toMatchObject({ uri: 'https://example.com/put', note: null, prefLabel: label('Patched again'), sys: { version: 3 } });
    await expectSdkError(
      cma.concept.update({ ...org(), conceptId: 'patched', version: 2 }, { prefLabel: label('Stale') }),
      409,
      'VersionMismatch',
    );
    await expectSdkError(cma.concept.create(org(), { prefLabel: {} } as never), 422, 'ValidationFailed');
    await expectSdkError(cma.concept.create(org(), {} as never), 422, 'ValidationFailed');
  });

  it('link to broader and related concepts that exist, without a cycle', async () => {
    const furniture = await concept('furniture', 'Furniture');
    const seating = await concept('seating', 'Seating', ['furniture']);
    expect(seating.broader).toEqual([conceptLink('furniture')]);
    const missing = await expectSdkError(concept('orphan', 'Orphan', ['no-such-concept']), 422, 'ValidationFailed');
    expect(missing.details).toMatchObject({
      errors: [{ name: 'notResolvable', path: ['broader', 0], value: conceptLink('no-such-concept') }],
    });
    await expectSdkError(
      cma.concept.create(org(), { prefLabel: label('Loose'), related: [conceptLink('nowhere')] } as never),
      422,
      'ValidationFailed',
    );
    // furniture under seating would make furniture its own ancestor; so would a concept under itself.
    const cycle = await expectSdkError(
      cma.concept.patch({ ...org(), conceptId: 'furniture', version: furniture.sys.version }, [
        { op: 'add', path: '/broader/-', value: conceptLink('seating') },
      ]),
      422,
      'ValidationFailed',
    );
    expect(cycle.details).toMatchObject({ errors: [{ name: 'cycle', path: ['broader'] }] });
    await expectSdkError(
      cma.concept.patch({ ...org(), conceptId: 'seating', version: seating.sys.version }, [
        { op: 'add', path: '/broader/-', value: conceptLink('seating') },
      ]),
      422,
      'ValidationFailed',
    );
    // Contentful's own example sends links with an id only.
    const chair = await cma.concept.createWithId({ ...org(), conceptId: 'chair' }, {
      prefLabel: label('Chair'),
      broader: [{ sys: { id: 'seating' } }],
      related: [{ sys: { id: 'furniture' } }],
    } as never);
    expect(chair).toMatchObject({ broader: [conceptLink('seating')], related: [conceptLink('furniture')] });
    // A linked concept cannot go while the link stands.
    const linked = await expectSdkError(
      cma.concept.delete({ ...org(), conceptId: 'seating', version: seating.sys.version }),
      422,
      'ValidationFailed',
    );
    expect(linked.details).toMatchObject({ errors: [{ name: 'linked', value: conceptLink('chair') }] });
  });

  it('have ancestors and descendants, a level deep unless depth says otherwise', async () => {
    await concept('root', 'Root');
    await concept('middle', 'Middle', ['root']);
    await concept('leaf', 'Leaf', ['middle']);
    await concept('second-parent', 'Second parent');
    await concept('leaf-2', 'Leaf 2', ['middle', 'second-parent']);
    const children = await cma.concept.getDescendants({ ...org(), conceptId: 'root' });
    expect(children.items.map((c) => c.sys.id)).toEqual(['middle']);
    expect(children.items[0].prefLabel['en-US']).toBe('Middle');
    const all = await cma.concept.getDescendants({ ...org(), conceptId: 'root', query: { depth: 5 } });
    expect(all.items.map((c) => c.sys.id)).toEqual(['middle', 'leaf', 'leaf-2']);
    const parents = await cma.concept.getAncestors({ ...org(), conceptId: 'leaf-2' });
    expect(parents.items.map((c) => c.sys.id)).toEqual(['middle', 'second-parent']);
    const lineage = await cma.concept.getAncestors({ ...org(), conceptId: 'leaf', query: { depth: 2 } });
    expect(lineage.items.map((c) => c.sys.id)).toEqual(['root', 'middle']);
    expect((await cma.concept.getAncestors({ ...org(), conceptId: 'root' })).items).toEqual([]);
    await expectSdkError(cma.concept.getDescendants({ ...org(), conceptId: 'nothing' }), 404, 'NotFound');
    await expectSdkError(cma.concept.getDescendants({ ...org(), conceptId: 'root', query: { depth: 0 } }), 400, 'InvalidQuery');
  });

  it('page by cursor, the next page a URL the SDK calls as it is; filters and totals', async () => {
    const { total } = await cma.concept.getTotal(org());
    const first = await cma.concept.getMany({ ...org(), query: { limit: 2 } });
    expect(first.items).toHaveLength(2);
    expect(first.pages?.next).toMatch(new RegExp(`^/organizations/${organizationId}/taxonomy/concepts\\?limit=2&pageNext=`));
    const seen = [...first.items.map((c) => c.sys.id)];
    let next = first.pages?.next;
    while (next) {
      const page = await cma.concept.getMany({ ...org(), query: { pageUrl: next } });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.sys.id));
      next = page.pages?.next;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const byLabel = await cma.concept.getMany({ ...org(), query: { order: '-prefLabel', limit: 3 } });
    expect(byLabel.items.map((c) => c.prefLabel['en-US'])).toEqual(['Sofa', 'Second parent', 'Seating']);
    const found = await cma.concept.getMany({ ...org(), query: { query: 'couch' } });
    expect(found.items.map((c) => c.sys.id)).toEqual(['full-concept']);
    const picked = await cma.concept.getMany({ ...org(), query: { 'sys.id[in]': 'leaf,root' } as never });
    expect(picked.items.map((c) => c.sys.id)).toEqual(['root', 'leaf']);
    await expectSdkError(cma.concept.getMany({ ...org(), query: { order: 'fields.x' } }), 400, 'InvalidQuery');
  });
});

describe('concept schemes', () => {
  it('are created with only a preferred label and deleted at their version, leaving their concepts', async () => {
    const minimal = await cma.conceptScheme.create(org(), { prefLabel: label('Minimal scheme') });
    expect(Object.keys(minimal).sort()).toEqual(SCHEME_KEYS);
    expect(minimal).toMatchObject({ uri: null, definition: null, topConcepts: [], concepts: [], totalConcepts: 0 });
    expect(minimal.sys).toMatchObject({ type: 'TaxonomyConceptScheme', version: 1 });
    await cma.conceptScheme.delete({ ...org(), conceptSchemeId: minimal.sys.id, version: minimal.sys.version });
    await expectSdkError(cma.conceptScheme.get({ ...org(), conceptSchemeId: minimal.sys.id }), 404, 'NotFound');
  });

  it('hold existing concepts, their top concepts among them, and show on each concept', async () => {
    const scheme = await cma.conceptScheme.createWithId({ ...org(), conceptSchemeId: 'rooms' }, {
      uri: 'https://example.com/rooms',
      prefLabel: label('Rooms'),
      definition: label('Where things are'),
      topConcepts: [conceptLink('root')],
      concepts: [conceptLink('middle')],
    } as never);
    expect(scheme).toMatchObject({
      uri: 'https://example.com/rooms',
      topConcepts: [conceptLink('root')],
      concepts: [conceptLink('middle'), conceptLink('root')],
      totalConcepts: 2,
      sys: { id: 'rooms', version: 1 },
    });
    expect((await cma.concept.get({ ...org(), conceptId: 'middle' })) as unknown).toMatchObject({
      conceptSchemes: [{ sys: { type: 'Link', linkType: 'TaxonomyConceptScheme', id: 'rooms' } }],
    });
    const inScheme = await cma.concept.getMany({ ...org(), query: { conceptScheme: 'rooms' } });
    expect(inScheme.items.map((c) => c.sys.id)).toEqual(['root', 'middle']);
    await expectSdkError(
      cma.conceptScheme.patch({ ...org(), conceptSchemeId: 'rooms', version: 1 }, [
        { op: 'add', path: '/concepts/-', value: conceptLink('nothing-here') },
      ]),
      422,
      'ValidationFailed',
    );
    // "Top concepts cannot be subconcepts of any other concepts in the same concept scheme."
    const below = await expectSdkError(
      cma.conceptScheme.patch({ ...org(), conceptSchemeId: 'rooms', version: 1 }, [
        { op: 'add', path: '/topConcepts/-', value: conceptLink('middle') },
      ]),
      422,
      'ValidationFailed',
    );
    expect(below.details).toMatchObject({ errors: [{ name: 'topConcept', value: conceptLink('middle') }] });
    const patched = await cma.conceptScheme.patch({ ...org(), conceptSchemeId: 'rooms', version: 1 }, [
      { op: 'replace', path: '/uri', value: 'https://example.com/rooms-2' },
    ]);
    expect(patched).toMatchObject({ uri: 'https://example.com/rooms-2', sys: { version: 2 } });
    const updated = await cma.conceptScheme.update({ ...org(), conceptSchemeId: 'rooms', version: 2 }, {
      ...patched,
      uri: 'https://example.com/rooms-3',
    } as never);
    expect(updated).toMatchObject({ uri: 'https://example.com/rooms-3', totalConcepts: 2, sys: { version: 3 } });
    await expectSdkError(
      cma.conceptScheme.update({ ...org(), conceptSchemeId: 'rooms', version: 2 }, { prefLabel: label('Stale') }),
      409,
      'VersionMismatch',
    );
    // A concept a scheme holds cannot be deleted before the scheme lets it go.
    const middle = await cma.concept.get({ ...org(), conceptId: 'middle' });
    await expectSdkError(cma.concept.delete({ ...org(), conceptId: 'middle', version: middle.sys.version }), 422, 'ValidationFailed');
  });

  it('page by cursor and count', async () => {
    for (const name of ['A', 'B']) await cma.conceptScheme.create(org(), { prefLabel: label(`Scheme ${name}`) });
    expect(await cma.conceptScheme.getTotal(org())).toEqual({ total: 3 });
    const first = await cma.conceptScheme.getMany({ ...org(), query: { limit: 2 } });
    expect(first.items).toHaveLength(2);
    const second = await cma.conceptScheme.getMany({ ...org(), query: { limit: 2, pageUrl: first.pages?.next } });
    expect(second.items).toHaveLength(1);
    expect(second.pages?.next).toBeUndefined();
    expect(second.pages?.prev).toBeDefined();
    const back = await cma.conceptScheme.getMany({ ...org(), query: { pageUrl: second.pages?.prev } });
    expect(back.items.map((s) => s.sys.id)).toEqual(first.items.map((s) => s.sys.id));
  });
});

describe('taxonomy permissions', () => {
  it('members read it; only owners, admins and developers manage it; other organizations are not found', async () => {
    const member = await organizationUser(server, 'taxonomy-member@example.com');
    const scheme = await member.client.conceptScheme.get({ ...org(), conceptSchemeId: 'rooms' });
    expect(scheme.sys.id).toBe('rooms');
    expect((await member.client.concept.get({ ...org(), conceptId: 'root' })).sys.createdBy).toEqual({
      sys: { type: 'Link', linkType: 'User', id: server.adminUserId },
    });
    await expectSdkError(member.client.concept.create(org(), { prefLabel: label('Not mine') }), 403, 'AccessDenied');
    await expectSdkError(
      member.client.conceptScheme.delete({ ...org(), conceptSchemeId: 'rooms', version: scheme.sys.version }),
      403,
      'AccessDenied',
    );
    await server.services.organizations.addMember(organizationId, member.id, 'developer');
    const made = await member.client.concept.create(org(), { prefLabel: label('By a developer') });
    expect(made.sys.createdBy?.sys.id).toBe(member.id);
    await expectSdkError(server.plainClient().concept.getMany({ organizationId: 'no-such-org' }), 404, 'NotFound');
  });
});

describe('metadata.concepts of entries and assets', () => {
  let spaceId: string;
  const env = () => ({ spaceId, environmentId: 'master' });
  const concepts = (...ids: string[]) => ({ tags: [], concepts: ids.map(conceptLink) });

  beforeAll(async () => {
    spaceId = (await cma.space.create({}, { name: 'Concepts on content' })).sys.id;
    for (const [id, taxonomy] of [
      ['article', undefined],
      ['room', [{ sys: { type: 'Link', linkType: 'TaxonomyConceptScheme', id: 'rooms' }, required: true }]],
      ['piece', [{ sys: { type: 'Link', linkType: 'TaxonomyConcept', id: 'furniture' } }]],
    ] as const) {
      const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: id }, {
        name: id,
        fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
        ...(taxonomy ? { metadata: { taxonomy } } : {}),
      } as never);
      await cma.contentType.publish({ ...env(), contentTypeId: id }, ct);
    }
  });

  it('are stored, shown, patched and published as they were at publish time; unknown concepts are refused', async () => {
    const entry = await cma.entry.createWithId({ ...env(), entryId: 'tagged', contentTypeId: 'article' }, {
      fields: { title: { 'en-US': 'Tagged' } },
      metadata: concepts('root'),
    } as never);
    expect(entry.metadata).toEqual({ tags: [], concepts: [conceptLink('root')] });
    const refused = await expectSdkError(
      cma.entry.update({ ...env(), entryId: 'tagged' }, { ...entry, metadata: concepts('root', 'unknown-concept') }),
      422,
      'ValidationFailed',
    );
    expect(refused.details).toMatchObject({
      errors: [{ name: 'notResolvable', path: ['metadata', 'concepts'], value: conceptLink('unknown-concept') }],
    });
    await expectSdkError(
      cma.entry.create({ ...env(), contentTypeId: 'article' }, { fields: {}, metadata: concepts('unknown-concept') } as never),
      422,
      'ValidationFailed',
    );
    const published = await cma.entry.publish({ ...env(), entryId: 'tagged' }, entry);
    const patched = await cma.entry.patch({ ...env(), entryId: 'tagged', version: published.sys.version }, [
      { op: 'add', path: '/metadata/concepts/-', value: conceptLink('leaf') },
    ]);
    expect(patched.metadata?.concepts).toEqual([conceptLink('root'), conceptLink('leaf')]);
    expect((await cma.entry.get({ ...env(), entryId: 'tagged' })).metadata?.concepts).toEqual([conceptLink('root'), conceptLink('leaf')]);
    const publicCopy = await server.request('GET', `/spaces/${spaceId}/environments/master/public/entries/tagged`);
    expect(((await publicCopy.json()) as { metadata: unknown }).metadata).toEqual({ tags: [], concepts: [conceptLink('root')] });
    // Deleting a concept leaves the entries that carry it as they are (the reference says so).
    const lone = await concept('lone', 'Lone');
    const withLone = await cma.entry.update({ ...env(), entryId: 'tagged' }, { ...patched, metadata: concepts('lone') });
    await cma.concept.delete({ ...org(), conceptId: 'lone', version: lone.sys.version });
    expect((await cma.entry.get({ ...env(), entryId: 'tagged' })).metadata?.concepts).toEqual([conceptLink('lone')]);
    await cma.entry.update({ ...env(), entryId: 'tagged' }, { ...withLone, metadata: concepts() });

    const asset = await cma.asset.create(env(), { fields: { title: { 'en-US': 'Pic' } }, metadata: concepts('furniture') } as never);
    expect(asset.metadata?.concepts).toEqual([conceptLink('furniture')]);
    await expectSdkError(
      cma.asset.update({ ...env(), assetId: asset.sys.id }, { ...asset, metadata: concepts('unknown-concept') }),
      422,
      'ValidationFailed',
    );
  });

  it("are checked on publish against the content type's taxonomy validations", async () => {
    // `room` requires a concept of the `rooms` scheme (root, middle).
    const room = await cma.entry.createWithId({ ...env(), entryId: 'room-1', contentTypeId: 'room' }, { fields: {} } as never);
    const required = await expectSdkError(cma.entry.publish({ ...env(), entryId: 'room-1' }, room), 422, 'ValidationFailed');
    expect(required.details).toMatchObject({
      errors: [{ name: 'required', path: ['metadata', 'concepts'], value: { sys: { linkType: 'TaxonomyConceptScheme', id: 'rooms' } } }],
    });
    const outside = await cma.entry.update({ ...env(), entryId: 'room-1' }, { ...room, metadata: concepts('middle', 'chair') });
    const notAllowed = await expectSdkError(cma.entry.publish({ ...env(), entryId: 'room-1' }, outside), 422, 'ValidationFailed');
    expect(notAllowed.details).toMatchObject({ errors: [{ name: 'in', path: ['metadata', 'concepts', 1], value: conceptLink('chair') }] });
    const fixed = await cma.entry.update({ ...env(), entryId: 'room-1' }, { ...outside, metadata: concepts('middle') });
    expect((await cma.entry.publish({ ...env(), entryId: 'room-1' }, fixed)).sys.publishedVersion).toBe(fixed.sys.version);

    // `piece` allows furniture and the concepts below it (seating, chair), and requires none.
    const piece = await cma.entry.createWithId({ ...env(), entryId: 'piece-1', contentTypeId: 'piece' }, {
      fields: {},
      metadata: concepts('chair'),
    } as never);
    expect((await cma.entry.publish({ ...env(), entryId: 'piece-1' }, piece)).sys.publishedCounter).toBe(1);
    const elsewhere = await cma.entry.createWithId({ ...env(), entryId: 'piece-2', contentTypeId: 'piece' }, {
      fields: {},
      metadata: concepts('root'),
    } as never);
    await expectSdkError(cma.entry.publish({ ...env(), entryId: 'piece-2' }, elsewhere), 422, 'ValidationFailed');
  });
});

describe('taxonomy on the delivery and preview APIs', () => {
  let spaceId: string;
  let deliveryToken: string;
  let previewToken: string;
  const env = () => ({ spaceId, environmentId: 'master' });
  const client = (preview = false) =>
    createClient({
      space: spaceId,
      accessToken: preview ? previewToken : deliveryToken,
      host: server.host,
      basePath: preview ? '/preview' : '/cdn',
      insecure: true,
      retryOnError: false,
    });
  const ids = async (query: Record<string, unknown>, preview = false) =>
    (await client(preview).getEntries({ ...query, order: ['sys.id'] } as never)).items.map((e) => e.sys.id);

  beforeAll(async () => {
    spaceId = (await cma.space.create({}, { name: 'Delivered concepts' })).sys.id;
    const ct = await cma.contentType.createWithId({ ...env(), contentTypeId: 'article' }, {
      name: 'Article',
      fields: [{ id: 'title', name: 'Title', type: 'Symbol' }],
    } as never);
    await cma.contentType.publish({ ...env(), contentTypeId: 'article' }, ct);
    const article = (id: string, ...concepts: string[]) =>
      cma.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'article' }, {
        fields: { title: { 'en-US': id } },
        metadata: { tags: [], concepts: concepts.map(conceptLink) },
      } as never);
    for (const [id, ...concepts] of [
      ['e-root', 'root'],
      ['e-leaf', 'leaf'],
      ['e-leaf2', 'leaf-2'],
      ['e-chair-root', 'chair', 'root'],
      ['e-none'],
    ]) {
      const entry = await article(id, ...concepts);
      await cma.entry.publish({ ...env(), entryId: id }, entry);
    }
    await article('e-draft', 'leaf');
    const asset = await cma.asset.createWithId({ ...env(), assetId: 'a-chair' }, {
      fields: { title: { 'en-US': 'Chair picture' } },
      metadata: { tags: [], concepts: [conceptLink('chair')] },
    } as never);
    await cma.asset.publish({ ...env(), assetId: 'a-chair' }, asset);
    const key = await cma.apiKey.create({ spaceId }, {
      name: 'Website',
      environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
    } as never);
    deliveryToken = key.accessToken;
    previewToken = (await cma.previewApiKey.get({ spaceId, previewApiKeyId: key.preview_api_key.sys.id })).accessToken;
  });

  it('render metadata.concepts as published (CDA) or drafted (CPA)', async () => {
    const [entry] = (await client().getEntries({ 'sys.id': 'e-chair-root' })).items;
    expect(entry.metadata).toEqual({ tags: [], concepts: [conceptLink('chair'), conceptLink('root')] });
    const current = await cma.entry.get({ ...env(), entryId: 'e-chair-root' });
    await cma.entry.update({ ...env(), entryId: 'e-chair-root' }, { ...current, metadata: { tags: [], concepts: [conceptLink('chair')] } });
    expect((await client().getEntry('e-chair-root')).metadata.concepts).toEqual([conceptLink('chair'), conceptLink('root')]);
    expect((await client(true).getEntry('e-chair-root')).metadata.concepts).toEqual([conceptLink('chair')]);
    expect((await client().getAsset('a-chair')).metadata.concepts).toEqual([conceptLink('chair')]);
  });

  it('filter by metadata.concepts.sys.id [in], [all], [nin] and [exists], on the published concepts', async () => {
    expect(await ids({ 'metadata.concepts.sys.id[in]': 'root' })).toEqual(['e-chair-root', 'e-root']);
    expect(await ids({ 'metadata.concepts.sys.id[in]': ['leaf', 'leaf-2'] })).toEqual(['e-leaf', 'e-leaf2']);
    expect(await ids({ 'metadata.concepts.sys.id[all]': ['chair', 'root'] })).toEqual(['e-chair-root']);
    expect(await ids({ 'metadata.concepts.sys.id[nin]': 'root' })).toEqual(['e-leaf', 'e-leaf2', 'e-none']);
    expect(await ids({ 'metadata.concepts[exists]': false })).toEqual(['e-none']);
    // The preview API searches the drafts: e-chair-root no longer carries root there, and e-draft shows.
    expect(await ids({ 'metadata.concepts.sys.id[in]': 'root' }, true)).toEqual(['e-root']);
    expect(await ids({ 'metadata.concepts.sys.id[in]': 'leaf' }, true)).toEqual(['e-draft', 'e-leaf']);
    const assets = await client().getAssets({ 'metadata.concepts.sys.id[in]': 'chair' } as never);
    expect(assets.items.map((a) => a.sys.id)).toEqual(['a-chair']);
  });

  it('filter by metadata.concepts.descendants[in]: a concept or any concept below it', async () => {
    expect(await ids({ 'metadata.concepts.descendants[in]': 'middle' })).toEqual(['e-leaf', 'e-leaf2']);
    expect(await ids({ 'metadata.concepts.descendants[in]': 'root' })).toEqual(['e-chair-root', 'e-leaf', 'e-leaf2', 'e-root']);
    expect(await ids({ 'metadata.concepts.descendants[in]': ['second-parent', 'furniture'] })).toEqual(['e-chair-root', 'e-leaf2']);
    expect(await ids({ 'metadata.concepts.descendants[in]': 'middle' }, true)).toEqual(['e-draft', 'e-leaf', 'e-leaf2']);
    // A change of the hierarchy is searched at once, though delivery answers are kept.
    expect(await ids({ 'metadata.concepts.descendants[in]': 'furniture' })).toEqual(['e-chair-root']);
    const secondParent = await cma.concept.get({ ...org(), conceptId: 'second-parent' });
    await cma.concept.patch({ ...org(), conceptId: 'second-parent', version: secondParent.sys.version }, [
      { op: 'add', path: '/broader/-', value: conceptLink('furniture') },
    ]);
    expect(await ids({ 'metadata.concepts.descendants[in]': 'furniture' })).toEqual(['e-chair-root', 'e-leaf2']);
    // The management API searches the same way.
    const drafts = await cma.entry.getMany({ ...env(), query: { 'metadata.concepts.descendants[in]': 'middle', order: 'sys.id' } });
    expect(drafts.items.map((e) => e.sys.id)).toEqual(['e-draft', 'e-leaf', 'e-leaf2']);
    expect(await cdaError(client().getEntries({ 'metadata.concepts.descendants[exists]': true } as never))).toEqual({
      status: 400,
      id: 'InvalidQuery',
    });
  });

  it('serve the concepts and concept schemes contentful.js reads, on both APIs', async () => {
    for (const preview of [false, true]) {
      const cda = client(preview);
      const concept = await cda.getConcept('middle');
      expect(concept).toMatchObject({
        prefLabel: { 'en-US': 'Middle' },
        broader: [conceptLink('root')],
        sys: { id: 'middle', type: 'TaxonomyConcept' },
      });
      expect(concept.sys).not.toHaveProperty('createdBy');
      const first = await cda.getConcepts({ limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.pages.next).toMatch(
        new RegExp(`^/${preview ? 'preview' : 'cdn'}/spaces/${spaceId}/environments/master/taxonomy/concepts\\?limit=2&pageNext=`),
      );
      const token = new URLSearchParams(first.pages.next!.split('?')[1]).get('pageNext')!;
      const second = await cda.getConcepts({ limit: 2, pageNext: token } as never);
      expect(idsOf(second.items)).not.toContain(first.items[0].sys.id);
      const inScheme = await cda.getConcepts({ conceptScheme: 'rooms' });
      expect(idsOf(inScheme.items)).toEqual(['root', 'middle']);
      expect(idsOf((await cda.getConceptDescendants('root', { depth: 2 })).items)).toEqual(['middle', 'leaf', 'leaf-2']);
      expect(idsOf((await cda.getConceptAncestors('leaf')).items)).toEqual(['middle']);
      const scheme = await cda.getConceptScheme('rooms');
      expect(scheme).toMatchObject({
        sys: { id: 'rooms', type: 'TaxonomyConceptScheme' },
        totalConcepts: 2,
        topConcepts: [conceptLink('root')],
      });
      expect(idsOf((await cda.getConceptSchemes()).items)).toContain('rooms');
      expect(await cdaError(cda.getConcept('no-such-concept'))).toEqual({ status: 404, id: 'NotFound' });
    }
  });

  it('are rendered and filtered by GraphQL contentfulMetadata.concepts, descendants too', async () => {
    const graphql = async (query: string) => {
      const response = await fetch(`${server.baseUrl}/content/v1/spaces/${spaceId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${deliveryToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return ((await response.json()) as { data: { articleCollection: { items: { sys: { id: string }; contentfulMetadata: unknown }[] } } })
        .data.articleCollection.items;
    };
    const items = await graphql(`{ articleCollection(where: { sys: { id: "e-chair-root" } }) {
      items { sys { id } contentfulMetadata { concepts { id } } } } }`);
    expect(items).toEqual([{ sys: { id: 'e-chair-root' }, contentfulMetadata: { concepts: [{ id: 'chair' }, { id: 'root' }] } }]);
    const below = await graphql(`{ articleCollection(order: sys_id_ASC, where: { contentfulMetadata: {
      concepts: { descendants: { id_contains_some: ["middle"] } } } }) { items { sys { id } } } }`);
    expect(idsOf(below)).toEqual(['e-leaf', 'e-leaf2']);
    const some = await graphql(`{ articleCollection(order: sys_id_ASC, where: { contentfulMetadata: {
      concepts_exists: true, concepts: { id_contains_none: ["root"] } } }) { items { sys { id } } } }`);
    expect(idsOf(some)).toEqual(['e-leaf', 'e-leaf2']);
  });
});
