import type { PlainClientAPI } from 'contentful-management';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The GraphQL queries of two public Contentful starters, verbatim, against spaces seeded through the
 * management client with the content models those starters read:
 *
 * - vercel/next.js `examples/cms-contentful/lib/api.ts` (content model from its `lib/export.json`): four
 *   queries built as template strings, POSTed with fetch as `{ query }`, the delivery token or, in draft
 *   mode, the preview token;
 * - contentful/template-blog-webapp-nextjs (`src/lib/graphql/*.graphql`, sent by its codegen SDK through
 *   graphql-request's GraphQLClient with variables; fragments read `$locale` of their operation). Its
 *   model is the one its generated schema shows, with the localized flags and validations of the
 *   template's space (titles, descriptions, rich text, captions and SEO texts localized; slugs, dates and
 *   links not), in a space with `en-US` and `de-DE`.
 */

let server: TestServer;
let cma: PlainClientAPI;
// biome-ignore lint/suspicious/noExplicitAny: answers are checked by value, whatever their shape
type Answer = any;

interface Space {
  spaceId: string;
  delivery: string;
  preview: string;
}

const env = (spaceId: string) => ({ spaceId, environmentId: 'master' });
const link = (linkType: string, id: string) => ({ sys: { type: 'Link', linkType, id } });
const text = (value: string, marks: string[] = []) => ({ nodeType: 'text', value, marks: marks.map((type) => ({ type })), data: {} });
const paragraph = (...content: unknown[]) => ({ nodeType: 'paragraph', data: {}, content });
const document = (...content: unknown[]) => ({ nodeType: 'document', data: {}, content });
const embedded = (nodeType: string, linkType: string, id: string) => ({ nodeType, data: { target: link(linkType, id) }, content: [] });

/** An uploaded, processed and (unless told otherwise) published image, with its file in each locale given. */
interface Image {
  id: string;
  title: Record<string, string>;
  description: Record<string, string>;
  file: Record<string, { url: string; width: number; height: number }>;
}

async function image(
  spaceId: string,
  title: Record<string, string>,
  description: Record<string, string>,
  files: Record<string, { width: number; height: number; fileName: string; rgb: [number, number, number] }>,
  publish = true,
): Promise<Image> {
  const upload = await cma.asset.createFromFiles(env(spaceId), {
    fields: {
      title,
      description,
      file: Object.fromEntries(
        Object.entries(files).map(([locale, f]) => [
          locale,
          { file: makePng(f.width, f.height, f.rgb), fileName: f.fileName, contentType: 'image/png' },
        ]),
      ),
    },
  } as never);
  const processed = await cma.asset.processForAllLocales(env(spaceId), upload, { processingCheckWait: 50, processingCheckRetries: 100 });
  if (publish) await cma.asset.publish({ ...env(spaceId), assetId: processed.sys.id }, processed);
  return {
    id: processed.sys.id,
    title,
    description,
    file: Object.fromEntries(
      Object.entries(files).map(([locale, f]) => [
        locale,
        { url: `http:${processed.fields.file[locale]!.url}`, width: f.width, height: f.height },
      ]),
    ),
  };
}

async function contentType(spaceId: string, id: string, body: Record<string, unknown>) {
  const created = await cma.contentType.createWithId({ ...env(spaceId), contentTypeId: id }, body as never);
  await cma.contentType.publish({ ...env(spaceId), contentTypeId: id }, created);
}

/** Creates an entry, publishes it unless told otherwise. */
async function entry(spaceId: string, id: string, type: string, fields: Record<string, unknown>, publish = true) {
  await cma.entry.createWithId({ ...env(spaceId), entryId: id, contentTypeId: type }, { fields } as never);
  if (publish) await publishEntry(spaceId, id);
}

/** Publishes an entry as it is, and answers its `sys.publishedAt`. */
async function publishEntry(spaceId: string, id: string) {
  const current = await cma.entry.get({ ...env(spaceId), entryId: id });
  const published = await cma.entry.publish({ ...env(spaceId), entryId: id }, current);
  return new Date(published.sys.publishedAt!).toISOString();
}

/** Changes a published entry's draft without publishing it again. */
async function editDraft(spaceId: string, id: string, change: (fields: Record<string, Record<string, unknown>>) => void) {
  const current = await cma.entry.get({ ...env(spaceId), entryId: id });
  change(current.fields as Record<string, Record<string, unknown>>);
  await cma.entry.update({ ...env(spaceId), entryId: id }, current);
}

async function space(name: string): Promise<Space> {
  const spaceId = (await cma.space.create({}, { name })).sys.id;
  return { spaceId, delivery: '', preview: '' };
}

async function apiKeys(target: Space) {
  const key = await cma.apiKey.create({ spaceId: target.spaceId }, {
    name: 'Website',
    environments: [link('Environment', 'master')],
  } as never);
  target.delivery = key.accessToken;
  target.preview = (await cma.previewApiKey.get({ spaceId: target.spaceId, previewApiKeyId: key.preview_api_key.sys.id })).accessToken;
}

/** A value in a locale, or in en-US (every locale of these spaces falls back to it). */
const inLocale = <T>(values: Record<string, T>, locale: string): T => values[locale] ?? values['en-US']!;

// ---------------------------------------------------------------------------------------------------------
// vercel/next.js examples/cms-contentful

const nextjs: Space = { spaceId: '', delivery: '', preview: '' };
const nextImages: Record<string, Image> = {};
let helloContent: Answer;
let secondContent: Answer;
let firstLightContent: Answer;
let comingSoonContent: Answer;

/** lib/api.ts, verbatim but for the endpoint (this server) and its Next.js cache option. */
const POST_GRAPHQL_FIELDS = `
  slug
  title
  coverImage {
    url
  }
  date
  author {
    name
    picture {
      url
    }
  }
  excerpt
  content {
    json
    links {
      assets {
        block {
          sys {
            id
          }
          url
          description
        }
      }
    }
  }
`;

async function fetchGraphQL(query: string, preview = false): Promise<Answer> {
  return fetch(`${server.baseUrl}/content/v1/spaces/${nextjs.spaceId}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${preview ? nextjs.preview : nextjs.delivery}`,
    },
    body: JSON.stringify({ query }),
  }).then((response) => response.json());
}

/** The starter's functions, answering the whole response (the starter keeps `data.postCollection.items`). */
function getPreviewPostBySlug(slug: string | null): Promise<Answer> {
  return fetchGraphQL(
    `query {
      postCollection(where: { slug: "${slug}" }, preview: true, limit: 1) {
        items {
          ${POST_GRAPHQL_FIELDS}
        }
      }
    }`,
    true,
  );
}

function getAllPosts(isDraftMode: boolean): Promise<Answer> {
  return fetchGraphQL(
    `query {
      postCollection(where: { slug_exists: true }, order: date_DESC, preview: ${isDraftMode ? 'true' : 'false'}) {
        items {
          ${POST_GRAPHQL_FIELDS}
        }
      }
    }`,
    isDraftMode,
  );
}

async function getPostAndMorePosts(slug: string, preview: boolean): Promise<{ entry: Answer; entries: Answer }> {
  const entry = await fetchGraphQL(
    `query {
      postCollection(where: { slug: "${slug}" }, preview: ${preview ? 'true' : 'false'}, limit: 1) {
        items {
          ${POST_GRAPHQL_FIELDS}
        }
      }
    }`,
    preview,
  );
  const entries = await fetchGraphQL(
    `query {
      postCollection(where: { slug_not_in: "${slug}" }, order: date_DESC, preview: ${preview ? 'true' : 'false'}, limit: 2) {
        items {
          ${POST_GRAPHQL_FIELDS}
        }
      }
    }`,
    preview,
  );
  return { entry, entries };
}

const authors = {
  ada: { name: 'Ada Lovelace', picture: 'ada' },
  grace: { name: 'Grace Hopper', picture: 'grace' },
  linus: { name: 'Linus Draft', picture: 'grace' },
} as const;

interface NextPost {
  slug: string;
  title: string;
  cover: string;
  date: string;
  author: keyof typeof authors;
  excerpt: string;
  content: () => Answer;
  embedded: string[];
}

const posts: Record<string, NextPost> = {
  hello: {
    slug: 'hello-world',
    title: 'Hello World',
    cover: 'coverHello',
    date: '2024-03-01T00:00:00.000Z',
    author: 'ada',
    excerpt: 'Why this blog exists.',
    content: () => helloContent,
    embedded: ['diagram'],
  },
  second: {
    slug: 'second-steps',
    title: 'Second steps',
    cover: 'coverSecond',
    date: '2024-02-01T00:00:00.000Z',
    author: 'grace',
    excerpt: 'What came next.',
    content: () => secondContent,
    embedded: [],
  },
  firstLight: {
    slug: 'first-light',
    title: 'First light',
    cover: 'coverFirst',
    date: '2024-01-01T00:00:00.000Z',
    author: 'ada',
    excerpt: 'Where it started.',
    content: () => firstLightContent,
    embedded: ['photo', 'diagram'],
  },
  comingSoon: {
    slug: 'coming-soon',
    title: 'Coming soon',
    cover: 'coverDraft',
    date: '2024-04-01T00:00:00.000Z',
    author: 'linus',
    excerpt: 'Not published yet.',
    content: () => comingSoonContent,
    embedded: ['diagram'],
  },
};

/** The item POST_GRAPHQL_FIELDS selects, as Contentful answers it. */
function postItem(post: NextPost, title = post.title) {
  const author = authors[post.author];
  return {
    slug: post.slug,
    title,
    coverImage: { url: nextImages[post.cover]!.file['en-US']!.url },
    date: post.date,
    author: { name: author.name, picture: { url: nextImages[author.picture]!.file['en-US']!.url } },
    excerpt: post.excerpt,
    content: {
      json: post.content(),
      links: {
        assets: {
          block: post.embedded.map((name) => ({
            sys: { id: nextImages[name]!.id },
            url: nextImages[name]!.file['en-US']!.url,
            description: nextImages[name]!.description['en-US'],
          })),
        },
      },
    },
  };
}

const answer = (...items: unknown[]) => ({ data: { postCollection: { items } } });

async function seedNextjs() {
  Object.assign(nextjs, await space('Next.js blog'));
  const s = nextjs.spaceId;
  // lib/export.json: the post and author content types, field for field.
  await contentType(s, 'author', {
    name: 'Author',
    description: 'The author of a blog post',
    displayField: 'name',
    fields: [
      { id: 'name', name: 'Name', type: 'Symbol', localized: false, required: true, validations: [{ unique: true }] },
      { id: 'picture', name: 'Picture', type: 'Link', linkType: 'Asset', localized: false, required: true, validations: [] },
    ],
  });
  const sizeMax10 = [{ size: { max: 10 }, message: null }];
  await contentType(s, 'post', {
    name: 'Post',
    description: '',
    displayField: 'title',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', localized: false, required: true, validations: [] },
      { id: 'slug', name: 'Slug', type: 'Symbol', localized: false, required: true, validations: [] },
      {
        id: 'content',
        name: 'Content',
        type: 'RichText',
        localized: false,
        required: true,
        validations: [
          { enabledMarks: ['bold', 'italic', 'underline', 'code'], message: 'Only bold, italic, underline, and code marks are allowed' },
          {
            enabledNodeTypes: [
              'heading-1',
              'heading-2',
              'heading-3',
              'heading-4',
              'heading-5',
              'heading-6',
              'ordered-list',
              'unordered-list',
              'hr',
              'blockquote',
              'embedded-entry-block',
              'embedded-asset-block',
              'hyperlink',
              'entry-hyperlink',
              'asset-hyperlink',
              'embedded-entry-inline',
            ],
            message:
              'Only heading 1, heading 2, heading 3, heading 4, heading 5, heading 6, ordered list, unordered list, horizontal rule, quote, block entry, asset, link to Url, link to entry, link to asset, and inline entry nodes are allowed',
          },
          {
            nodes: {
              'asset-hyperlink': sizeMax10,
              'embedded-asset-block': sizeMax10,
              'embedded-entry-block': sizeMax10,
              'embedded-entry-inline': sizeMax10,
              'entry-hyperlink': sizeMax10,
            },
          },
        ],
      },
      { id: 'excerpt', name: 'Excerpt', type: 'Symbol', localized: false, required: true, validations: [] },
      { id: 'coverImage', name: 'Cover Image', type: 'Link', linkType: 'Asset', localized: false, required: true, validations: [] },
      { id: 'date', name: 'Date', type: 'Date', localized: false, required: true, validations: [] },
      {
        id: 'author',
        name: 'Author',
        type: 'Link',
        linkType: 'Entry',
        localized: false,
        required: true,
        validations: [{ linkContentType: ['author'] }],
      },
    ],
  });

  const png = (fileName: string, width: number, height: number, rgb: [number, number, number]) => ({
    'en-US': { fileName, width, height, rgb },
  });
  nextImages.coverHello = await image(s, { 'en-US': 'Hello cover' }, { 'en-US': 'Sunrise' }, png('hello.png', 64, 32, [250, 120, 0]));
  nextImages.coverSecond = await image(s, { 'en-US': 'Second cover' }, { 'en-US': 'Noon' }, png('second.png', 48, 24, [0, 120, 250]));
  nextImages.coverFirst = await image(s, { 'en-US': 'First cover' }, { 'en-US': 'Dawn' }, png('first.png', 32, 16, [20, 20, 20]));
  nextImages.coverDraft = await image(s, { 'en-US': 'Draft cover' }, { 'en-US': 'Dusk' }, png('draft.png', 30, 30, [90, 0, 90]), false);
  nextImages.ada = await image(s, { 'en-US': 'Ada' }, { 'en-US': 'Portrait of Ada' }, png('ada.png', 20, 20, [200, 180, 160]));
  nextImages.grace = await image(s, { 'en-US': 'Grace' }, { 'en-US': 'Portrait of Grace' }, png('grace.png', 21, 21, [160, 180, 200]));
  nextImages.diagram = await image(s, { 'en-US': 'Diagram' }, { 'en-US': 'How the parts fit' }, png('diagram.png', 80, 40, [0, 0, 0]));
  nextImages.photo = await image(s, { 'en-US': 'Photo' }, { 'en-US': 'The first photo' }, png('photo.png', 40, 80, [255, 255, 255]));

  helloContent = document(
    { nodeType: 'heading-2', data: {}, content: [text('Why a blog')] },
    paragraph(
      text('Because '),
      text('writing', ['bold']),
      text(' helps; see '),
      { nodeType: 'hyperlink', data: { uri: 'https://nextjs.org' }, content: [text('Next.js')] },
      text('.'),
    ),
    embedded('embedded-asset-block', 'Asset', nextImages.diagram.id),
    paragraph(text('The end.', ['italic'])),
  );
  secondContent = document(paragraph(text('Plain words only.')));
  firstLightContent = document(
    embedded('embedded-asset-block', 'Asset', nextImages.photo.id),
    paragraph(text('Between two pictures.')),
    embedded('embedded-asset-block', 'Asset', nextImages.diagram.id),
  );
  comingSoonContent = document(paragraph(text('Soon.')), embedded('embedded-asset-block', 'Asset', nextImages.diagram.id));

  for (const [id, author] of Object.entries(authors))
    await entry(
      s,
      id,
      'author',
      { name: { 'en-US': author.name }, picture: { 'en-US': link('Asset', nextImages[author.picture]!.id) } },
      id !== 'linus',
    );
  for (const [id, post] of Object.entries(posts))
    await entry(
      s,
      id,
      'post',
      {
        title: { 'en-US': post.title },
        slug: { 'en-US': post.slug },
        content: { 'en-US': post.content() },
        excerpt: { 'en-US': post.excerpt },
        coverImage: { 'en-US': link('Asset', nextImages[post.cover]!.id) },
        date: { 'en-US': post.date },
        author: { 'en-US': link('Entry', post.author) },
      },
      id !== 'comingSoon',
    );
  // A published post edited since: the preview reads the draft, the delivery what was published.
  await editDraft(s, 'second', (fields) => {
    fields.title = { 'en-US': 'Second steps, revised' };
  });
  await apiKeys(nextjs);
}

// ---------------------------------------------------------------------------------------------------------
// contentful/template-blog-webapp-nextjs

const template: Space = { spaceId: '', delivery: '', preview: '' };
const tImages: Record<string, Image> = {};
const publishedAt: Record<string, string> = {};

const ImageFields = `fragment ImageFields on Asset {
  __typename
  sys {
    id
  }
  title
  description
  width
  height
  url
  contentType
}`;
const AuthorFields = `fragment AuthorFields on ComponentAuthor {
  __typename
  sys {
    id
    spaceId
  }
  name
  avatar {
    ...ImageFields
  }
}`;
const RichImageFields = `fragment RichImageFields on ComponentRichImage {
  __typename
  internalName
  sys {
    id
  }
  image {
    ...ImageFields
  }
  caption
  fullWidth
}`;
const SeoFields = `fragment SeoFields on ComponentSeo {
  __typename
  pageTitle
  pageDescription
  canonicalUrl
  nofollow
  noindex
  shareImagesCollection(limit: 3, locale: $locale) {
    items {
      ...ImageFields
    }
  }
}`;
const ReferencePageBlogPostFields = `fragment ReferencePageBlogPostFields on PageBlogPost {
  __typename
  sys {
    id
    spaceId
  }
  slug
  author {
    ...AuthorFields
  }
  publishedDate
  title
  shortDescription
  featuredImage {
    ...ImageFields
  }
}`;
const PageBlogPostFields = `fragment PageBlogPostFields on PageBlogPost {
  __typename
  sys {
    id
    spaceId
  }
  internalName
  seoFields {
    ...SeoFields
  }
  slug
  author {
    ...AuthorFields
  }
  publishedDate
  title
  shortDescription
  featuredImage {
    ...ImageFields
  }
  content {
    json
    links {
      entries {
        block {
          ...RichImageFields
        }
      }
    }
  }
  relatedBlogPostsCollection(limit: 2) {
    items {
      ...ReferencePageBlogPostFields
    }
  }
}`;
const PageLandingFields = `fragment PageLandingFields on PageLanding {
  __typename
  sys {
    id
    spaceId
  }
  internalName
  seoFields {
    ...SeoFields
  }
  featuredBlogPost {
    ...ReferencePageBlogPostFields
  }
  # Tutorial: contentful-and-the-starter-template.md
  # Uncomment the line below to add the Greeting field to the query
  # greeting
}`;
const sitemapPagesFields = `fragment sitemapPagesFields on Query {
  pageBlogPostCollection(limit: 100, locale: $locale) {
    items {
      slug
      sys {
        publishedAt
      }
    }
  }
  pageLandingCollection(limit: 1, locale: $locale) {
    items {
      sys {
        publishedAt
      }
    }
  }
}`;

/** The documents the template's codegen SDK sends: the operation, then the fragments it spreads. */
const blogPostFragments = [PageBlogPostFields, SeoFields, ImageFields, AuthorFields, RichImageFields, ReferencePageBlogPostFields];
const landingFragments = [PageLandingFields, SeoFields, ImageFields, ReferencePageBlogPostFields, AuthorFields];
const operation = (query: string, fragments: string[]) => [query, ...fragments].join('\n');
const documents = {
  pageBlogPost: operation(
    `query pageBlogPost($slug: String!, $locale: String, $preview: Boolean, $limit: Int) {
  pageBlogPostCollection(
    limit: $limit
    where: { slug: $slug }
    locale: $locale
    preview: $preview
  ) {
    items {
      ...PageBlogPostFields
    }
  }
}`,
    blogPostFragments,
  ),
  /** The template's current revision of the same operation: `limit: 1` written in it. */
  pageBlogPostCurrent: operation(
    `query pageBlogPost($slug: String!, $locale: String, $preview: Boolean) {
  pageBlogPostCollection(limit: 1, where: { slug: $slug }, locale: $locale, preview: $preview) {
    items {
      ...PageBlogPostFields
    }
  }
}`,
    blogPostFragments,
  ),
  pageBlogPostCollection: operation(
    `query pageBlogPostCollection(
  $locale: String
  $preview: Boolean
  $limit: Int
  $order: [PageBlogPostOrder]
) {
  pageBlogPostCollection(limit: $limit, locale: $locale, preview: $preview, order: $order) {
    items {
      ...PageBlogPostFields
    }
  }
}`,
    blogPostFragments,
  ),
  /** The template's current revision of the same operation, with `$where` (its landing page lists the other posts). */
  pageBlogPostCollectionWhere: operation(
    `query pageBlogPostCollection(
  $locale: String
  $preview: Boolean
  $limit: Int
  $order: [PageBlogPostOrder]
  $where: PageBlogPostFilter
) {
  pageBlogPostCollection(limit: $limit, locale: $locale, preview: $preview, order: $order where: $where) {
    items {
      ...PageBlogPostFields
    }
  }
}`,
    blogPostFragments,
  ),
  pageLanding: operation(
    `query pageLanding($locale: String, $preview: Boolean) {
  pageLandingCollection(limit: 1, locale: $locale, preview: $preview) {
    items {
      ...PageLandingFields
    }
  }
}`,
    landingFragments,
  ),
  pageLandingCollection: operation(
    `query pageLandingCollection($locale: String, $preview: Boolean) {
  pageLandingCollection(limit: 100, locale: $locale, preview: $preview) {
    items {
      ...PageLandingFields
    }
  }
}`,
    landingFragments,
  ),
  sitemapPages: operation(
    `query sitemapPages($locale: String!) {
  ...sitemapPagesFields
}`,
    [sitemapPagesFields],
  ),
};

/** src/lib/client.ts: one client with the delivery token, one with the preview token, on the environment URL. */
const sdkClient = (preview: boolean) =>
  new GraphQLClient(`${server.baseUrl}/content/v1/spaces/${template.spaceId}/environments/master`, {
    headers: { Authorization: `Bearer ${preview ? template.preview : template.delivery}` },
  });
const sdk = (preview = false) => {
  const client = sdkClient(preview);
  return (name: keyof typeof documents, variables: Record<string, unknown>) => client.request<Answer>(documents[name], variables);
};

/** Contentful's default order of a top-level collection: last published first, then by id. */
const lastPublishedFirst = (ids: string[]) => [...ids].sort((a, b) => publishedAt[b]!.localeCompare(publishedAt[a]!) || a.localeCompare(b));

const imageFields = (img: Image, locale: string) => {
  const file = inLocale(img.file, locale);
  return {
    __typename: 'Asset',
    sys: { id: img.id },
    title: inLocale(img.title, locale),
    description: inLocale(img.description, locale),
    width: file.width,
    height: file.height,
    url: file.url,
    contentType: 'image/png',
  };
};

const authorFields = (locale: string) => ({
  __typename: 'ComponentAuthor',
  sys: { id: 'jane', spaceId: template.spaceId },
  name: 'Jane Doe',
  avatar: imageFields(tImages.avatar!, locale),
});

interface Seo {
  pageTitle: Record<string, string>;
  pageDescription: Record<string, string>;
  canonicalUrl: string;
  nofollow: boolean;
  noindex: boolean;
  shareImages: string[];
}
const seos: Record<string, Seo> = {
  seoLanding: {
    pageTitle: { 'en-US': 'Home', 'de-DE': 'Startseite' },
    pageDescription: { 'en-US': 'Everything about the blog.' },
    canonicalUrl: 'https://blog.example.com/',
    nofollow: false,
    noindex: false,
    shareImages: ['heroA'],
  },
  seoBuilding: {
    pageTitle: { 'en-US': 'Building a blog | Blog', 'de-DE': 'Ein Blog bauen | Blog' },
    pageDescription: { 'en-US': 'How the blog was built.', 'de-DE': 'Wie das Blog gebaut wurde.' },
    canonicalUrl: 'https://blog.example.com/building-a-blog',
    nofollow: true,
    noindex: false,
    shareImages: ['heroA', 'heroB', 'heroC'],
  },
};
const seoFields = (id: string, locale: string) => {
  const seo = seos[id]!;
  return {
    __typename: 'ComponentSeo',
    pageTitle: inLocale(seo.pageTitle, locale),
    pageDescription: inLocale(seo.pageDescription, locale),
    canonicalUrl: seo.canonicalUrl,
    nofollow: seo.nofollow,
    noindex: seo.noindex,
    shareImagesCollection: { items: seo.shareImages.map((name) => imageFields(tImages[name]!, locale)) },
  };
};

interface BlogPost {
  internalName: string;
  slug: string;
  publishedDate: string;
  title: Record<string, string>;
  shortDescription: Record<string, string>;
  featuredImage: string;
  seo: string | null;
  content: Record<string, Answer>;
  richImages: Record<string, string[]>;
  related: string[];
}
const blogPosts: Record<string, BlogPost> = {};

const richImageFields = (locale: string) => ({
  __typename: 'ComponentRichImage',
  internalName: 'Rich image - architecture',
  sys: { id: 'richArchitecture' },
  image: imageFields(tImages.inline!, locale),
  caption: inLocale({ 'en-US': 'The architecture', 'de-DE': 'Die Architektur' }, locale),
  fullWidth: true,
});

const referenceFields = (id: string, locale: string) => {
  const post = blogPosts[id]!;
  return {
    __typename: 'PageBlogPost',
    sys: { id, spaceId: template.spaceId },
    slug: post.slug,
    author: authorFields(locale),
    publishedDate: post.publishedDate,
    title: inLocale(post.title, locale),
    shortDescription: inLocale(post.shortDescription, locale),
    featuredImage: imageFields(tImages[post.featuredImage]!, locale),
  };
};

const pageBlogPostFields = (id: string, locale: string) => {
  const post = blogPosts[id]!;
  return {
    __typename: 'PageBlogPost',
    sys: { id, spaceId: template.spaceId },
    internalName: post.internalName,
    seoFields: post.seo ? seoFields(post.seo, locale) : null,
    slug: post.slug,
    author: authorFields(locale),
    publishedDate: post.publishedDate,
    title: inLocale(post.title, locale),
    shortDescription: inLocale(post.shortDescription, locale),
    featuredImage: imageFields(tImages[post.featuredImage]!, locale),
    content: {
      json: inLocale(post.content, locale),
      links: { entries: { block: inLocale(post.richImages, locale).map(() => richImageFields(locale)) } },
    },
    relatedBlogPostsCollection: { items: post.related.slice(0, 2).map((related) => referenceFields(related, locale)) },
  };
};

const pageLandingFields = (locale: string, featured = 'building') => ({
  __typename: 'PageLanding',
  sys: { id: 'landing', spaceId: template.spaceId },
  internalName: 'Landing page',
  seoFields: seoFields('seoLanding', locale),
  featuredBlogPost: referenceFields(featured, locale),
});

async function seedTemplate() {
  Object.assign(template, await space('Blog template'));
  const s = template.spaceId;
  await cma.locale.create(env(s), { name: 'German (Germany)', code: 'de-DE', fallbackCode: 'en-US', optional: true } as never);

  const unique = [{ unique: true }];
  const imagesOnly = [{ linkMimetypeGroup: ['image'] }];
  await contentType(s, 'componentAuthor', {
    name: '💎 component - Author',
    description: 'To have author-related properties',
    displayField: 'internalName',
    fields: [
      { id: 'internalName', name: 'Internal name', type: 'Symbol', localized: false, required: true, validations: unique },
      { id: 'name', name: 'Name', type: 'Symbol', localized: false, required: true, validations: [] },
      { id: 'avatar', name: 'Avatar', type: 'Link', linkType: 'Asset', localized: false, required: false, validations: imagesOnly },
    ],
  });
  await contentType(s, 'componentRichImage', {
    name: '💎 component - Rich image',
    description: 'To describe an image used in rich text fields',
    displayField: 'internalName',
    fields: [
      { id: 'internalName', name: 'Internal name', type: 'Symbol', localized: false, required: true, validations: unique },
      { id: 'image', name: 'Image', type: 'Link', linkType: 'Asset', localized: false, required: true, validations: imagesOnly },
      { id: 'caption', name: 'Caption', type: 'Symbol', localized: true, required: false, validations: [] },
      { id: 'fullWidth', name: 'Full width', type: 'Boolean', localized: false, required: false, validations: [] },
    ],
  });
  await contentType(s, 'componentSeo', {
    name: '💎 component - SEO',
    description: 'To have SEO-related properties to the pages we render',
    displayField: 'internalName',
    fields: [
      { id: 'internalName', name: 'Internal name', type: 'Symbol', localized: false, required: true, validations: unique },
      { id: 'pageTitle', name: 'Page title', type: 'Symbol', localized: true, required: true, validations: unique },
      { id: 'pageDescription', name: 'Page description', type: 'Text', localized: true, required: false, validations: [] },
      { id: 'canonicalUrl', name: 'Canonical URL', type: 'Symbol', localized: false, required: false, validations: [] },
      { id: 'nofollow', name: 'nofollow', type: 'Boolean', localized: false, required: true, validations: [] },
      { id: 'noindex', name: 'noindex', type: 'Boolean', localized: false, required: true, validations: [] },
      {
        id: 'shareImages',
        name: 'Share images',
        type: 'Array',
        localized: false,
        required: false,
        validations: [{ size: { max: 3 } }],
        items: { type: 'Link', linkType: 'Asset', validations: imagesOnly },
      },
    ],
  });
  await contentType(s, 'pageBlogPost', {
    name: '📄 page - Blog post',
    description: 'To create individual blog posts',
    displayField: 'internalName',
    fields: [
      { id: 'internalName', name: 'Internal name', type: 'Symbol', localized: false, required: true, validations: unique },
      {
        id: 'seoFields',
        name: 'SEO fields',
        type: 'Link',
        linkType: 'Entry',
        localized: false,
        required: false,
        validations: [{ linkContentType: ['componentSeo'] }],
      },
      { id: 'slug', name: 'Slug', type: 'Symbol', localized: false, required: true, validations: unique },
      {
        id: 'author',
        name: 'Author',
        type: 'Link',
        linkType: 'Entry',
        localized: false,
        required: false,
        validations: [{ linkContentType: ['componentAuthor'] }],
      },
      { id: 'publishedDate', name: 'Published date', type: 'Date', localized: false, required: true, validations: [] },
      { id: 'title', name: 'Title', type: 'Symbol', localized: true, required: true, validations: [] },
      { id: 'shortDescription', name: 'Subtitle', type: 'Text', localized: true, required: false, validations: [] },
      {
        id: 'featuredImage',
        name: 'Featured image',
        type: 'Link',
        linkType: 'Asset',
        localized: false,
        required: true,
        validations: imagesOnly,
      },
      {
        id: 'content',
        name: 'Content',
        type: 'RichText',
        localized: true,
        required: true,
        validations: [
          { enabledMarks: ['bold', 'italic', 'underline', 'code'], message: 'Only bold, italic, underline, and code marks are allowed' },
          {
            enabledNodeTypes: [
              'heading-1',
              'heading-2',
              'heading-3',
              'heading-4',
              'heading-5',
              'heading-6',
              'ordered-list',
              'unordered-list',
              'hr',
              'blockquote',
              'embedded-entry-block',
              'table',
              'hyperlink',
            ],
            message:
              'Only heading 1, heading 2, heading 3, heading 4, heading 5, heading 6, ordered list, unordered list, horizontal rule, quote, block entry, table, and link to Url nodes are allowed',
          },
          {
            nodes: {
              'asset-hyperlink': [{ size: { max: 10 }, message: null }],
              'embedded-asset-block': [{ size: { max: 10 }, message: null }],
              'embedded-entry-block': [
                { linkContentType: ['componentRichImage'], message: null },
                { size: { max: 10 }, message: null },
              ],
              'embedded-entry-inline': [
                { linkContentType: ['componentRichImage'], message: null },
                { size: { max: 10 }, message: null },
              ],
              'entry-hyperlink': [
                { linkContentType: ['pageBlogPost'], message: null },
                { size: { max: 10 }, message: null },
              ],
            },
          },
        ],
      },
      {
        id: 'relatedBlogPosts',
        name: 'Related blog posts',
        type: 'Array',
        localized: false,
        required: false,
        validations: [{ size: { max: 2 } }],
        items: { type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['pageBlogPost'] }] },
      },
    ],
  });
  await contentType(s, 'pageLanding', {
    name: '📄 page - Landing',
    description: 'To have an entry point for the app (e.g. Homepage)',
    displayField: 'internalName',
    fields: [
      { id: 'internalName', name: 'Internal name', type: 'Symbol', localized: false, required: true, validations: unique },
      {
        id: 'featuredBlogPost',
        name: 'Featured blog post',
        type: 'Link',
        linkType: 'Entry',
        localized: false,
        required: false,
        validations: [{ linkContentType: ['pageBlogPost'] }],
      },
      {
        id: 'seoFields',
        name: 'SEO fields',
        type: 'Link',
        linkType: 'Entry',
        localized: false,
        required: false,
        validations: [{ linkContentType: ['componentSeo'] }],
      },
    ],
  });

  const file = (fileName: string, width: number, height: number, rgb: [number, number, number]) => ({ fileName, width, height, rgb });
  tImages.avatar = await image(s, { 'en-US': 'Jane' }, { 'en-US': 'Jane, smiling' }, { 'en-US': file('jane.png', 24, 24, [10, 200, 10]) });
  // A hero image with a German file of its own: in de-DE its url, width and height are the German file's.
  tImages.heroA = await image(
    s,
    { 'en-US': 'Workbench', 'de-DE': 'Werkbank' },
    { 'en-US': 'Tools on a bench', 'de-DE': 'Werkzeug auf einer Bank' },
    { 'en-US': file('workbench.png', 120, 60, [120, 80, 40]), 'de-DE': file('werkbank.png', 100, 50, [40, 80, 120]) },
  );
  tImages.heroB = await image(
    s,
    { 'en-US': 'Harbour' },
    { 'en-US': 'Boats at dawn' },
    { 'en-US': file('harbour.png', 90, 45, [0, 60, 120]) },
  );
  tImages.heroC = await image(s, { 'en-US': 'Forest' }, { 'en-US': 'Tall trees' }, { 'en-US': file('forest.png', 60, 90, [0, 120, 0]) });
  tImages.inline = await image(
    s,
    { 'en-US': 'Architecture' },
    { 'en-US': 'Boxes and arrows', 'de-DE': 'Kästen und Pfeile' },
    { 'en-US': file('architecture.png', 50, 25, [200, 200, 200]) },
  );

  const rich = (...content: unknown[]) => document(...content);
  Object.assign(blogPosts, {
    building: {
      internalName: 'Blog post - Building a blog',
      slug: 'building-a-blog',
      publishedDate: '2024-05-01T00:00:00.000Z',
      title: { 'en-US': 'Building a blog', 'de-DE': 'Ein Blog bauen' },
      shortDescription: { 'en-US': 'From nothing to a blog.', 'de-DE': 'Vom Nichts zum Blog.' },
      featuredImage: 'heroA',
      seo: 'seoBuilding',
      content: {
        'en-US': rich(
          { nodeType: 'heading-2', data: {}, content: [text('The plan')] },
          paragraph(text('Start '), text('small', ['bold']), text('.')),
          embedded('embedded-entry-block', 'Entry', 'richArchitecture'),
        ),
        'de-DE': rich(
          paragraph(text('Klein '), text('anfangen', ['italic']), text('.')),
          embedded('embedded-entry-block', 'Entry', 'richArchitecture'),
        ),
      },
      richImages: { 'en-US': ['richArchitecture'], 'de-DE': ['richArchitecture'] },
      related: ['harbour', 'forest'],
    },
    harbour: {
      internalName: 'Blog post - Harbour',
      slug: 'harbour-days',
      publishedDate: '2024-04-01T00:00:00.000Z',
      title: { 'en-US': 'Harbour days' },
      shortDescription: { 'en-US': 'A week by the sea.' },
      featuredImage: 'heroB',
      seo: null,
      content: { 'en-US': rich(paragraph(text('Salt and wind.'))) },
      richImages: { 'en-US': [] },
      related: ['building'],
    },
    forest: {
      internalName: 'Blog post - Forest',
      slug: 'into-the-forest',
      publishedDate: '2024-06-01T00:00:00.000Z',
      title: { 'en-US': 'Into the forest', 'de-DE': 'In den Wald' },
      shortDescription: { 'en-US': 'Trees, mostly.', 'de-DE': 'Vor allem Bäume.' },
      featuredImage: 'heroC',
      seo: null,
      content: { 'en-US': rich(paragraph(text('Green.'))), 'de-DE': rich(paragraph(text('Grün.'))) },
      richImages: { 'en-US': [], 'de-DE': [] },
      related: [],
    },
    draft: {
      internalName: 'Blog post - Draft',
      slug: 'work-in-progress',
      publishedDate: '2024-07-01T00:00:00.000Z',
      title: { 'en-US': 'Work in progress', 'de-DE': 'In Arbeit' },
      shortDescription: { 'en-US': 'Not yet.' },
      featuredImage: 'heroB',
      seo: null,
      content: { 'en-US': rich(paragraph(text('Soon.')), embedded('embedded-entry-block', 'Entry', 'richArchitecture')) },
      richImages: { 'en-US': ['richArchitecture'] },
      related: ['building', 'harbour'],
    },
  } satisfies Record<string, BlogPost>);

  // Every entry is created first, then the published ones are published: links must name existing entries.
  const toPublish: string[] = [];
  const at = async (id: string, type: string, fields: Record<string, unknown>, publish = true) => {
    await entry(s, id, type, fields, false);
    if (publish) toPublish.push(id);
  };
  await at('jane', 'componentAuthor', {
    internalName: { 'en-US': 'Author - Jane Doe' },
    name: { 'en-US': 'Jane Doe' },
    avatar: { 'en-US': link('Asset', tImages.avatar.id) },
  });
  await at('richArchitecture', 'componentRichImage', {
    internalName: { 'en-US': 'Rich image - architecture' },
    image: { 'en-US': link('Asset', tImages.inline.id) },
    caption: { 'en-US': 'The architecture', 'de-DE': 'Die Architektur' },
    fullWidth: { 'en-US': true },
  });
  for (const [id, seo] of Object.entries(seos))
    await at(id, 'componentSeo', {
      internalName: { 'en-US': `SEO - ${id}` },
      pageTitle: seo.pageTitle,
      pageDescription: seo.pageDescription,
      canonicalUrl: { 'en-US': seo.canonicalUrl },
      nofollow: { 'en-US': seo.nofollow },
      noindex: { 'en-US': seo.noindex },
      shareImages: { 'en-US': seo.shareImages.map((name) => link('Asset', tImages[name]!.id)) },
    });
  for (const id of ['forest', 'harbour', 'building', 'draft']) {
    const post = blogPosts[id]!;
    await at(
      id,
      'pageBlogPost',
      {
        internalName: { 'en-US': post.internalName },
        ...(post.seo ? { seoFields: { 'en-US': link('Entry', post.seo) } } : {}),
        slug: { 'en-US': post.slug },
        author: { 'en-US': link('Entry', 'jane') },
        publishedDate: { 'en-US': post.publishedDate },
        title: post.title,
        shortDescription: post.shortDescription,
        featuredImage: { 'en-US': link('Asset', tImages[post.featuredImage]!.id) },
        content: post.content,
        ...(post.related.length ? { relatedBlogPosts: { 'en-US': post.related.map((r) => link('Entry', r)) } } : {}),
      },
      id !== 'draft',
    );
  }
  await at('landing', 'pageLanding', {
    internalName: { 'en-US': 'Landing page' },
    featuredBlogPost: { 'en-US': link('Entry', 'building') },
    seoFields: { 'en-US': link('Entry', 'seoLanding') },
  });
  for (const id of toPublish) publishedAt[id] = await publishEntry(s, id);
  // The editor features the draft on the landing page, without publishing it yet.
  await editDraft(s, 'landing', (fields) => {
    fields.featuredBlogPost = { 'en-US': link('Entry', 'draft') };
  });
  await apiKeys(template);
}

beforeAll(async () => {
  server = await startTestServer();
  cma = server.plainClient();
  await seedNextjs();
  await seedTemplate();
});
afterAll(async () => {
  await server?.close();
});

describe('vercel/next.js examples/cms-contentful (lib/api.ts)', () => {
  it('getAllPosts: the published posts with a slug, newest date first, with their links resolved', async () => {
    expect(await getAllPosts(false)).toEqual(answer(postItem(posts.hello!), postItem(posts.second!), postItem(posts.firstLight!)));
  });

  it('getAllPosts in draft mode: the drafts too, through the preview token, draft links included', async () => {
    expect(await getAllPosts(true)).toEqual(
      answer(
        postItem(posts.comingSoon!),
        postItem(posts.hello!),
        postItem(posts.second!, 'Second steps, revised'),
        postItem(posts.firstLight!),
      ),
    );
  });

  it('getPostAndMorePosts: the post by slug, and two more (slug_not_in given one string), newest first', async () => {
    const { entry, entries } = await getPostAndMorePosts('hello-world', false);
    expect(entry).toEqual(answer(postItem(posts.hello!)));
    expect(entries).toEqual(answer(postItem(posts.second!), postItem(posts.firstLight!)));

    const other = await getPostAndMorePosts('first-light', false);
    expect(other.entry).toEqual(answer(postItem(posts.firstLight!)));
    expect(other.entries).toEqual(answer(postItem(posts.hello!), postItem(posts.second!)));
  });

  it('getPostAndMorePosts for a draft: nothing published under its slug, and the published posts as more', async () => {
    const { entry, entries } = await getPostAndMorePosts('coming-soon', false);
    expect(entry).toEqual(answer());
    expect(entries).toEqual(answer(postItem(posts.hello!), postItem(posts.second!)));
  });

  it('getPostAndMorePosts in draft mode: the edited draft, and the newest drafts as more', async () => {
    const { entry, entries } = await getPostAndMorePosts('second-steps', true);
    expect(entry).toEqual(answer(postItem(posts.second!, 'Second steps, revised')));
    expect(entries).toEqual(answer(postItem(posts.comingSoon!), postItem(posts.hello!)));
  });

  it('getPreviewPostBySlug: a never published post, its draft author and unpublished cover', async () => {
    expect(await getPreviewPostBySlug('coming-soon')).toEqual(answer(postItem(posts.comingSoon!)));
    expect(await getPreviewPostBySlug('second-steps')).toEqual(answer(postItem(posts.second!, 'Second steps, revised')));
    expect(await getPreviewPostBySlug('no-such-post')).toEqual(answer());
  });
});

describe('contentful/template-blog-webapp-nextjs (src/lib/graphql)', () => {
  it('pageBlogPost: a post by slug with every fragment, in en-US', async () => {
    expect(await sdk()('pageBlogPost', { slug: 'building-a-blog', locale: 'en-US', preview: false, limit: 1 })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('building', 'en-US')] },
    });
    expect(await sdk()('pageBlogPostCurrent', { slug: 'harbour-days', locale: 'en-US', preview: false })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('harbour', 'en-US')] },
    });
  });

  it('pageBlogPost in de-DE: German values and files, en-US fallbacks, non-localized fields and links alike', async () => {
    expect(await sdk()('pageBlogPost', { slug: 'building-a-blog', locale: 'de-DE', preview: false, limit: 1 })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('building', 'de-DE')] },
    });
    expect(await sdk()('pageBlogPostCurrent', { slug: 'harbour-days', locale: 'de-DE', preview: false })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('harbour', 'de-DE')] },
    });
  });

  it('pageBlogPost in preview: a draft post with the preview client, none with the delivery client', async () => {
    expect(await sdk(true)('pageBlogPost', { slug: 'work-in-progress', locale: 'en-US', preview: true, limit: 1 })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('draft', 'en-US')] },
    });
    expect(await sdk()('pageBlogPost', { slug: 'work-in-progress', locale: 'en-US', preview: false, limit: 1 })).toEqual({
      pageBlogPostCollection: { items: [] },
    });
  });

  it('pageBlogPostCollection with $order: one enum value (as the app passes it) or a list', async () => {
    expect(await sdk()('pageBlogPostCollection', { locale: 'en-US', preview: false, limit: 6, order: 'publishedDate_DESC' })).toEqual({
      pageBlogPostCollection: {
        items: [pageBlogPostFields('forest', 'en-US'), pageBlogPostFields('building', 'en-US'), pageBlogPostFields('harbour', 'en-US')],
      },
    });
    expect(await sdk()('pageBlogPostCollection', { locale: 'en-US', preview: false, limit: 2, order: ['publishedDate_ASC'] })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('harbour', 'en-US'), pageBlogPostFields('building', 'en-US')] },
    });
  });

  it('pageBlogPostCollection with $where, as the landing page lists the posts but the featured one', async () => {
    const variables = { limit: 6, order: 'publishedDate_DESC', where: { slug_not: 'building-a-blog' } };
    expect(await sdk()('pageBlogPostCollectionWhere', { ...variables, locale: 'en-US', preview: false })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('forest', 'en-US'), pageBlogPostFields('harbour', 'en-US')] },
    });
    expect(await sdk(true)('pageBlogPostCollectionWhere', { ...variables, locale: 'en-US', preview: true })).toEqual({
      pageBlogPostCollection: {
        items: [pageBlogPostFields('draft', 'en-US'), pageBlogPostFields('forest', 'en-US'), pageBlogPostFields('harbour', 'en-US')],
      },
    });
  });

  it('pageBlogPostCollection in de-DE orders and filters by non-localized fields as in en-US', async () => {
    expect(await sdk()('pageBlogPostCollection', { locale: 'de-DE', preview: false, limit: 2, order: ['publishedDate_ASC'] })).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('harbour', 'de-DE'), pageBlogPostFields('building', 'de-DE')] },
    });
    expect(
      await sdk()('pageBlogPostCollectionWhere', {
        locale: 'de-DE',
        preview: false,
        limit: 2,
        order: 'publishedDate_DESC',
        where: { slug_not: 'building-a-blog' },
      }),
    ).toEqual({
      pageBlogPostCollection: { items: [pageBlogPostFields('forest', 'de-DE'), pageBlogPostFields('harbour', 'de-DE')] },
    });
  });

  it("generateStaticParams: pageBlogPostCollection({ locale, limit: 100 }) lists every published post's slug", async () => {
    for (const locale of ['en-US', 'de-DE'])
      expect(await sdk()('pageBlogPostCollection', { locale, limit: 100 })).toEqual({
        pageBlogPostCollection: {
          items: lastPublishedFirst(['forest', 'harbour', 'building']).map((id) => pageBlogPostFields(id, locale)),
        },
      });
  });

  it('pageLanding: the landing page, its SEO fields and featured post, per locale; the draft feature in preview', async () => {
    for (const locale of ['en-US', 'de-DE'])
      expect(await sdk()('pageLanding', { locale, preview: false })).toEqual({
        pageLandingCollection: { items: [pageLandingFields(locale)] },
      });
    expect(await sdk(true)('pageLanding', { locale: 'en-US', preview: true })).toEqual({
      pageLandingCollection: { items: [pageLandingFields('en-US', 'draft')] },
    });
  });

  it('pageLandingCollection: every landing page', async () => {
    expect(await sdk()('pageLandingCollection', { locale: 'de-DE', preview: false })).toEqual({
      pageLandingCollection: { items: [pageLandingFields('de-DE')] },
    });
  });

  it('sitemapPages: a fragment on Query reading $locale, in the default order (last published first)', async () => {
    const order = lastPublishedFirst(['forest', 'harbour', 'building']);
    for (const locale of ['en-US', 'de-DE'])
      expect(await sdk()('sitemapPages', { locale })).toEqual({
        pageBlogPostCollection: { items: order.map((id) => ({ slug: blogPosts[id]!.slug, sys: { publishedAt: publishedAt[id] } })) },
        pageLandingCollection: { items: [{ sys: { publishedAt: publishedAt.landing } }] },
      });
  });
});
