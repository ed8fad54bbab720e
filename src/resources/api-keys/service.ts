import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { SecretBox } from '../../auth/secret-box.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import { hashToken } from '../../auth/token-secrets.js';
import type { ApiKeyRow, DB } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { oneOf } from '../../db/lists.js';
import { collection, type Paging } from '../../domain/collections.js';
import { ApiError, notFound, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import { MASTER } from '../../domain/environments.js';

export interface ApiKeyInput {
  name: string;
  description?: string | null;
  /** Environment or alias ids the keys may read. */
  environments?: string[];
}

/** Who a delivery or preview token reads as: the space and the environments (or aliases) it may read. */
export interface DeliveryPrincipal {
  spaceId: string;
  kind: 'delivery' | 'preview';
  environments: string[];
  keyId: string;
}

/** Delivery tokens are 43 URL-safe characters, like Contentful's. */
const newToken = () => randomBytes(32).toString('base64url').slice(0, 43);

/**
 * Content delivery (CDA) and preview (CPA) API keys. Creating a delivery key creates its preview key;
 * deleting it deletes both. Each key reads only the environments it lists (aliases count).
 */
export class ApiKeyService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly secrets: SecretBox,
  ) {}

  private view(row: ApiKeyRow) {
    const environments = row.environments.map((id) => link('Environment', id));
    const base = { name: row.name, description: row.description, accessToken: this.secrets.open(row.token_sealed), environments };
    if (row.kind === 'preview')
      return { ...base, sys: { type: 'PreviewApiKey', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) } };
    return {
      ...base,
      policies: [{ effect: 'allow', actions: 'all' }],
      preview_api_key: row.preview_key_id ? link('PreviewApiKey', row.preview_key_id) : null,
      sys: { type: 'ApiKey', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
    };
  }

  private rows(spaceId: string, kind: 'delivery' | 'preview') {
    return this.db.selectFrom('api_keys').where('space_id', '=', spaceId).where('kind', '=', kind);
  }

  async list(actor: Actor, spaceId: string, kind: 'delivery' | 'preview', paging: Paging) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'ContentDelivery', 'read');
    const [rows, count] = await Promise.all([
      this.rows(spaceId, kind).selectAll().orderBy('created_at').orderBy('id').offset(paging.skip).limit(paging.limit).execute(),
      this.rows(spaceId, kind)
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return collection(
      rows.map((r) => this.view(r)),
      Number(count.total),
      paging,
    );
  }

  async get(actor: Actor, spaceId: string, kind: 'delivery' | 'preview', id: string) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'ContentDelivery', 'read');
    const row = await this.rows(spaceId, kind).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(kind === 'delivery' ? 'ApiKey' : 'PreviewApiKey', id);
    return this.view(row);
  }

  private async checkEnvironments(spaceId: string, ids: string[]) {
    if (ids.length === 0) return;
    const [envs, aliases] = await Promise.all([
      this.db.selectFrom('environments').select('id').where('space_id', '=', spaceId).where('id', '=', oneOf(ids)).execute(),
      this.db.selectFrom('environment_aliases').select('id').where('space_id', '=', spaceId).where('id', '=', oneOf(ids)).execute(),
    ]);
    const known = new Set([...envs, ...aliases].map((r) => r.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length)
      throw validationFailed(
        missing.map((id) => ({ name: 'notResolvable', path: ['environments'], value: id, details: `No environment or alias "${id}"` })),
      );
  }

  async put(actor: Actor, spaceId: string, id: string | undefined, input: ApiKeyInput, expectedVersion: number | undefined) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'ContentDelivery', 'manage');
    const environments = input.environments ?? [MASTER];
    await this.checkEnvironments(spaceId, environments);
    const existing = id ? await this.rows(spaceId, 'delivery').select('id').where('id', '=', id).executeTakeFirst() : undefined;
    if (existing && id) return { created: false, key: await this.update(actor, spaceId, id, input, environments, expectedVersion) };
    return this.db.transaction().execute(async (trx) => {
      const deliveryToken = newToken();
      const previewToken = newToken();
      const previewId = generateId();
      const common = {
        space_id: spaceId,
        name: input.name,
        description: input.description ?? null,
        environments,
        created_by: actor.userId,
        updated_by: actor.userId,
      };
      await trx
        .insertInto('api_keys')
        .values({
          ...common,
          id: previewId,
          kind: 'preview',
          token_hash: hashToken(previewToken),
          token_sealed: this.secrets.seal(previewToken),
        })
        .execute();
      const row = await trx
        .insertInto('api_keys')
        .values({
          ...common,
          id: id ?? generateId(),
          kind: 'delivery',
          token_hash: hashToken(deliveryToken),
          token_sealed: this.secrets.seal(deliveryToken),
          preview_key_id: previewId,
        })
        .onConflict((oc) => oc.columns(['space_id', 'id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new ApiError('VersionMismatch', 'The API key was created concurrently', { type: 'ApiKey', id });
      return { created: true, key: this.view(row) };
    });
  }

  /** A rename or a new environment list applies to the delivery key and its preview key alike. */
  private async update(
    actor: Actor,
    spaceId: string,
    id: string,
    input: ApiKeyInput,
    environments: string[],
    expectedVersion: number | undefined,
  ) {
    return this.db.transaction().execute(async (trx) => {
      const row = await versionLockedUpdate({
        type: 'ApiKey',
        id,
        expectedVersion,
        update: (version) =>
          trx
            .updateTable('api_keys')
            .set((eb) => ({
              name: input.name,
              description: input.description ?? null,
              environments,
              version: eb('version', '+', 1),
              updated_at: new Date(),
              updated_by: actor.userId,
            }))
            .where('space_id', '=', spaceId)
            .where('kind', '=', 'delivery')
            .where('id', '=', id)
            .where('version', '=', version)
            .returningAll()
            .executeTakeFirst(),
        exists: async () => true,
      });
      if (row.preview_key_id) {
        await trx
          .updateTable('api_keys')
          .set((eb) => ({
            name: input.name,
            description: input.description ?? null,
            environments,
            version: eb('version', '+', 1),
            updated_at: new Date(),
            updated_by: actor.userId,
          }))
          .where('space_id', '=', spaceId)
          .where('id', '=', row.preview_key_id)
          .execute();
      }
      return this.view(row);
    });
  }

  async delete(actor: Actor, spaceId: string, id: string) {
    await this.spaceAccess.requirePermission(actor, spaceId, 'ContentDelivery', 'manage');
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .deleteFrom('api_keys')
        .where('space_id', '=', spaceId)
        .where('kind', '=', 'delivery')
        .where('id', '=', id)
        .returning('preview_key_id')
        .executeTakeFirst();
      if (!row) throw notFound('ApiKey', id);
      if (row.preview_key_id)
        await trx.deleteFrom('api_keys').where('space_id', '=', spaceId).where('id', '=', row.preview_key_id).execute();
    });
  }

  /** Resolves a presented delivery or preview token; undefined when it is unknown. */
  async principal(token: string): Promise<DeliveryPrincipal | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .select(['space_id', 'id', 'kind', 'environments'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    return row ? { spaceId: row.space_id, kind: row.kind, environments: row.environments, keyId: row.id } : undefined;
  }
}
