import { describe, expect, it } from 'vitest';
import type { CacheName, Metrics } from '../../src/domain/metrics.js';
import { ParsedFields } from '../../src/graphql/parsed-fields.js';

/** Counts cache lookups as `GET /metrics` would. */
function countingMetrics() {
  const lookups: { cache: CacheName; hit: boolean }[] = [];
  return { lookups, metrics: { cacheLookup: (cache: CacheName, hit: boolean) => lookups.push({ cache, hit }) } as unknown as Metrics };
}

describe('ParsedFields', () => {
  it('parses a text once and gives the same value for the same text, a new one for a new text', () => {
    const { lookups, metrics } = countingMetrics();
    const fields = new ParsedFields(1024 * 1024, metrics);
    const text = JSON.stringify({ title: { 'en-US': 'Hello', 'de-DE': 'Hallo' } });
    const first = fields.parse(text);
    expect(first).toEqual({ title: { 'en-US': 'Hello', 'de-DE': 'Hallo' } });
    // An equal text read from another row is another string: the value is found by content.
    expect(fields.parse(` ${text}`.slice(1))).toBe(first);
    const republished = fields.parse(JSON.stringify({ title: { 'en-US': 'Hello again' } }));
    expect(republished).toEqual({ title: { 'en-US': 'Hello again' } });
    expect(lookups).toEqual([
      { cache: 'graphql_fields', hit: false },
      { cache: 'graphql_fields', hit: true },
      { cache: 'graphql_fields', hit: false },
    ]);
  });

  it('answers an empty object for no text, without a lookup', () => {
    const { lookups, metrics } = countingMetrics();
    const fields = new ParsedFields(1024, metrics);
    expect(fields.parse(null)).toEqual({});
    expect(fields.parse(undefined)).toEqual({});
    expect(lookups).toEqual([]);
  });

  it('keeps nothing with a budget of 0, and drops the least recently used beyond its budget', () => {
    const none = new ParsedFields(0);
    const text = '{"a":{"en-US":1}}';
    expect(none.parse(text)).not.toBe(none.parse(text));

    // Each text of 17 characters takes (4 + 2) x 17 = 102 bytes: a budget of 250 keeps two.
    const small = new ParsedFields(250);
    const texts = ['{"a":{"en-US":1}}', '{"b":{"en-US":2}}', '{"c":{"en-US":3}}'];
    const [a, b] = texts.map((t) => small.parse(t));
    expect(small.parse(texts[1])).toBe(b);
    small.parse(texts[2]);
    expect(small.parse(texts[1])).toBe(b);
    expect(small.parse(texts[0])).not.toBe(a);
  });
});
