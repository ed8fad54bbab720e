import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../auth/actor.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB, UploadRow } from '../../db/schema.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { ApiError, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { type Metrics, noMetrics } from '../../domain/metrics.js';
import { dropUndefined, iso, link, userLink } from '../../http/sys.js';
import { BlobTooLargeError, type BlobStore } from '../../storage/blob-store.js';
import { UploadRepository } from './repository.js';

export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function uploadView(row: UploadRow) {
  return {
    sys: dropUndefined({
      type: 'Upload',
      id: row.id,
      space: link('Space', row.space_id),
      environment: row.environment_id ? link('Environment', row.environment_id) : undefined,
      expiresAt: iso(row.expires_at),
      createdAt: iso(row.created_at),
      createdBy: userLink(row.created_by),
    }),
  };
}

export const uploadBlobKey = (spaceId: string, uploadId: string) => `uploads/${spaceId}/${uploadId}`;

/** Uploads belong to a space (any of its environments may use one) and expire after 24 hours. */
export class UploadService {
  private readonly uploads: UploadRepository;

  constructor(
    db: Kysely<DB>,
    private readonly blobs: BlobStore,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly limitBytes: number,
    private readonly notices: WriteNotices,
    private readonly metrics: Metrics = noMetrics,
  ) {
    this.uploads = new UploadRepository(db);
  }

  /** Streams the body to storage (never buffering it whole), then records the upload. */
  async create(actor: Actor, spaceId: string, environmentId: string | undefined, body: Readable) {
    await this.spaceAccess.require(actor, spaceId);
    if (environmentId !== undefined) await this.requireEnvironment(spaceId, environmentId);
    const id = generateId();
    const key = uploadBlobKey(spaceId, id);
    let size: number;
    try {
      size = (await this.blobs.put(key, body, { limit: this.limitBytes || undefined })).size;
    } catch (err) {
      if (err instanceof BlobTooLargeError) throw new ApiError('PayloadTooLarge', `Uploads are limited to ${err.limit} bytes`);
      throw err;
    }
    const now = Date.now();
    let row: UploadRow;
    try {
      row = await this.uploads.insert(
        { spaceId },
        {
          id,
          environment_id: environmentId ?? null,
          blob_key: key,
          size,
          created_by: actor.userId,
          created_at: new Date(now),
          expires_at: new Date(now + UPLOAD_LIFETIME_MS),
        },
      );
    } catch (err) {
      await this.blobs.delete(key);
      throw err;
    }
    this.notices.written('content');
    this.metrics.uploadStored(size);
    return uploadView(row);
  }

  async get(actor: Actor, spaceId: string, uploadId: string) {
    await this.spaceAccess.require(actor, spaceId);
    return uploadView(await this.find(spaceId, uploadId));
  }

  /** The upload an asset is processed from; expired ones are gone. */
  async find(spaceId: string, uploadId: string): Promise<UploadRow> {
    const row = await this.uploads.findLive({ spaceId }, uploadId, new Date());
    if (!row) throw notFound('Upload', uploadId);
    return row;
  }

  async delete(actor: Actor, spaceId: string, uploadId: string) {
    await this.spaceAccess.require(actor, spaceId);
    const row = await this.uploads.delete({ spaceId }, uploadId);
    if (!row) throw notFound('Upload', uploadId);
    this.notices.written('content');
    await this.blobs.delete(row.blob_key);
  }

  /** Removes expired uploads, rows and files; returns how many. */
  async sweepExpired(now = new Date()): Promise<number> {
    const expired = await this.uploads.deleteExpired(now);
    if (expired.length > 0) this.notices.written('content');
    await Promise.all(expired.map((blobKey) => this.blobs.delete(blobKey)));
    return expired.length;
  }

  /** Runs the sweep periodically on `clock`; the returned function stops it. */
  startSweeper(logger: Logger, everyMs = 10 * 60 * 1000, clock: Clock = systemClock): () => void {
    return clock.every(everyMs, () => {
      this.sweepExpired(new Date(clock.now())).then(
        (count) => count > 0 && logger.info({ count }, 'expired uploads removed'),
        (err) => logger.error({ err }, 'upload sweep failed'),
      );
    });
  }

  private async requireEnvironment(spaceId: string, environmentId: string) {
    if (!(await this.uploads.environmentExists({ spaceId }, environmentId))) throw notFound('Environment', environmentId);
  }
}
