import type { Kysely } from 'kysely';
import type { EnvironmentKey } from '../db/repository.js';
import type { DB } from '../db/schema.js';
import { badRequest, notFound } from '../domain/errors.js';
import type { PublishableRow, PublishableType } from '../resources/publishable/repository.js';
import { releaseItems } from '../resources/releases/service.js';
import { withReleaseContent } from '../resources/releases/versions.js';
import { ReleaseVersionRepository } from '../resources/releases/versions-repository.js';

/** What a timeline preview asks for: content as it will be once a release (and those before it) or a date is reached. */
export interface TimelineRequest {
  release?: string;
  timestamp?: Date;
}

const TIMELINE_PARAMS = ['release', 'release[lte]', 'timestamp', 'timestamp[lte]'];

/**
 * Splits the timeline parameters (`release[lte]`, `timestamp[lte]`, as contentful.js sends them; the bare
 * names too) from the rest of a CPA query. At least one is required.
 */
export function timelineQuery(query: Record<string, unknown>): { timeline: TimelineRequest; rest: Record<string, unknown> } {
  const rest: Record<string, unknown> = {};
  const timeline: TimelineRequest = {};
  for (const [param, value] of Object.entries(query)) {
    if (!TIMELINE_PARAMS.includes(param)) {
      rest[param] = value;
      continue;
    }
    if (typeof value !== 'string' || value === '') throw badRequest(`The query parameter "${param}" must be given once, with a value`);
    if (param.startsWith('release')) timeline.release = value;
    else {
      const at = new Date(value);
      if (Number.isNaN(at.getTime())) throw badRequest(`The query parameter "${param}" must be an ISO 8601 date and time`);
      timeline.timestamp = at;
    }
  }
  if (!timeline.release && !timeline.timestamp) throw badRequest('A timeline preview needs release[lte] or timestamp[lte]');
  return { timeline, rest };
}

/** What the releases on the timeline do to one entity: the last one holding it decides. */
interface TimelineChange {
  action: 'publish' | 'unpublish';
  /** The releases holding it, in timeline order (a later one's own version wins). */
  releaseIds: string[];
}

/**
 * A timeline preview (CPA `/timeline/...`): the drafts the preview serves, with the content of the releases
 * that come up to the requested release or date laid over them. Releases come in the order their scheduled
 * publishes fall due; the requested release comes with those scheduled up to its own date (last when it is
 * not scheduled); a date brings every release scheduled up to it. An entity a release unpublishes is left out.
 */
export class TimelinePreview {
  private constructor(
    private readonly key: EnvironmentKey,
    private readonly versions: ReleaseVersionRepository,
    private readonly changes: Map<string, TimelineChange>,
  ) {}

  static async open(db: Kysely<DB>, key: EnvironmentKey, request: TimelineRequest): Promise<TimelinePreview> {
    const scheduled = await db
      .selectFrom('scheduled_actions')
      .select(['entity_id', 'scheduled_for'])
      .where('space_id', '=', key.spaceId)
      .where('environment_id', '=', key.environmentId)
      .where('entity_type', '=', 'Release')
      .where('action', '=', 'publish')
      .where('status', '=', 'scheduled')
      .orderBy('scheduled_for')
      .execute();
    const dueOf = new Map<string, number>();
    for (const s of scheduled) if (!dueOf.has(s.entity_id)) dueOf.set(s.entity_id, new Date(s.scheduled_for).getTime());
    const cutoff = Math.max(
      request.release !== undefined ? (dueOf.get(request.release) ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY,
      request.timestamp?.getTime() ?? Number.NEGATIVE_INFINITY,
    );
    const ordered = [...dueOf].filter(([, due]) => due <= cutoff).map(([id]) => id);
    if (request.release !== undefined && !ordered.includes(request.release)) ordered.push(request.release);
    const releases = ordered.length
      ? await db
          .selectFrom('releases')
          .select(['id', 'entities', 'status'])
          .where('space_id', '=', key.spaceId)
          .where('environment_id', '=', key.environmentId)
          .where('id', 'in', ordered)
          .execute()
      : [];
    const byId = new Map(releases.map((r) => [r.id, r]));
    if (request.release !== undefined && !byId.has(request.release)) throw notFound('Release', request.release);
    const changes = new Map<string, TimelineChange>();
    for (const id of ordered) {
      const release = byId.get(id);
      if (!release || release.status === 'archived') continue;
      for (const item of releaseItems(release.entities)) {
        const entityKey = `${item.linkType}:${item.id}`;
        const change = changes.get(entityKey) ?? { action: item.action, releaseIds: [] };
        change.action = item.action;
        change.releaseIds.push(id);
        changes.set(entityKey, change);
      }
    }
    return new TimelinePreview(key, new ReleaseVersionRepository(db), changes);
  }

  /** The rows as the timeline shows them (one statement for their release versions, none when no release holds them). */
  async overlay(type: PublishableType, rows: PublishableRow[]): Promise<PublishableRow[]> {
    const held = rows.filter((row) => this.changes.has(`${type}:${row.id}`));
    if (held.length === 0) return rows;
    const releaseIds = [...new Set(held.flatMap((row) => this.changes.get(`${type}:${row.id}`)!.releaseIds))];
    const versions = await this.versions.ofEntities(
      this.key,
      releaseIds,
      type,
      held.map((row) => row.id),
    );
    return rows.flatMap((row) => {
      const change = this.changes.get(`${type}:${row.id}`);
      if (!change) return [row];
      if (change.action === 'unpublish') return [];
      // The latest release on the timeline with a version of its own decides the content.
      const version = versions
        .filter((v) => v.entity_id === row.id)
        .sort((a, b) => change.releaseIds.indexOf(a.release_id) - change.releaseIds.indexOf(b.release_id))
        .at(-1);
      return [withReleaseContent(row, version)];
    });
  }
}
