import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { WriteNotices } from '../../cache/changes.js';
import type { DB, EditorInterfaceRow } from '../../db/schema.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { dropUndefined, environmentScope, iso, link, userLink } from '../../http/sys.js';
import type { FieldDefinition } from '../../domain/field-types.js';
import type { EnvironmentScope } from '../environments/scope.js';
import { EditorInterfaceRepository } from './repository.js';

/** Field types whose predefined values (an `in` validation) Contentful edits with a dropdown by default. */
const DROPDOWN_TYPES = new Set(['Text', 'Symbol', 'Integer', 'Number', 'Boolean']);

/**
 * The built-in editor a field gets when its content type is activated without a control for it, as
 * Contentful chooses it: a dropdown for predefined values, a single line for a Text field that is the
 * entry's title (the display field), otherwise by type.
 */
export function defaultWidgetId(field: FieldDefinition, displayField?: string | null): string {
  if (DROPDOWN_TYPES.has(field.type) && (field.validations ?? []).some((v) => 'in' in v)) return 'dropdown';
  switch (field.type) {
    case 'Symbol':
      return 'singleLine';
    case 'Text':
      return field.id === displayField ? 'singleLine' : 'markdown';
    case 'RichText':
      return 'richTextEditor';
    case 'Integer':
    case 'Number':
      return 'numberEditor';
    case 'Date':
      return 'datePicker';
    case 'Boolean':
      return 'boolean';
    case 'Location':
      return 'locationEditor';
    case 'Object':
      return 'objectEditor';
    case 'Link':
      return field.linkType === 'Asset' ? 'assetLinkEditor' : 'entryLinkEditor';
    case 'ResourceLink':
      return 'resourceLinkEditor';
    case 'Array':
      if (field.items?.type === 'Link') return field.items.linkType === 'Asset' ? 'assetLinksEditor' : 'entryLinksEditor';
      if (field.items?.type === 'ResourceLink') return 'resourceLinkEditor';
      return 'tagEditor';
  }
}

export function editorInterfaceView(row: EditorInterfaceRow) {
  return dropUndefined({
    sys: dropUndefined({
      id: 'default',
      type: 'EditorInterface',
      ...environmentScope(row.space_id, row.environment_id),
      contentType: link('ContentType', row.content_type_id),
      version: row.version,
      createdAt: iso(row.created_at),
      createdBy: userLink(row.created_by),
      updatedAt: iso(row.updated_at),
      updatedBy: userLink(row.updated_by),
    }),
    controls: row.controls,
    sidebar: row.sidebar ?? undefined,
    editorLayout: row.editor_layout ?? undefined,
    groupControls: row.group_controls ?? undefined,
    editors: row.editors ?? undefined,
    editor: row.editor ?? undefined,
  });
}

type Control = Record<string, unknown> & { fieldId?: string };

/** Keeps one control per live field: existing controls stay, new fields get defaults, removed ones go. */
export function controlsInStep(existing: Control[], fields: FieldDefinition[], displayField?: string | null): Control[] {
  const byField = new Map(existing.filter((c) => typeof c.fieldId === 'string').map((c) => [c.fieldId!, c]));
  return fields.map((f) => byField.get(f.id) ?? { fieldId: f.id, widgetId: defaultWidgetId(f, displayField), widgetNamespace: 'builtin' });
}

export interface EditorInterfaceUpdate {
  controls?: Control[];
  sidebar?: unknown[] | null;
  editorLayout?: unknown[] | null;
  groupControls?: unknown[] | null;
  editors?: unknown[] | null;
  /** The single entry editor older interfaces carry instead of `editors`. */
  editor?: Record<string, unknown> | null;
}

/** A JSON column an update sets when the input has it (null clears it). */
const optionalJson = (value: unknown[] | Record<string, unknown> | null | undefined) =>
  value === undefined ? undefined : value === null ? null : JSON.stringify(value);

export class EditorInterfaceService {
  private readonly interfaces: EditorInterfaceRepository;

  constructor(
    db: Kysely<DB>,
    private readonly notices: WriteNotices,
  ) {
    this.interfaces = new EditorInterfaceRepository(db);
  }

  /**
   * Called in the activation transaction: creates the interface or brings its controls in step. As on
   * Contentful, every activation saves the interface (a new version), which tools such as
   * contentful-migration count on when they compute the version of their next editor interface update.
   * The activation announces the write once it has committed.
   */
  async syncWithFields(
    db: Kysely<DB>,
    scope: EnvironmentScope,
    contentTypeId: string,
    contentType: { fields: FieldDefinition[]; displayField: string | null },
    userId: string,
  ) {
    const existing = await this.interfaces.find(scope, contentTypeId, db);
    const controls = JSON.stringify(controlsInStep(existing?.controls ?? [], contentType.fields, contentType.displayField));
    if (!existing) await this.interfaces.insert(scope, contentTypeId, controls, userId, db);
    else await this.interfaces.save(scope, contentTypeId, { controls }, userId, db);
  }

  async get(_actor: Actor, scope: EnvironmentScope, contentTypeId: string) {
    const row = await this.interfaces.find(scope, contentTypeId);
    if (!row) throw notFound('EditorInterface', contentTypeId);
    return editorInterfaceView(row);
  }

  async list(_actor: Actor, scope: EnvironmentScope, paging: Paging) {
    const { rows, total } = await this.interfaces.list(scope, paging);
    return collection(rows.map(editorInterfaceView), total, paging);
  }

  async update(
    actor: Actor,
    scope: EnvironmentScope,
    contentTypeId: string,
    input: EditorInterfaceUpdate,
    expectedVersion: number | undefined,
  ) {
    scope.permissions.require('ContentModel', 'manage');
    const values = dropUndefined({
      controls: input.controls === undefined ? undefined : JSON.stringify(input.controls),
      sidebar: optionalJson(input.sidebar),
      editor_layout: optionalJson(input.editorLayout),
      group_controls: optionalJson(input.groupControls),
      editors: optionalJson(input.editors),
      editor: optionalJson(input.editor),
    });
    const row = await this.interfaces.update(scope, contentTypeId, expectedVersion, values, actor.userId);
    this.notices.written('settings');
    return editorInterfaceView(row);
  }
}
