import { describe, expect, it } from 'vitest';
import { DeliveryRendering, resolveLocale } from '../../src/delivery/views.js';
import type { FieldDefinition, LocaleInfo } from '../../src/domain/field-types.js';

const locale = (code: string, fallbackCode: string | null, extra: Partial<LocaleInfo> = {}): LocaleInfo => ({
  code,
  fallbackCode,
  default: code === 'en-US',
  optional: false,
  ...extra,
});
const locales = [
  locale('en-US', null),
  locale('de-DE', 'en-US'),
  locale('de-CH', 'de-DE'),
  locale('fr-FR', null, { contentDeliveryApi: false }),
];
const byCode = new Map(locales.map((l) => [l.code, l]));
const field = (id: string, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  id,
  name: id,
  type: 'Symbol',
  localized: true,
  ...extra,
});

describe('resolveLocale', () => {
  it('follows fallbacks step by step and skips empty values', () => {
    expect(resolveLocale({ 'en-US': 'en', 'de-DE': null }, 'de-CH', byCode)).toBe('en');
    expect(resolveLocale({ 'en-US': 'en', 'de-DE': 'de' }, 'de-CH', byCode)).toBe('de');
    expect(resolveLocale({ 'en-US': 'en' }, 'fr-FR', byCode)).toBeUndefined();
  });

  it('stops on a fallback cycle', () => {
    const cycle = new Map([
      ['a', locale('a', 'b')],
      ['b', locale('b', 'a')],
    ]);
    expect(resolveLocale({ 'en-US': 'x' }, 'a', cycle)).toBeUndefined();
  });
});

describe('DeliveryRendering.fields', () => {
  const fields = {
    title: { 'en-US': 'Hello', 'de-DE': 'Hallo', 'fr-FR': 'Bonjour' },
    sku: { 'en-US': 'S-1', 'de-DE': 'ignored' },
    secret: { 'en-US': 'hidden' },
    empty: { 'en-US': null, 'de-DE': null },
    unknown: { 'en-US': 'not in the model' },
  };
  const model = [field('title'), field('sku', { localized: false }), field('secret', { omitted: true }), field('empty')];

  it('one locale: fallbacks, non-localized fields from the default locale, omitted and unknown fields left out', () => {
    const rendering = new DeliveryRendering('delivery', { all: false, code: 'de-CH' }, locales, []);
    rendering.addContentType('post', model);
    expect(rendering.fields(fields, 'post')).toEqual({ title: 'Hallo', sku: 'S-1' });
  });

  it('all locales: only delivered locales and non-empty values', () => {
    const rendering = new DeliveryRendering('delivery', { all: true }, locales, []);
    rendering.addContentType('post', model);
    expect(rendering.fields({ ...fields, sku: { 'en-US': 'S-1' } }, 'post')).toEqual({
      title: { 'en-US': 'Hello', 'de-DE': 'Hallo' },
      sku: { 'en-US': 'S-1' },
    });
  });

  it('assets (no content type) keep every field; an unknown content type shows none', () => {
    const rendering = new DeliveryRendering('preview', { all: false, code: 'en-US' }, locales, []);
    expect(rendering.fields({ title: { 'en-US': 'Logo' }, file: { 'en-US': { url: '/f' } } }, undefined)).toEqual({
      title: 'Logo',
      file: { url: '/f' },
    });
    expect(rendering.fields(fields, 'missing')).toEqual({});
  });
});
