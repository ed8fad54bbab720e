import type { Kysely } from 'kysely';
import type { DB, LocaleRow } from '../../db/schema.js';
import { generateId } from '../../domain/ids.js';
import type { LocaleInfo } from '../../domain/field-types.js';

/** Names of the locale codes a new space is most likely to start with; others are named by their code. */
const KNOWN_LOCALE_NAMES: Record<string, string> = {
  'en-US': 'English (United States)',
  'en-GB': 'English (United Kingdom)',
  'de-DE': 'German (Germany)',
  'fr-FR': 'French (France)',
  'es-ES': 'Spanish (Spain)',
  'it-IT': 'Italian (Italy)',
};

export function defaultLocaleName(code: string): string {
  return KNOWN_LOCALE_NAMES[code] ?? code;
}

export async function insertDefaultLocale(
  db: Kysely<DB>,
  values: { spaceId: string; environmentId: string; code: string; userId: string | null },
): Promise<LocaleRow> {
  return db
    .insertInto('locales')
    .values({
      space_id: values.spaceId,
      environment_id: values.environmentId,
      id: generateId(),
      code: values.code,
      name: defaultLocaleName(values.code),
      fallback_code: null,
      is_default: true,
      created_by: values.userId,
      updated_by: values.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The locales of an environment as validation and delivery need them, default first: a query to run or to nest. */
export function localeRows(db: Kysely<DB>, scope: { spaceId: string; environmentId: string }) {
  return db
    .selectFrom('locales')
    .select(['code', 'name', 'is_default', 'fallback_code', 'optional', 'content_delivery_api'])
    .where('space_id', '=', scope.spaceId)
    .where('environment_id', '=', scope.environmentId)
    .orderBy('is_default', 'desc')
    .orderBy('created_at');
}

type LocaleColumns = Pick<LocaleRow, 'code' | 'name' | 'is_default' | 'fallback_code' | 'optional' | 'content_delivery_api'>;

export function localeInfo(r: LocaleColumns): LocaleInfo {
  return {
    code: r.code,
    name: r.name,
    default: r.is_default,
    fallbackCode: r.fallback_code,
    optional: r.optional,
    contentDeliveryApi: r.content_delivery_api,
  };
}

export async function environmentLocales(db: Kysely<DB>, scope: { spaceId: string; environmentId: string }): Promise<LocaleInfo[]> {
  return (await localeRows(db, scope).execute()).map(localeInfo);
}
