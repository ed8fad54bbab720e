import { describe, expect, it } from 'vitest';
import { roleAccess } from '../src/access-policy';
import { CmaError, type ContentType } from '../src/api/cma';
import type { Entry } from '../src/api/entries';
import { EntryDocument, type EntryStore } from '../src/pages/entry/entry-document';
import { fieldSdk, type HostContext } from '../src/pages/entry/field-sdk';

const entry = (version: number, fields: Entry['fields'] = {}): Entry => ({
  sys: {
    type: 'Entry',
    id: 'e1',
    version,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    contentType: { sys: { type: 'Link', linkType: 'ContentType', id: 'article' } },
  },
  fields,
});

/** A CMA double that keeps what was saved and answers like the server: the next version, or a refusal. */
function fakeStore(refuse?: { on: keyof EntryStore; error: CmaError }) {
  const calls: { action: keyof EntryStore; version: number; fields?: Entry['fields'] }[] = [];
  let server = entry(1);
  const answer = (action: keyof EntryStore, version: number, fields?: Entry['fields']) => {
    calls.push({ action, version, fields });
    if (refuse?.on === action) return Promise.reject(refuse.error);
    if (version !== server.sys.version) return Promise.reject(new CmaError(409, 'VersionMismatch', 'version mismatch'));
    const published = action === 'publish' ? { publishedVersion: version } : {};
    server = { ...server, fields: fields ?? server.fields, sys: { ...server.sys, version: version + 1, ...published } };
    return Promise.resolve(server);
  };
  const store: EntryStore = {
    update: (_id, body, version) => answer('update', version, structuredClone(body.fields)),
    publish: (_id, version) => answer('publish', version),
    unpublish: (_id, version) => answer('unpublish', version),
    archive: (_id, version) => answer('archive', version),
    unarchive: (_id, version) => answer('unarchive', version),
  };
  return { store, calls, bump: () => (server = { ...server, sys: { ...server.sys, version: server.sys.version + 1 } }) };
}

/** Saves run when the test says so (the app waits a moment after the last change). */
function manualSchedule() {
  const pending: (() => void)[] = [];
  return {
    schedule: (run: () => void) => {
      pending.push(run);
      return () => pending.splice(pending.indexOf(run), 1);
    },
    pending,
  };
}

describe('the entry document behind the field editors', () => {
  it('keeps changes locally, tells listeners, and saves them together at the version it holds', async () => {
    const { store, calls } = fakeStore();
    const timer = manualSchedule();
    const doc = new EntryDocument(entry(1), store, timer.schedule);
    const seen: unknown[] = [];
    doc.onValueChanged('title', 'en-US', (v) => seen.push(v));
    await doc.setValue('title', 'en-US', 'Hello');
    await doc.setValue('body', 'en-US', 'World');
    expect(seen).toEqual(['Hello']);
    expect(doc.saveState).toBe('pending');
    expect(timer.pending).toHaveLength(1);
    await doc.save();
    expect(calls).toEqual([{ action: 'update', version: 1, fields: { title: { 'en-US': 'Hello' }, body: { 'en-US': 'World' } } }]);
    expect(doc.sys.version).toBe(2);
    expect(doc.saveState).toBe('saved');
    await doc.setValue('body', 'en-US', undefined);
    await doc.save();
    expect(calls[1]).toEqual({ action: 'update', version: 2, fields: { title: { 'en-US': 'Hello' } } });
  });

  it('a change made while a save is in flight is saved next, at the new version', async () => {
    const { store, calls } = fakeStore();
    const doc = new EntryDocument(entry(1), store, manualSchedule().schedule);
    await doc.setValue('title', 'en-US', 'One');
    const first = doc.save();
    await doc.setValue('title', 'en-US', 'Two');
    await first;
    await doc.save();
    expect(calls.map((c) => [c.version, c.fields?.title])).toEqual([
      [1, { 'en-US': 'One' }],
      [2, { 'en-US': 'Two' }],
    ]);
    expect(doc.getValue('title', 'en-US')).toBe('Two');
  });

  it('stops at a conflict: nothing more is sent and further changes are refused until a reload', async () => {
    const { store, calls, bump } = fakeStore();
    const doc = new EntryDocument(entry(1), store, manualSchedule().schedule);
    bump();
    await doc.setValue('title', 'en-US', 'Mine');
    await doc.save();
    expect(doc.saveState).toBe('conflict');
    expect(doc.error?.status).toBe(409);
    await expect(doc.setValue('title', 'en-US', 'Again')).rejects.toMatchObject({ status: 409 });
    expect(await doc.act('publish')).toBe(false);
    expect(calls).toHaveLength(1);
  });

  it('places a refused publish on the fields and locales its errors name, and clears them after a publish that passes', async () => {
    const refusal = new CmaError(422, 'ValidationFailed', 'Validation error', {
      errors: [
        { name: 'required', path: ['fields', 'title', 'en-US'], details: 'Required' },
        { name: 'size', path: ['fields', 'tags'], details: 'At most 3' },
        { name: 'unresolvedTasks', path: ['sys'], details: 'The entry has unresolved tasks' },
      ],
    });
    const { store } = fakeStore({ on: 'publish', error: refusal });
    const doc = new EntryDocument(entry(1), store, manualSchedule().schedule);
    const titleErrors: unknown[][] = [];
    doc.onErrorsChanged('title', 'en-US', (errors) => titleErrors.push(errors));
    expect(await doc.act('publish')).toBe(false);
    expect(doc.saveState).toBe('failed');
    expect(doc.errors('title', 'en-US').map((e) => e.details)).toEqual(['Required']);
    expect(doc.errors('title', 'de-DE')).toEqual([]);
    // An error without a locale concerns the field in every locale.
    expect(doc.errors('tags', 'de-DE').map((e) => e.details)).toEqual(['At most 3']);
    expect(titleErrors).toEqual([[expect.objectContaining({ name: 'required' })]]);
    // What concerns the entry as a whole is kept apart, for the editor to list.
    expect(doc.fieldErrors.map((e) => e.name)).toEqual(['required', 'size']);
    expect(doc.generalErrors.map((e) => e.details)).toEqual(['The entry has unresolved tasks']);

    const passing = new EntryDocument(entry(1), fakeStore().store, manualSchedule().schedule);
    await passing.setValue('title', 'en-US', 'Now valid');
    expect(await passing.act('publish')).toBe(true);
    expect(passing.sys).toMatchObject({ version: 3, publishedVersion: 2 });
  });
});

describe('the App SDK the field editors get', () => {
  const contentType: ContentType = {
    name: 'Article',
    displayField: 'title',
    fields: [
      { id: 'title', name: 'Title', type: 'Symbol', localized: true, required: true, validations: [{ size: { max: 80 } }] },
      { id: 'author', name: 'Author', type: 'Link', linkType: 'Entry', validations: [{ linkContentType: ['person'] }] },
    ],
    sys: { id: 'article', version: 2 },
  };
  const locales = [
    { code: 'en-US', name: 'English', default: true, optional: false, fallbackCode: null },
    { code: 'de-DE', name: 'German', default: false, optional: true, fallbackCode: 'en-US' },
  ];
  // A translator: may read entries and update only their de-DE values.
  const translator = roleAccess(
    [
      {
        name: 'Translator',
        permissions: {},
        policies: [
          { effect: 'allow', actions: ['read'], constraint: { equals: [{ doc: 'sys.type' }, 'Entry'] } },
          {
            effect: 'allow',
            actions: ['update'],
            constraint: { and: [{ equals: [{ doc: 'sys.type' }, 'Entry'] }, { paths: [{ doc: 'fields.%.de-DE' }] }] },
          },
        ],
      },
    ],
    'user-1',
  );

  function host(picked: Entry[] | null = null): HostContext {
    const doc = new EntryDocument(entry(1, { title: { 'en-US': 'Hello' } }), fakeStore().store, manualSchedule().schedule);
    const subject = { type: 'Entry' as const, id: 'e1', contentTypeId: 'article' };
    const asked: unknown[] = [];
    return {
      doc,
      contentType,
      locales,
      spaceId: 's1',
      environmentId: 'master',
      userId: 'user-1',
      cma: {} as HostContext['cma'],
      access: translator,
      isEditable: (field, locale) => translator.canEdit(subject, field.id, locale),
      dialogs: {
        selectEntries: (options) => {
          asked.push(options);
          return Promise.resolve(picked);
        },
        selectAssets: () => Promise.resolve(null),
        openCurrent: () => Promise.resolve(null),
      },
      navigator: { openEntry: () => undefined, openAsset: () => undefined, openNewEntry: () => Promise.resolve(entry(1)) },
    };
  }

  it('gives each editor its field in its locale, editable as the role allows', async () => {
    const context = host();
    const title = contentType.fields[0];
    const english = fieldSdk(context, title, 'en-US');
    const german = fieldSdk(context, title, 'de-DE');
    expect(english.field).toMatchObject({
      id: 'title',
      locale: 'en-US',
      type: 'Symbol',
      required: true,
      validations: [{ size: { max: 80 } }],
    });
    expect(english.field.getValue()).toBe('Hello');
    expect(english.field.getIsDisabled()).toBe(true);
    expect(german.field.getIsDisabled()).toBe(false);
    const changes: unknown[] = [];
    german.field.onValueChanged((v) => changes.push(v));
    await german.field.setValue('Hallo');
    expect(changes).toEqual(['Hallo']);
    expect(context.doc.getValue('title', 'de-DE')).toBe('Hallo');
    expect(english.entry.fields.title.getForLocale('de-DE').getValue()).toBe('Hallo');
    await german.field.removeValue();
    expect(context.doc.getValue('title', 'de-DE')).toBeUndefined();
  });

  it('describes the locales, the ids and the access as the App SDK does', async () => {
    const sdk = fieldSdk(host(), contentType.fields[0], 'de-DE');
    expect(sdk.locales).toMatchObject({
      available: ['en-US', 'de-DE'],
      default: 'en-US',
      fallbacks: { 'en-US': undefined, 'de-DE': 'en-US' },
      optional: { 'en-US': false, 'de-DE': true },
      names: { 'en-US': 'English', 'de-DE': 'German' },
    });
    expect(sdk.ids).toMatchObject({
      space: 's1',
      environment: 'master',
      entry: 'e1',
      contentType: 'article',
      field: 'title',
      user: 'user-1',
    });
    expect(sdk.entry.getSys()).toMatchObject({ id: 'e1', version: 1 });
    const access = sdk.access as unknown as { canPerformActionOnEntryOfType(action: string, contentTypeId: string): Promise<boolean> };
    await expect(access.canPerformActionOnEntryOfType('create', 'article')).resolves.toBe(false);
    await expect(sdk.access.can('read', 'Entry')).resolves.toBe(true);
  });

  it("opens this app's picker for the reference editors and hands back what was picked", async () => {
    const picked = entry(4);
    const context = host([picked]);
    const sdk = fieldSdk(context, contentType.fields[1], 'en-US');
    await expect(sdk.dialogs.selectSingleEntry({ contentTypes: ['person'] })).resolves.toBe(picked);
    await expect(sdk.dialogs.selectMultipleEntries({ contentTypes: ['person'] })).resolves.toEqual([picked]);
    const nothing = fieldSdk(host(null), contentType.fields[1], 'en-US');
    await expect(nothing.dialogs.selectSingleEntry({})).resolves.toBeNull();
  });
});
