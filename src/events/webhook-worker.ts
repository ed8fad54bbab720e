import { type Clock, systemClock } from '../domain/clock.js';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SecretBox } from '../auth/secret-box.js';
import type { DB, WebhookCallRow } from '../db/schema.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { generateId } from '../domain/ids.js';
import { type Metrics, noMetrics } from '../domain/metrics.js';
import { OutboundError, type OutboundClient } from '../outbound/client.js';
import { type CallOutcome, WebhookCallRepository } from './webhook-calls.js';
import { filtersMatch, topicMatches, type WebhookFilter } from './webhook-matching.js';
import { buildWebhookRequest, type WebhookRequest, WebhookRequestError } from './webhook-request.js';
import { DEFAULT_MAX_RETRIES, isRetriedStatus, retryDelayMs } from './webhook-retries.js';

export interface WebhookWorkerOptions {
  pollMs: number;
  timeoutMs: number;
  concurrency: number;
  /** Delays before the 2nd, 3rd, ... attempt (see `retryDelayMs` for the attempts past them). */
  retryDelaysMs: number[];
  /** How long a leased call stays invisible to other workers; renewed while it runs, so a crash delays it by about this. */
  leaseMs: number;
  /** Sends the calls; refuses private and reserved addresses unless configured otherwise. */
  outbound: OutboundClient;
  /** The time polls, leases, renewals and retries are measured in (tests move it). */
  clock?: Clock;
  /** Counts each attempt's outcome. */
  metrics?: Metrics;
}

const RESPONSE_BODY_LIMIT = 200 * 1024;
const DISPATCH_BATCH = 500;

/**
 * Delivers webhooks from the change log. Dispatching reads the events no running transaction can still
 * precede (src/events/change-log.ts) under a lock on the single cursor row and turns each matching (event,
 * webhook) pair into a pending call in the same transaction; sending leases due calls with SKIP LOCKED, so
 * several server processes share the work and a restart resumes whatever was pending. A call waits while an
 * earlier call about the same entity and webhook is pending, so a receiver gets them in event order; calls
 * about different entities run side by side. API requests never wait for any of it.
 */
export class WebhookWorker {
  private stopPolling: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private waitingForDatabase = false;
  private readonly clock: Clock;
  private readonly calls: WebhookCallRepository;
  private readonly metrics: Metrics;

  constructor(
    db: Kysely<DB>,
    private readonly secrets: SecretBox,
    private readonly logger: Logger,
    private readonly options: WebhookWorkerOptions,
  ) {
    this.calls = new WebhookCallRepository(db);
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? noMetrics;
  }

  /** Calls waiting to be delivered, by any process. */
  pendingCalls(): Promise<number> {
    return this.calls.pendingCount();
  }

  start() {
    this.stopPolling = this.clock.every(this.options.pollMs, () => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = undefined));
    });
  }

  async stop() {
    this.stopPolling?.();
    await this.running;
    await Promise.all(this.inFlight);
  }

  private now(): Date {
    return new Date(this.clock.now());
  }

  /** Dispatches new events, then starts as many due calls as there are free slots (without waiting for them). */
  async tick() {
    try {
      await this.dispatch();
      if (this.waitingForDatabase) this.logger.info('webhook worker resumed: the database answers again');
      this.waitingForDatabase = false;
      const free = this.options.concurrency - this.inFlight.size;
      if (free <= 0) return;
      for (const call of await this.lease(free)) {
        const delivery: Promise<void> = this.deliverLeased(call).finally(() => this.inFlight.delete(delivery));
        this.inFlight.add(delivery);
      }
    } catch (err) {
      if (isDatabaseUnavailable(err)) {
        // Once per outage, not at every poll.
        if (!this.waitingForDatabase) this.logger.warn({ err }, 'webhook worker waits for the database');
        this.waitingForDatabase = true;
      } else {
        this.logger.error({ err }, 'webhook worker failed');
      }
    }
  }

  /** Dispatches, then delivers every due call and waits for them (tests and tools). */
  async runOnce() {
    await this.dispatch();
    await Promise.all((await this.lease(this.options.concurrency)).map((call) => this.deliverLeased(call)));
  }

  /** Turns each new event into a pending call for every active webhook of its space that it matches. */
  async dispatch() {
    await this.calls.dispatch(DISPATCH_BATCH, (events, webhooks) => {
      const calls = [];
      for (const event of events) {
        const facts = {
          topic: event.topic,
          entityId: event.entity_id,
          environmentId: event.environment_id,
          contentTypeId: event.content_type_id ?? undefined,
        };
        for (const webhook of webhooks) {
          if (webhook.space_id !== event.space_id) continue;
          if (!topicMatches(webhook.topics, event.topic) || !filtersMatch(webhook.filters as WebhookFilter[] | null, facts)) continue;
          calls.push({
            id: generateId(),
            space_id: event.space_id,
            webhook_id: webhook.id,
            event_seq: event.seq,
            environment_id: event.environment_id,
            entity_type: event.entity_type,
            entity_id: event.entity_id,
            topic: event.topic,
            status: 'pending' as const,
            next_attempt_at: this.now(),
          });
        }
      }
      return calls;
    });
  }

  /**
   * Leases up to `limit` due calls that no earlier pending call about the same entity and webhook holds
   * back. A lease is a due time in the future: a call whose worker died is due again when it runs out.
   */
  lease(limit: number): Promise<WebhookCallRow[]> {
    return this.calls.lease(this.now(), this.leaseEnd(), limit);
  }

  /** When a lease taken or renewed now runs out. */
  private leaseEnd(): Date {
    return new Date(this.now().getTime() + this.options.leaseMs);
  }

  /**
   * Delivers a leased call, renewing the lease while the receiver takes its time. A renewal only moves the
   * lease this worker holds: once the call is recorded (or another worker took it over) it changes nothing.
   */
  private async deliverLeased(call: WebhookCallRow) {
    let leasedUntil = new Date(call.next_attempt_at);
    const stopRenewing = this.clock.every(Math.max(10, Math.floor(this.options.leaseMs / 3)), () => {
      const until = this.leaseEnd();
      this.calls
        .renew(call.id, leasedUntil, until)
        .then((renewed) => {
          if (renewed) leasedUntil = until;
        })
        .catch((err) => this.logger.warn({ err, callId: call.id }, 'could not renew a webhook call lease'));
    });
    try {
      await this.deliver(call);
    } catch (err) {
      // The lease runs out and another attempt follows: no call is lost to a database blip.
      this.logger.warn({ err, callId: call.id }, 'a webhook call could not be recorded; it will be attempted again');
    } finally {
      stopRenewing();
    }
  }

  /**
   * Makes one attempt at a call, signed with the space's signing secret if it has one, and records how it
   * ended; the space's retry policy says how many attempts a call gets.
   */
  private async deliver(call: WebhookCallRow) {
    const [webhook, event, settings] = await Promise.all([
      this.calls.webhook(call),
      this.calls.event(call),
      this.calls.settings(call.space_id),
    ]);
    if (!webhook || !event) {
      await this.record(call, { status: 'failed', errors: ['The webhook or its event no longer exists'] });
      return;
    }
    const attempts = call.attempts + 1;
    const maxAttempts = (settings.max_retries ?? DEFAULT_MAX_RETRIES) + 1;
    let request: WebhookRequest;
    try {
      request = buildWebhookRequest(
        webhook,
        { payload: event.payload, topic: call.topic, user: { sys: { id: event.user_id } } },
        event.trigger_headers ?? {},
        this.secrets,
        { signingSecret: settings.signing_secret_sealed ? this.secrets.open(settings.signing_secret_sealed) : undefined, now: this.now() },
      );
    } catch (err) {
      if (!(err instanceof WebhookRequestError)) throw err;
      await this.record(call, { status: 'failed', attempts, errors: [err.message] });
      return;
    }
    try {
      // A webhook call does not follow redirects: a 3xx is the receiver's answer.
      const response = await this.options.outbound.request(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        timeoutMs: this.options.timeoutMs,
        redirect: 'manual',
      });
      const text = await response.text(RESPONSE_BODY_LIMIT);
      const responseLog = { url: request.url, statusCode: response.status, headers: Object.fromEntries(response.headers), body: text };
      if (response.status < 300)
        await this.record(call, { status: 'success', attempts, statusCode: response.status, request: request.log, response: responseLog });
      else if (isRetriedStatus(response.status))
        await this.retryOrFail(call, attempts, maxAttempts, {
          statusCode: response.status,
          request: request.log,
          response: responseLog,
          errors: [`The receiver answered ${response.status}`],
        });
      else
        await this.record(call, {
          status: 'failed',
          attempts,
          statusCode: response.status,
          request: request.log,
          response: responseLog,
          errors: [`The receiver answered ${response.status}`],
        });
    } catch (err) {
      // A refused target stays refused: no retries.
      if (err instanceof OutboundError && err.kind === 'refused')
        await this.record(call, { status: 'failed', attempts, request: request.log, errors: [err.message] });
      else
        await this.retryOrFail(call, attempts, maxAttempts, {
          request: request.log,
          errors: [err instanceof Error ? err.message : String(err)],
        });
    }
  }

  private async retryOrFail(
    call: WebhookCallRow,
    attempts: number,
    maxAttempts: number,
    result: { statusCode?: number; request?: unknown; response?: unknown; errors: string[] },
  ) {
    if (attempts >= maxAttempts) return this.record(call, { ...result, status: 'failed', attempts });
    const delay = retryDelayMs(attempts, this.options.retryDelaysMs);
    return this.record(call, { ...result, status: 'pending', attempts, nextAttemptAt: new Date(this.now().getTime() + delay) });
  }

  /** Records an outcome: unless it says otherwise, the attempts stay as counted and next_attempt_at is now. */
  private async record(call: WebhookCallRow, result: Partial<CallOutcome> & Pick<CallOutcome, 'status'>) {
    await this.calls.record(call.id, {
      status: result.status,
      attempts: result.attempts ?? call.attempts,
      statusCode: result.statusCode ?? null,
      request: result.request,
      response: result.response,
      errors: result.errors ?? [],
      nextAttemptAt: result.nextAttemptAt ?? this.now(),
    });
    this.metrics.webhookAttempt(result.status === 'pending' ? 'retry' : result.status);
  }
}
