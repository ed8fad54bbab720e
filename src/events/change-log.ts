import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * A reader's place in the change log (the `events` table): the (xid, seq) of the last row it read. Rows
 * are read in (xid, seq) order and only when their transaction is older than the oldest transaction still
 * running, so every row a reader passes is final: a transaction that took a lower seq but commits late can
 * never be skipped (migration 0026). The price is that a long-running writing transaction holds readers
 * back until it ends.
 */
export interface LogPosition {
  /** xid8 of the writing transaction, as text (it does not fit every JS number). */
  xid: string;
  seq: number;
}

/** Before every row (rows written before migration 0026 have xid 0). */
export const LOG_START: LogPosition = { xid: '0', seq: 0 };

/** The condition on `events` rows that come after `position` and can be read now. */
export function readableAfter(position: LogPosition): RawBuilder<boolean> {
  return sql<boolean>`(xid, seq) > (${position.xid}::xid8, ${position.seq}::bigint) and xid < pg_snapshot_xmin(pg_current_snapshot())`;
}

/**
 * The position from which a reader that has just seen the current state must read: every row of a
 * transaction older than the oldest running one is part of that state, any other row may not be.
 */
export async function currentHorizon(db: Kysely<DB>): Promise<LogPosition> {
  const { rows } = await sql<{ xid: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xid`.execute(db);
  return { xid: rows[0].xid, seq: 0 };
}

/** The position of a row read with `xid::text` and `seq`. */
export const positionOf = (row: { xid: string; seq: number | string }): LogPosition => ({ xid: row.xid, seq: Number(row.seq) });
