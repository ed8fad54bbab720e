import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { OrganizationAccessPolicy } from '../../auth/organization-access.js';
import type { InsertValues, OrganizationKey, Repository, UpdateValues } from '../../db/repository.js';
import type { DB } from '../../db/schema.js';
import { ApiError, notFound } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import { applyPatch } from '../../domain/json-patch.js';
import { parseBody } from '../../http/validation.js';
import type { TaxonomyTable } from './repository.js';
import { patchable } from './views.js';

/** What the writes of concepts and of concept schemes differ in. */
export interface TaxonomyKind<T extends TaxonomyTable, I, V extends { sys: unknown }> {
  type: 'TaxonomyConcept' | 'TaxonomyConceptScheme';
  rows: Repository<T, OrganizationKey>;
  /** The body, which a patched item must still match. */
  body: z.ZodType<I>;
  /** The properties a JSON Patch may change. */
  writable: readonly string[];
  /** The columns `input` writes on the item `id`, checked inside the write's transaction (a 422 when a rule fails). */
  columns(key: OrganizationKey, id: string, input: I, trx: Kysely<DB>): Promise<UpdateValues<T>>;
  /** The item as the API shows it; 404 when it does not exist. */
  view(key: OrganizationKey, id: string): Promise<V>;
  /** What must hold before the item goes, checked inside the delete's transaction. */
  beforeDelete?(key: OrganizationKey, id: string, trx: Kysely<DB>): Promise<void>;
}

/** Runs a taxonomy write in one transaction holding the organization's taxonomy lock (TaxonomyService.write). */
export type TaxonomyWrite = (key: OrganizationKey, work: (trx: Kysely<DB>) => Promise<void>) => Promise<void>;

/**
 * Create (with a generated or a chosen id), full update and JSON Patch at a version, and version-locked delete,
 * the same for concepts and concept schemes; each for owners, admins and developers of the organization.
 */
export class TaxonomyWrites<T extends TaxonomyTable, I, V extends { sys: unknown }> {
  constructor(
    private readonly access: OrganizationAccessPolicy,
    private readonly write: TaxonomyWrite,
    private readonly kind: TaxonomyKind<T, I, V>,
  ) {}

  async create(actor: Actor, key: OrganizationKey, id: string | undefined, input: I): Promise<V> {
    await this.access.requireTaxonomyManager(actor, key.organizationId);
    return this.insert(actor, key, id ?? generateId(), input);
  }

  /** `PUT .../{id}`: creates the item when the id is new (the SDK's `createWithId`), otherwise updates it (`update`). */
  async put(actor: Actor, key: OrganizationKey, id: string, input: I, expectedVersion: number | undefined) {
    await this.access.requireTaxonomyManager(actor, key.organizationId);
    if (!(await this.kind.rows.in(key).exists(id))) return { created: true, item: await this.insert(actor, key, id, input) };
    return { created: false, item: await this.update(actor, key, id, input, expectedVersion) };
  }

  /** JSON Patch on the item as the API shows it: the result is checked and written like a full update. */
  async patch(actor: Actor, key: OrganizationKey, id: string, operations: unknown, expectedVersion: number | undefined): Promise<V> {
    await this.access.requireTaxonomyManager(actor, key.organizationId);
    const { writable } = this.kind;
    const patched = applyPatch(patchable(await this.kind.view(key, id), writable), operations, writable);
    return this.update(actor, key, id, parseBody(this.kind.body, patched), expectedVersion);
  }

  /** Deletes the item at the version the request names (the reference marks `X-Contentful-Version` required). */
  async delete(actor: Actor, key: OrganizationKey, id: string, expectedVersion: number | undefined): Promise<void> {
    await this.access.requireTaxonomyManager(actor, key.organizationId);
    const { type } = this.kind;
    if (expectedVersion === undefined) {
      if (!(await this.kind.rows.in(key).exists(id))) throw notFound(type, id);
      throw new ApiError('VersionMismatch', 'The X-Contentful-Version header is required to delete this resource', { type, id });
    }
    await this.write(key, async (trx) => {
      await this.kind.beforeDelete?.(key, id, trx);
      await this.kind.rows.in(key, trx).delete(id, expectedVersion);
    });
  }

  private async insert(actor: Actor, key: OrganizationKey, id: string, input: I): Promise<V> {
    await this.write(key, async (trx) => {
      const columns = await this.kind.columns(key, id, input, trx);
      await this.kind.rows.in(key, trx).insert({ id, ...columns } as InsertValues<T>, actor.userId);
    });
    return this.kind.view(key, id);
  }

  private async update(actor: Actor, key: OrganizationKey, id: string, input: I, expectedVersion: number | undefined): Promise<V> {
    await this.write(key, async (trx) => {
      await this.kind.rows.in(key, trx).update(id, expectedVersion, await this.kind.columns(key, id, input, trx), actor.userId);
    });
    return this.kind.view(key, id);
  }
}
