import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../auth/secret-box.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import { hashToken } from '../../auth/token-secrets.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { SpaceKey } from '../../db/repository.js';
import type { ApiKeyRow, DB } from '../../db/schema.js';
import { MASTER } from '../../domain/environments.js';
import { ApiError, validationFailed } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { link, versionedSys } from '../../http/sys.js';
import type { Actor } from '../../auth/actor.js';
import { type PutResult, type ResourceDeclaration, VersionedResourceReader } from '../versioned-resource.js';
import { ApiKeyRepository, previewColumns } from './repository.js';

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

function apiKeyView(secrets: SecretBox) {
  return (row: ApiKeyRow) => {
    const environments = row.environments.map((id) => link('Environment', id));
    const base = { name: row.name, description: row.description, accessToken: secrets.open(row.token_sealed), environments };
    if (row.kind === 'preview')
      return { ...base, sys: { type: 'PreviewApiKey', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) } };
    return {
      ...base,
      policies: [{ effect: 'allow', actions: 'all' }],
      preview_api_key: row.preview_key_id ? link('PreviewApiKey', row.preview_key_id) : null,
      sys: { type: 'ApiKey', id: row.id, ...versionedSys(row), space: link('Space', row.space_id) },
    };
  };
}

type ApiKeyView = ReturnType<ReturnType<typeof apiKeyView>>;

/** The columns a key's input writes, on the delivery key and its preview key alike. */
const keyColumns = (input: ApiKeyInput) => ({
  name: input.name,
  description: input.description ?? null,
  environments: input.environments ?? [MASTER],
});

function apiKeyDeclarations(spaceAccess: SpaceAccessPolicy, secrets: SecretBox) {
  const common = {
    table: 'api_keys',
    order: ['created_at', 'id'],
    view: apiKeyView(secrets),
    /** A new key: every call makes a fresh token. */
    values: (input: ApiKeyInput) => {
      const token = newToken();
      return { ...keyColumns(input), kind: 'delivery' as const, token_hash: hashToken(token), token_sealed: secrets.seal(token) };
    },
    changeable: keyColumns,
    canRead: (actor: Actor, key: SpaceKey) =>
      spaceAccess.requirePermission(actor, key.spaceId, 'ContentDelivery', 'read').then(() => undefined),
    canWrite: (actor: Actor, key: SpaceKey) =>
      spaceAccess.requirePermission(actor, key.spaceId, 'ContentDelivery', 'manage').then(() => undefined),
    changes: 'settings',
  } as const;
  const delivery: ResourceDeclaration<'api_keys', SpaceKey, ApiKeyInput, ApiKeyView> = {
    ...common,
    type: 'ApiKey',
    scope: (key) => ({ space_id: key.spaceId, kind: 'delivery' }),
    // The unique keys are the id and the token hash (random): a PUT that lost the race to create the id.
    conflict: ({ id }) => new ApiError('VersionMismatch', 'The API key was created concurrently', { type: 'ApiKey', id }),
  };
  const preview: ResourceDeclaration<'api_keys', SpaceKey, ApiKeyInput, ApiKeyView> = {
    ...common,
    type: 'PreviewApiKey',
    scope: previewColumns,
  };
  return { delivery, preview };
}

/**
 * Content delivery (CDA) and preview (CPA) API keys. Creating a delivery key creates its preview key;
 * deleting it deletes both. Each key reads only the environments it lists (aliases count).
 */
export class ApiKeyService extends VersionedResourceReader<'api_keys', SpaceKey, ApiKeyInput, ApiKeyView> {
  private readonly keys: ApiKeyRepository;
  /** Preview keys, read here (list, get); they are written through their delivery key. */
  readonly previews: VersionedResourceReader<'api_keys', SpaceKey, ApiKeyInput, ApiKeyView>;

  constructor(db: Kysely<DB>, spaceAccess: SpaceAccessPolicy, secrets: SecretBox, notices: WriteNotices) {
    const { delivery, preview } = apiKeyDeclarations(spaceAccess, secrets);
    const keys = new ApiKeyRepository(db, delivery);
    super(db, delivery, notices, keys);
    this.keys = keys;
    this.previews = new VersionedResourceReader(db, preview, notices);
  }

  private async checkEnvironments(key: SpaceKey, ids: string[]) {
    if (ids.length === 0) return;
    const known = await this.keys.knownEnvironmentIds(key, ids);
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length)
      throw validationFailed(
        missing.map((id) => ({ name: 'notResolvable', path: ['environments'], value: id, details: `No environment or alias "${id}"` })),
      );
  }

  /** Creates a key pair (generated id on POST, chosen id on PUT); a rename or a new environment list applies to both keys alike. */
  async put(
    actor: Actor,
    key: SpaceKey,
    id: string | undefined,
    input: ApiKeyInput,
    expectedVersion: number | undefined,
  ): Promise<PutResult<ApiKeyView>> {
    await this.declaration.canWrite(actor, key);
    const changes = keyColumns(input);
    await this.checkEnvironments(key, changes.environments);
    const existing = id !== undefined && (await this.keys.in(key).exists(id));
    const { values } = this.declaration;
    const row = existing
      ? await this.keys.updatePair(key, id, expectedVersion, changes, actor.userId)
      : await this.keys.insertPair(key, { ...values(input), id: id ?? generateId() }, { ...values(input), id: generateId() }, actor.userId);
    this.written();
    return { created: !existing, item: this.declaration.view(row) };
  }

  async delete(actor: Actor, key: SpaceKey, id: string): Promise<void> {
    await this.declaration.canWrite(actor, key);
    await this.keys.deletePair(key, id);
    this.written();
  }

  /** Resolves a presented delivery or preview token; undefined when it is unknown. */
  async principal(token: string): Promise<DeliveryPrincipal | undefined> {
    const row = await this.keys.byTokenHash(hashToken(token));
    return row ? { spaceId: row.space_id, kind: row.kind, environments: row.environments, keyId: row.id } : undefined;
  }
}
