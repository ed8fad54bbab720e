import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../src/auth/actor.js';
import type { Services } from '../src/services.js';

export interface SeededSpace {
  spaceId: string;
  /** An entry many others link to, for links_to_entry. */
  hubEntryId: string;
  products: number;
  articles: number;
  authors: number;
  assets: number;
  deliveryToken: string;
  previewToken: string;
}

const WORDS = sql`(array['alpha','bravo','charlie','delta','echo','foxtrot','golf','hotel','india','juliet'])`;
const entryLink = (id: RawBuilder<unknown>) =>
  sql`jsonb_build_object('sys', jsonb_build_object('type', 'Link', 'linkType', 'Entry', 'id', ${id}))`;
const assetLink = (id: RawBuilder<unknown>) =>
  sql`jsonb_build_object('sys', jsonb_build_object('type', 'Link', 'linkType', 'Asset', 'id', ${id}))`;

/**
 * Seeds a space for the load scenarios: the model, a locale and an API key through the service layer,
 * then published entries of three content types (two locales, links between them) and assets made inside
 * the database with `generate_series`: 60% products, 30% articles, 10% authors.
 */
export async function seedSpace(services: Services, actor: Actor, total: number): Promise<SeededSpace> {
  const space = await services.spaces.create(actor, { name: 'Benchmark' });
  const spaceId = space.sys.id;
  const scope = await services.environmentScopes.resolve(actor, spaceId, 'master');
  await services.locales.create(actor, scope, { name: 'German', code: 'de-DE', fallbackCode: 'en-US' });
  const model: Record<string, { name: string; displayField: string; fields: Record<string, unknown>[] }> = {
    product: {
      name: 'Product',
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', localized: true },
        { id: 'sku', name: 'SKU', type: 'Symbol' },
        { id: 'price', name: 'Price', type: 'Number' },
        { id: 'body', name: 'Body', type: 'Text', localized: true },
        { id: 'related', name: 'Related', type: 'Link', linkType: 'Entry' },
        { id: 'image', name: 'Image', type: 'Link', linkType: 'Asset' },
      ],
    },
    author: {
      name: 'Author',
      displayField: 'name',
      fields: [
        { id: 'name', name: 'Name', type: 'Symbol' },
        { id: 'bio', name: 'Bio', type: 'Text', localized: true },
      ],
    },
    article: {
      name: 'Article',
      displayField: 'title',
      fields: [
        { id: 'title', name: 'Title', type: 'Symbol', localized: true },
        { id: 'author', name: 'Author', type: 'Link', linkType: 'Entry' },
        { id: 'products', name: 'Products', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
        { id: 'hero', name: 'Hero', type: 'Link', linkType: 'Asset' },
      ],
    },
  };
  for (const [id, definition] of Object.entries(model)) {
    await services.contentTypes.createOrUpdate(actor, scope, id, definition, undefined);
    await services.contentTypes.publish(actor, scope, id, undefined);
  }
  const key = await services.apiKeys.put(actor, { spaceId }, undefined, { name: 'Benchmark' }, undefined);
  const delivery = key.item as { accessToken: string; preview_api_key: { sys: { id: string } } };
  const preview = (await services.apiKeys.previews.get(actor, { spaceId }, delivery.preview_api_key.sys.id)) as { accessToken: string };

  const products = Math.max(1, Math.round(total * 0.6));
  const articles = Math.max(1, Math.round(total * 0.3));
  const authors = Math.max(1, total - products - articles);
  const assets = Math.max(1, Math.min(1000, Math.round(total / 100)));
  const db = services.db;
  const insertEntries = (contentType: string, prefix: string, count: number, fields: RawBuilder<unknown>) =>
    sql`
    insert into entries (space_id, environment_id, id, content_type_id, fields, published_fields, version, published_version,
                         published_counter, first_published_at, published_at, created_at, updated_at, created_by, updated_by, published_by)
    select ${spaceId}, 'master', ${prefix} || n, ${contentType}, f, f, 2, 1, 1, now(), now(), now() - (n || ' seconds')::interval,
           now() - (n || ' seconds')::interval, ${actor.userId}, ${actor.userId}, ${actor.userId}
    from generate_series(1, ${count}::int) n, lateral (select ${fields} as f) made`.execute(db);

  await sql`
    insert into assets (space_id, environment_id, id, fields, published_fields, version, published_version, published_counter,
                        first_published_at, published_at, created_at, updated_at, created_by, updated_by, published_by)
    select ${spaceId}, 'master', 'img' || n, f, f, 2, 1, 1, now(), now(), now(), now(), ${actor.userId}, ${actor.userId}, ${actor.userId}
    from generate_series(1, ${assets}::int) n,
    lateral (select jsonb_build_object(
      'title', jsonb_build_object('en-US', 'Image ' || n, 'de-DE', 'Bild ' || n),
      'file', jsonb_build_object('en-US', jsonb_build_object('fileName', 'img' || n || '.png', 'contentType', 'image/png',
        'url', '//localhost/files/' || ${spaceId} || '/img' || n || '/img' || n || '.png',
        'details', jsonb_build_object('size', 1000 + n, 'image', jsonb_build_object('width', 640, 'height', 480))))
    ) f) made`.execute(db);
  await insertEntries(
    'author',
    'a',
    authors,
    sql`jsonb_build_object(
      'name', jsonb_build_object('en-US', 'Author ' || n),
      'bio', jsonb_build_object('en-US', 'Writes about ' || ${WORDS}[1 + n % 10], 'de-DE', 'Schreibt über ' || ${WORDS}[1 + n % 10]))`,
  );
  await insertEntries(
    'product',
    'p',
    products,
    sql`jsonb_build_object(
      'title', jsonb_build_object('en-US', 'Product ' || n || ' ' || ${WORDS}[1 + n % 10], 'de-DE', 'Produkt ' || n),
      'sku', jsonb_build_object('en-US', 'SKU-' || n),
      'price', jsonb_build_object('en-US', (n % 1000) + 0.99),
      'body', jsonb_build_object('en-US', 'A ' || ${WORDS}[1 + (n / 7) % 10] || ' thing with ' || ${WORDS}[1 + (n / 3) % 10] || ' inside', 'de-DE', 'Ein Ding'),
      'related', jsonb_build_object('en-US', ${entryLink(sql`'p' || (1 + n % 100)`)}),
      'image', jsonb_build_object('en-US', ${assetLink(sql`'img' || (1 + n % ${assets}::int)`)}))`,
  );
  // Articles have no German title: reading them in de-DE falls back to en-US.
  await insertEntries(
    'article',
    'r',
    articles,
    sql`jsonb_build_object(
      'title', jsonb_build_object('en-US', 'Article ' || n),
      'author', jsonb_build_object('en-US', ${entryLink(sql`'a' || (1 + n % ${authors}::int)`)}),
      'products', jsonb_build_object('en-US', jsonb_build_array(${entryLink(sql`'p' || (1 + n % ${products}::int)`)}, ${entryLink(sql`'p' || (1 + (n * 7) % ${products}::int)`)})),
      'hero', jsonb_build_object('en-US', ${assetLink(sql`'img' || (1 + n % ${assets}::int)`)}))`,
  );
  // What autovacuum would have done by the time a real space has this much content.
  await sql`vacuum analyze entries`.execute(db);
  await sql`vacuum analyze assets`.execute(db);
  await sql`vacuum analyze published_search`.execute(db);
  return {
    spaceId,
    hubEntryId: 'p1',
    products,
    articles,
    authors,
    assets,
    deliveryToken: delivery.accessToken,
    previewToken: preview.accessToken,
  };
}
