import { applyPatch } from '../../domain/json-patch.js';
import { patchableDocument } from '../publishable/view.js';
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, LocalizedFields } from '../../db/schema.js';
import { ApiError, badRequest, notFound, validationFailed, type ValidationErrorItem } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link } from '../../http/sys.js';
import {
  collectLinks,
  uniqueCandidates,
  validateEntryFields,
  validateLinkedEntities,
  withoutUnlocalizedValues,
  type LinkedEntities,
  type LinkReference,
} from '../../validation/entry-fields.js';
import { activeDefinition, type ActiveContentType, type ContentTypeService } from '../content-types/service.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { environmentLocales, localeInfo } from '../locales/repository.js';
import { isPublished, localePublishedFields, localePublishedLocales, transitionedRow } from '../../domain/publishing.js';
import { assertVersion, PublishableRepository, type PublishableRow } from '../publishable/repository.js';
import { EntriesKeptForWrite, type KeptEntry } from './kept-for-write.js';
import { EntryRepository, type LinkTarget } from './repository.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { PublishableSearch } from '../publishable/search.js';
import { type PublishItem, type PublishPlan, PublishableService } from '../publishable/service.js';
import { publishableView, publishedCopyView } from '../publishable/view.js';
import { publishSnapshotRow } from '../snapshots/service.js';
import { missingTagIds } from '../tags/repository.js';
import { assertTagsExist, tagIdsOf } from '../tags/service.js';
import type { LocaleInfo } from '../../domain/field-types.js';
import { walkLinks } from '../../domain/links.js';
import { entriesWithUnresolvedTasks } from '../tasks/repository.js';
import { taxonomyErrors } from '../taxonomy/service.js';

export interface EntryInput {
  /** Checked against the content type by the validator: `{fieldId: {localeCode: value}}`. */
  fields?: Record<string, unknown>;
  metadata?: { tags?: { sys: { id: string } }[]; concepts?: { sys: { id: string } }[] };
}

/**
 * What workflows (src/resources/workflows) decide about entries: a new entry may start workflows, and the
 * current step of an active workflow may deny publishing it. Entries ask through this interface, so the
 * rules stay with the workflows.
 */
export interface EntryWorkflows {
  /** Why the actor may not publish each of these entries now, by id (entries they may publish are left out). */
  publishRefusals(actor: Actor, scope: EnvironmentScope, entryIds: string[]): Promise<Map<string, ApiError>>;
  /** Starts the workflows a new entry of its content type starts with, in the transaction that creates it. */
  startOnCreation(actor: Actor, scope: EnvironmentScope, trx: Kysely<DB>, entry: { id: string; content_type_id: string }): Promise<void>;
}

export class EntryService extends PublishableService {
  constructor(
    db: Kysely<DB>,
    private readonly contentTypes: ContentTypeService,
    search: PublishableSearch,
    notices: WriteNotices,
    private readonly workflows: EntryWorkflows,
    private readonly kept = new EntriesKeptForWrite(0),
    private readonly entries = new EntryRepository(db),
    private readonly assets = new PublishableRepository(db, 'assets', 'Asset'),
  ) {
    super(db, 'entries', 'Entry', search, notices, entries);
    // Content types and locales are settings; a locale's removal rewrites entries without a new version.
    notices.subscribe((kind) => {
      if (kind === 'settings') kept.clear();
    });
  }

  /**
   * Creates an entry of an active content type, with a chosen id (PUT) or a generated one (POST).
   * Fields left out get their content type's default values.
   */
  async create(actor: Actor, scope: EnvironmentScope, id: string | undefined, contentTypeId: string | undefined, input: EntryInput) {
    if (!contentTypeId) throw badRequest('The X-Contentful-Content-Type header is required to create an entry');
    const contentType = (await this.contentTypes.activeDefinitions(this.db, scope, [contentTypeId])).get(contentTypeId);
    if (!contentType) {
      throw new ApiError('ValidationFailed', 'The content type does not exist or is not active', {
        errors: [{ name: 'notResolvable', path: ['sys', 'contentType'], details: `No active content type "${contentTypeId}"` }],
      });
    }
    const fields = this.checkShape(
      contentType,
      await environmentLocales(this.db, scope),
      withDefaultValues(contentType, (input.fields ?? {}) as LocalizedFields),
    );
    assertTagsExist(await missingTagIds(this.db, scope, tagIdsOf(input)));
    const concepts = await this.conceptsOf(scope, input);
    return this.insertDraft(actor, scope, id ?? generateId(), { fields, tags: tagIdsOf(input), concepts, contentTypeId }, (trx, row) =>
      this.workflows.startOnCreation(actor, scope, trx, { id: row.id, content_type_id: contentTypeId }),
    );
  }

  /** `PUT .../entries/{id}`: creates the entry when the id is new, otherwise updates it. */
  async put(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    contentTypeId: string | undefined,
    input: EntryInput,
    expectedVersion: number | undefined,
  ) {
    const kept = expectedVersion === undefined ? undefined : this.kept.get(scope, id, expectedVersion);
    if (kept) {
      try {
        return { created: false, entry: await this.update(actor, scope, id, input, expectedVersion, kept) };
      } catch (err) {
        // Refused as kept (changed or deleted meanwhile, or invalid): decided again from a fresh read.
        if (!(err instanceof ApiError)) throw err;
        this.kept.forgetRow(scope, id);
      }
    }
    const existing = await this.findForWrite(scope, id);
    if (existing) return { created: false, entry: await this.update(actor, scope, id, input, expectedVersion, existing) };
    return { created: true, entry: await this.create(actor, scope, id, contentTypeId, input) };
  }

  /** Every write of an entry goes through here: the row as written is kept for the next save (`EntriesKeptForWrite`). */
  protected override async write(...args: Parameters<PublishableService['write']>): Promise<void> {
    const [scope, , , next] = args;
    try {
      await super.write(...args);
    } catch (err) {
      this.kept.forgetRow(scope, next.id);
      throw err;
    }
    this.kept.rememberRow(scope, next);
  }

  override async delete(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    this.kept.forgetRow(scope, id);
    return super.delete(actor, scope, id, expectedVersion);
  }

  /** A full-body update: the fields and tags sent replace the stored ones. */
  async update(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    input: EntryInput,
    expectedVersion: number | undefined,
    existing?: EntryForWrite,
  ) {
    const found = existing ?? (await this.requireForWrite(scope, id));
    this.authorizedRow(scope, found.row);
    if (expectedVersion === undefined)
      throw new ApiError('VersionMismatch', 'The X-Contentful-Version header is required to update an entry', { type: 'Entry', id });
    const { current, draft } = await this.checkedDraft(scope, id, input, undefined, found);
    return this.saveDraft(actor, scope, current, draft, expectedVersion);
  }

  async checkedDraft(
    scope: EnvironmentScope,
    id: string,
    input: EntryInput,
    base?: { fields: LocalizedFields; tags: string[] },
    existing?: EntryForWrite,
  ) {
    const { row, contentType, locales } = existing ?? (await this.requireForWrite(scope, id));
    const current = this.authorizedRow(scope, row);
    const fields = this.checkShape(requireActive(current, contentType), locales, (input.fields ?? {}) as LocalizedFields);
    assertTagsExist(await missingTagIds(this.db, scope, tagIdsOf(input)));
    const draft = { fields, tags: tagIdsOf(input), concepts: await this.conceptsOf(scope, input) };
    this.authorizeUpdate(scope, base ? { ...current, ...base } : current, draft);
    return { current, draft };
  }

  /**
   * `PATCH .../entries/{id}` (JSON Patch on `/fields` and `/metadata`): the patched entry is saved like a
   * full update, validated and version-locked the same way; nothing is written when any operation fails.
   */
  async patch(actor: Actor, scope: EnvironmentScope, id: string, operations: unknown, expectedVersion: number | undefined) {
    const existing = await this.requireForWrite(scope, id);
    const current = this.authorizedRow(scope, existing.row);
    const patched = applyPatch(patchableDocument(current), operations);
    return this.update(actor, scope, id, patched as EntryInput, expectedVersion, existing);
  }

  protected async publishProblemsOf(scope: EnvironmentScope, rows: PublishableRow[]): Promise<Map<string, ApiError>> {
    const problems = new Map<string, ApiError>();
    if (rows.length === 0) return problems;
    const contentTypeIds = [...new Set(rows.map((r) => r.content_type_id!))];
    const [definitions, locales, unresolved] = await Promise.all([
      this.contentTypes.activeDefinitions(this.db, scope, contentTypeIds),
      environmentLocales(this.db, scope),
      entriesWithUnresolvedTasks(
        this.db,
        scope,
        rows.map((r) => r.id),
      ),
    ]);
    const checked: { row: PublishableRow; contentType: ActiveContentType; links: LinkReference[] }[] = [];
    for (const row of rows) {
      try {
        const contentType = requireActive(row, definitions.get(row.content_type_id!));
        checked.push({ row, contentType, links: collectLinks(contentType.fields, row.fields) });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        problems.set(row.id, err);
      }
    }
    // Every link of every entry looked up at once: two statements for the whole batch.
    const linked = await this.loadLinked(
      scope,
      checked.flatMap((c) => c.links),
    );
    for (const { row, contentType, links } of checked) {
      const errors = [
        ...validateEntryFields(contentType.fields, row.fields, locales, { mode: 'publish' }),
        ...validateLinkedEntities(links, linked),
        ...(await this.uniqueErrors(scope, contentType, row)),
        ...(await this.taxonomyErrors(scope, contentType, row)),
        ...(unresolved.has(row.id) ? [UNRESOLVED_TASKS] : []),
      ];
      if (errors.length) problems.set(row.id, publishRefusal(errors));
    }
    return problems;
  }

  protected publishRecords(scope: EnvironmentScope, next: PublishableRow, actor: Actor) {
    const published = publishedCopyView('Entry', next);
    return {
      event: this.event(next, 'publish', published, actor),
      snapshot: publishSnapshotRow(scope, 'Entry', next.id, published, actor.userId),
    };
  }

  /** Publishing validates the draft completely (values, required, links, uniqueness) first. */
  async publish(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    const kept = expectedVersion === undefined ? undefined : this.kept.get(scope, id, expectedVersion);
    const published = kept && (await this.publishKept(actor, scope, kept));
    if (published) return published;
    const { row, contentType, locales, publishing } = await this.requireForWrite(scope, id, 'publish');
    const current = this.authorizedRow(scope, row, 'publish');
    assertVersion('Entry', current, expectedVersion);
    await this.assertWorkflowAllowsPublishing(actor, scope, id);
    const errors = await this.publishErrors(scope, requireActive(current, contentType), locales, current, publishing!);
    if (errors.length) throw publishRefusal(errors);
    const next = transitionedRow('publish', current, actor.userId, new Date());
    await this.write(scope, 'publish', current, next, this.publishRecords(scope, next, actor));
    return publishableView('Entry', next);
  }

  /**
   * A publish of the version this process wrote, in one statement, when nothing but the database's tasks and
   * the existence of the link targets can refuse it: the draft is valid for publishing, its links carry no
   * validations (which would look at the targets), and no field is unique and no taxonomy validation applies
   * (both read other rows). The write itself holds the rest (`PublishGuard`). Undefined, with nothing
   * written, when any of that does not hold: the publish is then decided from a read, which says why.
   */
  private async publishKept(actor: Actor, scope: EnvironmentScope, { row, contentType, locales }: KeptEntry) {
    if (!contentType || contentType.taxonomy.length || uniqueCandidates(contentType.fields, row.fields).length) return undefined;
    const links = collectLinks(contentType.fields, row.fields);
    if (links.some((l) => l.validations.length)) return undefined;
    if (validateEntryFields(contentType.fields, row.fields, locales, { mode: 'publish' }).length) return undefined;
    const current = this.authorizedRow(scope, row, 'publish');
    await this.assertWorkflowAllowsPublishing(actor, scope, row.id);
    const next = transitionedRow('publish', current, actor.userId, new Date());
    const guard = { entryIds: linkedIds(links, 'Entry'), assetIds: linkedIds(links, 'Asset') };
    if (!(await this.entries.in(scope).publishGuarded(current, next, this.publishRecords(scope, next, actor), guard))) {
      this.kept.forgetRow(scope, row.id);
      return undefined;
    }
    this.kept.rememberRow(scope, next);
    this.notices.written('content');
    return publishableView('Entry', next);
  }

  /**
   * Locale-based publishing (`PUT .../published` with `{ add | remove: { fields: { '*': [locales] } } }`):
   * only those locales are published or taken back, validated as they will be published; the published
   * locales are recorded (`published_locales`). Taking back the last published locale unpublishes the entry.
   */
  async publishLocales(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    expectedVersion: number | undefined,
    change: { add?: string[]; remove?: string[] },
  ) {
    const { row, contentType, locales, publishing } = await this.requireForWrite(scope, id, 'publish');
    const current = this.authorizedRow(scope, row, change.add ? 'publish' : 'unpublish');
    assertVersion('Entry', current, expectedVersion);
    if (change.add) await this.assertWorkflowAllowsPublishing(actor, scope, id);
    const known = new Set(locales.map((l) => l.code));
    const unknown = [...(change.add ?? []), ...(change.remove ?? [])].filter((code) => !known.has(code));
    if (unknown.length) throw badRequest(`Unknown locale: ${unknown.join(', ')}`, { locales: unknown });
    const active = requireActive(current, contentType);
    const localized = new Set(active.fields.filter((f) => f.localized).map((f) => f.id));
    const fields = localePublishedFields(current.fields, current.published_fields, change, (fieldId) => localized.has(fieldId));
    const publishedLocales = localePublishedLocales(current, change, [...known]);
    if (change.remove && publishedLocales.length === 0) return this.unpublish(actor, scope, id, expectedVersion);
    if (change.remove && !isPublished(current)) throw badRequest('Cannot unpublish locales of an entry that is not published');
    // Checked as it will be published: in the locales published after the change (and the default locale).
    const checkedLocales = locales.filter((l) => l.default || publishedLocales.includes(l.code));
    const errors = await this.publishErrors(scope, active, checkedLocales, { ...current, fields }, publishing!);
    if (errors.length) throw publishRefusal(errors);
    const next = {
      ...transitionedRow('publish', current, actor.userId, new Date()),
      published_fields: fields,
      published_locales: publishedLocales,
    };
    await this.write(scope, 'publish', current, next, this.publishRecords(scope, next, actor));
    return publishableView('Entry', next);
  }

  /** Bulk and release publishing: an entry a workflow step keeps the actor from publishing is refused too. */
  override async planPublish(actor: Actor, scope: EnvironmentScope, items: PublishItem[]): Promise<PublishPlan> {
    const plan = await super.planPublish(actor, scope, items);
    const refusals = await this.workflows.publishRefusals(
      actor,
      scope,
      items.map((i) => i.id),
    );
    for (const [id, refusal] of refusals) if (!plan.errors.has(id)) plan.errors.set(id, refusal);
    return plan;
  }

  private async assertWorkflowAllowsPublishing(actor: Actor, scope: EnvironmentScope, id: string) {
    const refusal = (await this.workflows.publishRefusals(actor, scope, [id])).get(id);
    if (refusal) throw refusal;
  }

  /**
   * The entry and everything it links to, `include` levels deep (at most 10), drafts included. An entry
   * that is missing (or that the caller may not read) has no references: Contentful answers 200 with no items.
   */
  async references(_actor: Actor, scope: EnvironmentScope, id: string, include: number) {
    const root = await this.entries.in(scope).find(id);
    if (!root || !this.readable(scope, root)) return { sys: { type: 'Array' }, items: [], includes: { Entry: [], Asset: [] } };
    const linked = await walkLinks({
      roots: [root],
      depth: include,
      linksOf: (entry) => entry.fields,
      load: (entryIds, assetIds) => Promise.all([this.entries.in(scope).findMany(entryIds), this.assets.in(scope).findMany(assetIds)]),
      follow: (entry) => this.readable(scope, entry),
    });
    return {
      sys: { type: 'Array' },
      items: [publishableView('Entry', root)],
      includes: {
        Entry: linked.entries.filter((e) => this.readable(scope, e)).map((e) => publishableView('Entry', e)),
        Asset: linked.assets.filter((a) => this.readable(scope, a, 'Asset')).map((a) => publishableView('Asset', a)),
      },
    };
  }

  /** The entry with what a write checks it against, in one query: its active content type and the environment's locales. */
  private async findForWrite(
    scope: EnvironmentScope,
    id: string,
    purpose: 'save' | 'publish' = 'save',
  ): Promise<EntryForWrite | undefined> {
    const found = await this.entries.forWrite(scope, id, purpose);
    if (!found) {
      this.kept.forgetRow(scope, id);
      return undefined;
    }
    const {
      active_content_type: published,
      taxonomy_validations: taxonomy,
      environment_locales: locales,
      unresolved_tasks: unresolvedTasks,
      draft_links: draftLinks,
      link_targets: linkTargets,
      ...row
    } = found;
    const contentType = published ? activeDefinition(row.content_type_id!, published, taxonomy) : undefined;
    const localeInfos = locales.map(localeInfo);
    this.kept.rememberModel(scope, row.content_type_id!, contentType, localeInfos);
    return {
      row,
      contentType,
      locales: localeInfos,
      publishing:
        purpose === 'publish'
          ? { unresolvedTasks: unresolvedTasks!, draftLinks: { looked: new Set(draftLinks), found: linkTargets ?? [] } }
          : undefined,
    };
  }

  private async requireForWrite(scope: EnvironmentScope, id: string, purpose: 'save' | 'publish' = 'save'): Promise<EntryForWrite> {
    const found = await this.findForWrite(scope, id, purpose);
    if (!found) throw notFound('Entry', id);
    return found;
  }

  /** What Contentful checks on every save: known fields and locales, and value types. Returns the fields to store. */
  private checkShape(contentType: ActiveContentType, locales: LocaleInfo[], fields: LocalizedFields): LocalizedFields {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      throw validationFailed([{ name: 'type', type: 'Object', path: ['fields'], details: 'fields must be an object' }]);
    }
    const stored = withoutUnlocalizedValues(contentType.fields, fields, locales);
    const errors = validateEntryFields(contentType.fields, stored, locales, { mode: 'save' });
    const unknownFields = errors.filter((e) => e.name === 'unknown' && e.path.length === 2);
    if (unknownFields.length)
      throw new ApiError('UnknownField', `Unknown field "${unknownFields[0].path[1]}" for content type "${contentType.id}"`, {
        errors: unknownFields,
      });
    if (errors.length) throw validationFailed(errors);
    return stored;
  }

  private async publishErrors(
    scope: EnvironmentScope,
    contentType: ActiveContentType,
    locales: LocaleInfo[],
    row: PublishableRow,
    { unresolvedTasks, draftLinks: known }: NonNullable<EntryForWrite['publishing']>,
  ): Promise<ValidationErrorItem[]> {
    const errors = validateEntryFields(contentType.fields, row.fields, locales, { mode: 'publish' });
    const links = collectLinks(contentType.fields, row.fields);
    const [linked, uniqueErrors, taxonomyProblems] = await Promise.all([
      this.loadLinked(scope, links, known),
      this.uniqueErrors(scope, contentType, row),
      this.taxonomyErrors(scope, contentType, row),
    ]);
    return [
      ...errors,
      ...validateLinkedEntities(links, linked),
      ...uniqueErrors,
      ...taxonomyProblems,
      ...(unresolvedTasks ? [UNRESOLVED_TASKS] : []),
    ];
  }

  /** The content type's taxonomy validations on the entry's concepts (no query when it has none). */
  private taxonomyErrors(scope: EnvironmentScope, contentType: ActiveContentType, row: PublishableRow): Promise<ValidationErrorItem[]> {
    return taxonomyErrors(this.db, { organizationId: scope.access.space.organization_id }, contentType.taxonomy, row.concepts);
  }

  /**
   * The entries and assets the links point to, whatever their state, in two queries. An asset's link
   * validations look at its published file, or at its draft's while it has never been published.
   */
  private async loadLinked(scope: EnvironmentScope, links: LinkReference[], known?: KnownLinkTargets): Promise<LinkedEntities> {
    // Only what the entry's read did not look up already (a publish of locales may check published values).
    const unknown = links.filter((l) => !known?.looked.has(`${l.linkType}:${l.id}`));
    const targets = [
      ...(known?.found ?? []),
      ...(await this.entries.linkTargets(scope, linkedIds(unknown, 'Entry'), linkedIds(unknown, 'Asset'))),
    ];
    return {
      entries: new Map(targets.filter((t) => t.kind === 'Entry').map((e) => [e.id, { contentTypeId: e.content_type_id! }])),
      assets: new Map(targets.filter((t) => t.kind === 'Asset').map((a) => [a.id, { files: (a.file ?? {}) as never }])),
    };
  }

  /** `unique`: no other published entry of the content type holds the same value in the same locale. */
  private async uniqueErrors(scope: EnvironmentScope, contentType: ActiveContentType, row: PublishableRow): Promise<ValidationErrorItem[]> {
    const candidates = uniqueCandidates(contentType.fields, row.fields);
    const conflicts = await Promise.all(
      candidates.map((c) => this.entries.publishedWithValue(scope, contentType.id, row.id, c.fieldId, c.locale, c.value)),
    );
    return candidates.flatMap((c, i) =>
      conflicts[i].length
        ? [
            {
              name: 'unique',
              path: c.path,
              value: c.value,
              conflicting: conflicts[i].map((e) => link('Entry', e.id)),
              details: 'Same field value present in other entry',
            },
          ]
        : [],
    );
  }
}

/** The distinct ids the links of `linkType` name. */
function linkedIds(links: LinkReference[], linkType: LinkReference['linkType']): string[] {
  return [...new Set(links.filter((l) => l.linkType === linkType).map((l) => l.id))];
}

/**
 * "The entry publishing method will return an error if an attempt is made to publish an entry which has
 * unresolved tasks" (Contentful's "Entry tasks"), space admins included: they resolve or delete the tasks first.
 */
const UNRESOLVED_TASKS: ValidationErrorItem = {
  name: 'unresolvedTasks',
  path: ['sys'],
  details: 'The entry has unresolved tasks: resolve or delete them before publishing',
};

/** An entry with what a write checks it against (its content type is absent when not active). */
interface EntryForWrite extends KeptEntry {
  /** Read for a publish, with the entry: no query of their own. */
  publishing?: {
    /** Whether the entry has an unresolved task. */
    unresolvedTasks: boolean;
    /** What the draft's links name: `looked` the targets (`Entry:<id>`), `found` those that exist. */
    draftLinks: KnownLinkTargets;
  };
}

interface KnownLinkTargets {
  looked: Set<string>;
  found: LinkTarget[];
}

function requireActive(row: PublishableRow, contentType: ActiveContentType | undefined): ActiveContentType {
  if (!contentType) throw badRequest(`The content type "${row.content_type_id}" of this entry is not active`);
  return contentType;
}

function withDefaultValues(contentType: ActiveContentType, fields: LocalizedFields): LocalizedFields {
  const out = { ...fields };
  for (const field of contentType.fields) {
    if (field.defaultValue && out[field.id] === undefined) out[field.id] = { ...field.defaultValue };
  }
  return out;
}

/** Links to nothing alone are Contentful's `UnresolvedLinks`; with any other problem, all are listed as a validation failure. */
function publishRefusal(errors: ValidationErrorItem[]): ApiError {
  return errors.every((e) => e.name === 'notResolvable')
    ? new ApiError('UnresolvedLinks', 'Validation error', { errors })
    : validationFailed(errors);
}
