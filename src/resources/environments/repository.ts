import type { Kysely } from 'kysely';
import type { DB, EnvironmentRow } from '../../db/schema.js';

export async function insertEnvironment(
  db: Kysely<DB>,
  values: { spaceId: string; id: string; name: string; userId: string | null },
): Promise<EnvironmentRow> {
  return db
    .insertInto('environments')
    .values({
      space_id: values.spaceId,
      id: values.id,
      name: values.name,
      created_by: values.userId,
      updated_by: values.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
