import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, ExtensionRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { ApiError, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { dropUndefined, environmentScope, versionedSys } from '../../http/sys.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { installationParameterErrors, type ExtensionBody } from './schema.js';

export function extensionView(row: ExtensionRow) {
  return dropUndefined({
    sys: { type: 'Extension', id: row.id, ...versionedSys(row), ...environmentScope(row.space_id, row.environment_id) },
    extension: row.extension,
    parameters: row.parameters ?? undefined,
  });
}

export class ExtensionService {
  constructor(private readonly db: Kysely<DB>) {}

  private rows(scope: EnvironmentScope) {
    return this.db.selectFrom('extensions').where('space_id', '=', scope.spaceId).where('environment_id', '=', scope.environmentId);
  }

  async list(_actor: Actor, scope: EnvironmentScope, paging: Paging) {
    const [rows, count] = await Promise.all([
      this.rows(scope).selectAll().orderBy('created_at').orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      this.rows(scope)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(extensionView), Number(count.total), paging);
  }

  async get(_actor: Actor, scope: EnvironmentScope, id: string) {
    const row = await this.rows(scope).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Extension', id);
    return extensionView(row);
  }

  /** Creates (generated id on POST, chosen id on PUT) or, for an existing id, updates with a version. */
  async put(actor: Actor, scope: EnvironmentScope, id: string | undefined, body: ExtensionBody, expectedVersion: number | undefined) {
    scope.permissions.require('ContentModel', 'manage');
    const errors = installationParameterErrors(body);
    if (errors.length) throw validationFailed(errors);
    const extension = JSON.stringify(body.extension);
    const parameters = body.parameters ? JSON.stringify(body.parameters) : null;
    if (id !== undefined && (await this.rows(scope).select('id').where('id', '=', id).executeTakeFirst())) {
      const row = await versionLockedUpdate({
        type: 'Extension',
        id,
        expectedVersion,
        update: (version) =>
          this.db
            .updateTable('extensions')
            .set((eb) => ({ extension, parameters, version: eb('version', '+', 1), updated_at: new Date(), updated_by: actor.userId }))
            .where('space_id', '=', scope.spaceId)
            .where('environment_id', '=', scope.environmentId)
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst(),
        exists: async () => true,
      });
      return { created: false, extension: extensionView(row) };
    }
    const row = await this.db
      .insertInto('extensions')
      .values({
        space_id: scope.spaceId,
        environment_id: scope.environmentId,
        id: id ?? generateId(),
        extension,
        parameters,
        created_by: actor.userId,
        updated_by: actor.userId,
      })
      .onConflict((oc) => oc.columns(['space_id', 'environment_id', 'id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ApiError('VersionMismatch', 'The extension was created concurrently', { type: 'Extension', id });
    return { created: true, extension: extensionView(row) };
  }

  async delete(_actor: Actor, scope: EnvironmentScope, id: string) {
    scope.permissions.require('ContentModel', 'manage');
    const row = await this.db
      .deleteFrom('extensions')
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('Extension', id);
  }
}
