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
/** How long a writer waits for another process to say it has forgotten; one that has not by then is taken as gone. */
const ACK_TIMEOUT_MS = 1_000;

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

/**
 * What the processes say on the channel, each naming itself (`origin`): a write (`kind`, numbered by its
 * writer), that a write was forgotten (`ack`, to its writer), that a process listens now (`hello`), answered
 * by the others (`present`), and that it stops (`bye`).
 */
type Message =
  | { kind: ChangeKind; origin: string; seq?: number }
  | { ack: number; to: string; origin: string }
  | { hello: true; origin: string }
  | { present: true; origin: string }
  | { bye: true; origin: string };

function parseMessage(payload: string | undefined): Message | undefined {
  try {
    const message = JSON.parse(payload ?? '') as Partial<Record<string, unknown>>;
    if (typeof message.origin !== 'string') return undefined;
    if (message.kind === 'content' || message.kind === 'settings') return message as Message;
    if (typeof message.ack === 'number' && typeof message.to === 'string') return message as Message;
    if (message.hello === true || message.present === true || message.bye === true) return message as Message;
  } catch {
    // Not a message of this server: treated below as a change of anything.
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
 * NOTIFY alone writes nothing to flush. Announcements made together go out as one notification (`settings`
 * covers `content`), and `pending()` lets the writer's answer wait until every other process it knows has
 * said it forgot (an `ack`): PostgreSQL hands a notification to each listener on its own time, so without
 * the acknowledgement a client could read through another process before that one had heard. The
 * processes know each other from their messages (a process that starts listening says `hello`, the others
 * answer `present`); one that has not acknowledged within a second is taken as gone until it speaks again.
 * The price: a process that dies between a commit and its NOTIFY leaves the others' caches to their time
 * to live.
 *
 * Listening takes a connection of its own. When it is lost the process listens again (backing off up to
 * 5 s) and then forgets everything it kept, since what others wrote meanwhile went unheard.
 */
export class PostgresChangeNotifier {
  /** Tells this process's notices apart from the others': it forgot what they change when it wrote. */
  private readonly origin = randomUUID();
  private readonly clock: Clock;
  private queued: ChangeKind | undefined;
  /** The number of this process's last notice. */
  private seq = 0;
  /** The other processes listening on this database, as far as this one has heard. */
  private readonly peers = new Set<string>();
  /** The acknowledgements the notice being sent waits for, by process; `done` settles the wait. */
  private awaiting: { seq: number; from: Set<string>; done: () => void } | undefined;
  /** Whether this process's listening connection listens now (it can hear acknowledgements). */
  private listening = false;
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
    const wasListening = this.listening;
    // Stopping, it waits for no acknowledgement: what is announced from now on is sent and not waited for.
    this.listening = false;
    this.awaiting?.done();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    await this.sending;
    if (wasListening) await this.say({ bye: true, origin: this.origin });
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /**
   * A promise that settles once this process's announced writes have been sent and acknowledged; undefined
   * when none is waiting, or when this process listens and knows of no other (the notice still goes out,
   * for a process it has not heard of yet, but nobody is there to wait for).
   */
  pending(): Promise<void> | undefined {
    if (this.listening && this.peers.size === 0) return undefined;
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

  /**
   * Sends what was queued until nothing more is: announcements made while one is sent go out together next.
   * Each waits for the other processes' acknowledgements (none while this process cannot hear them).
   */
  private async sendQueued(): Promise<void> {
    await Promise.resolve();
    while (this.queued) {
      const kind = this.queued;
      this.queued = undefined;
      const seq = ++this.seq;
      const acknowledged = this.listening && this.peers.size > 0 ? this.acknowledgements(seq) : undefined;
      const sent = await this.say({ kind, origin: this.origin, seq });
      if (!sent) this.awaiting?.done();
      await acknowledged;
    }
  }

  /** Settles once every process known now has acknowledged notice `seq`, or after ACK_TIMEOUT_MS, forgetting those that did not. */
  private acknowledgements(seq: number): Promise<void> {
    return new Promise((resolve) => {
      const from = new Set(this.peers);
      const cancel = this.clock.after(ACK_TIMEOUT_MS, () => {
        for (const peer of from) this.peers.delete(peer);
        this.options.logger.warn(
          { processes: from.size },
          'server processes did not acknowledge a write within a second; taken as gone until they are heard again',
        );
        done();
      });
      const done = () => {
        cancel();
        this.timers.delete(cancel);
        if (this.awaiting?.seq === seq) this.awaiting = undefined;
        resolve();
      };
      this.timers.add(cancel);
      this.awaiting = { seq, from, done };
    });
  }

  /** Sends a message through the server's pool; false (logged) when it could not. */
  private async say(message: Message): Promise<boolean> {
    try {
      await this.options.send(CHANGES_CHANNEL, JSON.stringify(message));
      return true;
    } catch (err) {
      this.options.logger.warn(
        { err },
        "could not tell the other server processes about a write (or acknowledge theirs); they see it once their caches' time to live runs out",
      );
      return false;
    }
  }

  private heard(payload: string | undefined): void {
    const message = parseMessage(payload);
    if (!message) {
      this.options.notices.forget('settings');
      return;
    }
    if (message.origin === this.origin) return;
    if ('bye' in message) {
      this.peers.delete(message.origin);
      this.acknowledged(message.origin);
      return;
    }
    this.peers.add(message.origin);
    if ('kind' in message) {
      this.options.notices.forget(message.kind);
      if (message.seq !== undefined) void this.say({ ack: message.seq, to: message.origin, origin: this.origin });
    } else if ('ack' in message) {
      if (message.to === this.origin && message.ack === this.awaiting?.seq) this.acknowledged(message.origin);
    } else if ('hello' in message) {
      void this.say({ present: true, origin: this.origin });
    }
  }

  /** `peer` is no longer waited for by the notice being sent. */
  private acknowledged(peer: string): void {
    const awaiting = this.awaiting;
    if (!awaiting?.from.delete(peer)) return;
    if (awaiting.from.size === 0) awaiting.done();
  }

  private async listen(): Promise<void> {
    const client = this.options.openConnection();
    this.client = client;
    let lost = false;
    let stopHeartbeat: (() => void) | undefined;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      // Unable to hear acknowledgements, or who listens: the others are learned again once listening.
      this.listening = false;
      this.peers.clear();
      this.awaiting?.done();
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
    this.listening = true;
    // Whatever the others wrote before this connection listened went unheard (nothing is kept yet at start-up).
    this.options.notices.forget('settings');
    void this.say({ hello: true, origin: this.origin });
    stopHeartbeat = this.clock.every(HEARTBEAT_MS, () => void client.query('select 1').catch(onLost));
    this.timers.add(stopHeartbeat);
    this.options.logger.info({ backendPid }, "listening for the other server processes' writes");
  }
}
