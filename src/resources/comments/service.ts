import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { CommentRow, DB } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { accessDenied, badRequest, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { environmentScope, link, versionedSys } from '../../http/sys.js';
import { writeWithEvent } from '../background/acting.js';
import { assertRoomFor } from '../entity-limits.js';
import type { ContentTypeService } from '../content-types/service.js';
import type { EntryService } from '../entries/service.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { type BodyFormat, bodyIn, checkedBody } from './body.js';
import { type CommentKey, type CommentParentType, CommentRepository } from './repository.js';

/** "limit is 100 comments per entry" (Contentful's "Create a comment"). */
export const MAX_COMMENTS_PER_PARENT = 100;

/** `X-Contentful-Parent-Entity-Reference`: a field, and optionally a locale, of the parent entity. */
const ENTITY_REFERENCE = /^fields\.[a-zA-Z0-9_]{1,64}(\.[a-zA-Z0-9-]{1,64})?$/;

export interface CommentParent {
  type: CommentParentType;
  id: string;
}

export interface CommentInput {
  body: string | Record<string, unknown>;
  status?: 'active' | 'resolved';
}

export interface CommentFilters {
  paging: Paging;
  status?: 'active' | 'resolved';
}

/** What `POST .../comments` may say in headers: a reply's parent comment, the part of the entity commented on. */
export interface CommentPlacement {
  parentCommentId?: string;
  reference?: string;
}

export function commentView(row: CommentRow, format: BodyFormat) {
  const parentEntity = row.entry_id ? link('Entry', row.entry_id) : link('ContentType', row.content_type_id!);
  return {
    body: bodyIn(format, row.body),
    status: row.status,
    sys: {
      id: row.id,
      type: 'Comment',
      ...environmentScope(row.space_id, row.environment_id),
      parentEntity: row.parent_entity_ref ? { sys: { ...parentEntity.sys, ref: row.parent_entity_ref } } : parentEntity,
      parent: row.parent_id ? link('Comment', row.parent_id) : null,
      ...versionedSys(row),
    },
  };
}

/** A `Comment.<action>` webhook event, with the comment (in plain text) as it is after the change. */
const commentEvent = (action: 'create' | 'save' | 'delete', actor: Actor) => ({
  type: 'Comment' as const,
  action,
  payload: (row: CommentRow) => commentView(row, 'plain-text'),
  userId: actor.userId,
});

/**
 * Comments on entries and content types (Contentful's "Entry comments"): anyone who can read the entity
 * reads and writes comments on it; "Only the comment creator or a space admin can update a comment" and
 * "Comment creators and space admins can delete comments". A comment may answer another (`parent`).
 */
export class CommentService {
  private readonly comments: CommentRepository;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly entries: EntryService,
    private readonly contentTypes: ContentTypeService,
  ) {
    this.comments = new CommentRepository(db);
  }

  /** The parent's key, once the caller may read the parent (404 otherwise, as for the entity itself). */
  private async parentKey(actor: Actor, scope: EnvironmentScope, parent: CommentParent): Promise<CommentKey> {
    if (parent.type === 'Entry') await this.entries.authorized(scope, parent.id);
    else await this.contentTypes.get(actor, scope, parent.id);
    return { spaceId: scope.spaceId, environmentId: scope.environmentId, parentType: parent.type, parentId: parent.id };
  }

  private async comment(key: CommentKey, id: string): Promise<CommentRow> {
    const row = await this.comments.in(key).find(id);
    if (!row) throw notFound('Comment', id);
    return row;
  }

  /** Creator or space admin, for updates and deletes. */
  private requireAuthor(actor: Actor, scope: EnvironmentScope, row: CommentRow, doing: string) {
    if (row.created_by !== actor.userId && !scope.access.admin)
      throw accessDenied(`Only the comment's creator or a space admin can ${doing} it`);
  }

  async list(actor: Actor, scope: EnvironmentScope, parent: CommentParent, filters: CommentFilters, format: BodyFormat) {
    const key = await this.parentKey(actor, scope, parent);
    const { rows, total } = await this.comments
      .in(key)
      .list(filters.paging, (query) => (filters.status ? query.where('status', '=', filters.status) : query));
    return collection(
      rows.map((row) => commentView(row, format)),
      total,
      filters.paging,
    );
  }

  async get(actor: Actor, scope: EnvironmentScope, parent: CommentParent, id: string, format: BodyFormat) {
    return commentView(await this.comment(await this.parentKey(actor, scope, parent), id), format);
  }

  async create(
    actor: Actor,
    scope: EnvironmentScope,
    parent: CommentParent,
    input: CommentInput,
    placement: CommentPlacement,
    format: BodyFormat,
  ) {
    const key = await this.parentKey(actor, scope, parent);
    const body = checkedBody(input.body);
    if (placement.reference !== undefined && !ENTITY_REFERENCE.test(placement.reference))
      throw badRequest('X-Contentful-Parent-Entity-Reference must be fields.<field id> or fields.<field id>.<locale code>');
    // A reply answers a comment on the same entity.
    if (placement.parentCommentId !== undefined) await this.comment(key, placement.parentCommentId);
    await assertRoomFor(this.comments.in(key), MAX_COMMENTS_PER_PARENT, 'comments');
    const row = await writeWithEvent(
      this.db,
      (trx) =>
        this.comments.in(key, trx).insert(
          {
            id: generateId(),
            body: JSON.stringify(body),
            status: input.status ?? 'active',
            parent_id: placement.parentCommentId ?? null,
            parent_entity_ref: placement.reference ?? null,
          },
          actor.userId,
        ),
      commentEvent('create', actor),
    );
    return commentView(row!, format);
  }

  /** A new body (and status, which stays as it is when left out). */
  async update(
    actor: Actor,
    scope: EnvironmentScope,
    parent: CommentParent,
    id: string,
    input: CommentInput,
    version: number | undefined,
    format: BodyFormat,
  ) {
    const key = await this.parentKey(actor, scope, parent);
    this.requireAuthor(actor, scope, await this.comment(key, id), 'change');
    const body = checkedBody(input.body);
    const row = await writeWithEvent(
      this.db,
      (trx) =>
        this.comments
          .in(key, trx)
          .update(id, version, { body: JSON.stringify(body), ...(input.status ? { status: input.status } : {}) }, actor.userId),
      commentEvent('save', actor),
    );
    return commentView(row!, format);
  }

  /** Deletes the comment and its replies (only the comment's own `Comment.delete` event is sent). */
  async delete(actor: Actor, scope: EnvironmentScope, parent: CommentParent, id: string, version: number | undefined) {
    const key = await this.parentKey(actor, scope, parent);
    this.requireAuthor(actor, scope, await this.comment(key, id), 'delete');
    await writeWithEvent(this.db, (trx) => this.comments.in(key, trx).delete(id, version), commentEvent('delete', actor));
  }
}
