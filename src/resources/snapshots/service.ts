import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { environmentScope, iso, userLink } from '../../http/sys.js';
import { MASTER } from '../../domain/environments.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { SnapshotRepository } from './repository.js';

export type SnapshotEntityType = 'Entry' | 'ContentType';

/** Columns of `publishSnapshotRow` that hold JSON text. */
export const SNAPSHOT_JSON_COLUMNS = ['snapshot'] as const;

/**
 * Snapshots record each publish of an entry or content type in `master` (seed 000, "Snapshots"): the
 * `snapshots` row of one, or undefined in any other environment.
 */
export function publishSnapshotRow(
  scope: { spaceId: string; environmentId: string },
  entityType: SnapshotEntityType,
  entityId: string,
  snapshot: Record<string, unknown>,
  userId: string,
) {
  if (scope.environmentId !== MASTER) return undefined;
  return {
    space_id: scope.spaceId,
    environment_id: scope.environmentId,
    id: generateId(),
    entity_type: entityType,
    entity_id: entityId,
    snapshot: JSON.stringify(snapshot),
    created_by: userId,
  };
}

export async function recordPublishSnapshot(db: Kysely<DB>, ...args: Parameters<typeof publishSnapshotRow>) {
  const row = publishSnapshotRow(...args);
  if (row) await new SnapshotRepository(db).insert(row);
}

/** The entry read check snapshots rely on (the entry service's `authorized`: 404 for an entry the caller may not read). */
export interface EntryReadCheck {
  authorized(scope: EnvironmentScope, id: string): Promise<unknown>;
}

/** Snapshots of an entry are readable by whoever may read the entry; content type snapshots by every member. */
export class SnapshotService {
  private readonly snapshots: SnapshotRepository;

  constructor(
    db: Kysely<DB>,
    private readonly entries: EntryReadCheck,
  ) {
    this.snapshots = new SnapshotRepository(db);
  }

  private async authorize(scope: EnvironmentScope, entityType: SnapshotEntityType, entityId: string) {
    if (entityType === 'Entry' && !scope.permissions.content.isUnrestricted) await this.entries.authorized(scope, entityId);
  }

  async list(_actor: Actor, scope: EnvironmentScope, entityType: SnapshotEntityType, entityId: string, paging: Paging) {
    await this.authorize(scope, entityType, entityId);
    const { rows, total } = await this.snapshots.list(scope, { type: entityType, id: entityId }, paging);
    return collection(rows.map(snapshotView), total, paging);
  }

  async get(_actor: Actor, scope: EnvironmentScope, entityType: SnapshotEntityType, entityId: string, snapshotId: string) {
    await this.authorize(scope, entityType, entityId);
    const row = await this.snapshots.find(scope, { type: entityType, id: entityId }, snapshotId);
    if (!row) throw notFound('Snapshot', snapshotId);
    return snapshotView(row);
  }
}

function snapshotView(row: {
  id: string;
  space_id: string;
  environment_id: string;
  entity_type: string;
  snapshot: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
}) {
  return {
    snapshot: row.snapshot,
    sys: {
      type: 'Snapshot',
      id: row.id,
      snapshotType: 'publish',
      snapshotEntityType: row.entity_type,
      ...environmentScope(row.space_id, row.environment_id),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.created_at),
      createdBy: userLink(row.created_by),
      updatedBy: userLink(row.created_by),
      version: 1,
    },
  };
}
