import type { Actor } from '../../auth/actor.js';
import type { Kysely } from 'kysely';
import type { DB, ReleaseRow, ReleaseVersionRow } from '../../db/schema.js';
import { collection, DEFAULT_LIMIT, MAX_LIMIT } from '../../domain/collections.js';
import type { Clock } from '../../domain/clock.js';
import { badRequest, invalidQuery, notFound, versionMismatch } from '../../domain/errors.js';
import { applyPatch } from '../../domain/json-patch.js';
import { link } from '../../http/sys.js';
import type { AssetService } from '../assets/service.js';
import type { EntryInput, EntryService } from '../entries/service.js';
import type { EnvironmentScope } from '../environments/scope.js';
import type { PublishableRow } from '../publishable/repository.js';
import type { PublishableService } from '../publishable/service.js';
import { patchableDocument, publishableView } from '../publishable/view.js';
import { releaseItems, type ReleaseService } from './service.js';
import { type ReleaseEntityType, ReleaseVersionRepository } from './versions-repository.js';

/** The entity with a release's version of its content laid over it (its draft where the release has none). */
export function withReleaseContent(row: PublishableRow, version: ReleaseVersionRow | undefined): PublishableRow {
  if (!version) return row;
  return {
    ...row,
    fields: version.fields,
    tags: version.tags,
    version: version.version,
    updated_at: version.updated_at,
    updated_by: version.updated_by,
  };
}

/** An entry or asset as a release holds it: the CMA's shape, its release's content, and `sys.release`. */
function releaseEntityView(type: ReleaseEntityType, releaseId: string, row: PublishableRow, version: ReleaseVersionRow | undefined) {
  const view = publishableView(type, withReleaseContent(row, version));
  return { ...view, sys: { ...view.sys, release: link('Release', releaseId) } };
}

/**
 * Timeline's release entries and assets (`/releases/{id}/entries|assets`): a release keeps its own version
 * of each entity, edited (version-locked, validated like a draft) without touching the entity's draft, and
 * written to the entity when the release is published. Until a release version is saved the entity's draft
 * stands for it. An entity created in a release is created as a draft and added to the release.
 */
export class ReleaseVersionService {
  private readonly versions: ReleaseVersionRepository;

  constructor(
    private readonly releases: ReleaseService,
    private readonly entries: EntryService,
    private readonly assets: AssetService,
    private readonly clock: Clock,
    db: Kysely<DB>,
  ) {
    this.versions = new ReleaseVersionRepository(db);
  }

  private service(type: ReleaseEntityType): PublishableService {
    return type === 'Entry' ? this.entries : this.assets;
  }

  private static holds(release: ReleaseRow, type: ReleaseEntityType, id: string) {
    return releaseItems(release.entities).some((item) => item.linkType === type && item.id === id);
  }

  /** The release, its entity (readable by the caller, and in the release) and the release's version of it. */
  private async load(scope: EnvironmentScope, releaseId: string, type: ReleaseEntityType, id: string) {
    const release = await this.releases.release(scope, releaseId);
    if (!ReleaseVersionService.holds(release, type, id)) throw notFound(type, id);
    const row = await this.service(type).authorized(scope, id);
    const [version] = await this.versions.ofRelease(scope, releaseId, type, [id]);
    return { release, row, version };
  }

  async get(scope: EnvironmentScope, releaseId: string, type: ReleaseEntityType, id: string) {
    const { row, version } = await this.load(scope, releaseId, type, id);
    return releaseEntityView(type, releaseId, row, version);
  }

  /** The release's entities of one type, in the release's order; `sys.id[in]` and `content_type` narrow them. */
  async list(scope: EnvironmentScope, releaseId: string, type: ReleaseEntityType, query: Record<string, unknown>) {
    const { skip, limit, ids, contentType } = parseListQuery(query, type);
    const release = await this.releases.release(scope, releaseId);
    let wanted = [
      ...new Set(
        releaseItems(release.entities)
          .filter((i) => i.linkType === type)
          .map((i) => i.id),
      ),
    ];
    if (ids) wanted = wanted.filter((id) => ids.has(id));
    const [rows, versions] = await Promise.all([
      this.service(type).readableRows(scope, wanted),
      this.versions.ofRelease(scope, releaseId, type, wanted),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const versionOf = new Map(versions.map((v) => [v.entity_id, v]));
    const items = wanted
      .map((id) => byId.get(id))
      .filter((row): row is PublishableRow => row !== undefined && (contentType === undefined || row.content_type_id === contentType))
      .map((row) => releaseEntityView(type, releaseId, row, versionOf.get(row.id)));
    return collection(items.slice(skip, skip + limit), items.length, { skip, limit });
  }

  /** A full-body update of the release's version, locked on the version the release shows. */
  async update(
    actor: Actor,
    scope: EnvironmentScope,
    releaseId: string,
    type: ReleaseEntityType,
    id: string,
    input: EntryInput,
    expectedVersion: number | undefined,
  ) {
    const { release, row, version } = await this.load(scope, releaseId, type, id);
    if (release.status === 'archived') throw badRequest('An archived release cannot be changed; unarchive it first');
    const shown = withReleaseContent(row, version);
    if (expectedVersion === undefined || expectedVersion !== shown.version) throw versionMismatch(type, id);
    const { draft } = await this.service(type).checkedDraft(scope, id, input, { fields: shown.fields, tags: shown.tags });
    const saved = version
      ? await this.versions.update(scope, version, expectedVersion, draft, actor.userId, new Date(this.clock.now()))
      : await this.versions.insert(scope, {
          release_id: releaseId,
          entity_type: type,
          entity_id: id,
          // A release's version holds fields and tags; concepts stay the entity's own.
          fields: draft.fields,
          tags: draft.tags,
          version: expectedVersion + 1,
          created_by: actor.userId,
        });
    if (!saved) throw versionMismatch(type, id);
    return releaseEntityView(type, releaseId, row, saved);
  }

  /** JSON Patch of the release's version, saved like a full update. */
  async patch(
    actor: Actor,
    scope: EnvironmentScope,
    releaseId: string,
    type: ReleaseEntityType,
    id: string,
    operations: unknown,
    expectedVersion: number | undefined,
  ) {
    const { row, version } = await this.load(scope, releaseId, type, id);
    const patched = applyPatch(patchableDocument(withReleaseContent(row, version)), operations);
    return this.update(actor, scope, releaseId, type, id, patched as EntryInput, expectedVersion);
  }

  /**
   * Creates an entity in a release (`POST`, or `PUT` of a new id): a new draft, added to the release, whose
   * content is also the release's first version of it.
   */
  async create(
    actor: Actor,
    scope: EnvironmentScope,
    releaseId: string,
    type: ReleaseEntityType,
    id: string | undefined,
    contentTypeId: string | undefined,
    input: EntryInput,
  ) {
    const release = await this.releases.release(scope, releaseId);
    if (release.status === 'archived') throw badRequest('An archived release cannot be changed; unarchive it first');
    const created =
      type === 'Entry'
        ? await this.entries.create(actor, scope, id, contentTypeId, input)
        : await this.assets.create(actor, scope, id, input as never);
    const entityId = created.sys.id;
    await this.releases.addEntity(actor, scope, release, { linkType: type, id: entityId });
    const row = await this.service(type).authorized(scope, entityId);
    const version = await this.versions.insert(scope, {
      release_id: releaseId,
      entity_type: type,
      entity_id: entityId,
      fields: row.fields,
      tags: row.tags,
      version: row.version,
      created_by: actor.userId,
    });
    return releaseEntityView(type, releaseId, row, version);
  }

  /** `PUT .../releases/{r}/entries|assets/{id}`: an update of an entity the release holds, else a creation. */
  async put(
    actor: Actor,
    scope: EnvironmentScope,
    releaseId: string,
    type: ReleaseEntityType,
    id: string,
    contentTypeId: string | undefined,
    input: EntryInput,
    expectedVersion: number | undefined,
  ) {
    const existing = await this.service(type).readableRows(scope, [id]);
    if (existing.length) return { created: false, entity: await this.update(actor, scope, releaseId, type, id, input, expectedVersion) };
    return { created: true, entity: await this.create(actor, scope, releaseId, type, id, contentTypeId, input) };
  }
}

function parseListQuery(query: Record<string, unknown>, type: ReleaseEntityType) {
  let skip = 0;
  let limit = DEFAULT_LIMIT;
  let ids: Set<string> | undefined;
  let contentType: string | undefined;
  for (const [param, raw] of Object.entries(query)) {
    if (typeof raw !== 'string') throw invalidQuery(`The query parameter "${param}" must be given once`, { param });
    const count = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (param === 'skip' && Number.isInteger(count)) skip = count;
    else if (param === 'limit' && count >= 1 && count <= MAX_LIMIT) limit = count;
    else if (param === 'sys.id[in]' || param === 'sys.id') ids = new Set(raw.split(',').map((v) => v.trim()));
    else if (param === 'content_type' && type === 'Entry') contentType = raw;
    else throw invalidQuery(`The query parameter "${param}" is not supported on a release's ${type.toLowerCase()}s`, { param });
  }
  return { skip, limit, ids, contentType };
}
