import { applyPatch } from '../../domain/json-patch.js';
import { patchableDocument } from '../publishable/view.js';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Actor } from '../../auth/actor.js';
import type { Config } from '../../config.js';
import type { DB, LocalizedFields } from '../../db/schema.js';
import { ApiError, badRequest, validationFailed, type ValidationErrorItem } from '../../domain/errors.js';
import { generateId } from '../../domain/ids.js';
import type { OutboundClient } from '../../outbound/client.js';
import type { ImageVariants } from '../../images/variants.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { validateEntryFields } from '../../validation/entry-fields.js';
import type { FieldDefinition } from '../../domain/field-types.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { assetBlobKey, ownFileKey, publicFileUrl } from '../files/urls.js';
import { environmentLocales } from '../locales/repository.js';
import { isPublished, localePublishedFields, localePublishedLocales, transitionedRow } from '../../domain/publishing.js';
import { assertVersion, type PublishableRow } from '../publishable/repository.js';
import { AssetRepository } from './repository.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { PublishableSearch } from '../publishable/search.js';
import { PublishableService } from '../publishable/service.js';
import { publishableView, publishedCopyView } from '../publishable/view.js';
import { missingTagIds } from '../tags/repository.js';
import { assertTagsExist, tagIdsOf } from '../tags/service.js';
import type { UploadService } from '../uploads/service.js';
import { imageDimensions, needsProcessing, openRemoteFile, type AssetFile } from './processing.js';

/** Assets have a fixed, localized model (seed 000, "Assets"). */
const ASSET_FIELDS: FieldDefinition[] = [
  { id: 'title', name: 'Title', type: 'Symbol', localized: true },
  { id: 'description', name: 'Description', type: 'Text', localized: true },
  { id: 'file', name: 'File', type: 'Object', localized: true },
];

export interface AssetInput {
  fields?: Record<string, unknown>;
  metadata?: { tags?: { sys: { id: string } }[]; concepts?: { sys: { id: string } }[] };
}

function fileErrors(fields: LocalizedFields): ValidationErrorItem[] {
  const errors: ValidationErrorItem[] = [];
  for (const [locale, value] of Object.entries(fields.file ?? {})) {
    const path = ['fields', 'file', locale];
    const file = value as AssetFile | null;
    if (file === null) continue;
    if (typeof file.fileName !== 'string' || file.fileName === '')
      errors.push({ name: 'required', path: [...path, 'fileName'], details: 'A file needs a fileName' });
    if (typeof file.contentType !== 'string' || file.contentType === '')
      errors.push({ name: 'required', path: [...path, 'contentType'], details: 'A file needs a contentType' });
    if (file.upload !== undefined && typeof file.upload !== 'string')
      errors.push({ name: 'type', type: 'Symbol', path: [...path, 'upload'] });
    if (file.uploadFrom !== undefined && (file.uploadFrom?.sys?.linkType !== 'Upload' || typeof file.uploadFrom.sys.id !== 'string')) {
      errors.push({ name: 'type', type: 'Link', path: [...path, 'uploadFrom'], details: 'uploadFrom is a Link to an Upload' });
    }
  }
  return errors;
}

/** The processed file URLs of every locale. */
function fileUrls(fields: LocalizedFields): string[] {
  return Object.values(fields.file ?? {})
    .map((file) => (file as AssetFile | null)?.url)
    .filter((url): url is string => typeof url === 'string');
}

export class AssetService extends PublishableService {
  constructor(
    db: Kysely<DB>,
    private readonly blobs: BlobStore,
    private readonly uploads: UploadService,
    private readonly config: Config,
    private readonly logger: Logger,
    search: PublishableSearch,
    /** Fetches `upload` URLs; refuses private and reserved addresses unless configured otherwise. */
    private readonly outbound: OutboundClient,
    notices: WriteNotices,
    /** The Images API variants of stored files: dropped with the file that made them. */
    private readonly images: ImageVariants,
    private readonly assets = new AssetRepository(db),
  ) {
    super(db, 'assets', 'Asset', search, notices, assets);
  }

  async put(actor: Actor, scope: EnvironmentScope, id: string, input: AssetInput, expectedVersion: number | undefined) {
    const existing = await this.repository.in(scope).find(id);
    if (existing) return { created: false, asset: await this.update(actor, scope, id, input, expectedVersion, existing) };
    return { created: true, asset: await this.create(actor, scope, id, input) };
  }

  async create(actor: Actor, scope: EnvironmentScope, id: string | undefined, input: AssetInput) {
    const [fields, concepts] = await Promise.all([this.checkFields(scope, input), this.conceptsOf(scope, input)]);
    return this.insertDraft(actor, scope, id ?? generateId(), { fields, tags: tagIdsOf(input), concepts });
  }

  /** `PATCH .../assets/{id}`: JSON Patch on `/fields` and `/metadata`, saved like a full update. */
  async patch(actor: Actor, scope: EnvironmentScope, id: string, operations: unknown, expectedVersion: number | undefined) {
    const current = await this.authorized(scope, id);
    const patched = applyPatch(patchableDocument(current), operations);
    return this.update(actor, scope, id, patched as AssetInput, expectedVersion, current);
  }

  async update(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    input: AssetInput,
    expectedVersion: number | undefined,
    existing?: PublishableRow,
  ) {
    const found = existing ? this.authorizedRow(scope, existing) : await this.authorized(scope, id);
    if (expectedVersion === undefined)
      throw new ApiError('VersionMismatch', 'The X-Contentful-Version header is required to update an asset', { type: 'Asset', id });
    const { current, draft } = await this.checkedDraft(scope, id, input, undefined, found);
    const saved = await this.saveDraft(actor, scope, current, draft, expectedVersion);
    const kept = new Set(fileUrls(draft.fields));
    await this.dropVariants(fileUrls(current.fields).filter((url) => !kept.has(url)));
    return saved;
  }

  async checkedDraft(
    scope: EnvironmentScope,
    id: string,
    input: AssetInput,
    base?: { fields: LocalizedFields; tags: string[] },
    existing?: PublishableRow,
  ) {
    const current = existing ? this.authorizedRow(scope, existing) : await this.authorized(scope, id);
    const [fields, concepts] = await Promise.all([this.checkFields(scope, input), this.conceptsOf(scope, input)]);
    const draft = { fields, tags: tagIdsOf(input), concepts };
    this.authorizeUpdate(scope, base ? { ...current, ...base } : current, draft);
    return { current, draft };
  }

  /** Deleting an asset drops the Images API variants of its files. */
  override async delete(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    const row = await super.delete(actor, scope, id, expectedVersion);
    await this.dropVariants(fileUrls(row.fields));
    return row;
  }

  /**
   * Removes the stored variants of files an asset no longer has (replaced, re-processed or deleted); a
   * published copy that still links a file gets its variants computed again on demand.
   */
  private async dropVariants(urls: string[]) {
    for (const url of urls) {
      const key = ownFileKey(this.config, url);
      if (key) await this.images.deleteVariants(key).catch((err) => this.logger.warn({ err, url }, 'dropping image variants failed'));
    }
  }

  /** Only processed files can be published (seed 004: "To publish an asset, you need to process it before"). */
  async publish(actor: Actor, scope: EnvironmentScope, id: string, expectedVersion: number | undefined) {
    const current = await this.authorized(scope, id, 'publish');
    assertVersion('Asset', current, expectedVersion);
    const problems = unprocessedFiles(current);
    if (problems.length) throw validationFailed(problems);
    const next = transitionedRow('publish', current, actor.userId, new Date());
    await this.write(scope, 'publish', current, next, this.publishRecords(scope, next, actor));
    return publishableView('Asset', next);
  }

  /**
   * Locale-based publishing of an asset (the SDK's `asset.publish`/`unpublish` with `locales`): as for
   * entries, only those locales are published or taken back (every asset field is localized), their files
   * must be processed, and taking back the last published locale unpublishes the asset.
   */
  async publishLocales(
    actor: Actor,
    scope: EnvironmentScope,
    id: string,
    expectedVersion: number | undefined,
    change: { add?: string[]; remove?: string[] },
  ) {
    const current = await this.authorized(scope, id, change.add ? 'publish' : 'unpublish');
    assertVersion('Asset', current, expectedVersion);
    const known = (await environmentLocales(this.db, scope)).map((l) => l.code);
    const unknown = [...(change.add ?? []), ...(change.remove ?? [])].filter((code) => !known.includes(code));
    if (unknown.length) throw badRequest(`Unknown locale: ${unknown.join(', ')}`, { locales: unknown });
    const publishedLocales = localePublishedLocales(current, change, known);
    if (change.remove && publishedLocales.length === 0) return this.unpublish(actor, scope, id, expectedVersion);
    if (change.remove && !isPublished(current)) throw badRequest('Cannot unpublish locales of an asset that is not published');
    const problems = unprocessedFiles(current).filter((problem) => change.add?.includes(String(problem.path[2])));
    if (problems.length) throw validationFailed(problems);
    const next = {
      ...transitionedRow('publish', current, actor.userId, new Date()),
      published_fields: localePublishedFields(current.fields, current.published_fields, change, () => true),
      published_locales: publishedLocales,
    };
    await this.write(scope, 'publish', current, next, this.publishRecords(scope, next, actor));
    return publishableView('Asset', next);
  }

  protected async publishProblemsOf(_scope: EnvironmentScope, rows: PublishableRow[]): Promise<Map<string, ApiError>> {
    const problems = new Map<string, ApiError>();
    for (const row of rows) {
      const files = unprocessedFiles(row);
      if (files.length) problems.set(row.id, validationFailed(files));
    }
    return problems;
  }

  protected publishRecords(_scope: EnvironmentScope, next: PublishableRow, actor: Actor) {
    return { event: this.event(next, 'publish', publishedCopyView('Asset', next), actor) };
  }

  /**
   * Starts processing the file of one locale and answers at once; the SDK polls until `url` appears.
   * An already processed file is left as it is, so repeating the call is harmless.
   */
  async process(_actor: Actor, scope: EnvironmentScope, id: string, locale: string) {
    const row = await this.authorized(scope, id);
    // Processing rewrites the locale's file, so it needs the right to update that value.
    scope.permissions.content.requireUpdate(this.policyEntity(row), [['fields', 'file', locale]]);
    const file = row.fields.file?.[locale] as AssetFile | undefined;
    if (!file) throw badRequest(`The asset has no file for locale "${locale}"`);
    if (!needsProcessing(file)) return;
    let source: Readable;
    if (file.uploadFrom) {
      const upload = await this.uploads.find(scope.spaceId, file.uploadFrom.sys.id).catch(() => {
        throw validationFailed([
          { name: 'notResolvable', path: ['fields', 'file', locale, 'uploadFrom'], details: 'The upload does not exist or has expired' },
        ]);
      });
      source = this.blobs.get(upload.blob_key);
    } else if (await this.isOwnFile(file.upload!)) {
      // A file this server already serves (an asset copied by contentful-import, say) is read from the
      // store, not fetched over the network.
      source = this.blobs.get(ownFileKey(this.config, file.upload!)!);
    } else {
      const remote = await openRemoteFile(this.outbound, file.upload!, { maxBytes: this.config.uploadLimitBytes || undefined });
      if ('error' in remote)
        throw validationFailed([{ name: 'invalid', path: ['fields', 'file', locale, 'upload'], details: remote.error }]);
      source = remote.body;
    }
    void this.storeProcessedFile(scope, id, locale, file, source);
  }

  private async isOwnFile(url: string): Promise<boolean> {
    const key = ownFileKey(this.config, url);
    return key !== undefined && (await this.blobs.stat(key).catch(() => undefined)) !== undefined;
  }

  private async storeProcessedFile(scope: EnvironmentScope, id: string, locale: string, original: AssetFile, source: Readable) {
    const fileId = generateId();
    const key = assetBlobKey(scope.spaceId, fileId);
    try {
      const info = await this.blobs.put(key, source, {
        limit: this.config.uploadLimitBytes || undefined,
        contentType: original.contentType,
      });
      const image = original.contentType?.startsWith('image/') ? await imageDimensions(this.blobs, key, info.size) : undefined;
      const processed: AssetFile = {
        fileName: original.fileName,
        contentType: original.contentType,
        url: publicFileUrl(this.config, scope.spaceId, fileId, original.fileName ?? 'file'),
        details: image ? { size: info.size, image } : { size: info.size },
      };
      // Only if the file is still the one we started from; an edit in between wins.
      if (await this.assets.replaceFile(scope, id, locale, original, processed)) this.notices.written('content');
      else await this.blobs.delete(key);
    } catch (err) {
      this.logger.error({ err, assetId: id, locale }, 'asset processing failed');
      await this.blobs.delete(key).catch(() => undefined);
    }
  }

  private async checkFields(scope: EnvironmentScope, input: AssetInput): Promise<LocalizedFields> {
    const fields = (input.fields ?? {}) as LocalizedFields;
    const errors = [
      ...validateEntryFields(ASSET_FIELDS, fields, await environmentLocales(this.db, scope), { mode: 'save' }),
      ...fileErrors(fields),
    ];
    if (errors.length) throw validationFailed(errors);
    assertTagsExist(await missingTagIds(this.db, scope, tagIdsOf(input)));
    return fields;
  }
}

/** An asset is published with every file processed. */
function unprocessedFiles(row: PublishableRow): ValidationErrorItem[] {
  return Object.entries(row.fields.file ?? {})
    .filter(([, f]) => f && !(f as AssetFile).url)
    .map(([locale]) => ({
      name: 'required',
      path: ['fields', 'file', locale, 'url'],
      details: 'The file must be processed before the asset is published',
    }));
}
