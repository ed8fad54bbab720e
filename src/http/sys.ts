/** Builders for the `sys` objects and Links every resource carries. The server alone writes `sys`. */

export interface Link<T extends string = string> {
  sys: { type: 'Link'; linkType: T; id: string };
}

export function link<T extends string>(linkType: T, id: string): Link<T> {
  return { sys: { type: 'Link', linkType, id } };
}

export const userLink = (id: string | null | undefined) => (id ? link('User', id) : undefined);

export function iso(value: Date | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** The common versioned part of `sys`: version, timestamps and the users who created and last updated. */
export function versionedSys(row: {
  version: number;
  created_at: Date;
  updated_at: Date;
  created_by?: string | null;
  updated_by?: string | null;
}) {
  return dropUndefined({
    version: row.version,
    createdAt: iso(row.created_at),
    createdBy: userLink(row.created_by),
    updatedAt: iso(row.updated_at),
    updatedBy: userLink(row.updated_by),
  });
}

/** `sys.space` and `sys.environment` Links, which every environment-scoped entity carries. */
export function environmentScope(spaceId: string, environmentId: string) {
  return { space: link('Space', spaceId), environment: link('Environment', environmentId) };
}

export function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
