import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentScope } from '../../src/resources/environments/scope.js';
import { startServices, type ServiceSpec } from '../helpers/services.js';

/**
 * The fallback rules of locales, asked of the locale service: a fallback must exist, never be the locale
 * itself, never close a cycle, and a locale others fall back to keeps its code and cannot be deleted.
 */

let spec: ServiceSpec;
let scope: EnvironmentScope;

beforeAll(async () => {
  spec = await startServices();
  scope = await spec.master();
});
afterAll(async () => {
  await spec?.close();
});

const locales = () => spec.services.locales;
const invalid = (details: string) =>
  expect.objectContaining({
    id: 'ValidationFailed',
    status: 422,
    details: { errors: [expect.objectContaining({ name: 'fallbackCode', details })] },
  });

describe('locale fallbacks', () => {
  it('must name an existing locale other than the locale itself, and may not close a cycle', async () => {
    const german = await locales().create(spec.admin, scope, { name: 'German', code: 'de-DE', fallbackCode: 'en-US' });
    expect(german).toMatchObject({ code: 'de-DE', fallbackCode: 'en-US', sys: { type: 'Locale', version: 1 } });
    const swiss = await locales().create(spec.admin, scope, { name: 'Swiss German', code: 'de-CH', fallbackCode: 'de-DE' });
    await expect(locales().create(spec.admin, scope, { name: 'French', code: 'fr-FR', fallbackCode: 'fr-CA' })).rejects.toEqual(
      invalid('No locale "fr-CA" to fall back to'),
    );
    await expect(locales().create(spec.admin, scope, { name: 'Dutch', code: 'nl-NL', fallbackCode: 'nl-NL' })).rejects.toEqual(
      invalid('A locale cannot fall back to itself'),
    );
    await expect(
      locales().update(spec.admin, scope, german.sys.id, { name: 'German', code: 'de-DE', fallbackCode: 'de-CH' }, german.sys.version),
    ).rejects.toEqual(invalid('The fallback chain would form a cycle'));
    const unchanged = await locales().update(spec.admin, scope, swiss.sys.id, { name: 'Swiss', code: 'de-CH' }, swiss.sys.version);
    expect(unchanged).toMatchObject({ name: 'Swiss', fallbackCode: 'de-DE', sys: { version: 2 } });
  });

  it('a locale others fall back to keeps its code and cannot be deleted until they change', async () => {
    const list = await locales().list(spec.admin, scope, { skip: 0, limit: 100 });
    const byCode = (code: string) => (list.items as { code: string; sys: { id: string; version: number } }[]).find((l) => l.code === code)!;
    const german = byCode('de-DE');
    await expect(
      locales().update(spec.admin, scope, german.sys.id, { name: 'German', code: 'de-AT', fallbackCode: 'en-US' }, german.sys.version),
    ).rejects.toEqual(invalid('Other locales fall back to "de-DE", so its code cannot change'));
    await expect(locales().delete(spec.admin, scope, german.sys.id)).rejects.toEqual(
      expect.objectContaining({
        id: 'BadRequest',
        status: 400,
        message: 'The locale is the fallback of de-CH; change their fallback first',
      }),
    );
    await locales().delete(spec.admin, scope, byCode('de-CH').sys.id);
    await locales().delete(spec.admin, scope, german.sys.id);
    await expect(locales().delete(spec.admin, scope, byCode('en-US').sys.id)).rejects.toEqual(
      expect.objectContaining({ id: 'BadRequest', status: 400, message: 'The default locale cannot be deleted' }),
    );
  });
});
