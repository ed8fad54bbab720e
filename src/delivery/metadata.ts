import type { Kysely } from 'kysely';
import { TtlCache } from '../cache/ttl-cache.js';
import { countedLookups, type Metrics, noMetrics } from '../domain/metrics.js';
import { hashToken } from '../auth/token-secrets.js';
import type { DB, TagRow } from '../db/schema.js';
import type { DeliveryRepository } from './repository.js';
import type { ApiKeyService, DeliveryPrincipal } from '../resources/api-keys/service.js';
import type { ActiveContentType, ContentTypeService } from '../resources/content-types/service.js';
import { resolveEnvironmentId } from '../resources/environments/repository.js';
import { environmentLocales } from '../resources/locales/repository.js';
import type { LocaleInfo } from '../domain/field-types.js';

type Scope = { spaceId: string; environmentId: string };

/**
 * What every delivery request looks up before its content: the key, the environment, the locales, the
 * public tags and the active content types. Kept for `DELIVERY_CACHE_TTL_MS` (0: not at all), and
 * cleared at once when any of them changes through the management API of this process or, on PostgreSQL,
 * of another one (src/cache/pg-notifier.ts).
 */
export class DeliveryMetadata {
  private readonly principals: TtlCache<DeliveryPrincipal | undefined>;
  private readonly environments: TtlCache<Awaited<ReturnType<typeof resolveEnvironmentId>>>;
  private readonly localeLists: TtlCache<LocaleInfo[]>;
  private readonly tagLists: TtlCache<TagRow[]>;
  private readonly definitionMaps: TtlCache<Map<string, ActiveContentType>>;
  private readonly contentModels: TtlCache<Map<string, ActiveContentType>>;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly rows: DeliveryRepository,
    private readonly apiKeys: ApiKeyService,
    private readonly contentTypes: ContentTypeService,
    ttlMs: number,
    metrics: Metrics = noMetrics,
  ) {
    this.principals = new TtlCache(ttlMs, { onLookup: countedLookups(metrics, 'delivery_api_keys') });
    this.environments = new TtlCache(ttlMs, { onLookup: countedLookups(metrics, 'delivery_environments') });
    this.localeLists = new TtlCache(ttlMs, { onLookup: countedLookups(metrics, 'delivery_locales') });
    this.tagLists = new TtlCache(ttlMs, { onLookup: countedLookups(metrics, 'delivery_public_tags') });
    this.definitionMaps = new TtlCache(ttlMs, { onLookup: countedLookups(metrics, 'delivery_content_types') });
    this.contentModels = new TtlCache(ttlMs, { onLookup: countedLookups(metrics, 'delivery_content_models') });
  }

  principal(token: string) {
    return this.principals.get(hashToken(token), () => this.apiKeys.principal(token));
  }

  environment(spaceId: string, requested: string) {
    return this.environments.get(`${spaceId}/${requested}`, () => resolveEnvironmentId(this.db, spaceId, requested));
  }

  locales(scope: Scope) {
    return this.localeLists.get(`${scope.spaceId}/${scope.environmentId}`, () => environmentLocales(this.db, scope));
  }

  publicTags(scope: Scope) {
    return this.tagLists.get(`${scope.spaceId}/${scope.environmentId}`, () => this.rows.publicTags(scope));
  }

  definitions(scope: Scope, ids: string[]) {
    const key = `${scope.spaceId}/${scope.environmentId}/${[...ids].sort().join(',')}`;
    return this.definitionMaps.get(key, () => this.contentTypes.activeDefinitions(this.db, scope, ids));
  }

  /** Every active content type of the environment (GraphQL's schema is generated from them). */
  activeContentTypes(scope: Scope) {
    return this.contentModels.get(`${scope.spaceId}/${scope.environmentId}`, () => this.contentTypes.activeDefinitions(this.db, scope));
  }

  clear(): void {
    for (const cache of [this.principals, this.environments, this.localeLists, this.tagLists, this.definitionMaps, this.contentModels])
      cache.clear();
  }
}
