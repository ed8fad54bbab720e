import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../../db/connection.js';

/** Liveness says the process answers; readiness says the database does too. */
export const healthRoutes: FastifyPluginAsync<{ database: Database }> = async (app, { database }) => {
  app.get('/healthz', { schema: { summary: 'Liveness: the process answers' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'Readiness: the database answers too (503 when it does not)' } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(database.db);
      return { status: 'ready', database: database.kind };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return reply.status(503).send({ status: 'unavailable', database: database.kind });
    }
  });
};
