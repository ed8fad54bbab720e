import type { Kysely } from 'kysely';
import type { WriteNotices } from '../../cache/changes.js';
import { environmentColumns } from '../../db/repository.js';
import type { DB, ExtensionRow } from '../../db/schema.js';
import { ApiError, validationFailed } from '../../domain/errors.js';
import { dropUndefined, environmentScope, versionedSys } from '../../http/sys.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { type ResourceDeclaration, VersionedResourceService } from '../versioned-resource.js';
import { type ExtensionBody, installationParameterErrors } from './schema.js';

export function extensionView(row: ExtensionRow) {
  return dropUndefined({
    sys: { type: 'Extension', id: row.id, ...versionedSys(row), ...environmentScope(row.space_id, row.environment_id) },
    extension: row.extension,
    parameters: row.parameters ?? undefined,
  });
}

type ExtensionView = ReturnType<typeof extensionView>;

const extensionDeclaration: ResourceDeclaration<'extensions', EnvironmentScope, ExtensionBody, ExtensionView> = {
  table: 'extensions',
  type: 'Extension',
  scope: environmentColumns,
  order: ['created_at', 'id'],
  // The only unique key is the id: a PUT that lost the race to create it.
  conflict: ({ id }) => new ApiError('VersionMismatch', 'The extension was created concurrently', { type: 'Extension', id }),
  view: extensionView,
  values: (body) => {
    // Checked here, after the permission, as every write computes its values.
    const errors = installationParameterErrors(body);
    if (errors.length) throw validationFailed(errors);
    return { extension: JSON.stringify(body.extension), parameters: body.parameters ? JSON.stringify(body.parameters) : null };
  },
  canRead: () => undefined,
  canWrite: (_actor, scope) => scope.permissions.require('ContentModel', 'manage'),
  changes: 'settings',
};

/** UI extensions of an environment: installation parameters checked against the extension's definitions. */
export class ExtensionService extends VersionedResourceService<'extensions', EnvironmentScope, ExtensionBody, ExtensionView> {
  constructor(db: Kysely<DB>, notices: WriteNotices) {
    super(db, extensionDeclaration, notices);
  }
}
