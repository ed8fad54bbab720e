import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { changedFieldPaths, TAGS_PATH, type PolicyEntity } from '../../auth/content-policy.js';
import type { PolicyAction } from '../../domain/roles.js';
import type { DB, LocalizedFields } from '../../db/schema.js';
import { recordEvent, type ContentAction, type ContentEvent } from '../../events/outbox.js';
import { collection } from '../../domain/collections.js';
import { parseSearchQuery } from '../../query/parse.js';
import { applySelect } from '../../query/select.js';
import { ApiError, badRequest, notFound } from '../../domain/errors.js';
import type { EnvironmentScope } from '../environments/scope.js';
import type { WriteNotices } from '../../cache/changes.js';
import { savedRow, stateViolation, type Transition, transitionedRow } from '../../domain/publishing.js';
import {
  assertVersion,
  PublishableRepository,
  type WriteRecords,
  type PublishableRow,
  type PublishableTable,
  type PublishableType,
} from './repository.js';
import { checkedConceptIds } from '../taxonomy/service.js';
import type { PublishableSearch } from './search.js';
import { deletionView, publishableView, publishedCopyView } from './view.js';

/** A draft as a save writes it: fields, and the tags and taxonomy concepts of `metadata`. */
export interface Draft {
  fields: LocalizedFields;
  tags: string[];
  concepts: string[];
}

/** One entity to publish with others: its id, the version it must have, and a new draft to save first. */
export interface PublishItem {
  id: string;
  version?: number;
  draft?: { fields: LocalizedFields; tags: string[] };
}

/** Entities checked for publishing together, and the write that publishes them (see `planPublish`). */
export interface PublishPlan {
  errors: Map<string, ApiError>;
  write(trx: Kysely<DB>): Promise<void>;
  /** Says the write committed (kept answers and lookups are forgotten). */
  written(): void;
}

/** What entries and assets do alike: reading, the plain state transitions, deleting, and their events. */
export abstract class PublishableService {
  protected readonly repository: PublishableRepository;

  protected constructor(
    protected readonly db: Kysely<DB>,
    protected readonly table: PublishableTable,
    protected readonly type: PublishableType,
    private readonly search: PublishableSearch,
    protected readonly notices: WriteNotices,
    repository?: PublishableRepository,
  ) {
    this.repository = repository ?? new PublishableRepository(db, table, type);
  }

  /** A collection of the management API (drafts) or of `/public/...` (published copies), searched with seed 003's grammar. */
  async list(_actor: Actor, scope: EnvironmentScope, rawQuery: Record<string, unknown>, publishedOnly = false) {
    const query = parseSearchQuery(rawQuery);
    const readable = scope.permissions.content.readFilter(this.type, 'e');
    const result = await this.search.run(scope, this.table, query, publishedOnly ? 'delivery' : 'management', { readable });
    const view = publishedOnly ? publishedCopyView : publishableView;
    const items = result.rows.map((r) => {
      const item = view(this.type, r);
      return query.select ? applySelect(item, query.select) : item;
    });
    if (result.pages) return { sys: { type: 'Array' }, limit: query.limit, items, pages: result.pages };
    return collection(items, result.total ?? items.length, query);
  }

  async get(_actor: Actor, scope: EnvironmentScope, id: string) {
    return publishableView(this.type, await this.authorized(scope, id));
  }

  async getPublished(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.authorized(scope, id);
    if (row.published_version === null) throw notFound(this.type, id);
    return publishedCopyView(this.type, row);
  }

  /** The entities of these ids that exist and that the caller may read (one statement). */
  async readableRows(scope: EnvironmentScope, ids: string[]): Promise<PublishableRow[]> {
    if (ids.length === 0) return [];
    return (await this.repository.in(scope).findMany(ids)).filter((row) => this.readable(scope, row));
  }

  /**
   * The draft a full-body update of `id` would save, checked like one (shape, tags, and the caller's right
   * to change what differs from `base`, by default the stored draft) without writing anything.
   */
  abstract checkedDraft(
    scope: EnvironmentScope,
    id: string,
    input: { fields?: Record<string, unknown>; metadata?: { tags?: { sys: { id: string } }[] } },
    base?: { fields: LocalizedFields; tags: string[] },
  ): Promise<{ current: PublishableRow; draft: Draft }>;

  /**
   * Loads an entity for the caller: one their roles don't let them read is answered as missing (404);
   * one they may read but not act on as `action` is refused (403).
   */
  async authorized(scope: EnvironmentScope, id: string, action?: PolicyAction): Promise<PublishableRow> {
    return this.authorizedRow(scope, await this.repository.in(scope).require(id), action);
  }

  /** `authorized` for a row already read. */
  protected authorizedRow(scope: EnvironmentScope, row: PublishableRow, action?: PolicyAction): PublishableRow {
    const policy = scope.permissions.content;
    const entity = this.policyEntity(row);
    if (!policy.allows('read', entity)) throw notFound(this.type, row.id);
    if (action) policy.require(action, entity);
    return row;
  }

  /** Whether the caller may read the row (for includes and references, filtered in memory). */
  protected readable(scope: EnvironmentScope, row: PublishableRow, type: PublishableType = this.type): boolean {
    return scope.permissions.content.allows('read', this.policyEntity(row, type));
  }

  protected policyEntity(
    row: Pick<PublishableRow, 'id' | 'created_by' | 'tags' | 'content_type_id'>,
    type: PublishableType = this.type,
  ): PolicyEntity {
    return { type, id: row.id, contentTypeId: row.content_type_id, createdBy: row.created_by, tags: row.tags };
  }

  /** An update must be allowed for every field value, locale and tag list it changes (seed 000, policies with `paths`). */
  protected authorizeUpdate(scope: EnvironmentScope, current: PublishableRow, draft: { fields: LocalizedFields; tags: string[] }) {
    const paths = changedFieldPaths(current.fields as never, draft.fields as never);
    const tagsChanged = current.tags.length !== draft.tags.length || current.tags.some((t, i) => t !== draft.tags[i]);
    scope.permissions.content.requireUpdate(this.policyEntity(current), [...paths, ...(tagsChanged ? [TAGS_PATH] : [])]);
  }

  abstract publish(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined): Promise<unknown>;

  /** Locale-based publishing: publishes (`add`) or takes back (`remove`) only these locales. */
  abstract publishLocales(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    expectedVersion: number | undefined,
    change: { add?: string[]; remove?: string[] },
  ): Promise<unknown>;

  /**
   * Publishing several entities as one (bulk actions): every one is checked first (it exists, the actor
   * may read and publish it, its version when given, its state, its validation) in a few statements for
   * them all; `write` then publishes them all in the caller's transaction. `errors` by id: none, or the
   * reasons nothing may be written.
   */
  async planPublish(actor: Actor, scope: EnvironmentScope, items: PublishItem[]): Promise<PublishPlan> {
    const unique = [...new Map(items.map((item) => [item.id, item])).values()];
    const rows = new Map((await this.repository.in(scope).findMany(unique.map((i) => i.id))).map((r) => [r.id, r]));
    const errors = new Map<string, ApiError>();
    const now = new Date();
    // Each entity as stored and, when a new draft comes with it (a release's version), as saved first.
    const ready: { current: PublishableRow; saved?: PublishableRow }[] = [];
    for (const item of unique) {
      try {
        const row = rows.get(item.id);
        if (!row) throw notFound(this.type, item.id);
        const current = this.authorizedRow(scope, row, 'publish');
        assertVersion(this.type, current, item.version);
        const violation = stateViolation(this.type, current, 'publish');
        if (violation) throw badRequest(violation);
        if (item.draft) this.authorizeUpdate(scope, current, item.draft);
        ready.push({ current, saved: item.draft && savedRow(current, item.draft, actor.userId, now) });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        errors.set(item.id, err);
      }
    }
    const checked = ready.map((r) => r.saved ?? r.current);
    for (const [id, problem] of await this.publishProblemsOf(scope, checked)) errors.set(id, problem);
    return {
      errors,
      write: async (trx) => {
        const rows = this.repository.in(scope, trx);
        for (const { current, saved } of ready) {
          if (saved)
            await rows.write('update', current, saved, { event: this.event(saved, 'save', publishableView(this.type, saved), actor) });
          const from = saved ?? current;
          const next = transitionedRow('publish', from, actor.userId, now);
          await rows.write('publish', from, next, this.publishRecords(scope, next, actor));
        }
      },
      written: () => this.notices.written('content'),
    };
  }

  /** Why each of these rows may not be published now (validation), by id; rows without a problem are left out. */
  protected abstract publishProblemsOf(scope: EnvironmentScope, rows: PublishableRow[]): Promise<Map<string, ApiError>>;

  /** What a publish of `next` records beside the row: its event (and, for entries, a snapshot). */
  protected abstract publishRecords(scope: EnvironmentScope, next: PublishableRow, actor: Actor): WriteRecords;

  async unpublish(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    return this.simpleTransition(actor, scope, id, 'unpublish', expectedVersion);
  }

  async archive(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    return this.simpleTransition(actor, scope, id, 'archive', expectedVersion);
  }

  async unarchive(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    return this.simpleTransition(actor, scope, id, 'unarchive', expectedVersion);
  }

  /** Deletes an entry or asset; answers the deleted row. */
  async delete(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    if (!scope.permissions.content.isUnrestricted) await this.authorized(scope, id, 'delete');
    const deleted = await this.repository.transaction(async (trx) => {
      const row = await this.repository.in(scope, trx).delete(id, expectedVersion);
      await recordEvent(trx, this.event(row, 'delete', deletionView(this.type, row), actor));
      return row;
    });
    this.notices.written('content');
    return deleted;
  }

  /** `metadata.concepts` of a body: concepts of the space's organization (a missing one is a 422). */
  protected conceptsOf(scope: EnvironmentScope, input: Parameters<typeof checkedConceptIds>[2]): Promise<string[]> {
    return checkedConceptIds(this.db, { organizationId: scope.access.space.organization_id }, input);
  }

  /** Inserts a new draft (a taken id is a 409) and records its `create` event, and what `alongside` writes in the same transaction. */
  protected async insertDraft(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    draft: Draft & { contentTypeId?: string },
    alongside?: (trx: Kysely<DB>, row: PublishableRow) => Promise<void>,
  ) {
    scope.permissions.content.require(
      'create',
      this.policyEntity({ id, created_by: actor.userId, tags: draft.tags, content_type_id: draft.contentTypeId }),
    );
    const view = await this.repository.transaction(async (trx) => {
      const row = await this.repository.in(scope, trx).insertDraft(id, draft, actor.userId);
      if (!row) throw new ApiError('VersionMismatch', `An ${this.type.toLowerCase()} with this id already exists`, { type: this.type, id });
      const view = publishableView(this.type, row);
      await recordEvent(trx, this.event(row, 'create', view, actor));
      await alongside?.(trx, row);
      return view;
    });
    this.notices.written('content');
    return view;
  }

  /** Replaces the draft's fields and metadata (version-locked, refused while archived) and records `save`. */
  protected async saveDraft(actor: Actor, scope: EnvironmentScope, current: PublishableRow, draft: Draft, expectedVersion: number) {
    assertVersion(this.type, current, expectedVersion);
    const next = savedRow(current, draft, actor.userId, new Date());
    const view = publishableView(this.type, next);
    await this.write(scope, 'update', current, next, { event: this.event(next, 'save', view, actor) });
    return view;
  }

  /** Writes a transition of `current` to `next` with its records (one version-locked statement), then says so. */
  protected async write(
    scope: EnvironmentScope,
    transition: Exclude<Transition, 'delete'>,
    current: PublishableRow,
    next: PublishableRow,
    records: WriteRecords,
  ): Promise<void> {
    await this.repository.in(scope).write(transition, current, next, records);
    this.notices.written('content');
  }

  private async simpleTransition(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    transition: 'unpublish' | 'archive' | 'unarchive',
    expectedVersion: number | undefined,
  ) {
    const current = await this.authorized(scope, id, transition);
    assertVersion(this.type, current, expectedVersion);
    const next = transitionedRow(transition, current, actor.userId, new Date());
    const view = publishableView(this.type, next);
    await this.write(scope, transition, current, next, {
      event: this.event(next, transition, transition === 'unpublish' ? deletionView(this.type, next) : view, actor),
    });
    return view;
  }

  protected event(row: PublishableRow, action: ContentAction, payload: Record<string, unknown>, actor: Actor): ContentEvent {
    return {
      spaceId: row.space_id,
      environmentId: row.environment_id,
      entityType: this.type,
      entityId: row.id,
      action,
      payload,
      userId: actor.userId,
      triggerHeaders: actor.triggerHeaders,
    };
  }
}
