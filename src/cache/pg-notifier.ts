import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../domain/clock.js';
import type { ChangeKind, WriteNotices } from './changes.js';

/** The channel the server processes on one database tell each other their writes on (channels are per database). */
export const CHANGES_CHANNEL = 'cache_changes';

/** First and longest wait before listening again after the listening connection was lost. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;
/** A query on the listening connection this often, so one whose peer vanished silently is found and replaced; how long it and a connection attempt may take. */
const HEARTBEAT_MS = 30_000;
const HEARTBEAT_TIMEOUT_MS = 10_000;

/** The part of a pg `Client` the notifier listens with (the unit tests give a fake one). */
export interface ListeningClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/** A connection of its own to the primary, kept open to LISTEN (a pooled one would be handed to queries). */
export function listeningClient(connectionString: string): ListeningClient {
  return new pg.Client({
    connectionString,
    application_name: 'contentful-cache-changes',
    keepAlive: true,
    connectionTimeoutMillis: HEARTBEAT_TIMEOUT_MS,
    query_timeout: HEARTBEAT_TIMEOUT_MS,
  }) as unknown as ListeningClient;
}

export interface PostgresChangeNotifierOptions {
  /** A new, not yet connected, listening connection. */
  openConnection: () => ListeningClient;
  /** Sends a notification through the server's pool (`select pg_notify($1, $2)`): committed once it resolves. */
  send: (channel: string, payload: string) => Promise<void>;
  notices: WriteNotices;
  logger: Logger;
  /** Times reconnections and heartbeats; tests move a manual one. */
  clock?: Clock;
}

interface Notice {
  kind: ChangeKind;
  /** The process that wrote. */
  origin: string;
}

function parseNotice(payload: string | undefined): Notice | undefined {
  try {
    const notice = JSON.parse(payload ?? '') as Partial<Notice>;
    if ((notice.kind === 'content' || notice.kind === 'settings') && typeof notice.origin === 'string') return notice as Notice;
  } catch {
    // Not a notice of this server: treated below as a change of anything.
  }
  return undefined;
}

/**
 * Tells the other server processes on one PostgreSQL database about this process's committed writes, and
 * makes this process forget what it kept when they tell theirs, through LISTEN/NOTIFY: a read through any
 * process right after a write through another sees it, whatever the caches' time to live.
 *
 * A write is announced by `WriteNotices.written`, the one call every service makes once a change has
 * committed (settings writes record no events, so the change log cannot be the hook). The NOTIFY is a
 * statement of its own right after the commit rather than a `pg_notify` inside the write's transaction:
 * PostgreSQL serializes the commits of every transaction that notifies (a database-wide lock held until
 * the commit is flushed), which would queue all concurrent writes behind each other's disk flush; a
 * NOTIFY alone writes nothing to flush. Announcements made together go out as one notification (`settings` covers `content`), and `pending()` lets the writer's answer wait for it, so
 * the other processes have been told before the client hears that the write succeeded. The price: a
 * process that dies between a commit and its NOTIFY leaves the others' caches to their time to live.
 *
 * Listening takes a connection of its own. When it is lost the process listens again (backing off up to
 * 5 s) and then forgets everything it kept, since what others wrote meanwhile went unheard.
 */
export class PostgresChangeNotifier {
  /** Tells this process's notices apart from the others': it forgot what they change when it wrote. */
  private readonly origin = randomUUID();
  private readonly clock: Clock;
  private queued: ChangeKind | undefined;
  /** Settles once everything announced so far has been sent; undefined when nothing is. */
  private sending: Promise<void> | undefined;
  private client: ListeningClient | undefined;
  private running = false;
  private attempt = 0;
  /** Cancel the reconnection waiting for its delay and the heartbeat. */
  private readonly timers = new Set<() => void>();

  constructor(private readonly options: PostgresChangeNotifierOptions) {
    this.clock = options.clock ?? systemClock;
    options.notices.announceWith((kind) => this.announce(kind));
  }

  /** Starts listening; a database that cannot be reached now is tried again in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.listen();
  }

  /** Stops listening, once what was announced has been sent. */
  async stop(): Promise<void> {
    this.running = false;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.sending;
  }

  /** A promise that settles once this process's announced writes have been sent; undefined when none is waiting. */
  pending(): Promise<void> | undefined {
    return this.sending;
  }

  private announce(kind: ChangeKind): void {
    this.queued = this.queued === 'settings' ? 'settings' : kind;
    if (this.sending) return;
    const sending = this.sendQueued().finally(() => {
      if (this.sending === sending) this.sending = undefined;
    });
    this.sending = sending;
  }

  /** Sends what was queued until nothing more is: announcements made while one is sent go out together next. */
  private async sendQueued(): Promise<void> {
    await Promise.resolve();
    while (this.queued) {
      const kind = this.queued;
      this.queued = undefined;
      try {
        await this.options.send(CHANGES_CHANNEL, JSON.stringify({ kind, origin: this.origin } satisfies Notice));
      } catch (err) {
        this.options.logger.warn(
          { err },
          "could not tell the other server processes about a write; they see it once their caches' time to live runs out",
        );
      }
    }
  }

  private heard(payload: string | undefined): void {
    const notice = parseNotice(payload);
    if (notice?.origin === this.origin) return;
    this.options.notices.forget(notice?.kind ?? 'settings');
  }

  private async listen(): Promise<void> {
    const client = this.options.openConnection();
    this.client = client;
    let lost = false;
    let stopHeartbeat: (() => void) | undefined;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (stopHeartbeat) {
        stopHeartbeat();
        this.timers.delete(stopHeartbeat);
      }
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (!this.running) return;
      const delayMs = Math.min(RECONNECT_FIRST_MS * 2 ** this.attempt++, RECONNECT_MAX_MS);
      this.options.logger.warn({ err, retryInMs: delayMs }, "lost the connection listening for the other server processes' writes");
      const cancel = this.clock.after(delayMs, () => {
        this.timers.delete(cancel);
        if (this.running) void this.listen();
      });
      this.timers.add(cancel);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('the listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) this.heard(message.payload);
    });
    let backendPid: number | undefined;
    try {
      await client.connect();
      await client.query(`listen ${CHANGES_CHANNEL}`);
      const { rows } = await client.query('select pg_backend_pid() as pid');
      backendPid = (rows[0] as { pid: number }).pid;
    } catch (err) {
      onLost(err);
      return;
    }
    if (lost) return;
    if (!this.running) {
      await client.end().catch(() => undefined);
      return;
    }
    this.attempt = 0;
    // Whatever the others wrote before this connection listened went unheard (nothing is kept yet at start-up).
    this.options.notices.forget('settings');
    stopHeartbeat = this.clock.every(HEARTBEAT_MS, () => void client.query('select 1').catch(onLost));
    this.timers.add(stopHeartbeat);
    this.options.logger.info({ backendPid }, "listening for the other server processes' writes");
  }
}
