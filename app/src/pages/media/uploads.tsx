import { Flex, Text } from '@contentful/f36-components';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type Asset, type AssetsApi, uploadFile, uploadLink, waitUntilProcessed } from '../../api/assets';
import { CmaError } from '../../api/cma';
import { titleFromFileName } from './files';

export type UploadPhase = 'uploading' | 'creating' | 'saving' | 'processing' | 'done' | 'failed';

export interface UploadItem {
  key: number;
  name: string;
  /** Share of the bytes sent, 0 to 1. */
  progress: number;
  phase: UploadPhase;
  assetId?: string;
  error?: string;
}

const PHASE_TEXT: Record<UploadPhase, string> = {
  uploading: 'Uploading',
  creating: 'Creating the asset',
  saving: 'Saving the asset',
  processing: 'Processing',
  done: 'Ready',
  failed: 'Failed',
};

const describe = (error: unknown) => (error instanceof CmaError ? error.message : String(error));

/** The file of a new upload as an asset field value: unprocessed, linking to the upload. */
export const newFileValue = (file: File, upload: Parameters<typeof uploadLink>[0]) => ({
  fileName: file.name,
  contentType: file.type || 'application/octet-stream',
  uploadFrom: uploadLink(upload),
});

interface UploadTarget {
  api: AssetsApi;
  token: string;
  spaceId: string;
  environmentId: string;
}

let nextKey = 1;

/**
 * Files dropped or picked in the library, each on its way to an asset: sent to the Upload API (with its
 * progress), an asset created in the locale linking to it, processed, and waited for until its file has a url.
 */
export function useUploadQueue(target: UploadTarget, locale: string | undefined, onReady: (asset: Asset) => void) {
  const [items, setItems] = useState<UploadItem[]>([]);
  // The latest target and callback, so a file still uploading finishes with them.
  const current = useRef({ target, onReady });
  current.current = { target, onReady };

  const patch = useCallback((key: number, change: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const run = useCallback(
    async (key: number, file: File, code: string) => {
      const { api, token, spaceId, environmentId } = current.current.target;
      try {
        const upload = await uploadFile(token, spaceId, environmentId, file, (progress) => patch(key, { progress }));
        patch(key, { phase: 'creating' });
        const created = await api.create({ title: { [code]: titleFromFileName(file.name) }, file: { [code]: newFileValue(file, upload) } });
        patch(key, { phase: 'processing', assetId: created.sys.id });
        await api.process(created, code);
        const processed = await waitUntilProcessed(api, created.sys.id, code);
        patch(key, { phase: 'done' });
        current.current.onReady(processed);
      } catch (error) {
        patch(key, { phase: 'failed', error: describe(error) });
      }
    },
    [patch],
  );

  const add = useCallback(
    (files: File[]) => {
      if (!locale) return;
      const added = files.map((file) => ({ file, key: nextKey++ }));
      setItems((list) => [...list, ...added.map(({ file, key }) => ({ key, name: file.name, progress: 0, phase: 'uploading' as const }))]);
      for (const { file, key } of added) void run(key, file, locale);
    },
    [locale, run],
  );

  const clearFinished = useCallback(() => setItems((list) => list.filter((i) => i.phase !== 'done' && i.phase !== 'failed')), []);

  return { items, add, clearFinished };
}

/** One file on its way: its name, a progress bar of the bytes sent, and what happens to it now. */
export function UploadProgress({ item, assetPath }: { item: UploadItem; assetPath?: (id: string) => string }) {
  const percent = Math.round(item.progress * 100);
  return (
    <li className="media-upload" aria-label={`Upload of ${item.name}`}>
      <Flex justifyContent="space-between" gap="spacingS" flexWrap="wrap">
        <Text fontWeight="fontWeightMedium" className="media-upload-name">
          {item.name}
        </Text>
        <Text role="status" fontColor={item.phase === 'failed' ? 'red600' : 'gray700'}>
          {item.phase === 'uploading' ? `${PHASE_TEXT.uploading} ${percent}%` : PHASE_TEXT[item.phase]}
          {item.phase === 'done' && item.assetId && assetPath ? (
            <>
              {' — '}
              <Link to={assetPath(item.assetId)}>open</Link>
            </>
          ) : null}
        </Text>
      </Flex>
      <progress
        className="media-progress"
        max={100}
        // Creating and processing take no bytes to count: the bar is indeterminate meanwhile.
        value={item.phase === 'uploading' || item.phase === 'failed' ? percent : item.phase === 'done' ? 100 : undefined}
        aria-label={`${item.name}: ${PHASE_TEXT[item.phase].toLowerCase()}`}
      />
      {item.error ? (
        <Text as="p" fontColor="red600" role="alert">
          {item.error}
        </Text>
      ) : null}
    </li>
  );
}
