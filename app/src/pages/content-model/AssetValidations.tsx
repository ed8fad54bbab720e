import type { Validation } from '../../api/cma';
import { ChoiceList, MinMaxInputs, type ProblemsByKind, ValidationBlock } from './ValidationControls';
import { withoutEmpty } from './fields';

/** Contentful's MIME type groups (`linkMimetypeGroup`), in the order its web app lists them. */
const MIMETYPE_GROUPS = [
  { value: 'attachment', label: 'Attachment' },
  { value: 'plaintext', label: 'Plain text' },
  { value: 'image', label: 'Image' },
  { value: 'audio', label: 'Audio' },
  { value: 'video', label: 'Video' },
  { value: 'richtext', label: 'Rich text document' },
  { value: 'presentation', label: 'Presentation' },
  { value: 'spreadsheet', label: 'Spreadsheet' },
  { value: 'pdfdocument', label: 'PDF document' },
  { value: 'archive', label: 'Archive' },
  { value: 'code', label: 'Code' },
  { value: 'markup', label: 'Markup' },
];

type Bounds = { min?: unknown; max?: unknown };

/** The validations of a media field or of a media list's items: file types, image dimensions, file size. */
export function AssetValidations({
  list,
  problems,
  onChange,
}: {
  list: Validation[] | undefined;
  problems: ProblemsByKind;
  onChange(list: Validation[]): void;
}) {
  return (
    <>
      <ValidationBlock title="Accepted file types" kind="linkMimetypeGroup" list={list} problems={problems} onChange={onChange}>
        {(value, set) => (
          <ChoiceList
            legend="Accepted file types (none checked: any)"
            options={MIMETYPE_GROUPS}
            // Contentful's exports may carry a single group as a plain string.
            value={typeof value === 'string' ? [value] : (value as string[] | undefined)}
            onChange={set}
          />
        )}
      </ValidationBlock>
      <ValidationBlock title="Image dimensions" kind="assetImageDimensions" list={list} problems={problems} onChange={onChange}>
        {(value, set) => {
          const dimensions = (value ?? {}) as { width?: Bounds; height?: Bounds };
          const update = (side: 'width' | 'height', bounds: Bounds | undefined) => set(withoutEmpty({ ...dimensions, [side]: bounds }));
          return (
            <>
              <MinMaxInputs label="Image width in pixels" value={dimensions.width} onChange={(b) => update('width', b)} />
              <MinMaxInputs label="Image height in pixels" value={dimensions.height} onChange={(b) => update('height', b)} />
            </>
          );
        }}
      </ValidationBlock>
      <ValidationBlock title="File size" kind="assetFileSize" list={list} problems={problems} onChange={onChange}>
        {(value, set) => <MinMaxInputs label="File size in bytes" value={value} onChange={set} />}
      </ValidationBlock>
    </>
  );
}
