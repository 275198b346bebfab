import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Minsheng } from '../composition.js';

export const healthRoutes =
  (minsheng: Minsheng): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get('/healthz', {
      schema: {
        summary: 'Liveness and readiness: the database answers; how many knowledge entries can be answered',
        tags: ['operations'],
        response: {
          200: z.object({
            status: z.literal('ok'),
            knowledgeEntries: z
              .number()
              .int()
              .describe('published entries inside their validity dates: what the bot can answer from'),
            storedEntries: z
              .number()
              .int()
              .describe('all stored entries, drafts, entries in review and archived ones included'),
          }),
          503: z.object({ status: z.literal('unavailable'), reason: z.string() }),
        },
      },
      handler: async (request, reply) => {
        const now = new Date();
        try {
          const [answerable, stored] = await Promise.all([
            // The same test as isAnswerable (knowledge/entry.ts), counted by the database.
            minsheng.db.knowledgeEntry.count({
              where: {
                status: 'published',
                AND: [
                  { OR: [{ validFrom: null }, { validFrom: { lte: now } }] },
                  { OR: [{ validTo: null }, { validTo: { gte: now } }] },
                ],
              },
            }),
            minsheng.db.knowledgeEntry.count(),
          ]);
          return { status: 'ok' as const, knowledgeEntries: answerable, storedEntries: stored };
        } catch (error) {
          request.log.error({ err: error }, 'health check: database unreachable');
          return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
        }
      },
    });
  };
