import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Actor, expandScopes } from '../../auth/actor.js';
import { isDatabaseUnavailable } from '../../db/availability.js';
import type { DB } from '../../db/schema.js';
import { type ContentAction, type EventEntityType, recordEvent } from '../../events/outbox.js';
import { ApiError } from '../../domain/errors.js';
import type { AssetService } from '../assets/service.js';
import type { EntryService } from '../entries/service.js';
import type { PublishItem } from '../publishable/service.js';
import type { EnvironmentScope, EnvironmentScopeResolver } from '../environments/scope.js';

/** What a background action records when it ends. */
export interface Outcome {
  status: 'succeeded' | 'failed';
  error?: Record<string, unknown>;
}

/** An error as actions record it: Contentful's error shape without the request id. */
export function recordedError(error: ApiError) {
  return { sys: { type: 'Error', id: error.id }, message: error.message, ...(error.details ? { details: error.details } : {}) };
}

/** A stored action (scheduled, bulk, release) as it is carried out. */
export interface StoredAction {
  /** `scheduled-action`, `bulk-action`, ...: names the actor's token in what the action writes. */
  kind: string;
  id: string;
  createdBy: string | null;
  spaceId: string;
  environmentId: string;
  /** The headers naming the action on the webhook calls about what it changes (Contentful's changelog). */
  triggerHeaders: Record<string, string>;
}

/**
 * Carries out a stored action as the user who asked for it (their roles and policies as they are now) in
 * its environment. A refusal (ApiError) is the action's failure; a database outage is not: `onOutage`
 * gives the action back and the error goes up, to be tried again.
 */
export async function actAsCreator(
  action: StoredAction,
  deps: { scopes: EnvironmentScopeResolver; logger: Logger },
  perform: (actor: Actor, scope: EnvironmentScope) => Promise<Outcome>,
  onOutage: () => Promise<void>,
): Promise<Outcome> {
  try {
    if (!action.createdBy) throw new ApiError('BadRequest', 'The action has no user to act as');
    const actor: Actor = {
      userId: action.createdBy,
      tokenId: `${action.kind}:${action.id}`,
      scopes: expandScopes(['content_management_manage']),
      triggerHeaders: action.triggerHeaders,
    };
    return await perform(actor, await deps.scopes.resolve(actor, action.spaceId, action.environmentId));
  } catch (err) {
    if (isDatabaseUnavailable(err)) {
      await onOutage();
      throw err;
    }
    if (!(err instanceof ApiError)) deps.logger.error({ err, action: `${action.kind}:${action.id}` }, 'background action failed');
    return {
      status: 'failed',
      error: recordedError(err instanceof ApiError ? err : new ApiError('ServerError', 'The action could not be carried out')),
    };
  }
}

export interface PublishTarget extends PublishItem {
  linkType: 'Entry' | 'Asset';
}

/**
 * Publishes entries and assets together (bulk actions, releases; a target with a draft has it saved
 * first, a release's version of it): every one is checked first, in a few
 * statements for them all, and all are written in one transaction, or none when one fails. Answers each
 * refused target with its error; with `checkOnly`, checks and writes nothing.
 */
export async function publishTogether(
  db: Kysely<DB>,
  services: { entries: EntryService; assets: AssetService },
  actor: Actor,
  scope: EnvironmentScope,
  targets: PublishTarget[],
  checkOnly: boolean,
): Promise<{ target: PublishTarget; error: ApiError }[]> {
  const of = (linkType: PublishTarget['linkType']) =>
    targets.filter((t) => t.linkType === linkType).map((t) => ({ id: t.id, version: t.version, draft: t.draft }));
  const [entries, assets] = await Promise.all([
    services.entries.planPublish(actor, scope, of('Entry')),
    services.assets.planPublish(actor, scope, of('Asset')),
  ]);
  const refused = targets.flatMap((target) => {
    const error = (target.linkType === 'Entry' ? entries : assets).errors.get(target.id);
    return error ? [{ target, error }] : [];
  });
  if (refused.length || checkOnly) return refused;
  await db.transaction().execute(async (trx) => {
    await entries.write(trx);
    await assets.write(trx);
  });
  entries.written();
  assets.written();
  return refused;
}

/**
 * Unpublishes entries and assets one by one, doing what it can: answers each target it could not unpublish
 * with its error. With `publishedOnly`, targets that are not published are left alone (a release's drafts).
 */
export async function unpublishEach(
  services: { entries: EntryService; assets: AssetService },
  actor: Actor,
  scope: EnvironmentScope,
  targets: PublishTarget[],
  publishedOnly: boolean,
): Promise<{ target: PublishTarget; error: ApiError }[]> {
  const refused: { target: PublishTarget; error: ApiError }[] = [];
  for (const target of targets) {
    const service = target.linkType === 'Entry' ? services.entries : services.assets;
    try {
      const published =
        !publishedOnly || ((await service.get(actor, scope, target.id)) as { sys: { publishedVersion?: number } }).sys.publishedVersion;
      if (published !== undefined) await service.unpublish(actor, scope, target.id, undefined);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refused.push({ target, error: err });
    }
  }
  return refused;
}

/**
 * Writes a change of an action resource with its webhook event in one transaction (the change log's rule:
 * an event exists exactly when its change committed). Nothing is recorded when `write` changed nothing.
 */
export async function writeWithEvent<T extends { space_id: string; environment_id: string; id: string }>(
  db: Kysely<DB>,
  write: (trx: Kysely<DB>) => Promise<T | undefined>,
  event: { type: EventEntityType; action: ContentAction; payload: (row: T) => Record<string, unknown>; userId: string | null },
): Promise<T | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await write(trx);
    if (row)
      await recordEvent(trx, {
        spaceId: row.space_id,
        environmentId: row.environment_id,
        entityType: event.type,
        entityId: row.id,
        action: event.action,
        payload: event.payload(row),
        userId: event.userId,
      });
    return row;
  });
}
