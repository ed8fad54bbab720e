/** The definition of a content type field, as the content model stores it (seed 000, "Content types"). */
export interface FieldValidation {
  size?: { min?: number; max?: number };
  range?: { min?: number; max?: number };
  regexp?: { pattern: string; flags?: string | null };
  prohibitRegexp?: { pattern: string; flags?: string | null };
  in?: unknown[];
  unique?: boolean;
  dateRange?: { min?: string; max?: string };
  linkContentType?: string[];
  /** A list, or one group as a string (the form Contentful's own exports carry); kept as sent. */
  linkMimetypeGroup?: string | string[];
  assetImageDimensions?: { width?: { min?: number; max?: number }; height?: { min?: number; max?: number } };
  assetFileSize?: { min?: number; max?: number };
  enabledNodeTypes?: string[];
  enabledMarks?: string[];
  nodes?: Record<string, FieldValidation[]>;
  message?: string | null;
}

export interface FieldItems {
  type: 'Symbol' | 'Link' | 'ResourceLink';
  linkType?: 'Entry' | 'Asset';
  validations?: FieldValidation[];
}

export type FieldType =
  | 'Symbol'
  | 'Text'
  | 'RichText'
  | 'Integer'
  | 'Number'
  | 'Date'
  | 'Boolean'
  | 'Location'
  | 'Object'
  | 'Link'
  | 'Array'
  | 'ResourceLink';

export interface FieldDefinition {
  id: string;
  name: string;
  type: FieldType;
  linkType?: 'Entry' | 'Asset';
  items?: FieldItems;
  localized?: boolean;
  required?: boolean;
  disabled?: boolean;
  omitted?: boolean;
  deleted?: boolean;
  validations?: FieldValidation[];
  defaultValue?: Record<string, unknown>;
  allowedResources?: unknown[];
}

export interface LocaleInfo {
  code: string;
  default: boolean;
  fallbackCode: string | null;
  optional: boolean;
  contentDeliveryApi?: boolean;
  name?: string;
}

/** Whether the delivery APIs serve a locale (a locale may be left out with `contentDeliveryApi: false`). */
export const isDeliveredLocale = (locale: LocaleInfo) => locale.contentDeliveryApi !== false;

/** Seed 003's MIME type groups (used by `linkMimetypeGroup` and `mimetype_group`): type prefixes or exact types. */
export const MIMETYPE_GROUP_RULES: Record<string, { prefixes?: string[]; types?: string[] }> = {
  attachment: {},
  plaintext: { types: ['text/plain'] },
  image: { prefixes: ['image/'] },
  audio: { prefixes: ['audio/'] },
  video: { prefixes: ['video/'] },
  richtext: {
    types: [
      'application/rtf',
      'text/rtf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.oasis.opendocument.text',
    ],
  },
  presentation: {
    types: [
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
      'application/vnd.oasis.opendocument.presentation',
      'application/keynote',
    ],
  },
  spreadsheet: {
    types: [
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.oasis.opendocument.spreadsheet',
      'text/csv',
    ],
  },
  pdfdocument: { types: ['application/pdf'] },
  archive: {
    types: [
      'application/zip',
      'application/x-zip-compressed',
      'application/x-tar',
      'application/gzip',
      'application/x-gzip',
      'application/x-7z-compressed',
      'application/x-rar-compressed',
      'application/x-bzip2',
    ],
  },
  code: {
    types: [
      'application/json',
      'application/javascript',
      'text/javascript',
      'application/x-javascript',
      'text/css',
      'application/x-sh',
      'text/x-python',
      'application/x-httpd-php',
      'application/typescript',
    ],
  },
  markup: { types: ['text/html', 'application/xml', 'text/xml', 'application/xhtml+xml', 'text/markdown'] },
};

export const MIMETYPE_GROUPS = Object.keys(MIMETYPE_GROUP_RULES);

function inGroup(group: string, contentType: string): boolean {
  const rule = MIMETYPE_GROUP_RULES[group];
  if (!rule) return false;
  if (!rule.prefixes && !rule.types) return true;
  return Boolean(rule.prefixes?.some((p) => contentType.startsWith(p)) || rule.types?.includes(contentType));
}

export function mimetypeGroupOf(contentType: string): string {
  const normalized = contentType.split(';')[0].trim().toLowerCase();
  for (const group of MIMETYPE_GROUPS) if (group !== 'attachment' && inGroup(group, normalized)) return group;
  return 'attachment';
}
