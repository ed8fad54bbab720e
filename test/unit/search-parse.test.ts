import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/domain/errors.js';
import { parseFullText, prefixTsQuery } from '../../src/query/fulltext.js';
import { parseSearchQuery } from '../../src/query/parse.js';

describe('search query parser', () => {
  it('parses filters, operators, order, paging and the special parameters', () => {
    const q = parseSearchQuery({
      content_type: 'cat',
      'fields.likes[in]': 'a,b',
      'sys.id': 'x',
      'fields.name.en-US': 'N',
      'fields.friend.sys.id[ne]': 'y',
      'metadata.tags.sys.id[all]': 't1,t2',
      'fields.brand.sys.contentType.sys.id': 'brand',
      'fields.brand.fields.name[match]': 'Lemnos',
      order: '-sys.createdAt,fields.name',
      skip: '10',
      limit: '20',
      select: 'sys,fields.name',
      query: 'hello',
      access_token: 'ignored',
    });
    expect(q.contentType).toBe('cat');
    expect(q.filters.map((f) => [f.target.kind, f.op])).toEqual([
      ['field', 'in'],
      ['sys', 'eq'],
      ['field', 'eq'],
      ['field', 'ne'],
      ['tags', 'all'],
      ['reference', 'match'],
    ]);
    expect(q.filters[2].target).toEqual({ kind: 'field', fieldId: 'name', locale: 'en-US', sub: [] });
    expect(q.filters[3].target).toEqual({ kind: 'field', fieldId: 'friend', sub: ['sys', 'id'] });
    expect(q.referenceContentTypes.get('brand')).toBe('brand');
    expect(q.order.map((o) => [o.path, o.desc])).toEqual([
      ['sys.createdAt', true],
      ['fields.name', false],
    ]);
    expect([q.skip, q.limit, q.select, q.query]).toEqual([10, 20, ['sys', 'fields.name'], 'hello']);
  });

  it('refuses what the grammar does not allow with InvalidQuery', () => {
    for (const bad of [
      { limit: '1001' },
      { skip: 'x' },
      { 'fields.a[bogus]': '1' },
      { 'fields.a[exists]': 'TRUE' },
      { select: 'fields.a.en-US' },
      { include: '11' },
      { 'nope.x': '1' },
      { content_type: 'a,b' },
    ]) {
      expect(() => parseSearchQuery(bad)).toThrowError(ApiError);
    }
  });

  it('tokenizes full-text input as seed 003 describes', () => {
    expect(parseFullText('My cat is <b>blue</b> a')).toEqual({
      tokens: ['my', 'cat', 'is', 'b', 'blue', 'b'].filter((t) => t.length >= 2),
      phrases: [],
    });
    expect(parseFullText('"my cat is blue" summer london')).toEqual({
      tokens: ['summer', 'london'],
      phrases: [['my', 'cat', 'is', 'blue']],
    });
    expect(prefixTsQuery(['cat', 'blue'])).toBe('cat:* & blue:*');
    expect(prefixTsQuery([])).toBeUndefined();
  });
});
