import { type Insertable, type Kysely, sql } from 'kysely';
import { oneOf } from '../db/lists.js';
import { spaceColumns, tableIn } from '../db/repository.js';
import type { DB, WebhookCallRow, WebhookCallsTable, WebhookDefinitionRow } from '../db/schema.js';
import { positionOf, readableAfter } from './change-log.js';

/** An event as dispatching matches it: what it is about, not its payload. */
export interface DispatchedEvent {
  seq: number;
  space_id: string;
  environment_id: string;
  entity_type: string;
  entity_id: string;
  topic: string;
  content_type_id: string | null;
}

/** How an attempt at a call ended: a final status, or pending again until `nextAttemptAt`. */
export interface CallOutcome {
  status: WebhookCallRow['status'];
  attempts: number;
  statusCode: number | null;
  request: unknown;
  response: unknown;
  errors: string[];
  nextAttemptAt: Date;
}

/**
 * The webhook worker's statements: the dispatch cursor over the change log, and the calls it leases,
 * renews and records. Calls of every space are leased (and counted) together; every other statement names the call
 * (or the space and webhook) it acts on.
 */
export class WebhookCallRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * In one transaction, under a lock on the single cursor row: reads up to `limit` events after the
   * cursor that can be read now and the active webhooks of their spaces, inserts the calls `match` makes
   * of them and moves the cursor past the events.
   */
  async dispatch(
    limit: number,
    match: (events: DispatchedEvent[], webhooks: WebhookDefinitionRow[]) => Insertable<WebhookCallsTable>[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const cursor = await trx
        .selectFrom('webhook_dispatch_cursor')
        .select([sql<string>`last_xid::text`.as('xid'), 'last_seq as seq'])
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const events = await trx
        .selectFrom('events')
        // Matching needs the content type, not the whole entity: payloads stay in the database until sent.
        .select([
          'seq',
          sql<string>`xid::text`.as('xid'),
          'space_id',
          'environment_id',
          'entity_type',
          'entity_id',
          'topic',
          sql<string | null>`payload #>> '{sys,contentType,sys,id}'`.as('content_type_id'),
        ])
        .where(readableAfter(positionOf(cursor)))
        .orderBy('xid')
        .orderBy('seq')
        .limit(limit)
        .execute();
      if (events.length === 0) return;
      const spaces = [...new Set(events.map((e) => e.space_id))];
      const webhooks = await trx
        .selectFrom('webhook_definitions')
        .selectAll()
        .where('space_id', '=', oneOf(spaces))
        .where('active', '=', true)
        .execute();
      const calls = match(events, webhooks);
      // One insert keeps the calls' order (call_seq) the events' order.
      if (calls.length)
        await trx
          .insertInto('webhook_calls')
          .values(calls)
          .onConflict((c) => c.columns(['space_id', 'webhook_id', 'event_seq']).doNothing())
          .execute();
      const last = positionOf(events[events.length - 1]);
      await trx
        .updateTable('webhook_dispatch_cursor')
        .set({ last_xid: sql`${last.xid}::xid8`, last_seq: last.seq })
        .where('id', '=', 1)
        .execute();
    });
  }

  /**
   * Leases up to `limit` calls due at `now` that no earlier pending call about the same entity and
   * webhook holds back, until `until`: a call whose worker died is due again when its lease runs out.
   */
  async lease(now: Date, until: Date, limit: number): Promise<WebhookCallRow[]> {
    const leased = await sql<WebhookCallRow>`
      update webhook_calls set next_attempt_at = ${until}
      where id in (
        select c.id from webhook_calls c
        where c.status = 'pending' and c.next_attempt_at <= ${now}
          and not exists (
            select 1 from webhook_calls earlier
            where earlier.status = 'pending' and earlier.space_id = c.space_id and earlier.webhook_id = c.webhook_id
              and earlier.entity_id = c.entity_id and earlier.entity_type = c.entity_type
              and earlier.environment_id = c.environment_id and earlier.call_seq < c.call_seq)
        order by c.next_attempt_at, c.call_seq limit ${limit} for update skip locked)
      returning *`.execute(this.db);
    return leased.rows;
  }

  /** Calls of every space still to be delivered (due, leased or waiting for a retry): the backlog. */
  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_calls')
      .select((eb) => eb.fn.countAll<number>().as('pending'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.pending);
  }

  /**
   * Moves the lease of a call to `until` if it is still the lease `leasedUntil` the caller holds: once the
   * call is recorded (or another worker took it over) it changes nothing. Says whether it moved it.
   */
  async renew(callId: string, leasedUntil: Date, until: Date): Promise<boolean> {
    const renewed = await this.db
      .updateTable('webhook_calls')
      .set({ next_attempt_at: until })
      .where('id', '=', callId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', leasedUntil)
      .returning('id')
      .executeTakeFirst();
    return renewed !== undefined;
  }

  /** The webhook a call is for, unless it was deleted since. */
  webhook(call: WebhookCallRow): Promise<WebhookDefinitionRow | undefined> {
    return tableIn(this.db, 'webhook_definitions', spaceColumns({ spaceId: call.space_id }))
      .select()
      .selectAll()
      .where('id', '=', call.webhook_id)
      .executeTakeFirst();
  }

  /** What a call sends about its event: the payload and who made the change. */
  event(call: WebhookCallRow) {
    return this.db
      .selectFrom('events')
      .select(['payload', 'user_id', 'trigger_headers'])
      .where('seq', '=', call.event_seq)
      .executeTakeFirst();
  }

  /** The space's webhook settings a call is made with: its signing secret (sealed) and its retry policy, null when unset. */
  settings(spaceId: string) {
    return this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('webhook_signing_secrets').select('value_sealed').where('space_id', '=', spaceId).as('signing_secret_sealed'),
        eb.selectFrom('webhook_retry_policies').select('max_retries').where('space_id', '=', spaceId).as('max_retries'),
      ])
      .executeTakeFirstOrThrow();
  }

  async record(callId: string, outcome: CallOutcome): Promise<void> {
    await this.db
      .updateTable('webhook_calls')
      .set({
        status: outcome.status,
        attempts: outcome.attempts,
        status_code: outcome.statusCode,
        request: outcome.request ? JSON.stringify(outcome.request) : null,
        response: outcome.response ? JSON.stringify(outcome.response) : null,
        errors: JSON.stringify(outcome.errors),
        next_attempt_at: outcome.nextAttemptAt,
        updated_at: new Date(),
      })
      .where('id', '=', callId)
      .execute();
  }
}
