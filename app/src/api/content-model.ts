import { type Cma, CmaError, environmentPath, type Link } from './cma';

/** The content model's calls beyond the content types themselves (in cma.ts): their editor interfaces. */

/** How a field is edited: a widget (builtin, an app or an extension) and its settings (help text among them). */
export interface EditorControl {
  fieldId: string;
  widgetId?: string;
  widgetNamespace?: string;
  settings?: Record<string, unknown>;
  [other: string]: unknown;
}
export interface EditorInterface {
  controls?: EditorControl[];
  sys: { id: string; version: number; contentType: Link };
}

export function contentModelApi(cma: Cma, spaceId: string, environmentId: string) {
  const interfacePath = (contentTypeId: string) =>
    `${environmentPath(spaceId, environmentId)}/content_types/${encodeURIComponent(contentTypeId)}/editor_interface`;
  return {
    /** The content type's editor interface; undefined until the content type is first activated (which creates it). */
    editorInterface: async (contentTypeId: string): Promise<EditorInterface | undefined> => {
      try {
        return await cma.request<EditorInterface>('GET', interfacePath(contentTypeId));
      } catch (err) {
        if (err instanceof CmaError && err.status === 404) return undefined;
        throw err;
      }
    },
    /** Replaces the controls at the version the editor started from (a newer one on the server is a 409). */
    putEditorInterface: (contentTypeId: string, controls: EditorControl[], version: number) =>
      cma.request<EditorInterface>('PUT', interfacePath(contentTypeId), { body: { controls }, version }),
  };
}
export type ContentModelApi = ReturnType<typeof contentModelApi>;
