import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';

/** The SQL statements `db` runs while `work` runs (every query of the app goes through its Kysely executor). */
export async function countStatements(db: Kysely<DB>, work: () => Promise<unknown>): Promise<number> {
  const executor = db.getExecutor();
  const original = executor.executeQuery.bind(executor);
  let count = 0;
  executor.executeQuery = ((...args: Parameters<typeof original>) => {
    count++;
    return original(...args);
  }) as typeof executor.executeQuery;
  try {
    await work();
  } finally {
    executor.executeQuery = original;
  }
  return count;
}
