import { Button, Flex, Note, Paragraph, TextLink } from '@contentful/f36-components';
import { useRef } from 'react';
import type { AssetFile } from '../../api/assets';
import { fileKind, formatBytes, imageUrl } from './files';
import { type UploadItem, UploadProgress } from './uploads';

interface FilePanelProps {
  file: AssetFile | undefined;
  /** The locale's name, for the buttons' accessible names. */
  localeLabel: string;
  editable: boolean;
  busy: boolean;
  replacing?: UploadItem;
  problems: string[];
  onReplace(file: File): void;
  onProcess(): void;
}

/** A locale's file: a preview, what it is (name, type, size, dimensions), and replacing it with another one. */
export function FilePanel({ file, localeLabel, editable, busy, replacing, problems, onReplace, onProcess }: FilePanelProps) {
  const input = useRef<HTMLInputElement>(null);
  const dimensions = file?.details?.image;
  // Fitted into 560 x 320, never enlarged.
  const preview = imageUrl(file, { w: Math.min(560, dimensions?.width ?? 560), h: Math.min(320, dimensions?.height ?? 320) });
  const working = replacing !== undefined && replacing.phase !== 'done' && replacing.phase !== 'failed';
  return (
    <fieldset className="media-file">
      <legend>File</legend>
      {preview ? <img className="media-preview" src={preview} alt={`Preview of ${file?.fileName ?? 'the file'}`} /> : null}
      {file ? (
        <dl className="media-file-details">
          <dt>File name</dt>
          <dd>{file.url ? <TextLink href={file.url}>{file.fileName ?? 'file'}</TextLink> : (file.fileName ?? '—')}</dd>
          <dt>Type</dt>
          <dd>
            {fileKind(file)} <code>{file.contentType}</code>
          </dd>
          {file.details ? (
            <>
              <dt>Size</dt>
              <dd>{formatBytes(file.details.size)}</dd>
            </>
          ) : null}
          {dimensions ? (
            <>
              <dt>Dimensions</dt>
              <dd>{`${dimensions.width} × ${dimensions.height} px`}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <Paragraph>No file in this locale.</Paragraph>
      )}
      {file && !file.url && !working ? (
        <Note variant="warning" style={{ marginBottom: 8 }}>
          Not processed yet: it cannot be published until it is.
          {editable ? (
            <div>
              <Button size="small" onClick={onProcess} isDisabled={busy} aria-label={`Process the file (${localeLabel})`}>
                Process
              </Button>
            </div>
          ) : null}
        </Note>
      ) : null}
      {problems.length ? (
        <Note variant="negative" role="alert" style={{ marginBottom: 8 }} aria-label={`Problems of the file (${localeLabel})`}>
          {problems.map((text) => (
            <div key={text}>{text}</div>
          ))}
        </Note>
      ) : null}
      {replacing ? (
        <ul className="media-uploads">
          <UploadProgress item={replacing} />
        </ul>
      ) : null}
      {editable ? (
        <Flex gap="spacingS">
          <Button
            size="small"
            onClick={() => input.current?.click()}
            isDisabled={busy || working}
            aria-label={`${file ? 'Replace' : 'Add'} file (${localeLabel})`}
          >
            {file ? 'Replace file' : 'Add file'}
          </Button>
          <input
            ref={input}
            className="sr-only"
            type="file"
            tabIndex={-1}
            aria-label={`New file (${localeLabel})`}
            onChange={(event) => {
              const chosen = event.target.files?.[0];
              event.target.value = '';
              if (chosen) onReplace(chosen);
            }}
          />
        </Flex>
      ) : null}
    </fieldset>
  );
}
