import { describe, expect, it } from 'vitest';
import { localePublishedFields } from '../../src/domain/publishing.js';

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
