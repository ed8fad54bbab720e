import { sql } from 'kysely';
import type { Services } from '../src/services.js';
import type { Actor } from '../src/auth/actor.js';

export interface SeededSpace {
  spaceId: string;
  /** An entry many others link to, for links_to_entry. */
  hubEntryId: string;
}

/**
 * Seeds a space for the load scenarios: content types through the service layer, then `entries` rows
 * made inside the database with `generate_series` (published, two locales, links between them).
 */
export async function seedSpace(services: Services, actor: Actor, entries: number): Promise<SeededSpace> {
  const space = await services.spaces.create(actor, { name: 'Benchmark' });
  const spaceId = space.sys.id;
  const scope = await services.environmentScopes.resolve(actor, spaceId, 'master');
  await services.locales.create(actor, scope, { name: 'German', code: 'de-DE', fallbackCode: 'en-US' });
  const productFields = [
    { id: 'title', name: 'Title', type: 'Symbol', localized: true },
    { id: 'sku', name: 'SKU', type: 'Symbol' },
    { id: 'price', name: 'Price', type: 'Number' },
    { id: 'body', name: 'Body', type: 'Text', localized: true },
    { id: 'related', name: 'Related', type: 'Link', linkType: 'Entry' },
  ];
  await services.contentTypes.createOrUpdate(actor, scope, 'product', { name: 'Product', displayField: 'title', fields: productFields }, undefined);
  await services.contentTypes.publish(actor, scope, 'product', undefined);
  const words = sql`(array['alpha','bravo','charlie','delta','echo','foxtrot','golf','hotel','india','juliet'])`;
  await sql`
    insert into entries (space_id, environment_id, id, content_type_id, fields, published_fields, version, published_version,
                         published_counter, first_published_at, published_at, created_at, updated_at, created_by, updated_by, published_by)
    select ${spaceId}, 'master', 'p' || n, 'product', f, f, 2, 1, 1, now(), now(), now() - (n || ' seconds')::interval, now() - (n || ' seconds')::interval,
           ${actor.userId}, ${actor.userId}, ${actor.userId}
    from generate_series(1, ${entries}::int) n,
    lateral (select jsonb_build_object(
      'title', jsonb_build_object('en-US', 'Product ' || n || ' ' || ${words}[1 + n % 10], 'de-DE', 'Produkt ' || n),
      'sku', jsonb_build_object('en-US', 'SKU-' || n),
      'price', jsonb_build_object('en-US', (n % 1000) + 0.99),
      'body', jsonb_build_object('en-US', 'A ' || ${words}[1 + (n / 7) % 10] || ' thing with ' || ${words}[1 + (n / 3) % 10] || ' inside', 'de-DE', 'Ein Ding'),
      'related', jsonb_build_object('en-US', jsonb_build_object('sys', jsonb_build_object('type', 'Link', 'linkType', 'Entry', 'id', 'p' || (1 + n % 100))))
    ) f) fields`.execute(services.db);
  await sql`analyze entries`.execute(services.db);
  return { spaceId, hubEntryId: 'p1' };
}
