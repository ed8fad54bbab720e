/** Who is calling: the user a token acts for, and what the token's scopes let it do. */
export const SCOPES = ['content_management_read', 'content_management_manage'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Actor {
  userId: string;
  tokenId: string;
  scopes: ReadonlySet<Scope>;
  /** Set when an action acts for its creator: headers naming it on the webhook calls its changes cause. */
  triggerHeaders?: Record<string, string>;
}

/** `content_management_manage` implies `content_management_read` (seed 004). */
export function expandScopes(scopes: readonly string[]): Set<Scope> {
  const set = new Set<Scope>();
  for (const scope of scopes) {
    if (scope === 'content_management_manage') {
      set.add('content_management_manage');
      set.add('content_management_read');
    } else if (scope === 'content_management_read') set.add('content_management_read');
  }
  return set;
}
