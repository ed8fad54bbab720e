/**
 * What a committed write can make stale: `content` (entries, assets, uploads) only changes delivery answers;
 * `settings` (anything else: content types, locales, keys, tokens, memberships, ...) also changes the lookups
 * requests start with.
 */
export type ChangeKind = 'content' | 'settings';

export type ChangeListener = (kind: ChangeKind) => void;

/**
 * The write path's notice to the caches kept between requests. Services announce a change once it has
 * committed (where they record events), so a write made any way (HTTP, the CLI, a background environment
 * copy) is forgotten at once rather than when a TTL runs out.
 */
export class WriteNotices {
  private readonly listeners: ChangeListener[] = [];

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  written(kind: ChangeKind): void {
    for (const listener of this.listeners) listener(kind);
  }
}
