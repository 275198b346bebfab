import type {} from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { ConversationEngine } from '../../bot/conversation-engine.js';
import { clientFrameSchema, frameOf, type ServerFrame, type WebChatHub } from '../../channels/web/web-chat-hub.js';
import { toInboundMessage } from '../../channels/web/web-chat.js';

const MAX_FRAME_BYTES = 16 * 1024;

/**
 * `GET /api/chat/ws`: the widget's WebSocket. The first frame is `hello` (session and the last
 * reply the page shows); then `message` frames. Turns of one connection run in order.
 */
export const webChatSocketRoutes =
  (engine: ConversationEngine, hub: WebChatHub): FastifyPluginAsync =>
  async (app) => {
    app.get('/api/chat/ws', { websocket: true, schema: { hide: true } }, (socket, request) => {
      const send = (frame: ServerFrame) => socket.send(JSON.stringify(frame));
      let sessionId: string | undefined;
      let detach: (() => void) | undefined;
      let turns: Promise<void> = Promise.resolve();

      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary || data.length > MAX_FRAME_BYTES) return socket.close(1009, 'frame too large');
        let json: unknown;
        try {
          json = JSON.parse(data.toString('utf8'));
        } catch {
          return send({ type: 'error', message: '消息格式不正确' });
        }
        const parsed = clientFrameSchema.safeParse(json);
        if (!parsed.success) return send({ type: 'error', message: '消息格式不正确' });
        const frame = parsed.data;
        if (frame.type === 'hello') {
          if (sessionId) return send({ type: 'error', message: '会话已建立' });
          const session = frame.sessionId;
          sessionId = session;
          detach = hub.attach(session, socket);
          const lastSeq = frame.epoch === hub.epoch ? (frame.lastSeq ?? 0) : 0;
          // In the turn chain: a message sent right after hello is recorded after the restored history.
          turns = turns.then(async () => {
            await hub.restore(session);
            send({ type: 'ready', epoch: hub.epoch, lastSeq: hub.lastSeq(session) });
            for (const item of hub.since(session, lastSeq)) send(frameOf(item));
          });
          return;
        }
        const session = sessionId;
        if (!session) return send({ type: 'error', message: '会话未建立' });
        turns = turns.then(async () => {
          hub.recordSaid(session, frame.text, socket);
          hub.broadcast(session, { type: 'typing', on: true });
          try {
            const replies = await engine.handle(toInboundMessage({ sessionId: session, text: frame.text }, new Date()));
            for (const reply of replies) hub.record(session, reply);
          } catch (error) {
            request.log.error({ err: error }, 'web chat turn failed');
            send({ type: 'error', message: '服务暂时不可用，请稍后再试' });
          } finally {
            hub.broadcast(session, { type: 'typing', on: false });
          }
        });
      });
      socket.on('close', () => detach?.());
    });
  };
