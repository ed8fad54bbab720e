import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/users/me', async (request) => app.users.me(request.actor));
};
