import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  renderReplies,
  toInboundMessage,
  webChatRequestSchema,
  webChatResponseSchema,
} from '../../channels/web/web-chat.js';
import type { ConversationEngine } from '../../bot/conversation-engine.js';

export const chatRoutes =
  (engine: ConversationEngine): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post('/api/chat', {
      schema: {
        summary: 'Send one message of the web chat and receive the replies',
        tags: ['chat'],
        body: webChatRequestSchema,
        response: { 200: webChatResponseSchema },
      },
      handler: async (request) => renderReplies(await engine.handle(toInboundMessage(request.body, new Date()))),
    });
  };
