import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { ContentTypeDefinitionJson, ContentTypeRow, DB } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { oneOf } from '../../db/lists.js';
import { recordEvent } from '../../events/outbox.js';
import { collection } from '../../domain/collections.js';
import { compileContentTypeQuery } from '../../query/content-types.js';
import { parseSearchQuery } from '../../query/parse.js';
import { ApiError, badRequest, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { contentTypeDefinitionErrors } from '../../validation/content-type-definition.js';
import type { FieldDefinition } from '../../domain/field-types.js';
import type { EditorInterfaceService } from '../editor-interfaces/service.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { recordPublishSnapshot } from '../snapshots/service.js';
import { extractRenames, renameFieldIds, renameFieldsInEntries } from './field-renames.js';
import { contentTypeView, normalizeField, publishedContentTypeView } from './view.js';

export interface ContentTypeInput {
  name?: unknown;
  description?: unknown;
  displayField?: unknown;
  fields?: unknown;
  /** Annotations and taxonomy validations, kept as sent. */
  metadata?: unknown;
}

/** `metadata` as stored: an object or nothing. */
function metadataColumn(input: ContentTypeInput): string | null {
  if (input.metadata === undefined || input.metadata === null) return null;
  if (typeof input.metadata !== 'object' || Array.isArray(input.metadata))
    throw validationFailed([{ name: 'type', type: 'Object', path: ['metadata'], details: 'metadata must be an object' }]);
  return JSON.stringify(input.metadata);
}

/** The activated definition of a content type: what entries are validated against and delivered by. */
export interface ActiveContentType {
  id: string;
  name: string;
  displayField: string | null;
  fields: FieldDefinition[];
}

export function activeDefinition(id: string, published: ContentTypeDefinitionJson): ActiveContentType {
  return { id, name: published.name, displayField: published.displayField, fields: published.fields };
}

export class ContentTypeService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly editorInterfaces: EditorInterfaceService,
  ) {}

  private rows(db: Kysely<DB>, scope: { spaceId: string; environmentId: string }) {
    return db.selectFrom('content_types').where('space_id', '=', scope.spaceId).where('environment_id', '=', scope.environmentId);
  }

  private async find(db: Kysely<DB>, scope: EnvironmentScope, id: string) {
    return this.rows(db, scope).selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(_actor: Actor, scope: EnvironmentScope, rawQuery: Record<string, unknown>, onlyActive = false) {
    const query = parseSearchQuery(rawQuery);
    const compiled = compileContentTypeQuery(query, onlyActive);
    let base = this.rows(this.db, scope);
    if (onlyActive) base = base.where('published', 'is not', null);
    for (const condition of compiled.where) base = base.where(condition);
    let page = base.selectAll();
    for (const key of compiled.order) page = page.orderBy(key);
    const [rows, count] = await Promise.all([
      page.offset(query.skip).limit(query.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(onlyActive ? publishedContentTypeView : contentTypeView), Number(count.total), query);
  }

  async get(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.find(this.db, scope, id);
    if (!row) throw notFound('ContentType', id);
    return contentTypeView(row);
  }

  async getPublished(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.find(this.db, scope, id);
    if (!row?.published) throw notFound('ContentType', id);
    return publishedContentTypeView(row);
  }

  /** The activated definitions by id, for validating and delivering entries; one query for all. */
  async activeDefinitions(
    db: Kysely<DB>,
    scope: { spaceId: string; environmentId: string },
    ids?: string[],
  ): Promise<Map<string, ActiveContentType>> {
    let query = this.rows(db, scope).select(['id', 'published']).where('published', 'is not', null);
    if (ids) {
      if (ids.length === 0) return new Map();
      query = query.where('id', '=', oneOf(ids));
    }
    const rows = await query.execute();
    return new Map(rows.map((r) => [r.id, activeDefinition(r.id, r.published!)]));
  }

  /** Creates with a chosen id (PUT) or a generated one (POST); a PUT on an existing id is an update. */
  async createOrUpdate(
    actor: Actor,
    scope: EnvironmentScope,
    id: string | undefined,
    input: ContentTypeInput,
    expectedVersion: number | undefined,
  ) {
    scope.permissions.require('ContentModel', 'manage');
    if (id !== undefined && (await this.find(this.db, scope, id))) return this.update(actor, scope, id, input, expectedVersion);
    const errors = contentTypeDefinitionErrors(input);
    if (errors.length) throw validationFailed(errors);
    const contentTypeId = id ?? generateId();
    const fields = ((input.fields as FieldDefinition[] | undefined) ?? []).map(normalizeField);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('content_types')
        .values({
          space_id: scope.spaceId,
          environment_id: scope.environmentId,
          id: contentTypeId,
          name: (input.name as string).trim(),
          description: (input.description as string | undefined) ?? null,
          display_field: (input.displayField as string | undefined) ?? null,
          fields: JSON.stringify(fields),
          metadata: metadataColumn(input),
          created_by: actor.userId,
          updated_by: actor.userId,
        })
        .onConflict((oc) => oc.columns(['space_id', 'environment_id', 'id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row)
        throw new ApiError('VersionMismatch', 'The content type was created concurrently', { type: 'ContentType', id: contentTypeId });
      const view = contentTypeView(row);
      await this.emit(trx, scope, row, 'create', view, actor);
      return view;
    });
  }

  async update(actor: Actor, scope: EnvironmentScope, id: string, input: ContentTypeInput, expectedVersion: number | undefined) {
    scope.permissions.require('ContentModel', 'manage');
    const current = await this.find(this.db, scope, id);
    if (!current) throw notFound('ContentType', id);
    const { renames, fields: body } = extractRenames(input.fields);
    const published = current.published && { ...current.published, fields: renameFieldIds(current.published.fields, renames) };
    const errors = contentTypeDefinitionErrors({ ...input, fields: body }, published, { fields: renameFieldIds(current.fields, renames) });
    if (errors.length) throw validationFailed(errors);
    const fields = ((body as FieldDefinition[] | undefined) ?? []).map(normalizeField);
    return this.db.transaction().execute(async (trx) => {
      if (renames.size) {
        await trx
          .updateTable('content_types')
          .set({ published: published && JSON.stringify(published) })
          .where('space_id', '=', scope.spaceId)
          .where('environment_id', '=', scope.environmentId)
          .where('id', '=', id)
          .execute();
        await renameFieldsInEntries(trx, scope, id, renames);
      }
      const row = await versionLockedUpdate({
        type: 'ContentType',
        id,
        expectedVersion,
        update: (version) =>
          trx
            .updateTable('content_types')
            .set((eb) => ({
              name: (input.name as string).trim(),
              description: (input.description as string | undefined) ?? null,
              display_field: (input.displayField as string | undefined) ?? null,
              fields: JSON.stringify(fields),
              metadata: metadataColumn(input),
              version: eb('version', '+', 1),
              updated_at: new Date(),
              updated_by: actor.userId,
            }))
            .where('space_id', '=', scope.spaceId)
            .where('environment_id', '=', scope.environmentId)
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst(),
        exists: async () => Boolean(await this.find(trx, scope, id)),
      });
      const view = contentTypeView(row);
      await this.emit(trx, scope, row, 'save', view, actor);
      return view;
    });
  }

  /**
   * Activation: the draft becomes the published definition. Fields marked `deleted` are dropped for good,
   * the editor interface is created or brought in step, and (in master) a snapshot is kept.
   */
  async publish(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    scope.permissions.require('ContentModel', 'manage');
    return this.db.transaction().execute(async (trx) => {
      const current = await this.find(trx, scope, id);
      if (!current) throw notFound('ContentType', id);
      const fields = current.fields.filter((f) => !f.deleted);
      const published = { name: current.name, description: current.description, displayField: current.display_field, fields };
      const row = await versionLockedUpdate({
        type: 'ContentType',
        id,
        expectedVersion: expectedVersion ?? current.version,
        update: (version) =>
          trx
            .updateTable('content_types')
            .set({
              fields: JSON.stringify(fields),
              published: JSON.stringify(published),
              published_version: sql`version`,
              version: sql`version + 1`,
              published_counter: sql`published_counter + 1`,
              published_at: sql`now()`,
              first_published_at: sql`coalesce(first_published_at, now())`,
              published_by: actor.userId,
              updated_at: sql`now()`,
              updated_by: actor.userId,
            })
            .where('space_id', '=', scope.spaceId)
            .where('environment_id', '=', scope.environmentId)
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst(),
        exists: async () => true,
      });
      await this.editorInterfaces.syncWithFields(trx, scope, id, fields, actor.userId);
      const view = publishedContentTypeView(row);
      await recordPublishSnapshot(trx, scope, 'ContentType', id, view, actor.userId);
      await this.emit(trx, scope, row, 'publish', view, actor);
      return contentTypeView(row);
    });
  }

  /** Deactivation is refused while entries of the content type exist. */
  async unpublish(actor: Actor, scope: EnvironmentScope, id: string) {
    scope.permissions.require('ContentModel', 'manage');
    return this.db.transaction().execute(async (trx) => {
      const current = await this.find(trx, scope, id);
      if (!current) throw notFound('ContentType', id);
      if (!current.published) throw badRequest('The content type is not active');
      const entries = await trx
        .selectFrom('entries')
        .select('id')
        .where('space_id', '=', scope.spaceId)
        .where('environment_id', '=', scope.environmentId)
        .where('content_type_id', '=', id)
        .limit(1)
        .executeTakeFirst();
      if (entries)
        throw badRequest('Cannot deactivate a content type that still has entries; delete them first', { type: 'ContentType', id });
      const row = await trx
        .updateTable('content_types')
        .set({
          published: null,
          published_version: null,
          published_at: null,
          published_by: null,
          version: sql`version + 1`,
          updated_at: sql`now()`,
          updated_by: actor.userId,
        })
        .where('space_id', '=', scope.spaceId)
        .where('environment_id', '=', scope.environmentId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const view = contentTypeView(row);
      await this.emit(trx, scope, row, 'unpublish', view, actor);
      return view;
    });
  }

  async delete(actor: Actor, scope: EnvironmentScope, id: string) {
    scope.permissions.require('ContentModel', 'manage');
    await this.db.transaction().execute(async (trx) => {
      const current = await this.find(trx, scope, id);
      if (!current) throw notFound('ContentType', id);
      if (current.published) throw badRequest('Cannot delete an active content type; deactivate it first', { type: 'ContentType', id });
      await trx
        .deleteFrom('content_types')
        .where('space_id', '=', scope.spaceId)
        .where('environment_id', '=', scope.environmentId)
        .where('id', '=', id)
        .where('published', 'is', null)
        .execute();
      await this.emit(trx, scope, current, 'delete', contentTypeView(current), actor);
    });
  }

  private emit(
    db: Kysely<DB>,
    scope: EnvironmentScope,
    row: ContentTypeRow,
    action: 'create' | 'save' | 'publish' | 'unpublish' | 'delete',
    payload: Record<string, unknown>,
    actor: Actor,
  ) {
    return recordEvent(db, {
      spaceId: scope.spaceId,
      environmentId: scope.environmentId,
      entityType: 'ContentType',
      entityId: row.id,
      action,
      payload,
      userId: actor.userId,
    });
  }
}
