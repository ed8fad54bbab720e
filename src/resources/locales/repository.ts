import { type Kysely, sql } from 'kysely';
import { type EnvironmentKey, environmentColumns, Repository, rowsOf, type TableDefinition } from '../../db/repository.js';
import type { DB, LocaleRow } from '../../db/schema.js';
import { type ValidationErrorItem, validationFailed } from '../../domain/errors.js';
import type { LocaleInfo } from '../../domain/field-types.js';
import { generateId } from '../../domain/ids.js';

export const codeTaken = (code: unknown): ValidationErrorItem => ({
  name: 'taken',
  path: ['code'],
  value: code,
  details: `The locale code "${code}" is already used in this environment`,
});

export const localeTable: TableDefinition<'locales', EnvironmentKey> = {
  table: 'locales',
  type: 'Locale',
  scope: environmentColumns,
  order: ['is_default desc', 'created_at', 'id'],
  // A concurrent insert of the same code loses on the unique index; it gets the same answer as the check.
  conflict: ({ code }) => validationFailed([codeTaken(code)]),
};

/** Tables whose `{field: {locale: value}}` columns lose a deleted locale's values. */
const LOCALIZED_CONTENT = [
  { table: 'entries', columns: ['fields', 'published_fields'] },
  { table: 'assets', columns: ['fields', 'published_fields'] },
] as const;

/** Locales of an environment, and the localized values of its entries and assets. */
export class LocaleRepository extends Repository<'locales', EnvironmentKey> {
  /** Locks the environment's locales until `trx` ends, so that changes to the rules' inputs serialize. */
  locked(key: EnvironmentKey, trx: Kysely<DB>): Promise<LocaleRow[]> {
    return this.in(key, trx).select().selectAll().orderBy('id').forUpdate().execute();
  }

  /**
   * Deletes the values of the locale `code` from every entry and asset of the environment, and the locale
   * from their published locales (a locale created later with the same code is not published).
   */
  async removeValues(key: EnvironmentKey, code: string, trx: Kysely<DB>): Promise<void> {
    for (const { table, columns } of LOCALIZED_CONTENT) {
      const sets = Object.fromEntries(
        columns.map((column) => [
          column,
          sql`case when ${sql.ref(column)} is null then null else coalesce((select jsonb_object_agg(f.key, f.value - ${code}::text) from jsonb_each(${sql.ref(column)}) f), '{}'::jsonb) end`,
        ]),
      );
      await rowsOf(trx, table, 'Entry', this.definition.scope(key))
        .updating()
        .set({ ...sets, published_locales: sql`array_remove(published_locales, ${code}::text)` })
        .where(
          sql<boolean>`(exists (select 1 from jsonb_each(fields || coalesce(published_fields, '{}'::jsonb)) f where jsonb_typeof(f.value) = 'object' and f.value ? ${code}::text) or ${code}::text = any(published_locales))`,
        )
        .execute();
    }
  }

  /** The locales as validation and delivery need them, default first: a query to run or to nest. */
  infoRows(key: EnvironmentKey, db: Kysely<DB> = this.db) {
    return this.in(key, db)
      .select()
      .select(['code', 'name', 'is_default', 'fallback_code', 'optional', 'content_delivery_api'])
      .orderBy('is_default', 'desc')
      .orderBy('created_at');
  }
}

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
  return new LocaleRepository(db, localeTable)
    .in(values)
    .insert(
      { id: generateId(), code: values.code, name: defaultLocaleName(values.code), fallback_code: null, is_default: true },
      values.userId,
    );
}

/** The locales of an environment as validation and delivery need them, default first: a query to run or to nest. */
export function localeRows(db: Kysely<DB>, scope: EnvironmentKey) {
  return new LocaleRepository(db, localeTable).infoRows(scope);
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

export async function environmentLocales(db: Kysely<DB>, scope: EnvironmentKey): Promise<LocaleInfo[]> {
  return (await localeRows(db, scope).execute()).map(localeInfo);
}
