import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { DB, EditorInterfaceRow } from '../../db/schema.js';
import { versionLockedUpdate } from '../../db/versioned.js';
import { collection, type Paging } from '../../domain/collections.js';
import { notFound } from '../../domain/errors.js';
import { dropUndefined, environmentScope, iso, link, userLink } from '../../http/sys.js';
import type { FieldDefinition } from '../../domain/field-types.js';
import type { EnvironmentScope } from '../environments/scope.js';

/** The built-in editor a field gets when its content type is first activated. */
export function defaultWidgetId(field: FieldDefinition): string {
  switch (field.type) {
    case 'Symbol':
      return 'singleLine';
    case 'Text':
      return 'markdown';
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
  });
}

type Control = Record<string, unknown> & { fieldId?: string };

/** Keeps one control per live field: existing controls stay, new fields get defaults, removed ones go. */
export function controlsInStep(existing: Control[], fields: FieldDefinition[]): Control[] {
  const byField = new Map(existing.filter((c) => typeof c.fieldId === 'string').map((c) => [c.fieldId!, c]));
  return fields
    .filter((f) => !f.deleted)
    .map((f) => byField.get(f.id) ?? { fieldId: f.id, widgetId: defaultWidgetId(f), widgetNamespace: 'builtin' });
}

export interface EditorInterfaceUpdate {
  controls?: Control[];
  sidebar?: unknown[] | null;
  editorLayout?: unknown[] | null;
  groupControls?: unknown[] | null;
}

export class EditorInterfaceService {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Called in the activation transaction: creates the interface or brings its controls in step. As on
   * Contentful, every activation saves the interface (a new version), which tools such as
   * contentful-migration count on when they compute the version of their next editor interface update.
   */
  async syncWithFields(db: Kysely<DB>, scope: EnvironmentScope, contentTypeId: string, fields: FieldDefinition[], userId: string) {
    const existing = await db
      .selectFrom('editor_interfaces')
      .selectAll()
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('content_type_id', '=', contentTypeId)
      .executeTakeFirst();
    const controls = controlsInStep(existing?.controls ?? [], fields);
    if (!existing) {
      await db
        .insertInto('editor_interfaces')
        .values({
          space_id: scope.spaceId,
          environment_id: scope.environmentId,
          content_type_id: contentTypeId,
          controls: JSON.stringify(controls),
          created_by: userId,
          updated_by: userId,
        })
        .execute();
    } else {
      await db
        .updateTable('editor_interfaces')
        .set((eb) => ({ controls: JSON.stringify(controls), version: eb('version', '+', 1), updated_at: new Date(), updated_by: userId }))
        .where('space_id', '=', scope.spaceId)
        .where('environment_id', '=', scope.environmentId)
        .where('content_type_id', '=', contentTypeId)
        .execute();
    }
  }

  async get(_actor: Actor, scope: EnvironmentScope, contentTypeId: string) {
    const row = await this.db
      .selectFrom('editor_interfaces')
      .selectAll()
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('content_type_id', '=', contentTypeId)
      .executeTakeFirst();
    if (!row) throw notFound('EditorInterface', contentTypeId);
    return editorInterfaceView(row);
  }

  async list(_actor: Actor, scope: EnvironmentScope, paging: Paging) {
    const base = this.db
      .selectFrom('editor_interfaces')
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('content_type_id').offset(paging.skip).limit(paging.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return collection(rows.map(editorInterfaceView), Number(count.total), paging);
  }

  async update(
    actor: Actor,
    scope: EnvironmentScope,
    contentTypeId: string,
    input: EditorInterfaceUpdate,
    expectedVersion: number | undefined,
  ) {
    scope.permissions.require('ContentModel', 'manage');
    const where = this.db
      .selectFrom('editor_interfaces')
      .select('version')
      .where('space_id', '=', scope.spaceId)
      .where('environment_id', '=', scope.environmentId)
      .where('content_type_id', '=', contentTypeId);
    const row = await versionLockedUpdate({
      type: 'EditorInterface',
      id: contentTypeId,
      expectedVersion,
      update: (version) =>
        this.db
          .updateTable('editor_interfaces')
          .set((eb) => ({
            ...(input.controls !== undefined ? { controls: JSON.stringify(input.controls) } : {}),
            ...(input.sidebar !== undefined ? { sidebar: input.sidebar === null ? null : JSON.stringify(input.sidebar) } : {}),
            ...(input.editorLayout !== undefined
              ? { editor_layout: input.editorLayout === null ? null : JSON.stringify(input.editorLayout) }
              : {}),
            ...(input.groupControls !== undefined
              ? { group_controls: input.groupControls === null ? null : JSON.stringify(input.groupControls) }
              : {}),
            version: eb('version', '+', 1),
            updated_at: new Date(),
            updated_by: actor.userId,
          }))
          .where('space_id', '=', scope.spaceId)
          .where('environment_id', '=', scope.environmentId)
          .where('content_type_id', '=', contentTypeId)
          .where('version', '=', version)
          .returningAll()
          .executeTakeFirst(),
      exists: async () => Boolean(await where.executeTakeFirst()),
    });
    return editorInterfaceView(row);
  }
}
