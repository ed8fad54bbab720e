import type { FieldAPI, FieldAppSDK } from '@contentful/app-sdk';
import type { PlainClientAPI } from 'contentful-management';
import type { SpaceAccess } from '../../access';
import type { ContentType, ContentTypeField } from '../../api/cma';
import type { Entry, Locale } from '../../api/entries';
import type { EntryDocument } from './entry-document';

/** The pickers and dialogs the field editors open, drawn by the entry editor page. */
export interface HostDialogs {
  selectEntries(options: { contentTypes?: string[]; multiple: boolean }): Promise<Entry[] | null>;
  selectAssets(options: { multiple: boolean }): Promise<unknown[] | null>;
  /** A dialog of the editor itself (`sdk.dialogs.openCurrent`): the rich text editor's hyperlink dialog. */
  openCurrent(options: { title?: string; parameters?: unknown }, sdk: FieldAppSDK): Promise<unknown>;
}

export interface HostNavigator {
  openEntry(entryId: string): void;
  openAsset(assetId: string): void;
  /** Creates an entry of the content type and opens it; the editors link it. */
  openNewEntry(contentTypeId: string): Promise<Entry>;
}

/** Everything a field editor may ask of its host, for one entry. */
export interface HostContext {
  doc: EntryDocument;
  contentType: ContentType;
  locales: Locale[];
  spaceId: string;
  environmentId: string;
  userId: string;
  cma: PlainClientAPI;
  access: SpaceAccess;
  dialogs: HostDialogs;
  navigator: HostNavigator;
  /** Whether this field may be written in this locale (the field's `disabled`, the user's role). */
  isEditable(field: ContentTypeField, locale: string): boolean;
}

const NO_SUBSCRIPTION = () => () => undefined;

/** `sdk.field`: one field in one locale of the document. */
export function fieldApi(host: HostContext, field: ContentTypeField, locale: string): FieldAPI {
  const { doc } = host;
  const disabled = !host.isEditable(field, locale);
  return {
    id: field.id,
    name: field.name,
    locale,
    type: field.type,
    ...(field.linkType ? { linkType: field.linkType } : {}),
    ...(field.items ? { items: field.items } : {}),
    required: Boolean(field.required),
    validations: field.validations ?? [],
    getValue: () => doc.getValue(field.id, locale),
    setValue: async (value: unknown) => {
      await doc.setValue(field.id, locale, value);
      return value;
    },
    removeValue: () => doc.setValue(field.id, locale, undefined),
    setInvalid: () => undefined,
    onValueChanged: (callback: (value: unknown) => void) => doc.onValueChanged(field.id, locale, callback),
    getIsDisabled: () => disabled,
    onIsDisabledChanged: NO_SUBSCRIPTION,
    getSchemaErrors: () => doc.errors(field.id, locale),
    onSchemaErrorsChanged: (callback: (errors: unknown[]) => void) => doc.onErrorsChanged(field.id, locale, callback),
  } as unknown as FieldAPI;
}

function localesApi(locales: Locale[]) {
  const byCode = <T>(value: (l: Locale) => T) => Object.fromEntries(locales.map((l) => [l.code, value(l)]));
  return {
    available: locales.map((l) => l.code),
    default: locales.find((l) => l.default)?.code ?? locales[0]?.code ?? 'en-US',
    names: byCode((l) => l.name),
    fallbacks: byCode((l) => l.fallbackCode ?? undefined),
    optional: byCode((l) => l.optional),
    direction: byCode(() => 'ltr'),
  };
}

/** `sdk.entry.fields[id]`: a field across locales, as the slug editor reads its title field. */
function entryFieldApi(host: HostContext, field: ContentTypeField) {
  const { doc } = host;
  return {
    id: field.id,
    name: field.name,
    type: field.type,
    locales: host.locales.map((l) => l.code),
    required: Boolean(field.required),
    validations: field.validations ?? [],
    getValue: (locale?: string) => doc.getValue(field.id, locale ?? localesApi(host.locales).default),
    setValue: (value: unknown, locale?: string) => doc.setValue(field.id, locale ?? localesApi(host.locales).default, value),
    removeValue: (locale?: string) => doc.setValue(field.id, locale ?? localesApi(host.locales).default, undefined),
    onValueChanged: (first: string | ((value: unknown) => void), second?: (value: unknown) => void) =>
      typeof first === 'string' && second
        ? doc.onValueChanged(field.id, first, second)
        : doc.onValueChanged(field.id, localesApi(host.locales).default, first as (value: unknown) => void),
    onIsDisabledChanged: NO_SUBSCRIPTION,
    getForLocale: (locale: string) => fieldApi(host, field, locale),
  };
}

/**
 * The App SDK a field editor gets (`FieldAppSDK`), over the CMA: the field, the entry, the locales, the
 * space's entities through the official management client, the pickers and navigation of this app, and
 * the user's access. What Contentful's web app offers beyond that (apps, bulk editing, releases in the
 * editor) is absent, and the editors then hide it.
 */
export function fieldSdk(host: HostContext, field: ContentTypeField, locale: string): FieldAppSDK {
  const { doc, contentType } = host;
  const locales = localesApi(host.locales);
  const entryFields = Object.fromEntries(contentType.fields.map((f) => [f.id, entryFieldApi(host, f)]));
  const sdk = {
    field: fieldApi(host, field, locale),
    locales,
    contentType,
    cma: host.cma,
    ids: {
      space: host.spaceId,
      environment: host.environmentId,
      entry: doc.sys.id,
      contentType: contentType.sys.id,
      field: field.id,
      user: host.userId,
    },
    user: { sys: { id: host.userId, type: 'User' }, spaceMembership: { admin: host.access.admin } },
    parameters: { installation: {}, instance: {}, invocation: undefined },
    entry: {
      fields: entryFields,
      getSys: () => doc.sys,
      onSysChanged: (callback: (sys: unknown) => void) => doc.onSysChanged(callback),
      getMetadata: () => doc.entry.metadata,
      onMetadataChanged: NO_SUBSCRIPTION,
      save: () => doc.save(),
      publish: () => doc.act('publish').then(() => undefined),
      unpublish: () => doc.act('unpublish').then(() => undefined),
    },
    space: {
      getEntityScheduledActions: (_entityType: string, entityId: string) =>
        host.cma.scheduledActions
          .getMany({
            spaceId: host.spaceId,
            query: { 'entity.sys.id': entityId, 'environment.sys.id': host.environmentId, 'sys.status': 'scheduled' },
          })
          .then((page) => page.items),
      onEntityChanged: NO_SUBSCRIPTION,
      getCachedContentTypes: () => [contentType],
      getContentTypes: () => host.cma.contentType.getMany({ query: { limit: 1000 } }),
    },
    access: {
      can: (action: string, entity: string | { sys?: { type?: string; contentType?: { sys: { id: string } } } }) => {
        const type = typeof entity === 'string' ? entity : entity?.sys?.type;
        const contentTypeId = typeof entity === 'string' ? undefined : entity?.sys?.contentType?.sys.id;
        if (type !== 'Entry' && type !== 'Asset') return Promise.resolve(host.access.admin);
        return Promise.resolve(host.access.can(action as 'read', { type, contentTypeId }));
      },
      canPerformActionOnEntryOfType: (action: string, contentTypeId: string) =>
        Promise.resolve(host.access.can(action as 'create', { type: 'Entry', contentTypeId })),
    },
    navigator: {
      openEntry: (id: string) => {
        host.navigator.openEntry(id);
        return Promise.resolve({ navigated: true });
      },
      openAsset: (id: string) => {
        host.navigator.openAsset(id);
        return Promise.resolve({ navigated: true });
      },
      openNewEntry: async (contentTypeId: string) => ({ entity: await host.navigator.openNewEntry(contentTypeId), navigated: true }),
      openNewAsset: () => Promise.resolve({ navigated: false }),
      onSlideInNavigation: NO_SUBSCRIPTION,
    },
    dialogs: {
      selectSingleEntry: (options?: { contentTypes?: string[] }) =>
        host.dialogs.selectEntries({ contentTypes: options?.contentTypes, multiple: false }).then((picked) => picked?.[0] ?? null),
      selectMultipleEntries: (options?: { contentTypes?: string[] }) =>
        host.dialogs.selectEntries({ contentTypes: options?.contentTypes, multiple: true }),
      selectSingleAsset: () => host.dialogs.selectAssets({ multiple: false }).then((picked) => picked?.[0] ?? null),
      selectMultipleAssets: () => host.dialogs.selectAssets({ multiple: true }),
      openCurrent: (options: { title?: string; parameters?: unknown }) => host.dialogs.openCurrent(options, sdk as unknown as FieldAppSDK),
    },
    window: { startAutoResizer: () => undefined, stopAutoResizer: () => undefined, updateHeight: () => undefined },
  };
  return sdk as unknown as FieldAppSDK;
}
