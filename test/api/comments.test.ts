import type { CommentProps, PlainClientAPI } from 'contentful-management';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSdkError } from '../helpers/assertions.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { organizationUser, type TestUser } from '../helpers/users.js';

/**
 * Comments (issue 25, item 2) on entries and content types through the official client's `comment.*` and
 * the legacy entry API: plain and rich text bodies, replies, parent references, status, versions, and who
 * may change or delete a comment.
 */

let server: TestServer;
let admin: PlainClientAPI;
let spaceId: string;
let author: TestUser;
let colleague: TestUser;
let postReader: TestUser;
const env = () => ({ spaceId, environmentId: 'master' });
const onEntry = (entryId: string) => ({ ...env(), entryId });
const onContentType = () => ({ ...env(), parentEntityType: 'ContentType' as const, parentEntityId: 'post' });
const user = (id: string) => ({ sys: { type: 'Link' as const, linkType: 'User' as const, id } });
const isEntry = { equals: [{ doc: 'sys.type' }, 'Entry'] };
const update = (client: PlainClientAPI, entryId: string, current: CommentProps, changes: Partial<CommentProps>) => {
  const { sys, ...content } = current;
  return client.comment.update({ ...onEntry(entryId), commentId: sys.id }, {
    ...content,
    ...changes,
    sys: { version: sys.version },
  } as never);
};
const paragraph = (...content: Record<string, unknown>[]) => ({ nodeType: 'paragraph', data: {}, content });
const text = (value: string) => ({ nodeType: 'text', value, marks: [], data: {} });
const mention = (id: string) => ({ nodeType: 'mention', data: { target: user(id) }, content: [] });
const documentOf = (...content: Record<string, unknown>[]) => ({ nodeType: 'document', data: {}, content }) as never;

beforeAll(async () => {
  server = await startTestServer();
  admin = server.plainClient();
  spaceId = (await admin.space.create({}, { name: 'Comments' })).sys.id;
  for (const id of ['post', 'page']) {
    const ct = await admin.contentType.createWithId({ ...env(), contentTypeId: id }, {
      name: id,
      fields: [{ id: 'firstField', name: 'First Field', type: 'Text', required: false, localized: false }],
    } as never);
    await admin.contentType.publish({ ...env(), contentTypeId: id }, ct);
  }
  for (const id of ['hello', 'other', 'doomed'])
    await admin.entry.createWithId({ ...env(), entryId: id, contentTypeId: 'post' }, { fields: {} });
  await admin.entry.createWithId({ ...env(), entryId: 'page', contentTypeId: 'page' }, { fields: {} });
  const writer = await admin.role.create({ spaceId }, {
    name: 'Entry writer',
    permissions: { ContentModel: ['read'] },
    policies: [{ effect: 'allow', actions: ['read', 'create', 'update', 'delete'], constraint: isEntry }],
  } as never);
  const postsOnly = await admin.role.create({ spaceId }, {
    name: 'Post reader',
    permissions: { ContentModel: ['read'] },
    policies: [
      { effect: 'allow', actions: ['read'], constraint: { and: [isEntry, { equals: [{ doc: 'sys.contentType.sys.id' }, 'post'] }] } },
    ],
  } as never);
  author = await organizationUser(server, 'author@example.com', { spaceId, roleId: writer.sys.id });
  colleague = await organizationUser(server, 'colleague@example.com', { spaceId, roleId: writer.sys.id });
  postReader = await organizationUser(server, 'reader@example.com', { spaceId, roleId: postsOnly.sys.id });
});
afterAll(async () => {
  await server?.close();
});

describe('entry comments', () => {
  it('creates, gets, lists, updates and deletes a comment, with its sys as Contentful builds it', async () => {
    const created = await admin.comment.create(onEntry('hello'), { body: 'Looks good' });
    expect(created).toEqual({
      body: 'Looks good',
      status: 'active',
      sys: {
        id: expect.stringMatching(/^[0-9A-Za-z]{22}$/),
        type: 'Comment',
        version: 1,
        space: { sys: { type: 'Link', linkType: 'Space', id: spaceId } },
        environment: { sys: { type: 'Link', linkType: 'Environment', id: 'master' } },
        parentEntity: { sys: { type: 'Link', linkType: 'Entry', id: 'hello' } },
        parent: null,
        createdBy: user(server.adminUserId),
        updatedBy: user(server.adminUserId),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: created.sys.createdAt,
      },
    });
    const commentId = created.sys.id;
    expect(await admin.comment.get({ ...onEntry('hello'), commentId })).toEqual(created);
    const list = await admin.comment.getMany({ ...onEntry('hello'), query: {} });
    expect(list).toMatchObject({ sys: { type: 'Array' }, total: 1, skip: 0, limit: 100, items: [created] });

    const updated = await update(admin, 'hello', created, { body: 'Looks great', status: 'resolved' });
    expect(updated).toMatchObject({ body: 'Looks great', status: 'resolved', sys: { version: 2 } });
    await admin.comment.delete({ ...onEntry('hello'), commentId, version: 2 });
    await expectSdkError(admin.comment.get({ ...onEntry('hello'), commentId }), 404, 'NotFound');
  });

  it("answers the SDK integration test's entry calls: createComment, getComments, getComment, update, delete", async () => {
    const entry = await (await (await server.legacyClient().getSpace(spaceId)).getEnvironment('master')).getEntry('hello');
    const { sys } = await entry.createComment({ body: 'JS SDK Comment Integration Test' });
    expect((await entry.getComments()).items.map((c) => c.sys.id)).toContain(sys.id);
    const comment = await entry.getComment(sys.id);
    expect(comment.body).toBe('JS SDK Comment Integration Test');
    comment.body = 'new body';
    const updated = await comment.update();
    expect(updated.body).toBe('new body');
    await updated.delete();
    await expectSdkError(entry.getComment(sys.id), 404, 'NotFound');
  });

  it('pages with limit and skip, oldest first, and filters by status', async () => {
    const ids: string[] = [];
    for (const [i, status] of (['active', 'resolved', 'active'] as const).entries())
      ids.push((await admin.comment.create(onEntry('other'), { body: `Comment ${i}`, status })).sys.id);
    const page = await admin.comment.getMany({ ...onEntry('other'), query: { skip: 1, limit: 1 } });
    expect({ total: page.total, ids: page.items.map((c) => c.sys.id) }).toEqual({ total: 3, ids: [ids[1]] });
    const resolved = await admin.comment.getMany({ ...onEntry('other'), query: { status: 'resolved' } });
    expect(resolved.items.map((c) => c.sys.id)).toEqual([ids[1]]);
    await expectSdkError(admin.comment.getMany({ ...onEntry('other'), query: { skip: -1 } }), 400, 'BadRequest');
  });

  it('replies to a comment with parentCommentId; deleting a comment deletes its replies', async () => {
    const thread = await admin.comment.create(onEntry('hello'), { body: 'Which image?' });
    const reply = await author.client.comment.create({ ...onEntry('hello'), parentCommentId: thread.sys.id }, { body: 'Reply comment' });
    expect(reply.sys.parent).toEqual({ sys: { type: 'Link', linkType: 'Comment', id: thread.sys.id } });
    const listed = await admin.comment.getMany({ ...onEntry('hello'), query: {} });
    expect(listed.items.find((c) => c.sys.id === reply.sys.id)?.body).toBe('Reply comment');
    // A reply answers a comment on the same entity.
    const elsewhere = await expectSdkError(
      admin.comment.create({ ...onEntry('other'), parentCommentId: thread.sys.id }, { body: 'Lost' }),
      404,
      'NotFound',
    );
    expect(elsewhere.details).toMatchObject({ type: 'Comment', id: thread.sys.id });
    await admin.comment.delete({ ...onEntry('hello'), commentId: thread.sys.id, version: thread.sys.version });
    await expectSdkError(admin.comment.get({ ...onEntry('hello'), commentId: reply.sys.id }), 404, 'NotFound');
  });

  it('refuses a body over 512 characters, an empty one and an unknown status with 422 ValidationFailed', async () => {
    const long = await expectSdkError(admin.comment.create(onEntry('hello'), { body: 'x'.repeat(513) }), 422, 'ValidationFailed');
    expect(long.details.errors).toEqual([
      { name: 'size', path: ['body'], min: 1, max: 512, details: "A comment's body has 1 to 512 characters; this one has 513" },
    ]);
    const fits = await admin.comment.create(onEntry('hello'), { body: 'é'.repeat(512) });
    await expectSdkError(admin.comment.create(onEntry('hello'), { body: '' }), 422, 'ValidationFailed');
    await expectSdkError(update(admin, 'hello', fits, { body: 'y'.repeat(600) }), 422, 'ValidationFailed');
    const status = await expectSdkError(
      admin.comment.create(onEntry('hello'), { body: 'Hi', status: 'done' } as never),
      422,
      'ValidationFailed',
    );
    expect(status.details.errors).toEqual([expect.objectContaining({ name: 'in', path: ['status'] })]);
    await admin.comment.delete({ ...onEntry('hello'), commentId: fits.sys.id, version: fits.sys.version });
  });
});

describe('rich text bodies', () => {
  it('stores rich text as sent and reads it in the format asked for, mentions as User(id=...) in plain text', async () => {
    const body = documentOf(paragraph(text('Please check, '), mention(author.id)), paragraph(text('Thanks')));
    const created = await admin.comment.create(onEntry('hello'), { body });
    expect(created.body).toEqual(body);
    const commentId = created.sys.id;
    expect((await admin.comment.get({ ...onEntry('hello'), commentId })).body).toBe(`Please check, User(id=${author.id})\nThanks`);
    expect((await admin.comment.get({ ...onEntry('hello'), commentId, bodyFormat: 'rich-text' })).body).toEqual(body);
    const rich = await admin.comment.getMany({ ...onEntry('hello'), bodyFormat: 'rich-text', query: {} });
    expect(rich.items.find((c) => c.sys.id === commentId)?.body).toEqual(body);

    const plain = await admin.comment.create(onEntry('hello'), { body: 'One\nTwo' });
    expect((await admin.comment.get({ ...onEntry('hello'), commentId: plain.sys.id, bodyFormat: 'rich-text' })).body).toEqual(
      documentOf(paragraph(text('One')), paragraph(text('Two'))),
    );

    const { sys, ...content } = created;
    const edited = await admin.comment.update(
      { ...onEntry('hello'), commentId },
      { ...content, body: documentOf(paragraph(text('Checked by '), mention(colleague.id))), sys: { version: sys.version } },
    );
    expect(edited.body).toEqual(documentOf(paragraph(text('Checked by '), mention(colleague.id))));
    expect(edited.sys.version).toBe(2);
  });

  it('accepts document, paragraph, text and mention nodes only', async () => {
    const heading = await expectSdkError(
      admin.comment.create(onEntry('hello'), { body: documentOf({ nodeType: 'heading-1', data: {}, content: [] }) }),
      422,
      'ValidationFailed',
    );
    expect(heading.details.errors).toEqual([expect.objectContaining({ name: 'in', path: ['body', 'content', 0, 'nodeType'] })]);
    const asset = await expectSdkError(
      admin.comment.create(onEntry('hello'), {
        body: documentOf(
          paragraph({ nodeType: 'mention', data: { target: { sys: { type: 'Link', linkType: 'Asset', id: 'a' } } }, content: [] }),
        ),
      }),
      422,
      'ValidationFailed',
    );
    expect(asset.details.errors).toEqual([expect.objectContaining({ path: ['body', 'content', 0, 'content', 0, 'data', 'target'] })]);
    await expectSdkError(admin.comment.create(onEntry('hello'), { body: documentOf() }), 422, 'ValidationFailed');
  });
});

describe('content type comments', () => {
  it("answers the SDK integration test's content type calls: create, getMany, delete, replies and parent references", async () => {
    const { sys } = await admin.comment.create(onContentType(), { body: 'JS SDK Comment Integration Test' });
    expect(sys.parentEntity).toEqual({ sys: { type: 'Link', linkType: 'ContentType', id: 'post' } });
    expect((await admin.comment.getMany(onContentType())).items.map((c) => c.sys.id)).toContain(sys.id);

    const reply = await admin.comment.create({ ...onContentType(), parentCommentId: sys.id }, { body: 'Reply comment' });
    expect((await admin.comment.getMany(onContentType())).items.find((c) => c.sys.id === reply.sys.id)?.body).toBe('Reply comment');
    await admin.comment.delete({ ...onContentType(), commentId: reply.sys.id, version: reply.sys.version });
    await admin.comment.delete({ ...onContentType(), commentId: sys.id, version: sys.version });

    const referenced = await admin.comment.create(
      { ...onContentType(), parentEntityReference: 'fields.firstField' },
      { body: 'On a field' },
    );
    expect(referenced.sys.parentEntity).toEqual({ sys: { type: 'Link', linkType: 'ContentType', id: 'post', ref: 'fields.firstField' } });
    const refs = (await admin.comment.getMany(onContentType())).items.map((c) => (c.sys.parentEntity.sys as { ref?: string }).ref);
    expect(refs).toContain('fields.firstField');
    await expectSdkError(
      admin.comment.create({ ...onContentType(), parentEntityReference: 'title' }, { body: 'Where?' }),
      400,
      'BadRequest',
    );
    // Comments of one parent are not found under another.
    await expectSdkError(admin.comment.get({ ...onEntry('hello'), commentId: referenced.sys.id }), 404, 'NotFound');
    await expectSdkError(admin.comment.getMany({ ...onContentType(), parentEntityId: 'missing' }), 404, 'NotFound');
  });

  it('an entry comment may name a field and locale', async () => {
    const created = await admin.comment.create(
      { ...env(), parentEntityType: 'Entry', parentEntityId: 'hello', parentEntityReference: 'fields.firstField.en-US' },
      {
        body: 'Typo here',
      },
    );
    expect(created.sys.parentEntity).toEqual({ sys: { type: 'Link', linkType: 'Entry', id: 'hello', ref: 'fields.firstField.en-US' } });
    await admin.comment.delete({ ...onEntry('hello'), commentId: created.sys.id, version: 1 });
  });
});

describe('who may do what', () => {
  it('any reader of the entry comments; only the creator or a space admin changes or deletes a comment', async () => {
    const mine = await author.client.comment.create(onEntry('hello'), { body: 'My note' });
    expect(mine.sys.createdBy).toEqual(user(author.id));
    const theirs = await postReader.client.comment.create(onEntry('hello'), { body: 'A reader may comment' });
    expect(theirs.sys.createdBy).toEqual(user(postReader.id));

    const changing = await expectSdkError(update(colleague.client, 'hello', mine, { body: 'Not mine' }), 403, 'AccessDenied');
    expect(changing.message).toBe("Only the comment's creator or a space admin can change it");
    await expectSdkError(update(colleague.client, 'hello', mine, { status: 'resolved' }), 403, 'AccessDenied');
    await expectSdkError(colleague.client.comment.delete({ ...onEntry('hello'), commentId: mine.sys.id, version: 1 }), 403, 'AccessDenied');

    const edited = await update(author.client, 'hello', mine, { body: 'My better note' });
    expect(edited.sys).toMatchObject({ version: 2, updatedBy: user(author.id) });
    const byAdmin = await update(admin, 'hello', edited, { status: 'resolved' });
    expect(byAdmin).toMatchObject({ status: 'resolved', sys: { version: 3, updatedBy: user(server.adminUserId) } });
    await author.client.comment.delete({ ...onEntry('hello'), commentId: mine.sys.id, version: 3 });
    await admin.comment.delete({ ...onEntry('hello'), commentId: theirs.sys.id, version: 1 });
  });

  it('comments of an entry the user cannot read answer 404', async () => {
    const hidden = await admin.comment.create(onEntry('page'), { body: 'Hidden' });
    for (const call of [
      () => postReader.client.comment.getMany({ ...onEntry('page'), query: {} }),
      () => postReader.client.comment.get({ ...onEntry('page'), commentId: hidden.sys.id }),
      () => postReader.client.comment.create(onEntry('page'), { body: 'Sneaky' }),
    ]) {
      const error = await expectSdkError(call(), 404, 'NotFound');
      expect(error.details).toMatchObject({ type: 'Entry', id: 'page' });
    }
  });

  it('locks versions: a stale update or delete is 409 VersionMismatch', async () => {
    const created = await admin.comment.create(onEntry('hello'), { body: 'Versioned' });
    await update(admin, 'hello', created, { body: 'Versioned twice' });
    const stale = await expectSdkError(update(admin, 'hello', created, { body: 'Stale' }), 409, 'VersionMismatch');
    expect(stale.details).toEqual({ type: 'Comment', id: created.sys.id });
    await expectSdkError(admin.comment.delete({ ...onEntry('hello'), commentId: created.sys.id, version: 1 }), 409, 'VersionMismatch');
    await admin.comment.delete({ ...onEntry('hello'), commentId: created.sys.id, version: 2 });
  });
});

describe('comments and their entry', () => {
  it('records Comment.create, Comment.save and Comment.delete with the write', async () => {
    const created = await admin.comment.create(onEntry('hello'), { body: 'Announce' });
    const saved = await update(admin, 'hello', created, { body: 'Announced' });
    await admin.comment.delete({ ...onEntry('hello'), commentId: saved.sys.id, version: saved.sys.version });
    const events = await server.services.db
      .selectFrom('events')
      .select(['topic', 'payload'])
      .where('entity_id', '=', created.sys.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.topic)).toEqual([
      'ContentManagement.Comment.create',
      'ContentManagement.Comment.save',
      'ContentManagement.Comment.delete',
    ]);
    expect(events[1].payload).toMatchObject({ body: 'Announced', sys: { type: 'Comment', version: 2 } });
  });

  it('deleting the entry deletes its comments', async () => {
    const created = await admin.comment.create(onEntry('doomed'), { body: 'Gone soon' });
    await admin.entry.delete({ ...env(), entryId: 'doomed' });
    await expectSdkError(admin.comment.get({ ...onEntry('doomed'), commentId: created.sys.id }), 404, 'NotFound');
    expect(await server.services.db.selectFrom('comments').select('id').where('entry_id', '=', 'doomed').execute()).toEqual([]);
  });
});
