import type { FastifyPluginAsync } from 'fastify';

export const userRoutes: FastifyPluginAsync = async (app) => {
  app.get('/users/me', async (request) => app.services.users.me(request.actor));
};
