import type { Kysely } from 'kysely';
import type { WriteNotices } from '../../cache/changes.js';
import type { Actor } from '../../auth/actor.js';
import type { ContentTypeDefinitionJson, ContentTypeRow, DB } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
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
import { type TaxonomyValidation, taxonomyValidationsOf } from '../taxonomy/schema.js';
import { recordPublishSnapshot } from '../snapshots/service.js';
import { extractRenames, renameFieldIds } from './field-renames.js';
import { type ContentTypeColumns, ContentTypeRepository } from './repository.js';
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
  /** `metadata.taxonomy`: the concepts and schemes entries may carry, checked on publish. */
  taxonomy: TaxonomyValidation[];
}

/** The activated definition, with the taxonomy validations of the content type's `metadata` (kept as sent, unversioned). */
export function activeDefinition(id: string, published: ContentTypeDefinitionJson, taxonomy: unknown): ActiveContentType {
  return {
    id,
    name: published.name,
    displayField: published.displayField,
    fields: published.fields,
    taxonomy: taxonomyValidationsOf(taxonomy),
  };
}

export interface ContentTypeWrite {
  created: boolean;
  item: ReturnType<typeof contentTypeView>;
}

/**
 * The name and description as sent (a trailing space, a null description); a description left out is "",
 * as it has always been shown.
 */
function columnsOf(input: ContentTypeInput, fields: FieldDefinition[]): ContentTypeColumns {
  return {
    name: input.name as string,
    description: input.description === undefined ? '' : (input.description as string | null),
    display_field: (input.displayField as string | undefined) ?? null,
    fields: JSON.stringify(fields),
    metadata: metadataColumn(input),
  };
}

/**
 * The draft's fields once a body passed validation. A field marked `deleted` leaves the draft at once, as on
 * Contentful (the SDK's omitAndDeleteField expects it gone from the answer); the published definition keeps
 * it, omitted, until the next activation.
 */
function storedFields(fields: unknown): FieldDefinition[] {
  return ((fields as FieldDefinition[] | undefined) ?? []).filter((f) => !f.deleted).map(normalizeField);
}

export class ContentTypeService {
  private readonly contentTypes: ContentTypeRepository;

  constructor(
    db: Kysely<DB>,
    private readonly editorInterfaces: EditorInterfaceService,
    private readonly notices: WriteNotices,
  ) {
    this.contentTypes = new ContentTypeRepository(db);
  }

  async list(_actor: Actor, scope: EnvironmentScope, rawQuery: Record<string, unknown>, onlyActive = false) {
    const query = parseSearchQuery(rawQuery);
    const { rows, total, pages } = await this.contentTypes.search(scope, query, compileContentTypeQuery(query, onlyActive), onlyActive);
    const items = rows.map(onlyActive ? publishedContentTypeView : contentTypeView);
    if (pages) return { sys: { type: 'Array' }, limit: query.limit, items, pages };
    return collection(items, total ?? items.length, query);
  }

  async get(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.contentTypes.in(scope).find(id);
    if (!row) throw notFound('ContentType', id);
    return contentTypeView(row);
  }

  async getPublished(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.contentTypes.in(scope).find(id);
    if (!row?.published) throw notFound('ContentType', id);
    return publishedContentTypeView(row);
  }

  /** The activated definitions by id, for validating and delivering entries; one query for all. */
  async activeDefinitions(
    db: Kysely<DB>,
    scope: { spaceId: string; environmentId: string },
    ids?: string[],
  ): Promise<Map<string, ActiveContentType>> {
    if (ids?.length === 0) return new Map();
    const rows = await this.contentTypes.activeDefinitions(scope, ids, db);
    return new Map(rows.map((r) => [r.id, activeDefinition(r.id, r.published, r.taxonomy)]));
  }

  /** Creates with a chosen id (PUT) or a generated one (POST); a PUT on an existing id is an update. */
  async createOrUpdate(
    actor: Actor,
    scope: EnvironmentScope,
    id: string | undefined,
    input: ContentTypeInput,
    expectedVersion: number | undefined,
  ): Promise<ContentTypeWrite> {
    scope.permissions.require('ContentModel', 'manage');
    if (id !== undefined && (await this.contentTypes.in(scope).exists(id)))
      return { created: false, item: await this.update(actor, scope, id, input, expectedVersion) };
    const errors = contentTypeDefinitionErrors(input);
    if (errors.length) throw validationFailed(errors);
    const contentTypeId = id ?? generateId();
    const fields = storedFields(input.fields);
    const view = await this.contentTypes.transaction(async (trx) => {
      const row = await this.contentTypes.insertNew(scope, contentTypeId, columnsOf(input, fields), actor.userId, trx);
      if (!row)
        throw new ApiError('VersionMismatch', 'The content type was created concurrently', { type: 'ContentType', id: contentTypeId });
      const view = contentTypeView(row);
      await this.emit(trx, scope, row, 'create', view, actor);
      return view;
    });
    this.notices.written('settings');
    return { created: true, item: view };
  }

  async update(actor: Actor, scope: EnvironmentScope, id: string, input: ContentTypeInput, expectedVersion: number | undefined) {
    scope.permissions.require('ContentModel', 'manage');
    const current = await this.contentTypes.in(scope).find(id);
    if (!current) throw notFound('ContentType', id);
    const { renames, fields: body } = extractRenames(input.fields);
    const published = current.published && { ...current.published, fields: renameFieldIds(current.published.fields, renames) };
    const errors = contentTypeDefinitionErrors({ ...input, fields: body }, published, { fields: renameFieldIds(current.fields, renames) });
    if (errors.length) throw validationFailed(errors);
    const fields = storedFields(body);
    const view = await this.contentTypes.transaction(async (trx) => {
      if (renames.size) {
        await this.contentTypes.setPublished(scope, id, published, trx);
        await this.contentTypes.renameFieldsInEntries(scope, id, renames, trx);
      }
      const row = await this.contentTypes.in(scope, trx).update(id, expectedVersion, columnsOf(input, fields), actor.userId);
      const view = contentTypeView(row);
      await this.emit(trx, scope, row, 'save', view, actor);
      return view;
    });
    this.notices.written('settings');
    return view;
  }

  /**
   * Activation: the draft becomes the published definition, so fields deleted from the draft are gone for
   * good; the editor interface is created or brought in step, and (in master) a snapshot is kept.
   */
  async publish(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    scope.permissions.require('ContentModel', 'manage');
    const view = await this.contentTypes.transaction(async (trx) => {
      const current = await this.contentTypes.in(scope, trx).find(id);
      if (!current) throw notFound('ContentType', id);
      const fields = current.fields;
      const published = { name: current.name, description: current.description, displayField: current.display_field, fields };
      const row = await versionLockedUpdate({
        type: 'ContentType',
        id,
        expectedVersion: expectedVersion ?? current.version,
        update: (version) => this.contentTypes.activate(scope, id, version, fields, published, actor.userId, trx),
        exists: async () => true,
      });
      await this.editorInterfaces.syncWithFields(trx, scope, id, { fields, displayField: current.display_field }, actor.userId);
      const view = publishedContentTypeView(row);
      await recordPublishSnapshot(trx, scope, 'ContentType', id, view, actor.userId);
      await this.emit(trx, scope, row, 'publish', view, actor);
      return contentTypeView(row);
    });
    this.notices.written('settings');
    return view;
  }

  /** Deactivation is refused while entries of the content type exist. */
  async unpublish(actor: Actor, scope: EnvironmentScope, id: string) {
    scope.permissions.require('ContentModel', 'manage');
    const view = await this.contentTypes.transaction(async (trx) => {
      const current = await this.contentTypes.in(scope, trx).find(id);
      if (!current) throw notFound('ContentType', id);
      if (!current.published) throw badRequest('The content type is not active');
      if (await this.contentTypes.hasEntries(scope, id, trx))
        throw badRequest('Cannot deactivate a content type that still has entries; delete them first', { type: 'ContentType', id });
      const row = await this.contentTypes.deactivate(scope, id, actor.userId, trx);
      const view = contentTypeView(row);
      await this.emit(trx, scope, row, 'unpublish', view, actor);
      return view;
    });
    this.notices.written('settings');
    return view;
  }

  async delete(actor: Actor, scope: EnvironmentScope, id: string) {
    scope.permissions.require('ContentModel', 'manage');
    await this.contentTypes.transaction(async (trx) => {
      const current = await this.contentTypes.in(scope, trx).find(id);
      if (!current) throw notFound('ContentType', id);
      if (current.published) throw badRequest('Cannot delete an active content type; deactivate it first', { type: 'ContentType', id });
      await this.contentTypes.deleteInactive(scope, id, trx);
      await this.emit(trx, scope, current, 'delete', contentTypeView(current), actor);
    });
    this.notices.written('settings');
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
