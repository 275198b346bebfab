import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Minsheng } from '../composition.js';

export const healthRoutes =
  (minsheng: Minsheng): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/healthz', {
      schema: {
        summary: 'Liveness and readiness: the database answers and the knowledge base is loaded',
        tags: ['operations'],
        response: {
          200: z.object({ status: z.literal('ok'), knowledgeEntries: z.number().int() }),
          503: z.object({ status: z.literal('unavailable'), reason: z.string() }),
        },
      },
      handler: async (request, reply) => {
        try {
          await minsheng.db.$queryRawUnsafe('SELECT 1');
        } catch (error) {
          request.log.error({ err: error }, 'health check: database unreachable');
          return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
        }
        return { status: 'ok' as const, knowledgeEntries: minsheng.knowledge.count() };
      },
    });
  };
