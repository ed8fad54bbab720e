import { describe, expect, it } from 'vitest';
import { localePublishedFields, localePublishedLocales, type PublishingState, transitionedRow } from '../../src/domain/publishing.js';
import type { PublishableRow } from '../../src/resources/publishable/repository.js';
import { fieldStatusOf } from '../../src/resources/publishable/view.js';

const localized = (fieldId: string) => fieldId !== 'slug';
const draft = { title: { 'en-US': 'Hello', 'de-DE': 'Hallo' }, slug: { 'en-US': 'hello' } };

describe('locale-based publishing', () => {
  it('publishes the added locales of localized fields and the non-localized fields', () => {
    expect(localePublishedFields(draft, null, { add: ['en-US'] }, localized)).toEqual({
      title: { 'en-US': 'Hello' },
      slug: { 'en-US': 'hello' },
    });
  });

  it('keeps the other published locales, and takes back removed ones', () => {
    const published = { title: { 'en-US': 'Old', 'de-DE': 'Alt' }, slug: { 'en-US': 'old' } };
    expect(localePublishedFields(draft, published, { add: ['de-DE'] }, localized)).toEqual({
      title: { 'en-US': 'Old', 'de-DE': 'Hallo' },
      slug: { 'en-US': 'hello' },
    });
    expect(localePublishedFields(draft, published, { remove: ['de-DE'] }, localized)).toEqual({
      title: { 'en-US': 'Old' },
      slug: { 'en-US': 'old' },
    });
  });

  it('drops a published value the draft no longer has, and fields left without values', () => {
    expect(localePublishedFields({ slug: { 'en-US': 'x' } }, { title: { 'en-US': 'Old' } }, { add: ['en-US'] }, localized)).toEqual({
      slug: { 'en-US': 'x' },
    });
  });
});

const at = new Date('2026-01-01T00:00:00Z');
const row = (state: Partial<PublishingState> = {}): PublishableRow => ({
  space_id: 'space1',
  environment_id: 'master',
  id: 'entry1',
  content_type_id: 'page',
  fields: draft,
  tags: [],
  concepts: [],
  published_fields: null,
  published_tags: null,
  published_concepts: null,
  published_locales: null,
  published_version: null,
  published_counter: 0,
  first_published_at: null,
  published_at: null,
  published_by: null,
  archived_at: null,
  archived_version: null,
  archived_by: null,
  version: 1,
  created_by: 'user1',
  updated_by: 'user1',
  created_at: at,
  updated_at: at,
  ...state,
});
const environment = ['de-DE', 'en-US', 'fr-FR'];

describe('published locales', () => {
  it('start from none on an unpublished entry and from every locale after an entry-level publish', () => {
    expect(localePublishedLocales(row(), { add: ['en-US'] }, environment)).toEqual(['en-US']);
    const published = transitionedRow('publish', row(), 'user1', at);
    expect(published.published_locales).toBeNull();
    expect(localePublishedLocales(published, { remove: ['de-DE'] }, environment)).toEqual(['en-US', 'fr-FR']);
    expect(localePublishedLocales(published, { add: ['de-DE'] }, environment)).toEqual(['de-DE', 'en-US', 'fr-FR']);
  });

  it('add to and take from the recorded set, the last one out leaving none', () => {
    const partly = row({ published_version: 1, published_locales: ['en-US'] });
    expect(localePublishedLocales(partly, { add: ['de-DE'] }, environment)).toEqual(['de-DE', 'en-US']);
    expect(localePublishedLocales(partly, { remove: ['en-US'] }, environment)).toEqual([]);
  });

  it('are forgotten by an entry-level publish and by unpublish', () => {
    const partly = row({ published_version: 1, published_fields: draft, published_locales: ['en-US'] });
    expect(transitionedRow('publish', partly, 'user1', at).published_locales).toBeNull();
    const unpublished = transitionedRow('unpublish', partly, 'user1', at);
    expect([unpublished.published_locales, unpublished.published_version]).toEqual([null, null]);
  });

  it('decide sys.fieldStatus when recorded: a published locale without values of its own is published', () => {
    const partly = row({
      fields: { title: { 'en-US': 'Hello', 'de-DE': 'Hallo' } },
      published_version: 1,
      published_fields: { title: { 'en-US': 'Hello' } },
      published_locales: ['en-US', 'fr-FR'],
    });
    expect(fieldStatusOf(partly)).toEqual({ '*': { 'de-DE': 'draft', 'en-US': 'published', 'fr-FR': 'published' } });
    const edited = { ...partly, fields: { title: { 'en-US': 'Hello!', 'fr-FR': 'Bonjour' } } };
    expect(fieldStatusOf(edited)).toEqual({ '*': { 'en-US': 'changed', 'fr-FR': 'changed' } });
  });
});
