import { LRUCache } from 'lru-cache';
import type { EnvironmentKey } from '../../db/repository.js';
import type { LocaleInfo } from '../../domain/field-types.js';
import { type Metrics, noMetrics } from '../../domain/metrics.js';
import type { ActiveContentType } from '../content-types/service.js';
import type { PublishableRow } from '../publishable/repository.js';

/** Most entries and environments kept. */
const MAX_ROWS = 5_000;
const MAX_ENVIRONMENTS = 500;

/** What a save checks an entry against, per environment: its locales and the active content types read so far. */
interface EnvironmentModel {
  locales: LocaleInfo[];
  /** By content type id; undefined: not active. */
  contentTypes: Map<string, ActiveContentType | undefined>;
}

/** An entry as this process last wrote it, with what a save checks it against. */
export interface KeptEntry {
  row: PublishableRow;
  /** Absent when the entry's content type is not active. */
  contentType?: ActiveContentType;
  locales: LocaleInfo[];
}

const keyOf = (scope: EnvironmentKey, id?: string) => `${scope.spaceId}/${scope.environmentId}${id === undefined ? '' : `/${id}`}`;

/**
 * The entries this process wrote last, as it wrote them, and the locales and content types its saves read:
 * a save sending the version this process wrote can skip reading the entry, its content type and locales,
 * and write in one statement. Nothing here decides a write: that statement only matches while the entry
 * still has that version (every change of an entry's row makes a new version), and the service does it all
 * again from a fresh read when it does not. Content types and locales are settings: any settings change
 * (this process's or, told over LISTEN/NOTIFY, another's) clears everything, and nothing is kept longer
 * than `ACCESS_CACHE_TTL_MS` (0: nothing kept).
 */
export class EntriesKeptForWrite {
  private readonly rows: LRUCache<string, PublishableRow> | undefined;
  private readonly models: LRUCache<string, EnvironmentModel> | undefined;

  constructor(
    ttlMs: number,
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.rows = ttlMs > 0 ? new LRUCache({ max: MAX_ROWS, ttl: ttlMs }) : undefined;
    this.models = ttlMs > 0 ? new LRUCache({ max: MAX_ENVIRONMENTS, ttl: ttlMs }) : undefined;
  }

  /** The entry as this process wrote it at `version`, with its content type and locales; undefined unless all are kept. */
  get(scope: EnvironmentKey, id: string, version: number): KeptEntry | undefined {
    const kept = this.find(scope, id, version);
    this.metrics.cacheLookup('entries_for_write', kept !== undefined);
    return kept;
  }

  private find(scope: EnvironmentKey, id: string, version: number): KeptEntry | undefined {
    const row = this.rows?.get(keyOf(scope, id));
    if (row?.version !== version || row.content_type_id === undefined) return undefined;
    const model = this.models?.get(keyOf(scope));
    if (!model?.contentTypes.has(row.content_type_id)) return undefined;
    return { row, contentType: model.contentTypes.get(row.content_type_id), locales: model.locales };
  }

  /** What a save of an entry of `contentTypeId` read about its environment. */
  rememberModel(scope: EnvironmentKey, contentTypeId: string, contentType: ActiveContentType | undefined, locales: LocaleInfo[]): void {
    if (!this.models) return;
    const key = keyOf(scope);
    let model = this.models.get(key);
    if (!model) {
      model = { locales, contentTypes: new Map() };
      this.models.set(key, model);
    }
    // Locales change only with a settings change, which clears everything: the latest read is as good.
    model.locales = locales;
    model.contentTypes.set(contentTypeId, contentType);
  }

  /** `row` was written (committed) by this process. */
  rememberRow(scope: EnvironmentKey, row: PublishableRow): void {
    this.rows?.set(keyOf(scope, row.id), row);
  }

  forgetRow(scope: EnvironmentKey, id: string): void {
    this.rows?.delete(keyOf(scope, id));
  }

  clear(): void {
    this.rows?.clear();
    this.models?.clear();
  }
}
