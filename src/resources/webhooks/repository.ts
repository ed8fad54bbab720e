import { Repository, type ScopedTable, spaceColumns, type TableDefinition, tableIn } from '../../db/repository.js';
import { ApiError } from '../../domain/errors.js';

/** Webhook definitions, keyed by the space id. */
export const webhookTable: TableDefinition<'webhook_definitions', string> = {
  table: 'webhook_definitions',
  type: 'WebhookDefinition',
  scope: (spaceId) => spaceColumns({ spaceId }),
  order: ['created_at', 'id'],
  // The only unique key is the id: a PUT that lost the race to create it.
  conflict: ({ id }) => new ApiError('VersionMismatch', 'The webhook was created concurrently', { type: 'WebhookDefinition', id }),
};

/** Webhook definitions and the log of the calls made for them (written by the webhook worker). */
export class WebhookRepository extends Repository<'webhook_definitions', string> {
  /** The calls of one webhook, newest first. */
  calls(spaceId: string, webhookId: string): ScopedTable<'webhook_calls'> {
    return tableIn(this.db, 'webhook_calls', { ...spaceColumns({ spaceId }), webhook_id: webhookId }, ['created_at desc', 'id']);
  }

  call(spaceId: string, webhookId: string, callId: string) {
    return this.calls(spaceId, webhookId).select().selectAll().where('id', '=', callId).executeTakeFirst();
  }

  /** Finished calls, and how many of them succeeded. */
  async health(spaceId: string, webhookId: string): Promise<{ total: number; healthy: number }> {
    const counts = await this.calls(spaceId, webhookId)
      .select()
      .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('id').filterWhere('status', '=', 'success').as('healthy')])
      .where('status', '<>', 'pending')
      .executeTakeFirstOrThrow();
    return { total: Number(counts.total), healthy: Number(counts.healthy) };
  }
}
