import type { Kysely } from 'kysely';
import { type EnvironmentKey, Repository, type TableDefinition } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';

/** The entities comments are made on. */
export type CommentParentType = 'Entry' | 'ContentType';

/** Where comments live: one entry or content type of one environment. */
export interface CommentKey extends EnvironmentKey {
  parentType: CommentParentType;
  parentId: string;
}

const commentTable: TableDefinition<'comments', CommentKey> = {
  table: 'comments',
  type: 'Comment',
  scope: (key) => ({
    space_id: key.spaceId,
    environment_id: key.environmentId,
    [key.parentType === 'Entry' ? 'entry_id' : 'content_type_id']: key.parentId,
  }),
  order: ['created_at', 'id'],
};

/** The comments on one entity; every statement names the space, environment and the entity. */
export class CommentRepository extends Repository<'comments', CommentKey> {
  constructor(db: Kysely<DB>) {
    super(db, commentTable);
  }
}
