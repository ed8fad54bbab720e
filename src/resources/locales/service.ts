import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB, LocaleRow } from '../../db/schema.js';
import { badRequest, notFound, validationFailed, type ValidationErrorItem } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { environmentScope, versionedSys } from '../../http/sys.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { type ResourceDeclaration, VersionedResourceReader } from '../versioned-resource.js';
import { codeTaken, LocaleRepository, localeTable } from './repository.js';

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

type LocaleView = ReturnType<typeof localeView>;

export interface LocaleInput {
  name: string;
  code: string;
  fallbackCode?: string | null;
  default?: boolean;
  contentManagementApi?: boolean;
  contentDeliveryApi?: boolean;
  optional?: boolean;
}

const localeDeclaration: ResourceDeclaration<'locales', EnvironmentScope, LocaleInput, LocaleView> = {
  ...localeTable,
  view: localeView,
  values: (input) => ({
    code: input.code,
    name: input.name,
    fallback_code: input.fallbackCode ?? null,
    content_management_api: input.contentManagementApi ?? true,
    content_delivery_api: input.contentDeliveryApi ?? true,
    optional: input.optional ?? false,
  }),
  canRead: () => undefined,
  canWrite: (_actor, scope) => scope.permissions.require('Settings', 'manage'),
  changes: 'settings',
};

/**
 * Locales of an environment (seed 000, "Locales"): codes are unique, there is exactly one default and it
 * stays so, fallbacks must exist and never form a cycle, and a locale others fall back to keeps its code
 * and cannot be deleted. Every write checks the rules against the environment's locales, locked.
 */
export class LocaleService extends VersionedResourceReader<'locales', EnvironmentScope, LocaleInput, LocaleView> {
  private readonly locales: LocaleRepository;

  constructor(db: Kysely<DB>, notices: WriteNotices) {
    const locales = new LocaleRepository(db, localeTable);
    super(db, localeDeclaration, notices, locales);
    this.locales = locales;
  }

  async create(actor: Actor, scope: EnvironmentScope, input: LocaleInput): Promise<LocaleView> {
    await this.declaration.canWrite(actor, scope);
    const row = await this.locales.transaction(async (trx) => {
      const existing = await this.locales.locked(scope, trx);
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
      return this.locales.in(scope, trx).insert({ id: generateId(), ...this.declaration.values(input) }, actor.userId);
    });
    this.written();
    return localeView(row);
  }

  /** Changes a locale (PUT never creates one); omitted flags keep their values. */
  async update(actor: Actor, scope: EnvironmentScope, id: string, input: LocaleInput, expectedVersion: number | undefined) {
    await this.declaration.canWrite(actor, scope);
    const row = await this.locales.transaction(async (trx) => {
      const existing = await this.locales.locked(scope, trx);
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
      const changes = {
        name: input.name,
        code: input.code,
        fallback_code: fallback,
        content_management_api: input.contentManagementApi ?? current.content_management_api,
        content_delivery_api: input.contentDeliveryApi ?? current.content_delivery_api,
        optional: input.optional ?? current.optional,
      };
      return this.locales.in(scope, trx).update(id, expectedVersion, changes, actor.userId);
    });
    this.written();
    return localeView(row);
  }

  /** Deleting a locale deletes its values from every entry and asset of the environment, in one transaction. */
  async delete(actor: Actor, scope: EnvironmentScope, id: string): Promise<void> {
    await this.declaration.canWrite(actor, scope);
    await this.locales.transaction(async (trx) => {
      const existing = await this.locales.locked(scope, trx);
      const current = existing.find((l) => l.id === id);
      if (!current) throw notFound('Locale', id);
      if (current.is_default) throw badRequest('The default locale cannot be deleted');
      const dependants = existing.filter((l) => l.fallback_code === current.code).map((l) => l.code);
      if (dependants.length) throw badRequest(`The locale is the fallback of ${dependants.join(', ')}; change their fallback first`);
      await this.locales.in(scope, trx).delete(id);
      await this.locales.removeValues(scope, current.code, trx);
    });
    this.written();
  }
}

/** Unique codes, an existing fallback that is not the locale itself, and no cycle through fallbacks. */
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
