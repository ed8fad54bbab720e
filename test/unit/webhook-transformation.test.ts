import { describe, expect, it } from 'vitest';
import { formEncode, renderString, resolvePointer, stripMarkdown, transformBody, transformUrl } from '../../src/events/transformation.js';
import { filterErrors, filtersMatch, isTopic, topicMatches } from '../../src/events/webhook-matching.js';

const context = {
  payload: {
    sys: { id: 'entry-id', type: 'Entry' },
    fields: {
      title: { 'en-US': 'hello world' },
      content: { 'en-US': 'Art is the expression or application of human creative skill and imagination' },
    },
  },
  topic: 'ContentManagement.Entry.publish',
  user: { sys: { id: 'user-1' } },
};

describe('webhook transformations (seed 000 examples)', () => {
  it('replaces whole values', () => {
    expect(transformBody({ entryId: '{ /payload/sys/id }', title: '{ /payload/fields/title }' }, context)).toEqual({
      entryId: 'entry-id',
      title: { 'en-US': 'hello world' },
    });
  });

  it('renders string templates, stringifying values', () => {
    expect(
      transformBody(
        {
          entityInfo: 'Entity of type { /payload/sys/type } with ID { /payload/sys/id }',
          title: 'Entity title is { /payload/fields/title/en-US }',
          stringified: "Let's try to stringify an object: { /payload/fields/title }",
        },
        context,
      ),
    ).toEqual({
      entityInfo: 'Entity of type Entry with ID entry-id',
      title: 'Entity title is hello world',
      stringified: 'Let\'s try to stringify an object: {"en-US":"hello world"}',
    });
  });

  it('applies every helper', () => {
    expect(renderString('{ strip-stop-words /payload/fields/content/en-US }', context)).toBe(
      'art expression application human creative skill imagination',
    );
    expect(renderString('{ first-chars 6 /payload/fields/content/en-US }', context)).toBe('Art is');
    expect(renderString('{ first-words 3 /payload/fields/content/en-US }', context)).toBe('Art is the');
    expect(renderString('{ first-paragraphs 2 /payload/text }', { ...context, payload: { text: 'one\n\ntwo\n\nthree' } })).toBe(
      'one\n\ntwo',
    );
    expect(
      renderString('{ strip-markdown /payload/md }', { ...context, payload: { md: '# Title\n**bold** and [a link](http://x) `code`' } }),
    ).toBe('Title\nbold and a link code');
    expect(renderString('{ stringify /payload/fields/title }', context)).toBe('{"en-US":"hello world"}');
    expect(stripMarkdown('- item\n> quote')).toBe('item\nquote');
  });

  it('strip-stop-words lowers the case of the keywords it keeps, punctuation and all', () => {
    expect(renderString('{ strip-stop-words /payload/text }', { ...context, payload: { text: 'The Quick, brown FOX and THE dog!' } })).toBe(
      'quick, brown fox dog!',
    );
  });

  it('resolves topic, user and URL templates', () => {
    expect(renderString('{ /topic }', context)).toBe('ContentManagement.Entry.publish');
    expect(renderString('{ /user/sys/id }', context)).toBe('user-1');
    expect(transformUrl('https://example.com/{ /payload/sys/id }?t={ /topic }', context)).toBe(
      'https://example.com/entry-id?t=ContentManagement.Entry.publish',
    );
    expect(resolvePointer(context, '/payload/nope/deeper')).toBeUndefined();
  });

  it('form-encodes bodies', () => {
    expect(formEncode({ a: 'x y', b: { c: 1 } })).toBe('a=x+y&b=%7B%22c%22%3A1%7D');
  });
});

describe('webhook matching', () => {
  const facts = { topic: 'ContentManagement.Entry.publish', entityId: 'main_nav', environmentId: 'master', contentTypeId: 'nav' };
  it('matches topics with wildcards', () => {
    const table: [string[], boolean][] = [
      [['*.*'], true],
      [['Entry.*'], true],
      [['*.publish'], true],
      [['Entry.publish'], true],
      [['Asset.*'], false],
      [['*.save'], false],
      [['ContentType.publish', 'Entry.delete'], false],
    ];
    for (const [topics, expected] of table) expect(topicMatches(topics, facts.topic), topics.join()).toBe(expected);
  });

  it('knows the topics Contentful documents, beyond the types this server emits', () => {
    for (const topic of ['*.*', 'Task.save', 'Release.archive', 'BulkAction.execute', 'AppInstallation.update', 'Workflow.complete'])
      expect(isTopic(topic), topic).toBe(true);
    for (const topic of ['Entry.explode', 'Widget.save', 'Entry', 'entry.save', 'Entry.save.now', '*', ''])
      expect(isTopic(topic), topic).toBe(false);
    expect(topicMatches(['Task.save', 'Release.*'], 'ContentManagement.Entry.save')).toBe(false);
  });

  it('applies filters joined by AND, and master only without filters', () => {
    const table: [unknown, boolean][] = [
      [null, true],
      [undefined, true],
      [[], true],
      [[{ equals: [{ doc: 'sys.id' }, 'main_nav'] }], true],
      [[{ not: { equals: [{ doc: 'sys.id' }, 'main_nav'] } }], false],
      [[{ in: [{ doc: 'sys.environment.sys.id' }, ['qa', 'master']] }], true],
      [[{ not: { in: [{ doc: 'sys.environment.sys.id' }, ['qa', 'staging']] } }], true],
      [[{ regexp: [{ doc: 'sys.contentType.sys.id' }, { pattern: '^na' }] }], true],
      [[{ not: { regexp: [{ doc: 'sys.id' }, { pattern: '_nav$' }] } }], false],
      [[{ equals: [{ doc: 'sys.id' }, 'main_nav'] }, { equals: [{ doc: 'sys.environment.sys.id' }, 'qa'] }], false],
    ];
    for (const [filters, expected] of table) expect(filtersMatch(filters as never, facts), JSON.stringify(filters)).toBe(expected);
    expect(filtersMatch(null, { ...facts, environmentId: 'staging' })).toBe(false);
    expect(filtersMatch([], { ...facts, environmentId: 'staging' })).toBe(true);
  });

  it('reports invalid filters with paths', () => {
    expect(filterErrors([{ equals: [{ doc: 'fields.x' }, 'a'] }]).map((e) => e.path.join('.'))).toEqual(['filters.0.equals.0']);
    expect(filterErrors([{ regexp: [{ doc: 'sys.id' }, { pattern: '(' }] }]).map((e) => e.path.join('.'))).toEqual([
      'filters.0.regexp.1.pattern',
    ]);
    expect(filterErrors([{ between: [] }])).toHaveLength(1);
  });
});
