import { describe, expect, it } from 'vitest';
import { collectLinks, uniqueCandidates, validateEntryFields, validateLinkedEntities } from '../../src/validation/entry-fields.js';
import type { FieldDefinition, LocaleInfo } from '../../src/domain/field-types.js';
import { mimetypeGroupOf } from '../../src/domain/field-types.js';

const locales: LocaleInfo[] = [
  { code: 'en-US', default: true, fallbackCode: null, optional: false },
  { code: 'de-DE', default: false, fallbackCode: 'en-US', optional: true },
  { code: 'fr-FR', default: false, fallbackCode: 'de-DE', optional: false },
];

const fields: FieldDefinition[] = [
  { id: 'title', name: 'Title', type: 'Symbol', localized: true, required: true, validations: [{ size: { min: 3, max: 10 } }] },
  {
    id: 'slug',
    name: 'Slug',
    type: 'Symbol',
    validations: [{ regexp: { pattern: '^[a-z-]+$' } }, { prohibitRegexp: { pattern: 'admin' } }, { unique: true }],
  },
  { id: 'body', name: 'Body', type: 'Text' },
  { id: 'rating', name: 'Rating', type: 'Integer', validations: [{ range: { min: 1, max: 5 }, message: 'One to five stars' }] },
  { id: 'price', name: 'Price', type: 'Number' },
  { id: 'kind', name: 'Kind', type: 'Symbol', validations: [{ in: ['a', 'b'] }] },
  { id: 'when', name: 'When', type: 'Date', validations: [{ dateRange: { min: '2020-01-01', max: '2030-12-31' } }] },
  { id: 'done', name: 'Done', type: 'Boolean' },
  { id: 'where', name: 'Where', type: 'Location' },
  { id: 'meta', name: 'Meta', type: 'Object' },
  { id: 'author', name: 'Author', type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['person'] }] },
  {
    id: 'image',
    name: 'Image',
    type: 'Link',
    linkType: 'Asset',
    validations: [{ linkMimetypeGroup: ['image'] }, { assetImageDimensions: { width: { max: 100 } } }, { assetFileSize: { max: 1000 } }],
  },
  {
    id: 'tags',
    name: 'Tags',
    type: 'Array',
    items: { type: 'Symbol', validations: [{ in: ['x', 'y'] }] },
    validations: [{ size: { max: 2 } }],
  },
  { id: 'related', name: 'Related', type: 'Array', items: { type: 'Link', linkType: 'Entry' } },
  {
    id: 'rich',
    name: 'Rich',
    type: 'RichText',
    validations: [
      { enabledNodeTypes: ['heading-1', 'embedded-entry-block'] },
      { enabledMarks: ['bold'] },
      { nodes: { 'embedded-entry-block': [{ size: { max: 1 } }] } },
    ],
  },
  { id: 'gone', name: 'Gone', type: 'Symbol', deleted: true },
];

const doc = (...content: unknown[]) => ({ nodeType: 'document', data: {}, content });
const para = (text: string, marks: string[] = []) => ({
  nodeType: 'paragraph',
  data: {},
  content: [{ nodeType: 'text', value: text, marks: marks.map((type) => ({ type })), data: {} }],
});
const embed = (id: string) => ({
  nodeType: 'embedded-entry-block',
  data: { target: { sys: { type: 'Link', linkType: 'Entry', id } } },
  content: [],
});

const names = (errors: { name: string; path: unknown[] }[]) => errors.map((e) => `${e.name}:${e.path.join('.')}`).sort();

describe('entry field validation on save', () => {
  it('accepts well-typed values and refuses unknown fields, locales and non-localized values in other locales', () => {
    expect(
      validateEntryFields(fields, { title: { 'en-US': 'Hello', 'de-DE': 'Hallo' }, rating: { 'en-US': 3 } }, locales, { mode: 'save' }),
    ).toEqual([]);
    const errors = validateEntryFields(
      fields,
      { nope: { 'en-US': 1 }, title: { 'xx-XX': 'a' }, slug: { 'de-DE': 'x' }, gone: { 'en-US': 'x' } },
      locales,
      { mode: 'save' },
    );
    expect(names(errors)).toEqual([
      'unknown:fields.gone',
      'unknown:fields.nope',
      'unknown:fields.slug.de-DE',
      'unknown:fields.title.xx-XX',
    ]);
  });

  it('checks the JSON type of every field type', () => {
    const bad = {
      title: { 'en-US': 5 },
      rating: { 'en-US': 1.5 },
      price: { 'en-US': 'cheap' },
      when: { 'en-US': 'yesterday' },
      done: { 'en-US': 'yes' },
      where: { 'en-US': { lat: 100, lon: 0 } },
      meta: { 'en-US': 'string' },
      author: { 'en-US': { sys: { type: 'Link', linkType: 'Asset', id: 'x' } } },
      tags: { 'en-US': ['ok', 3] },
      rich: { 'en-US': { nodeType: 'paragraph' } },
    };
    expect(names(validateEntryFields(fields, bad, locales, { mode: 'save' }))).toEqual([
      'type:fields.author.en-US',
      'type:fields.done.en-US',
      'type:fields.meta.en-US',
      'type:fields.price.en-US',
      'type:fields.rating.en-US',
      'type:fields.rich.en-US',
      'type:fields.tags.en-US.1',
      'type:fields.title.en-US',
      'type:fields.when.en-US',
      'type:fields.where.en-US',
    ]);
  });

  it('takes a date only when it names a day that exists', () => {
    const check = (when: string) => names(validateEntryFields(fields, { when: { 'en-US': when } }, locales, { mode: 'save' }));
    for (const good of ['2020-02-29', '2021-12-31T23:59:59.999Z', '2020-06-01T10:00+02:00', '0001-01-01'])
      expect(check(good), good).toEqual([]);
    for (const bad of ['2020-02-30', '2021-02-29', '2020-04-31', '0000-01-01', '2020-13-01', '2020-01-01T25:00Z'])
      expect(check(bad), bad).toEqual(['type:fields.when.en-US']);
  });

  it('does not run value validations on save', () => {
    expect(validateEntryFields(fields, { title: { 'en-US': 'x' }, rating: { 'en-US': 9 } }, locales, { mode: 'save' })).toEqual([]);
  });
});

describe('entry field validation on publish', () => {
  it('requires values in the default and every non-optional locale', () => {
    expect(names(validateEntryFields(fields, {}, locales, { mode: 'publish' }))).toEqual([
      'required:fields.title.en-US',
      'required:fields.title.fr-FR',
    ]);
    expect(validateEntryFields(fields, { title: { 'en-US': 'Hello', 'fr-FR': 'Salut' } }, locales, { mode: 'publish' })).toEqual([]);
  });

  it('applies every value validation with its limits and custom message', () => {
    const values = {
      title: { 'en-US': 'Hi', 'fr-FR': 'Much too long title' },
      slug: { 'en-US': 'Not-Valid' },
      rating: { 'en-US': 7 },
      kind: { 'en-US': 'c' },
      when: { 'en-US': '2040-01-01T00:00:00Z' },
      tags: { 'en-US': ['x', 'z', 'y'] },
    };
    const errors = validateEntryFields(fields, values, locales, { mode: 'publish' });
    expect(names(errors)).toEqual([
      'dateRange:fields.when.en-US',
      'in:fields.kind.en-US',
      'in:fields.tags.en-US.1',
      'range:fields.rating.en-US',
      'regexp:fields.slug.en-US',
      'size:fields.tags.en-US',
      'size:fields.title.en-US',
      'size:fields.title.fr-FR',
    ]);
    expect(errors.find((e) => e.name === 'range')).toMatchObject({ min: 1, max: 5, value: 7, details: 'One to five stars' });
    expect(errors.find((e) => e.path.join('.') === 'fields.title.en-US')).toMatchObject({ min: 3, max: 10 });
    const prohibited = validateEntryFields(
      fields,
      { title: { 'en-US': 'Hello', 'fr-FR': 'Salut' }, slug: { 'en-US': 'the-admin' } },
      locales,
      { mode: 'publish' },
    );
    expect(names(prohibited)).toEqual(['prohibitRegexp:fields.slug.en-US']);
  });

  it('enforces the built-in Symbol and Text limits', () => {
    const errors = validateEntryFields(
      [
        { id: 's', name: 'S', type: 'Symbol' },
        { id: 't', name: 'T', type: 'Text' },
      ],
      { s: { 'en-US': 'a'.repeat(257) }, t: { 'en-US': 'a'.repeat(50_001) } },
      locales,
      { mode: 'publish' },
    );
    expect(errors.map((e) => [e.name, e.max])).toEqual([
      ['size', 256],
      ['size', 50_000],
    ]);
  });

  it('checks rich text node types, marks and node counts', () => {
    const ok = doc({ nodeType: 'heading-1', data: {}, content: [] }, para('bold text', ['bold']), embed('e1'));
    const base = { title: { 'en-US': 'Hello', 'fr-FR': 'Salut' } };
    expect(validateEntryFields(fields, { ...base, rich: { 'en-US': ok } }, locales, { mode: 'publish' })).toEqual([]);
    const bad = doc({ nodeType: 'heading-2', data: {}, content: [] }, para('x', ['italic']), embed('e1'), embed('e2'));
    expect(names(validateEntryFields(fields, { ...base, rich: { 'en-US': bad } }, locales, { mode: 'publish' }))).toEqual([
      'enabledMarks:fields.rich.en-US.content.1.content.0',
      'enabledNodeTypes:fields.rich.en-US.content.0',
      'size:fields.rich.en-US',
    ]);
  });
});

describe('links and uniqueness', () => {
  const values = {
    author: { 'en-US': { sys: { type: 'Link', linkType: 'Entry', id: 'p1' } } },
    image: { 'en-US': { sys: { type: 'Link', linkType: 'Asset', id: 'a1' } } },
    related: {
      'en-US': [{ sys: { type: 'Link', linkType: 'Entry', id: 'p1' } }, { sys: { type: 'Link', linkType: 'Entry', id: 'missing' } }],
    },
    rich: { 'en-US': doc(embed('p2')) },
    slug: { 'en-US': 'my-slug' },
  };

  it('collects links from single, array and rich text fields', () => {
    expect(collectLinks(fields, values).map((l) => `${l.linkType}:${l.id}@${l.path.join('.')}`)).toEqual([
      'Entry:p1@fields.author.en-US',
      'Asset:a1@fields.image.en-US',
      'Entry:p1@fields.related.en-US.0',
      'Entry:missing@fields.related.en-US.1',
      'Entry:p2@fields.rich.en-US.content.0',
    ]);
  });

  it('refuses unresolvable links and checks content types, MIME groups, sizes and dimensions', () => {
    const links = collectLinks(fields, values);
    const errors = validateLinkedEntities(links, {
      entries: new Map([
        ['p1', { contentTypeId: 'company' }],
        ['p2', { contentTypeId: 'person' }],
      ]),
      assets: new Map([['a1', { files: { 'en-US': { contentType: 'application/pdf', details: { size: 5000 } } } }]]),
    });
    expect(names(errors)).toEqual([
      'assetFileSize:fields.image.en-US',
      'assetImageDimensions:fields.image.en-US',
      'linkContentType:fields.author.en-US',
      'linkMimetypeGroup:fields.image.en-US',
      'notResolvable:fields.related.en-US.1',
    ]);
    expect(errors.find((e) => e.name === 'notResolvable')).toMatchObject({ link: { type: 'Link', linkType: 'Entry', id: 'missing' } });
  });

  it('lists unique candidates', () => {
    expect(uniqueCandidates(fields, values)).toEqual([
      { fieldId: 'slug', locale: 'en-US', value: 'my-slug', path: ['fields', 'slug', 'en-US'] },
    ]);
  });

  it('maps MIME types to seed 003 groups', () => {
    expect(mimetypeGroupOf('image/png')).toBe('image');
    expect(mimetypeGroupOf('application/pdf')).toBe('pdfdocument');
    expect(mimetypeGroupOf('text/plain; charset=utf-8')).toBe('plaintext');
    expect(mimetypeGroupOf('application/x-unknown')).toBe('attachment');
  });
});
