import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Content model' })).sys.id;
});
afterAll(async () => {
  await server?.close();
});

const blogPost = {
  name: 'Blog Post',
  fields: [
    { id: 'title', name: 'Title', type: 'Text' },
    { id: 'body', name: 'Body', type: 'Text' },
  ],
};

describe('content types: the seed 001 "Blog Post" life cycle', () => {
  it('creates with a chosen id, updates, activates, keeps the public version while a draft changes, deactivates and deletes', async () => {
    const params = { spaceId, environmentId, contentTypeId: 'blog-post' };
    const created = await client.contentType.createWithId(params, blogPost as never);
    expect(created.sys).toMatchObject({ id: 'blog-post', type: 'ContentType', version: 1, publishedCounter: 0 });
    expect(created.sys.space.sys.id).toBe(spaceId);
    expect((created.sys as { environment?: { sys: { id: string } } }).environment?.sys.id).toBe('master');
    expect(created.fields[0]).toEqual({
      id: 'title',
      name: 'Title',
      type: 'Text',
      localized: false,
      required: false,
      validations: [],
      disabled: false,
      omitted: false,
    });
    await expectSdkError(client.editorInterface.get(params), 404, 'NotFound');

    const updated = await client.contentType.update(params, { ...created, description: 'Simple blog post with title and body fields.' });
    expect(updated.sys.version).toBe(2);
    expect(updated.description).toBe('Simple blog post with title and body fields.');

    const published = await client.contentType.publish(params, updated);
    expect(published.sys).toMatchObject({ version: 3, publishedVersion: 2, publishedCounter: 1 });
    const publishedSys = published.sys as unknown as {
      publishedAt: string;
      firstPublishedAt: string;
      publishedBy: { sys: { id: string } };
    };
    expect(publishedSys.publishedAt).toEqual(publishedSys.firstPublishedAt);
    expect(publishedSys.publishedBy.sys.id).toBe(server.adminUserId);

    const draft = await client.contentType.update(params, {
      ...published,
      name: 'Blog Post v2',
      fields: [...published.fields, { id: 'tags', name: 'Tags', type: 'Array', items: { type: 'Symbol' } }],
    } as never);
    expect(draft.sys.version).toBe(4);
    const publicVersion = (await server.request('GET', `/spaces/${spaceId}/public/content_types`).then((r) => r.json())) as {
      items: { name: string; fields: unknown[] }[];
    };
    expect(publicVersion.items.map((i) => [i.name, i.fields.length])).toEqual([['Blog Post', 2]]);

    const editor = await client.editorInterface.get(params);
    expect(editor.controls).toEqual([
      { fieldId: 'title', widgetId: 'markdown', widgetNamespace: 'builtin' },
      { fieldId: 'body', widgetId: 'markdown', widgetNamespace: 'builtin' },
    ]);
    const republished = await client.contentType.publish(params, draft);
    expect(republished.sys.publishedCounter).toBe(2);
    const editorAfter = await client.editorInterface.get(params);
    expect(editorAfter.controls?.map((c) => [c.fieldId, c.widgetId])).toEqual([
      ['title', 'markdown'],
      ['body', 'markdown'],
      ['tags', 'tagEditor'],
    ]);
    const changedEditor = await client.editorInterface.update(params, {
      ...editorAfter,
      controls: [{ fieldId: 'title', widgetId: 'singleLine', widgetNamespace: 'builtin' }],
    });
    expect(changedEditor.sys.version).toBe(editorAfter.sys.version + 1);
    await expectSdkError(client.editorInterface.update(params, { ...editorAfter, controls: [] }), 409, 'VersionMismatch');
    expect((await client.editorInterface.getMany({ spaceId, environmentId })).items).toHaveLength(1);

    await expectSdkError(client.contentType.delete(params), 400, 'BadRequest');
    const deactivated = await client.contentType.unpublish(params);
    expect(deactivated.sys.publishedVersion).toBeUndefined();
    await client.contentType.delete(params);
    await expectSdkError(client.contentType.get(params), 404, 'NotFound');
  });

  it("gives fields without a control Contentful's default editors: a dropdown for predefined values, a single line for a Text title", async () => {
    const params = { spaceId, environmentId, contentTypeId: 'defaults' };
    const draft = await client.contentType.createWithId(params, {
      name: 'Defaults',
      displayField: 'headline',
      fields: [
        { id: 'headline', name: 'Headline', type: 'Text' },
        { id: 'summary', name: 'Summary', type: 'Text' },
        { id: 'color', name: 'Color', type: 'Symbol', validations: [{ in: ['red', 'green'] }] },
        { id: 'size', name: 'Size', type: 'Integer', validations: [{ in: [1, 2, 3] }] },
        { id: 'label', name: 'Label', type: 'Symbol', validations: [{ size: { max: 20 } }] },
        { id: 'tags', name: 'Tags', type: 'Array', items: { type: 'Symbol', validations: [{ in: ['a', 'b'] }] } },
      ],
    } as never);
    await client.contentType.publish(params, draft);
    const editor = await client.editorInterface.get(params);
    expect(editor.controls?.map((c) => [c.fieldId, c.widgetId])).toEqual([
      ['headline', 'singleLine'],
      ['summary', 'markdown'],
      ['color', 'dropdown'],
      ['size', 'dropdown'],
      ['label', 'singleLine'],
      ['tags', 'tagEditor'],
    ]);
  });

  it('snapshots every activation in master', async () => {
    const params = { spaceId, environmentId, contentTypeId: 'snapshotted' };
    const ct = await client.contentType.createWithId(params, blogPost as never);
    const v1 = await client.contentType.publish(params, ct);
    await client.contentType.publish(params, await client.contentType.update(params, { ...v1, name: 'Second' }));
    const snapshots = await client.snapshot.getManyForContentType(params);
    expect(snapshots.items.map((s) => (s.snapshot as { name: string }).name)).toEqual(['Second', 'Blog Post']);
    expect(snapshots.items[0].sys).toMatchObject({ type: 'Snapshot', snapshotType: 'publish', snapshotEntityType: 'ContentType' });
    const one = await client.snapshot.getForContentType({ ...params, snapshotId: snapshots.items[1].sys.id });
    expect((one.snapshot as { name: string }).name).toBe('Blog Post');
  });

  it('refuses a stale version and a second create', async () => {
    const params = { spaceId, environmentId, contentTypeId: 'versioned' };
    const ct = await client.contentType.createWithId(params, blogPost as never);
    await client.contentType.update(params, { ...ct, name: 'One' });
    await expectSdkError(client.contentType.update(params, { ...ct, name: 'Two' }), 409, 'VersionMismatch');
    await expectSdkError(client.contentType.publish(params, ct), 409, 'VersionMismatch');
  });
});

describe('content type definitions are validated', () => {
  const invalid: [string, unknown, string][] = [
    ['unknown type', { name: 'X', fields: [{ id: 'a', name: 'A', type: 'Float' }] }, 'fields.0.type'],
    ['Array without items', { name: 'X', fields: [{ id: 'a', name: 'A', type: 'Array' }] }, 'fields.0.items'],
    [
      'duplicate ids',
      {
        name: 'X',
        fields: [
          { id: 'a', name: 'A', type: 'Symbol' },
          { id: 'a', name: 'B', type: 'Symbol' },
        ],
      },
      'fields.1.id',
    ],
    [
      'validation not for the type',
      { name: 'X', fields: [{ id: 'a', name: 'A', type: 'Boolean', validations: [{ range: { min: 1 } }] }] },
      'fields.0.validations.0.range',
    ],
    [
      'bad regexp',
      { name: 'X', fields: [{ id: 'a', name: 'A', type: 'Symbol', validations: [{ regexp: { pattern: '([a-z' } }] }] },
      'fields.0.validations.0.regexp.pattern',
    ],
    ['displayField of a number', { name: 'X', displayField: 'n', fields: [{ id: 'n', name: 'N', type: 'Integer' }] }, 'displayField'],
    ['Link without linkType', { name: 'X', fields: [{ id: 'l', name: 'L', type: 'Link' }] }, 'fields.0.linkType'],
    ['missing name', { fields: [] }, 'name'],
    [
      'unknown MIME group',
      { name: 'X', fields: [{ id: 'l', name: 'L', type: 'Link', linkType: 'Asset', validations: [{ linkMimetypeGroup: ['photos'] }] }] },
      'fields.0.validations.0.linkMimetypeGroup',
    ],
  ];
  for (const [label, body, path] of invalid) {
    it(`refuses ${label} with 422 at ${path}`, async () => {
      const error = await expectSdkError(client.contentType.create({ spaceId, environmentId }, body as never), 422, 'ValidationFailed');
      const paths = (error.details.errors as { path: unknown[] }[]).map((e) => e.path.join('.'));
      expect(paths).toContain(path);
    });
  }

  it('accepts every validation kind of seed 000 on its types', async () => {
    const ct = await client.contentType.create({ spaceId, environmentId }, {
      name: 'Everything',
      displayField: 'title',
      fields: [
        {
          id: 'title',
          name: 'Title',
          type: 'Symbol',
          validations: [
            { size: { max: 20 } },
            { regexp: { pattern: '^[A-Z]' } },
            { prohibitRegexp: { pattern: 'x' } },
            { unique: true },
            { in: ['A', 'B'] },
          ],
        },
        { id: 'n', name: 'N', type: 'Integer', validations: [{ range: { min: 0, max: 9 }, message: 'digit' }] },
        { id: 'd', name: 'D', type: 'Date', validations: [{ dateRange: { min: '2020-01-01' } }] },
        { id: 'e', name: 'E', type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['x'] }] },
        {
          id: 'a',
          name: 'A',
          type: 'Link',
          linkType: 'Asset',
          validations: [
            { linkMimetypeGroup: ['image'] },
            { assetImageDimensions: { width: { min: 10 } } },
            { assetFileSize: { max: 100000 } },
          ],
        },
        {
          id: 'r',
          name: 'R',
          type: 'RichText',
          validations: [
            { enabledNodeTypes: ['heading-1'] },
            { enabledMarks: ['bold'] },
            { nodes: { 'embedded-entry-block': [{ linkContentType: ['x'] }, { size: { max: 2 } }] } },
          ],
        },
        {
          id: 'list',
          name: 'List',
          type: 'Array',
          items: { type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['x'] }] },
          validations: [{ size: { max: 3 } }],
        },
      ],
    } as never);
    expect(ct.fields).toHaveLength(7);
  });

  it('refuses changing a field type and removing a field that was not omitted first', async () => {
    const params = { spaceId, environmentId, contentTypeId: 'evolving' };
    const ct = await client.contentType.createWithId(params, {
      name: 'Evolving',
      fields: [
        { id: 'a', name: 'A', type: 'Symbol' },
        { id: 'b', name: 'B', type: 'Symbol' },
      ],
    } as never);
    const active = await client.contentType.publish(params, ct);
    await expectSdkError(
      client.contentType.update(params, { ...active, fields: [{ ...active.fields[0], type: 'Integer' }, active.fields[1]] } as never),
      422,
      'ValidationFailed',
    );
    await expectSdkError(client.contentType.update(params, { ...active, fields: [active.fields[0]] }), 422, 'ValidationFailed');
    const omitted = await client.contentType.publish(
      params,
      await client.contentType.update(params, { ...active, fields: [active.fields[0], { ...active.fields[1], omitted: true }] }),
    );
    const deleting = await client.contentType.update(params, {
      ...omitted,
      fields: [omitted.fields[0], { ...omitted.fields[1], deleted: true }],
    } as never);
    const final = await client.contentType.publish(params, deleting);
    expect(final.fields.map((f) => f.id)).toEqual(['a']);
    const unchanged = await client.contentType.get(params);
    expect(unchanged.sys.version).toBe(final.sys.version);
  });
});
