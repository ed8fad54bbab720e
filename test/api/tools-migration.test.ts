import type { PlainClientAPI } from 'contentful-management';
import { runMigration, type MigrationFunction } from 'contentful-migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsTestServer, type TlsTestServer } from '../helpers/tls.js';

let server: TlsTestServer;
let client: PlainClientAPI;
let spaceId: string;
const environmentId = 'master';
const env = () => ({ spaceId, environmentId });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });

async function migrate(migrationFunction: MigrationFunction) {
  return runMigration({
    migrationFunction,
    spaceId,
    environmentId,
    accessToken: server.adminToken,
    host: server.host,
    yes: true,
    quiet: true,
  } as Parameters<typeof runMigration>[0]);
}

beforeAll(async () => {
  server = await startTlsTestServer();
  client = server.plainClient(undefined, { insecure: false });
  spaceId = (await client.space.create({}, { name: 'Migrations' })).sys.id;
  await client.locale.create(env(), { name: 'German', code: 'de-DE', fallbackCode: 'en-US', optional: true } as never);
}, 30_000);
afterAll(async () => {
  await server?.close();
});

describe('contentful-migration against the server over HTTPS', () => {
  it('creates content types with every field type and validation, then edits, moves and annotates fields', async () => {
    await migrate((migration) => {
      const author = migration.createContentType('author', { name: 'Author', displayField: 'name', description: 'A writer' });
      author
        .createField('name')
        .name('Name')
        .type('Symbol')
        .required(true)
        .validations([{ size: { min: 2, max: 80 } }]);
      author.createField('bio').name('Bio').type('Text').localized(true);
      author
        .createField('avatar')
        .name('Avatar')
        .type('Link')
        .linkType('Asset')
        .validations([{ linkMimetypeGroup: ['image'] }]);

      const post = migration.createContentType('post', { name: 'Post', displayField: 'title' });
      post
        .createField('title')
        .name('Title')
        .type('Symbol')
        .required(true)
        .localized(true)
        .validations([{ unique: true }]);
      post
        .createField('slug')
        .name('Slug')
        .type('Symbol')
        .validations([{ regexp: { pattern: '^[a-z0-9-]+$' } }]);
      post
        .createField('body')
        .name('Body')
        .type('RichText')
        .validations([{ enabledMarks: ['bold', 'italic'] }, { enabledNodeTypes: ['heading-1', 'embedded-entry-block'] }]);
      post
        .createField('views')
        .name('Views')
        .type('Integer')
        .validations([{ range: { min: 0 } }]);
      post.createField('rating').name('Rating').type('Number');
      post
        .createField('publishedOn')
        .name('Published on')
        .type('Date')
        .validations([{ dateRange: { min: '2000-01-01' } }]);
      post.createField('featured').name('Featured').type('Boolean');
      post.createField('place').name('Place').type('Location');
      post.createField('meta').name('Meta').type('Object');
      post
        .createField('keywords')
        .name('Keywords')
        .type('Array')
        .items({ type: 'Symbol', validations: [{ in: ['news', 'tech', 'life'] }] });
      post.createField('authorName').name('Author name').type('Symbol');
      post
        .createField('author')
        .name('Author')
        .type('Link')
        .linkType('Entry')
        .validations([{ linkContentType: ['author'] }]);
      post.createField('images').name('Images').type('Array').items({ type: 'Link', linkType: 'Asset' });
      post.createField('legacy').name('Legacy').type('Symbol');

      post.setAnnotations(['Contentful:AggregateRoot']);
      post.editField('author').setAnnotations(['Contentful:AggregateComponent']);
      post.changeFieldControl('slug', 'builtin', 'slugEditor', { helpText: 'Made from the title' });
      post.changeFieldControl('views', 'builtin', 'numberEditor');
    });

    const post = await client.contentType.get({ ...env(), contentTypeId: 'post' });
    expect(post.sys.publishedVersion).toBeDefined();
    expect(post.fields.map((f) => [f.id, f.type])).toEqual([
      ['title', 'Symbol'],
      ['slug', 'Symbol'],
      ['body', 'RichText'],
      ['views', 'Integer'],
      ['rating', 'Number'],
      ['publishedOn', 'Date'],
      ['featured', 'Boolean'],
      ['place', 'Location'],
      ['meta', 'Object'],
      ['keywords', 'Array'],
      ['authorName', 'Symbol'],
      ['author', 'Link'],
      ['images', 'Array'],
      ['legacy', 'Symbol'],
    ]);
    expect(post.fields.find((f) => f.id === 'keywords')?.items).toEqual({
      type: 'Symbol',
      validations: [{ in: ['news', 'tech', 'life'] }],
    });
    const author = await client.contentType.get({ ...env(), contentTypeId: 'author' });
    expect(author).toMatchObject({ name: 'Author', description: 'A writer', displayField: 'name' });
    expect(author.fields[0]).toMatchObject({ id: 'name', required: true, validations: [{ size: { min: 2, max: 80 } }] });
    expect((post as unknown as { metadata: unknown }).metadata).toEqual({
      annotations: {
        ContentType: [{ sys: { id: 'Contentful:AggregateRoot', type: 'Link', linkType: 'Annotation' } }],
        ContentTypeField: { author: [{ sys: { id: 'Contentful:AggregateComponent', type: 'Link', linkType: 'Annotation' } }] },
      },
    });
    const controls = (await client.editorInterface.get({ ...env(), contentTypeId: 'post' })).controls ?? [];
    expect(controls.find((c) => c.fieldId === 'slug')).toEqual({
      fieldId: 'slug',
      widgetNamespace: 'builtin',
      widgetId: 'slugEditor',
      settings: { helpText: 'Made from the title' },
    });
    expect(controls.find((c) => c.fieldId === 'views')).toMatchObject({ widgetId: 'numberEditor' });

    await migrate((migration) => {
      const post = migration.editContentType('post', { name: 'Blog post', description: 'Articles' });
      post
        .editField('rating')
        .name('Score')
        .validations([{ range: { min: 1, max: 5 } }]);
      post.moveField('slug').toTheTop();
      post.moveField('rating').afterField('title');
      post.changeFieldId('legacy', 'oldId');
    });
    const edited = await client.contentType.get({ ...env(), contentTypeId: 'post' });
    expect(edited).toMatchObject({ name: 'Blog post', description: 'Articles' });
    expect(edited.fields.slice(0, 3).map((f) => f.id)).toEqual(['slug', 'title', 'rating']);
    expect(edited.fields.find((f) => f.id === 'rating')).toMatchObject({ name: 'Score', validations: [{ range: { min: 1, max: 5 } }] });
    expect(edited.fields.find((f) => f.id === 'oldId')?.name).toBe('Legacy');
  });

  it('transforms entries, derives linked entries, moves entries to another type, and deletes a field and a content type', async () => {
    for (const [id, title, authorName] of [
      ['first', 'Hello World', 'Ada Lovelace'],
      ['second', 'Second Post', 'Ada Lovelace'],
    ]) {
      const entry = await client.entry.createWithId(
        { ...env(), contentTypeId: 'post', entryId: id },
        { fields: { title: { 'en-US': title }, authorName: { 'en-US': authorName } } },
      );
      await client.entry.publish({ ...env(), entryId: id }, entry);
    }

    await migrate((migration) => {
      migration.transformEntries({
        contentType: 'post',
        from: ['title'],
        to: ['slug'],
        transformEntryForLocale: (fields: Record<string, Record<string, string>>, locale: string) =>
          locale === 'en-US' ? { slug: fields.title['en-US'].toLowerCase().replace(/[^a-z0-9]+/g, '-') } : undefined,
        shouldPublish: 'preserve',
      });
      migration.deriveLinkedEntries({
        contentType: 'post',
        derivedContentType: 'author',
        from: ['authorName'],
        toReferenceField: 'author',
        derivedFields: ['name'],
        identityKey: (fields: Record<string, Record<string, string>>) => fields.authorName['en-US'].toLowerCase().replace(/[^a-z]+/g, '-'),
        deriveEntryForLocale: async (fields: Record<string, Record<string, string>>, locale: string) =>
          locale === 'en-US' ? { name: fields.authorName['en-US'] } : undefined,
        shouldPublish: true,
      });
    });

    const first = await client.entry.get({ ...env(), entryId: 'first' });
    expect(first.fields.slug).toEqual({ 'en-US': 'hello-world' });
    expect(first.sys.publishedVersion).toBe(first.sys.version - 1);
    expect(first.fields.author).toEqual({ 'en-US': link('Entry', 'ada-lovelace') });
    expect((await client.entry.get({ ...env(), entryId: 'second' })).fields.author).toEqual({ 'en-US': link('Entry', 'ada-lovelace') });
    const ada = await client.entry.get({ ...env(), entryId: 'ada-lovelace' });
    expect(ada.fields.name).toEqual({ 'en-US': 'Ada Lovelace' });
    expect(ada.sys.publishedVersion).toBeDefined();
    expect((await client.entry.getMany({ ...env(), query: { content_type: 'author' } })).total).toBe(1);

    await migrate((migration) => {
      const article = migration.createContentType('article', { name: 'Article', displayField: 'headline' });
      article.createField('headline').name('Headline').type('Symbol').localized(true);
      article.createField('writer').name('Writer').type('Link').linkType('Entry');
      migration.transformEntriesToType({
        sourceContentType: 'post',
        targetContentType: 'article',
        from: ['title', 'author'],
        shouldPublish: false,
        updateReferences: false,
        removeOldEntries: false,
        identityKey: (fields: Record<string, Record<string, string>>) =>
          `article-${fields.title['en-US'].toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        transformEntryForLocale: async (fields: Record<string, Record<string, unknown>>, locale: string) =>
          locale === 'en-US' ? { headline: fields.title['en-US'], writer: fields.author['en-US'] } : undefined,
      });
    });
    const article = await client.entry.get({ ...env(), entryId: 'article-hello-world' });
    expect(article.sys.contentType.sys.id).toBe('article');
    expect(article.fields).toEqual({ headline: { 'en-US': 'Hello World' }, writer: { 'en-US': link('Entry', 'ada-lovelace') } });
    expect(article.sys.publishedVersion).toBeUndefined();

    for (const entry of (await client.entry.getMany({ ...env(), query: { content_type: 'article' } })).items)
      await client.entry.delete({ ...env(), entryId: entry.sys.id });
    await migrate((migration) => {
      migration.editContentType('post').deleteField('oldId');
      migration.deleteContentType('article');
    });
    expect((await client.contentType.get({ ...env(), contentTypeId: 'post' })).fields.map((f) => f.id)).not.toContain('oldId');
    await expect(client.contentType.get({ ...env(), contentTypeId: 'article' })).rejects.toMatchObject({ name: 'NotFound' });
  });

  it("fails on the tool's own validation before sending anything", async () => {
    const before = await client.contentType.get({ ...env(), contentTypeId: 'author' });
    await expect(
      migrate((migration) => {
        migration.editContentType('author').createField('name').name('Duplicate').type('Symbol');
      }),
    ).rejects.toThrow();
    expect((await client.contentType.get({ ...env(), contentTypeId: 'author' })).sys.version).toBe(before.sys.version);
  });
});
