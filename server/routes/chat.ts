import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isReply, type WebChatHub } from '../../channels/web/web-chat-hub.js';
import {
  renderReplies,
  webChatSyncQuerySchema,
  webChatSyncResponseSchema,
  toInboundMessage,
  webChatRequestSchema,
  webChatResponseSchema,
} from '../../channels/web/web-chat.js';
import type { ConversationEngine } from '../../bot/conversation-engine.js';

export const chatRoutes =
  (engine: ConversationEngine, hub?: WebChatHub): FastifyPluginAsync =>
  async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post('/api/chat', {
      schema: {
        summary: 'Send one message of the web chat and receive the replies',
        tags: ['chat'],
        body: webChatRequestSchema,
        response: { 200: webChatResponseSchema },
      },
      handler: async (request) => {
        // Recorded before the turn, so the session's other pages show the question before its replies.
        await hub?.restore(request.body.sessionId);
        hub?.recordSaid(request.body.sessionId, request.body.text);
        const replies = await engine.handle(toInboundMessage(request.body, new Date()));
        if (!hub) return renderReplies(replies);
        // Kept in the session's history too, so other open pages and a later re-sync see them.
        let lastSeq = 0;
        for (const reply of replies) lastSeq = hub.record(request.body.sessionId, reply).seq;
        return { ...renderReplies(replies), lastSeq, epoch: hub.epoch };
      },
    });
    if (hub) {
      app.withTypeProvider<ZodTypeProvider>().get('/api/chat/sync', {
        schema: {
          summary: 'Replies of a web chat session after a sequence number (HTTP fallback of the WebSocket)',
          tags: ['chat'],
          querystring: webChatSyncQuerySchema,
          response: { 200: webChatSyncResponseSchema },
        },
        handler: async (request) => {
          const { sessionId, after, epoch } = request.query;
          await hub.restore(sessionId);
          const items = hub.since(sessionId, epoch === hub.epoch ? after : 0);
          return {
            epoch: hub.epoch,
            lastSeq: hub.lastSeq(sessionId),
            replies: items.filter(isReply),
            said: items.flatMap((item) => (isReply(item) ? [] : [{ seq: item.seq, text: item.said }])),
          };
        },
      });
    }
  };
