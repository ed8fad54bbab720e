import type { Kysely } from 'kysely';
import type { DB, LocaleRow } from '../../db/schema.js';
import { generateId } from '../../http/ids.js';

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
