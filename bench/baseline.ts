import Fastify from 'fastify';

export type RawQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The cost floor: the same single-entry and collection requests as the CDA scenarios, answered with one
 * hand-written SQL query each and the stored JSON as it is (no auth, no locale resolution, no includes).
 */
export async function startBaseline(query: RawQuery): Promise<{ port: number; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  type Params = { spaceId: string; environmentId: string; entryId: string };
  app.get<{ Params: Params }>('/spaces/:spaceId/environments/:environmentId/entries/:entryId', async (request, reply) => {
    const { spaceId, environmentId, entryId } = request.params;
    const rows = await query(
      'select id, content_type_id, published_fields from entries where space_id = $1 and environment_id = $2 and id = $3 and published_version is not null',
      [spaceId, environmentId, entryId],
    );
    if (!rows[0]) return reply.status(404).send({ sys: { type: 'Error', id: 'NotFound' } });
    return { sys: { id: rows[0].id, type: 'Entry', contentType: rows[0].content_type_id }, fields: rows[0].published_fields };
  });
  app.get<{ Params: Omit<Params, 'entryId'>; Querystring: { content_type?: string; limit?: string } }>(
    '/spaces/:spaceId/environments/:environmentId/entries',
    async (request) => {
      const { spaceId, environmentId } = request.params;
      const rows = await query(
        `select id, content_type_id, published_fields from entries
          where space_id = $1 and environment_id = $2 and content_type_id = $3 and published_version is not null
          order by published_at desc nulls last, id asc nulls last limit $4`,
        [spaceId, environmentId, request.query.content_type ?? '', Number(request.query.limit ?? 100)],
      );
      return { items: rows.map((r) => ({ sys: { id: r.id, type: 'Entry', contentType: r.content_type_id }, fields: r.published_fields })) };
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
}
