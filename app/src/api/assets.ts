import { type EntityStatus, entityStatus } from './status';
/**
 * The Media section's calls: assets over the CMA (built on `cma.request`), the environment's locales, and
 * file uploads to the Upload API, which this server answers on its own port (with upload progress, which
 * fetch cannot report, through XMLHttpRequest).
 */
import { type Cma, CmaError, type Collection, environmentPath, type Link } from './cma';

export interface Locale {
  code: string;
  name: string;
  default: boolean;
  fallbackCode: string | null;
  optional?: boolean;
  sys: { id: string };
}

export interface AssetFile {
  fileName?: string;
  contentType?: string;
  /** Set once the file is processed: `//host/files/...`. */
  url?: string;
  upload?: string;
  uploadFrom?: Link;
  details?: { size: number; image?: { width: number; height: number } };
}

export interface AssetFields {
  title?: Record<string, string>;
  description?: Record<string, string>;
  file?: Record<string, AssetFile>;
}

export interface Asset {
  fields: AssetFields;
  metadata?: { tags?: Link[] };
  sys: {
    id: string;
    version: number;
    createdAt: string;
    updatedAt: string;
    publishedVersion?: number;
    archivedVersion?: number;
    createdBy?: Link;
  };
}

export interface Upload {
  sys: { id: string; type: 'Upload' };
}

export interface AssetSearch {
  query?: string;
  status?: EntityStatus;
  skip: number;
  limit: number;
}

/** Published and changed assets both have a published version: the CMA has no filter that tells them apart. */
const SCAN_PAGE = 1000;
const SCAN_PAGES = 10;

export type AssetsApi = ReturnType<typeof createAssetsApi>;

export function createAssetsApi(cma: Cma, spaceId: string, environmentId: string) {
  const base = environmentPath(spaceId, environmentId);
  const assetPath = (id: string) => `${base}/assets/${encodeURIComponent(id)}`;
  const listAssets = (params: URLSearchParams) => cma.request<Collection<Asset> & { total: number }>('GET', `${base}/assets?${params}`);

  /** Statuses the query can ask for itself; published and changed are told apart here, from a scan of the versions. */
  async function findByVersions(search: AssetSearch, common: URLSearchParams) {
    const matching: string[] = [];
    for (let page = 0; page < SCAN_PAGES; page++) {
      const params = new URLSearchParams(common);
      params.set('sys.publishedVersion[exists]', 'true');
      params.set('select', 'sys.version,sys.publishedVersion,sys.archivedVersion');
      params.set('limit', String(SCAN_PAGE));
      params.set('skip', String(page * SCAN_PAGE));
      const scanned = await listAssets(params);
      for (const item of scanned.items) if (entityStatus(item.sys) === search.status) matching.push(item.sys.id);
      if ((page + 1) * SCAN_PAGE >= scanned.total) break;
    }
    const ids = matching.slice(search.skip, search.skip + search.limit);
    if (!ids.length) return { items: [], total: matching.length };
    const params = new URLSearchParams({ 'sys.id[in]': ids.join(','), limit: String(ids.length) });
    const found = await listAssets(params);
    const items = ids.map((id) => found.items.find((a) => a.sys.id === id)).filter((a): a is Asset => a !== undefined);
    return { items, total: matching.length };
  }

  return {
    locales: () => cma.request<Collection<Locale>>('GET', `${base}/locales?limit=1000`),

    /** A page of assets, newest change first, matching the full-text query and the status. */
    async search(search: AssetSearch): Promise<{ items: Asset[]; total: number }> {
      const common = new URLSearchParams({ order: '-sys.updatedAt' });
      if (search.query) common.set('query', search.query);
      if (search.status === 'published' || search.status === 'changed') return findByVersions(search, common);
      const params = new URLSearchParams(common);
      if (search.status === 'archived') params.set('sys.archivedAt[exists]', 'true');
      if (search.status === 'draft') {
        params.set('sys.archivedAt[exists]', 'false');
        params.set('sys.publishedVersion[exists]', 'false');
      }
      params.set('skip', String(search.skip));
      params.set('limit', String(search.limit));
      const page = await listAssets(params);
      return { items: page.items, total: page.total };
    },

    get: (id: string) => cma.request<Asset>('GET', assetPath(id)),
    create: (fields: AssetFields) => cma.request<Asset>('POST', `${base}/assets`, { body: { fields } }),
    /** Saves the fields at the version they were edited from (a newer one on the server is a 409). */
    update: (asset: Asset, fields: AssetFields) =>
      cma.request<Asset>('PUT', assetPath(asset.sys.id), { body: { fields, metadata: asset.metadata }, version: asset.sys.version }),
    process: (asset: Asset, locale: string) =>
      cma.request<void>('PUT', `${assetPath(asset.sys.id)}/files/${encodeURIComponent(locale)}/process`, { version: asset.sys.version }),
    publish: (asset: Asset) => cma.request<Asset>('PUT', `${assetPath(asset.sys.id)}/published`, { version: asset.sys.version }),
    unpublish: (asset: Asset) => cma.request<Asset>('DELETE', `${assetPath(asset.sys.id)}/published`, { version: asset.sys.version }),
    archive: (asset: Asset) => cma.request<Asset>('PUT', `${assetPath(asset.sys.id)}/archived`, { version: asset.sys.version }),
    unarchive: (asset: Asset) => cma.request<Asset>('DELETE', `${assetPath(asset.sys.id)}/archived`, { version: asset.sys.version }),
    remove: (asset: Asset) => cma.request<void>('DELETE', assetPath(asset.sys.id), { version: asset.sys.version }),
  };
}

/** Sends a file to the Upload API, reporting the share sent so far (0 to 1); answers the Upload to link from an asset. */
export function uploadFile(
  token: string,
  spaceId: string,
  environmentId: string,
  file: Blob,
  onProgress: (sent: number) => void,
): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${environmentPath(spaceId, environmentId)}/uploads`);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as { sys?: { id?: string }; message?: string; details?: unknown } | null;
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(body as Upload);
      } else {
        reject(new CmaError(request.status, body?.sys?.id ?? 'ServerError', body?.message ?? request.statusText, body?.details));
      }
    };
    request.onerror = () => reject(new CmaError(0, 'NetworkError', 'The server could not be reached.'));
    request.send(file);
  });
}

const PROCESSING_LIMIT_MS = 60_000;

/**
 * Polls the asset until the file of `locale` has its url (processing runs in the background on the server),
 * at growing intervals, for a minute at most.
 */
export async function waitUntilProcessed(api: AssetsApi, id: string, locale: string): Promise<Asset> {
  const deadline = Date.now() + PROCESSING_LIMIT_MS;
  let delay = 200;
  for (;;) {
    const asset = await api.get(id);
    if (asset.fields.file?.[locale]?.url) return asset;
    if (Date.now() + delay > deadline) {
      throw new CmaError(0, 'ProcessingTimeout', 'The file was not processed within a minute; open the asset later to see it.');
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 1.5, 2000);
  }
}

/** The link an asset's file takes to an upload. */
export function uploadLink(upload: Upload): Link {
  return { sys: { type: 'Link', linkType: 'Upload', id: upload.sys.id } };
}
