import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB, TagRow } from '../../db/schema.js';
import { ApiError, validationFailed } from '../../domain/errors.js';
import { oneOf } from '../../db/lists.js';
import { environmentScope, versionedSys } from '../../http/sys.js';
import { parseSearchQuery } from '../../query/parse.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { type ResourceDeclaration, VersionedResourceService } from '../versioned-resource.js';
import { TagRepository, tagTable } from './repository.js';

export type TagVisibility = 'public' | 'private';

export interface TagInput {
  name: string;
  visibility: TagVisibility;
}

export function tagView(row: TagRow) {
  return {
    name: row.name,
    sys: {
      id: row.id,
      type: 'Tag',
      visibility: row.visibility,
      ...versionedSys(row),
      ...environmentScope(row.space_id, row.environment_id),
    },
  };
}

type TagView = ReturnType<typeof tagView>;

/** The tag ids an entry or asset body carries in `metadata.tags`. */
export const tagIdsOf = (input: { metadata?: { tags?: { sys: { id: string } }[] } }) => (input.metadata?.tags ?? []).map((t) => t.sys.id);

export function assertTagsExist(missing: string[]) {
  if (missing.length) {
    throw validationFailed(
      missing.map((id) => ({ name: 'notResolvable', path: ['metadata', 'tags'], value: id, details: `The tag "${id}" does not exist` })),
    );
  }
}

const tagDeclaration: ResourceDeclaration<'tags', EnvironmentScope, TagInput, TagView> = {
  ...tagTable,
  view: tagView,
  values: (input) => ({ name: input.name, visibility: input.visibility }),
  // The visibility is fixed when the tag is created.
  changeable: (input) => ({ name: input.name }),
  canRead: () => undefined,
  canWrite: (_actor, scope) => scope.permissions.require('Tags', 'manage'),
  changes: 'settings',
};

/** Tags of an environment: unique ids and names, a visibility fixed at creation, version-locked renames. */
export class TagService extends VersionedResourceService<'tags', EnvironmentScope, TagInput, TagView> {
  private readonly tags: TagRepository;

  constructor(db: Kysely<DB>, notices: WriteNotices) {
    const tags = new TagRepository(db, tagTable);
    super(db, tagDeclaration, notices, tags);
    this.tags = tags;
  }

  /** Tags support `sys.id` and `sys.id[in]` filters, `skip` and `limit`; they are ordered by name. */
  async search(actor: Actor, scope: EnvironmentScope, rawQuery: Record<string, unknown>) {
    const query = parseSearchQuery(rawQuery);
    const ids: string[][] = [];
    for (const filter of query.filters) {
      const byId = filter.target.kind === 'sys' && filter.target.path === 'id' && (filter.op === 'eq' || filter.op === 'in');
      if (!byId)
        throw new ApiError('InvalidQuery', `The query parameter "${filter.param}" is not supported on tags`, { param: filter.param });
      ids.push(filter.raw.split(','));
    }
    return this.list(actor, scope, query, (rows) => ids.reduce((narrowed, some) => narrowed.where('id', '=', oneOf(some)), rows));
  }

  /** Deleting a tag also takes it off every entry and asset of the environment. */
  override async delete(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion?: number): Promise<void> {
    await this.declaration.canWrite(actor, scope);
    await this.tags.deleteEverywhere(scope, id, expectedVersion);
    this.written();
  }
}
