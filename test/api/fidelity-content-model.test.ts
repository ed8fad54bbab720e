import { createClient } from 'contentful';
import type { PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Issue 21: content models as Contentful's exports and its SDK's integration tests carry them. */

let server: TestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });

beforeAll(async () => {
  server = await startTestServer();
  client = server.plainClient();
  spaceId = (await client.space.create({}, { name: 'Fidelity: content model' })).sys.id;
});
afterAll(async () => {
  await server?.close();
});

describe('field validations as Contentful exports them', () => {
  it('accepts linkMimetypeGroup as a string, gives it back as sent and enforces it on entries', async () => {
    const params = { ...env(), contentTypeId: 'picture' };
    const fields = [
      { id: 'title', name: 'Title', type: 'Symbol' },
      { id: 'image', name: 'Image', type: 'Link', linkType: 'Asset', validations: [{ linkMimetypeGroup: 'image' }] },
      {
        id: 'gallery',
        name: 'Gallery',
        type: 'Array',
        items: { type: 'Link', linkType: 'Asset', validations: [{ linkMimetypeGroup: ['image', 'video'] }] },
      },
    ];
    const created = await client.contentType.createWithId(params, { name: 'Picture', displayField: 'title', fields } as never);
    expect(created.fields[1].validations).toEqual([{ linkMimetypeGroup: 'image' }]);
    expect(created.fields[2].items?.validations).toEqual([{ linkMimetypeGroup: ['image', 'video'] }]);
    const active = await client.contentType.publish(params, created);
    expect((await client.contentType.get(params)).fields[1].validations).toEqual([{ linkMimetypeGroup: 'image' }]);

    await expectSdkError(
      client.contentType.update(params, {
        ...active,
        fields: [fields[0], { ...fields[1], validations: [{ linkMimetypeGroup: 'photos' }] }],
      } as never),
      422,
      'ValidationFailed',
    );

    const pdf = await client.asset.create(env(), {
      fields: {
        title: { 'en-US': 'Manual' },
        file: { 'en-US': { fileName: 'manual.pdf', contentType: 'application/pdf', url: '//example.com/manual.pdf' } },
      },
    } as never);
    await client.asset.publish({ ...env(), assetId: pdf.sys.id }, pdf);
    const link = { sys: { type: 'Link', linkType: 'Asset', id: pdf.sys.id } };
    const entry = await client.entry.create(params, { fields: { title: { 'en-US': 'x' }, image: { 'en-US': link } } });
    const error = await expectSdkError(client.entry.publish({ ...env(), entryId: entry.sys.id }, entry), 422, 'ValidationFailed');
    expect(error.details.errors).toEqual([
      expect.objectContaining({ name: 'linkMimetypeGroup', mimetypeGroupName: 'image', path: ['fields', 'image', 'en-US'] }),
    ]);
  });

  it('accepts the Rich Text validations that allow nothing: enabledNodeTypes [], enabledMarks [] and empty nodes', async () => {
    const validations = [{ enabledNodeTypes: [], message: 'No nodes allowed' }, { enabledMarks: [] }, { nodes: {} }];
    const params = { ...env(), contentTypeId: 'plainText' };
    const created = await client.contentType.createWithId(params, {
      name: 'Plain text',
      fields: [{ id: 'body', name: 'Body', type: 'RichText', validations }],
    } as never);
    expect(created.fields[0].validations).toEqual(validations);
    await client.contentType.publish(params, created);

    const paragraph = (marks: { type: string }[]) => ({
      nodeType: 'document',
      data: {},
      content: [{ nodeType: 'paragraph', data: {}, content: [{ nodeType: 'text', value: 'Hello', marks, data: {} }] }],
    });
    const plain = await client.entry.create(params, { fields: { body: { 'en-US': paragraph([]) } } });
    await client.entry.publish({ ...env(), entryId: plain.sys.id }, plain);
    const bold = await client.entry.create(params, { fields: { body: { 'en-US': paragraph([{ type: 'bold' }]) } } });
    const error = await expectSdkError(client.entry.publish({ ...env(), entryId: bold.sys.id }, bold), 422, 'ValidationFailed');
    expect((error.details.errors as { name: string }[]).map((e) => e.name)).toEqual(['enabledMarks']);
  });
});

describe('editor interfaces keep everything they carry', () => {
  it('stores and returns editors, editor, editorLayout, groupControls and sidebar', async () => {
    const params = { ...env(), contentTypeId: 'article' };
    const ct = await client.contentType.createWithId(params, {
      name: 'Article',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol' },
        { id: 'body', name: 'Body', type: 'Text' },
      ],
    } as never);
    await client.contentType.publish(params, ct);
    const current = await client.editorInterface.get(params);
    const carried = {
      controls: [
        { fieldId: 'title', widgetId: 'singleLine', widgetNamespace: 'builtin' },
        { fieldId: 'body', widgetId: 'markdown', widgetNamespace: 'builtin', settings: { helpText: 'Markdown' } },
      ],
      editors: [
        { widgetId: 'default-editor', widgetNamespace: 'editor-builtin' },
        { widgetId: 'abc123', widgetNamespace: 'app', settings: { mode: 'compact' }, disabled: true },
      ],
      editor: { widgetId: 'default-editor', widgetNamespace: 'editor-builtin' },
      editorLayout: [
        { groupId: 'content', name: 'Content', items: [{ fieldId: 'title' }] },
        { groupId: 'more', name: 'More', items: [{ fieldId: 'body' }] },
      ],
      groupControls: [
        { groupId: 'content', widgetId: 'topLevelTab', widgetNamespace: 'builtin' },
        { groupId: 'more', widgetId: 'fieldset', widgetNamespace: 'builtin', settings: { collapsedByDefault: true } },
      ],
      sidebar: [{ widgetId: 'publication-widget', widgetNamespace: 'sidebar-builtin' }],
    };
    const updated = await client.editorInterface.update(params, { ...current, ...carried } as never);
    expect(updated).toMatchObject(carried);
    expect(await client.editorInterface.get(params)).toMatchObject(carried);
    expect((await client.editorInterface.getMany(env())).items.find((i) => i.sys.contentType.sys.id === 'article')).toMatchObject(carried);

    // An activation brings only the controls in step with the fields; everything else stays.
    const again = await client.contentType.publish(params, await client.contentType.get(params));
    expect(again.sys.publishedCounter).toBe(2);
    expect(await client.editorInterface.get(params)).toMatchObject({ ...carried, controls: carried.controls });

    // null clears a list; leaving a property out keeps what is stored, as for sidebar and the layout.
    const cleared = await client.editorInterface.update(params, {
      ...(await client.editorInterface.get(params)),
      editors: null,
      editor: null,
    } as never);
    expect(cleared.editors).toBeUndefined();
    expect(cleared.editor).toBeUndefined();
    expect(cleared.editorLayout).toEqual(carried.editorLayout);
  });
});

describe('content type names and descriptions are kept as sent', () => {
  it('keeps description null and a name with surrounding spaces, in the draft and the activated definition', async () => {
    const params = { ...env(), contentTypeId: 'spaced' };
    const created = await client.contentType.createWithId(params, { name: 'Landing page ', description: null, fields: [] } as never);
    expect(created.name).toBe('Landing page ');
    expect(created.description).toBeNull();
    const active = await client.contentType.publish(params, created);
    expect([active.name, active.description]).toEqual(['Landing page ', null]);
    const published = (await server
      .request('GET', `/spaces/${spaceId}/environments/master/public/content_types/spaced`)
      .then((r) => r.json())) as { name: string; description: unknown };
    expect([published.name, published.description]).toEqual(['Landing page ', null]);
    const key = await client.apiKey.create({ spaceId }, {
      name: 'Website',
      environments: [{ sys: { type: 'Link', linkType: 'Environment', id: 'master' } }],
    } as never);
    const cda = createClient({
      space: spaceId,
      accessToken: key.accessToken,
      host: server.host,
      basePath: '/cdn',
      insecure: true,
    } as never);
    const delivered = await cda.getContentType('spaced');
    expect([delivered.name, delivered.description]).toEqual(['Landing page ', null]);

    const described = await client.contentType.update(params, { ...active, name: ' Landing', description: 'Pages ' });
    expect([described.name, described.description]).toEqual([' Landing', 'Pages ']);
    // Left out, a description is still the empty string it always was.
    const plain = await client.contentType.createWithId({ ...env(), contentTypeId: 'undescribed' }, { name: 'Undescribed', fields: [] });
    expect(plain.description).toBe('');
    await expectSdkError(client.contentType.update(params, { ...described, name: '   ' }), 422, 'ValidationFailed');
  });
});

describe('deleting a field', () => {
  it('omitAndDeleteField: the field is gone from the answer and the type, and the next activation drops it for good', async () => {
    const params = { ...env(), contentTypeId: 'shrinking' };
    const created = await client.contentType.createWithId(params, {
      name: 'Shrinking',
      fields: [
        { id: 'field', name: 'field', type: 'Text' },
        { id: 'field2delete', name: 'field2delete', type: 'Text' },
      ],
    } as never);
    const active = await client.contentType.publish(params, created);
    const entry = await client.entry.create(params, { fields: { field: { 'en-US': 'a' }, field2delete: { 'en-US': 'b' } } });
    await client.entry.publish({ ...env(), entryId: entry.sys.id }, entry);

    // What the SDK's content type integration test does (the legacy client's contentType.omitAndDeleteField).
    const deleted = await client.contentType.omitAndDeleteField(params, active, 'field2delete');
    expect(deleted.fields.map((f) => f.id)).toEqual(['field']);
    expect((await client.contentType.get(params)).fields.map((f) => f.id)).toEqual(['field']);
    // Until the next activation the published definition still has the field, omitted.
    const published = (await server
      .request('GET', `/spaces/${spaceId}/environments/master/public/content_types/shrinking`)
      .then((r) => r.json())) as { fields: { id: string; omitted: boolean }[] };
    expect(published.fields.map((f) => [f.id, f.omitted])).toEqual([
      ['field', false],
      ['field2delete', true],
    ]);

    const final = await client.contentType.publish(params, deleted);
    expect(final.fields.map((f) => f.id)).toEqual(['field']);
    expect((await client.editorInterface.get(params)).controls?.map((c) => c.fieldId)).toEqual(['field']);

    // A field marked deleted that the published definition does not omit is still refused.
    await expectSdkError(
      client.contentType.update(params, { ...final, fields: [{ ...final.fields[0], deleted: true }] } as never),
      422,
      'ValidationFailed',
    );
  });

  it('a field deleted in a draft that was never activated is simply gone', async () => {
    const params = { ...env(), contentTypeId: 'draftOnly' };
    const created = await client.contentType.createWithId(params, {
      name: 'Draft only',
      fields: [
        { id: 'keep', name: 'Keep', type: 'Symbol' },
        { id: 'drop', name: 'Drop', type: 'Symbol', deleted: true },
      ],
    } as never);
    expect(created.fields.map((f) => f.id)).toEqual(['keep']);
    const updated = await client.contentType.update(params, { ...created, fields: [{ ...created.fields[0], deleted: true }] } as never);
    expect(updated.fields).toEqual([]);
  });
});
