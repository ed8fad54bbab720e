import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, LocaleRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { badRequest, notFound, validationFailed, type ValidationErrorItem } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { environmentScope, versionedSys } from '../../http/sys.js';
import type { EnvironmentScope } from '../environments/scope.js';

export function localeView(row: LocaleRow) {
  return {
    name: row.name,
    code: row.code,
    fallbackCode: row.fallback_code,
    default: row.is_default,
    contentManagementApi: row.content_management_api,
    contentDeliveryApi: row.content_delivery_api,
    optional: row.optional,
    sys: { type: 'Locale', id: row.id, ...versionedSys(row), ...environmentScope(row.space_id, row.environment_id) },
  };
}

export interface LocaleInput {
  name: string;
  code: string;
  fallbackCode?: string | null;
  default?: boolean;
  contentManagementApi?: boolean;
  contentDeliveryApi?: boolean;
  optional?: boolean;
}

/** Tables whose `{field: {locale: value}}` columns lose a deleted locale's values. */
const LOCALIZED_CONTENT = [
  { table: 'entries', columns: ['fields', 'published_fields'] },
  { table: 'assets', columns: ['fields', 'published_fields'] },
] as const;

/**
 * Locales of an environment (seed 000, "Locales"): codes are unique, there is exactly one default and it
 * stays so, fallbacks must exist and never form a cycle, and a locale others fall back to keeps its code
 * and cannot be deleted.
 */
export class LocaleService {
  constructor(private readonly db: Kysely<DB>) {}

  private rows(db: Kysely<DB>, scope: EnvironmentScope) {
    return db.selectFrom('locales').selectAll().where('space_id', '=', scope.spaceId).where('environment_id', '=', scope.environmentId);
  }

  async list(_actor: Actor, scope: EnvironmentScope, paging: Paging) {
    const all = await this.rows(this.db, scope).orderBy('is_default', 'desc').orderBy('created_at').orderBy('id').execute();
    return collection(all.slice(paging.skip, paging.skip + paging.limit).map(localeView), all.length, paging);
  }

  async get(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.rows(this.db, scope).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Locale', id);
    return localeView(row);
  }

  async create(actor: Actor, scope: EnvironmentScope, input: LocaleInput) {
    scope.permissions.require('Settings', 'manage');
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.lockedLocales(trx, scope);
      if (input.default)
        throw validationFailed([
          { name: 'default', path: ['default'], details: 'The environment already has a default locale, and it cannot change' },
        ]);
      const errors = checkLocales(
        [...existing, { id: '', code: input.code, fallback_code: input.fallbackCode ?? null }],
        input.code,
        input.fallbackCode ?? null,
      );
      if (errors.length) throw validationFailed(errors);
      const row = await trx
        .insertInto('locales')
        .values({
          space_id: scope.spaceId,
          environment_id: scope.environmentId,
          id: generateId(),
          code: input.code,
          name: input.name,
          fallback_code: input.fallbackCode ?? null,
          content_management_api: input.contentManagementApi ?? true,
          content_delivery_api: input.contentDeliveryApi ?? true,
          optional: input.optional ?? false,
          created_by: actor.userId,
          updated_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch((err) => uniqueCodeViolation(err, input.code));
      return localeView(row);
    });
  }

  async update(actor: Actor, scope: EnvironmentScope, id: string, input: LocaleInput, expectedVersion: number | undefined) {
    scope.permissions.require('Settings', 'manage');
    return this.db.transaction().execute(async (trx) => {
      const existing = await this.lockedLocales(trx, scope);
      const current = existing.find((l) => l.id === id);
      if (!current) throw notFound('Locale', id);
      if (input.default !== undefined && input.default !== current.is_default) {
        throw validationFailed([{ name: 'default', path: ['default'], details: 'The default locale is permanent' }]);
      }
      if (input.code !== current.code && existing.some((l) => l.fallback_code === current.code)) {
        throw validationFailed([
          { name: 'fallbackCode', path: ['code'], details: `Other locales fall back to "${current.code}", so its code cannot change` },
        ]);
      }
      const fallback = input.fallbackCode === undefined ? current.fallback_code : input.fallbackCode;
      const proposed = existing.map((l) => (l.id === id ? { ...l, code: input.code, fallback_code: fallback } : l));
      const errors = checkLocales(proposed, input.code, fallback);
      if (errors.length) throw validationFailed(errors);
      const row = await versionLockedUpdate({
        type: 'Locale',
        id,
        expectedVersion,
        update: (version) =>
          trx
            .updateTable('locales')
            .set((eb) => ({
              name: input.name,
              code: input.code,
              fallback_code: fallback,
              content_management_api: input.contentManagementApi ?? current.content_management_api,
              content_delivery_api: input.contentDeliveryApi ?? current.content_delivery_api,
              optional: input.optional ?? current.optional,
              version: eb('version', '+', 1),
              updated_at: new Date(),
              updated_by: actor.userId,
            }))
            .where('space_id', '=', scope.spaceId)
            .where('environment_id', '=', scope.environmentId)
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst()
            .catch((err) => uniqueCodeViolation(err, input.code)),
        exists: async () => true,
      });
      return localeView(row);
    });
  }

  /** Deleting a locale deletes its values from every entry and asset of the environment, in one transaction. */
  async delete(_actor: Actor, scope: EnvironmentScope, id: string) {
    scope.permissions.require('Settings', 'manage');
    await this.db.transaction().execute(async (trx) => {
      const existing = await this.lockedLocales(trx, scope);
      const current = existing.find((l) => l.id === id);
      if (!current) throw notFound('Locale', id);
      if (current.is_default) throw badRequest('The default locale cannot be deleted');
      const dependants = existing.filter((l) => l.fallback_code === current.code).map((l) => l.code);
      if (dependants.length) throw badRequest(`The locale is the fallback of ${dependants.join(', ')}; change their fallback first`);
      await trx
        .deleteFrom('locales')
        .where('space_id', '=', scope.spaceId)
        .where('environment_id', '=', scope.environmentId)
        .where('id', '=', id)
        .execute();
      for (const { table, columns } of LOCALIZED_CONTENT) {
        const sets = Object.fromEntries(
          columns.map((column) => [
            column,
            sql`case when ${sql.ref(column)} is null then null else coalesce((select jsonb_object_agg(f.key, f.value - ${current.code}::text) from jsonb_each(${sql.ref(column)}) f), '{}'::jsonb) end`,
          ]),
        );
        await trx
          .updateTable(table as 'entries')
          .set(sets)
          .where('space_id', '=', scope.spaceId)
          .where('environment_id', '=', scope.environmentId)
          .where(
            sql<boolean>`exists (select 1 from jsonb_each(fields || coalesce(published_fields, '{}'::jsonb)) f where jsonb_typeof(f.value) = 'object' and f.value ? ${current.code}::text)`,
          )
          .execute();
      }
    });
  }

  /** Locks the environment's locales so concurrent changes to the rules' inputs serialize. */
  private lockedLocales(trx: Kysely<DB>, scope: EnvironmentScope) {
    return this.rows(trx, scope).orderBy('id').forUpdate().execute();
  }
}

/** Unique codes, an existing fallback that is not the locale itself, and no cycle through fallbacks. */
const codeTaken = (code: string): ValidationErrorItem => ({
  name: 'taken',
  path: ['code'],
  value: code,
  details: `The locale code "${code}" is already used in this environment`,
});

/** A concurrent insert of the same code loses on the unique index; it gets the same answer as the check. */
function uniqueCodeViolation(err: unknown, code: string): never {
  if ((err as { code?: string }).code === '23505') throw validationFailed([codeTaken(code)]);
  throw err;
}

function checkLocales(
  locales: { id: string; code: string; fallback_code: string | null }[],
  code: string,
  fallback: string | null,
): ValidationErrorItem[] {
  if (locales.filter((l) => l.code === code).length > 1) return [codeTaken(code)];
  if (fallback === null) return [];
  if (fallback === code)
    return [{ name: 'fallbackCode', path: ['fallbackCode'], value: fallback, details: 'A locale cannot fall back to itself' }];
  const byCode = new Map(locales.map((l) => [l.code, l]));
  if (!byCode.has(fallback))
    return [{ name: 'fallbackCode', path: ['fallbackCode'], value: fallback, details: `No locale "${fallback}" to fall back to` }];
  const seen = new Set([code]);
  for (let next: string | null = fallback; next !== null; next = byCode.get(next)?.fallback_code ?? null) {
    if (seen.has(next))
      return [{ name: 'fallbackCode', path: ['fallbackCode'], value: fallback, details: 'The fallback chain would form a cycle' }];
    seen.add(next);
  }
  return [];
}
