import { describe, expect, it } from 'vitest';
import { DeliveryRenditions } from '../../src/delivery/renditions.js';
import { chunked, jsonArray, jsonWithParts, renderedBody } from '../../src/delivery/responses.js';
import { DeliveryRendering, linkTargets } from '../../src/delivery/views.js';
import type { LocaleInfo } from '../../src/domain/field-types.js';
import type { PublishableRow } from '../../src/resources/publishable/repository.js';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const locales: LocaleInfo[] = [
  { code: 'en-US', fallbackCode: null, default: true, optional: false },
  { code: 'de-DE', fallbackCode: 'en-US', default: false, optional: false },
];
const row = (extra: Partial<PublishableRow> = {}) =>
  ({
    space_id: 's',
    environment_id: 'master',
    id: 'e1',
    content_type_id: 'post',
    published_version: 3,
    published_counter: 1,
    first_published_at: '2026-12-01T10:00:00.000Z',
    published_at: '2026-12-01T10:00:00.000Z',
    ...extra,
  }) as PublishableRow;

describe('jsonWithParts', () => {
  it('is JSON.stringify with the given members taken as written, in the body order, leaving out undefined', () => {
    const items = [bytes({ a: 'ü' }), bytes({ b: [1, 2] })];
    const body = { sys: { type: 'Array' }, total: 2, items: null, skipped: undefined, errors: [{ id: 'x' }] };
    const text = Buffer.concat(jsonWithParts(body, { items: jsonArray(items) })).toString('utf8');
    expect(text).toBe(JSON.stringify({ sys: { type: 'Array' }, total: 2, items: [{ a: 'ü' }, { b: [1, 2] }], errors: [{ id: 'x' }] }));
    expect(Buffer.concat(jsonWithParts({}, {})).toString()).toBe('{}');
    expect(Buffer.concat(jsonWithParts({ items: null }, { items: jsonArray([]) })).toString()).toBe('{"items":[]}');
  });
});

describe('answers in pieces', () => {
  it('groups short parts into pieces of at most 64 KB and keeps a longer part whole, in order', () => {
    const parts = [
      Buffer.alloc(40_000, 'a'),
      Buffer.alloc(30_000, 'b'),
      Buffer.alloc(100_000, 'c'),
      Buffer.alloc(10, 'd'),
      Buffer.alloc(5, 'e'),
    ];
    const chunks = chunked(parts);
    expect(chunks.map((c) => c.length)).toEqual([40_000, 30_000, 100_000, 15]);
    expect(chunks[2]).toBe(parts[2]);
    expect(Buffer.concat(chunks).equals(Buffer.concat(parts))).toBe(true);
    expect(chunked([])).toEqual([]);
  });

  it('hashes the whole answer for its ETag and counts its bytes', () => {
    const parts = [Buffer.from('{"a":'), Buffer.alloc(70_000, 'x'), Buffer.from('}')];
    const rendered = renderedBody(parts);
    expect(rendered.bytes).toBe(70_006);
    expect(rendered.etag).toBe(renderedBody([Buffer.concat(parts)]).etag);
    expect(rendered.etag).not.toBe(renderedBody([Buffer.from('{}')]).etag);
  });
});

describe('linkTargets', () => {
  it('reads entry and asset ids from the link targets columns, each once', () => {
    const found = linkTargets([
      { ...row(), published_links: ['Entry:a', 'Asset:b', 'Entry:a:with-colon'] },
      { ...row(), links: ['Entry:c', 'Asset:b'] },
    ]);
    expect([...found.entries]).toEqual(['a', 'a:with-colon', 'c']);
    expect([...found.assets]).toEqual(['b']);
  });
});

describe('rendition keys', () => {
  const rendering = (choice: { all: true } | { all: false; code: string }, tags: { id: string }[] = []) => {
    const r = new DeliveryRendering('delivery', choice, locales, tags);
    r.addContentType('post', [{ id: 'title', name: 'Title', type: 'Symbol', localized: true }]);
    return r;
  };
  const en = rendering({ all: false, code: 'en-US' });

  it('are equal for the same state, locale choice and model', () => {
    expect(rendering({ all: false, code: 'en-US' }).renditionKey('Entry', row())).toBe(en.renditionKey('Entry', row()));
    // A time read as a Date and as ISO text is the same state.
    expect(en.renditionKey('Entry', row({ published_at: new Date('2026-12-01T10:00:00.000Z') }))).toBe(en.renditionKey('Entry', row()));
  });

  it('differ for another state, locale choice, model or tags', () => {
    const key = en.renditionKey('Entry', row());
    const others = [
      en.renditionKey('Entry', row({ published_version: 5, published_counter: 2 })),
      en.renditionKey('Entry', row({ first_published_at: '2026-12-02T10:00:00.000Z' as never })),
      en.renditionKey('Asset', row()),
      rendering({ all: false, code: 'de-DE' }).renditionKey('Entry', row()),
      rendering({ all: true }).renditionKey('Entry', row()),
      rendering({ all: false, code: 'en-US' }, [{ id: 'public' }]).renditionKey('Entry', row()),
    ];
    const omitted = new DeliveryRendering('delivery', { all: false, code: 'en-US' }, locales, []);
    omitted.addContentType('post', [{ id: 'title', name: 'Title', type: 'Symbol', localized: true, omitted: true }]);
    others.push(omitted.renditionKey('Entry', row()));
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });
});

describe('DeliveryRenditions', () => {
  it('keeps the most recently used within its size, and nothing at size 0', () => {
    const kept = new DeliveryRenditions(1000);
    kept.set('a', Buffer.alloc(400));
    kept.set('b', Buffer.alloc(400));
    expect(kept.get('a')).toHaveLength(400);
    kept.set('c', Buffer.alloc(400));
    expect(kept.get('b')).toBeUndefined();
    expect(kept.get('a')).toBeDefined();
    const none = new DeliveryRenditions(0);
    none.set('a', Buffer.alloc(1));
    expect(none.get('a')).toBeUndefined();
  });
});
