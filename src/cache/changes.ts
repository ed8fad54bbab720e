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
 * copy) is forgotten at once rather than when a TTL runs out; with several server processes on one
 * PostgreSQL, the others are told too (src/cache/pg-notifier.ts).
 */
export class WriteNotices {
  private readonly listeners: ChangeListener[] = [];
  private readonly announcers: ChangeListener[] = [];

  /** A cache of this process, told to forget what a change may have made stale. */
  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Where this process's writes are told to the other server processes. */
  announceWith(announcer: ChangeListener): void {
    this.announcers.push(announcer);
  }

  /** A write of this process committed: its caches forget at once, then the other processes are told. */
  written(kind: ChangeKind): void {
    this.forget(kind);
    for (const announce of this.announcers) announce(kind);
  }

  /** Another process's write, or a time when such writes may have gone unheard: the caches forget, no one is told. */
  forget(kind: ChangeKind): void {
    for (const listener of this.listeners) listener(kind);
  }
}
