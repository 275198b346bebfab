import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ServerFrame } from '../../channels/web/web-chat-hub.js';
import { chat, startTestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';

type WebSocket = Awaited<ReturnType<FastifyInstance['injectWS']>>;

/** The frames a new page receives up to the last of the session's history. */
async function historyOf(socket: WebSocket, sessionId: string): Promise<ServerFrame[]> {
  const frames: ServerFrame[] = [];
  const ready = new Promise<number>((resolve) =>
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      frames.push(frame);
      if (frame.type === 'ready') resolve(frame.lastSeq);
    }),
  );
  socket.send(JSON.stringify({ type: 'hello', sessionId }));
  const last = await ready;
  while (!frames.some((f) => 'seq' in f && f.seq === last)) await new Promise((resolve) => setTimeout(resolve, 20));
  return frames;
}

describe('web chat history after a restart', () => {
  it('shows a page opened after the restart the conversation before it, both sides, and goes on numbering', async () => {
    const database = await createTestDatabase();
    const sessionId = 'history-after-restart-1';
    const before = await startTestApp({}, { database });
    try {
      await chat(before.app, sessionId, '我要投诉楼下烧烤店半夜噪音');
      await chat(before.app, sessionId, '江北区望江路18号');
    } finally {
      await before.close();
    }
    const after = await startTestApp({}, { database });
    try {
      await after.app.ready();
      const socket = await after.app.injectWS('/api/chat/ws');
      const frames = await historyOf(socket, sessionId);
      socket.terminate();
      const shown = frames.flatMap((f) =>
        f.type === 'said' ? [`我：${f.text}`] : f.type === 'reply' ? [`助手：${f.reply.kind}`] : [],
      );
      expect(shown).toEqual(['我：我要投诉楼下烧烤店半夜噪音', '助手：ask', '我：江北区望江路18号', '助手：ask']);
      // The bot still waits for the phone, and the page says so.
      const lastReply = frames.filter((f) => f.type === 'reply').at(-1);
      expect(lastReply?.type === 'reply' && lastReply.reply.text).toMatch(/联系电话/);
      // The conversation goes on after the restored part.
      const response = await after.app.inject({
        method: 'POST',
        url: '/api/chat',
        payload: { sessionId, text: '13812345678' },
      });
      expect(response.json()).toMatchObject({ lastSeq: 6 });
      const sync = await after.app.inject({ method: 'GET', url: `/api/chat/sync?sessionId=${sessionId}` });
      expect(sync.json().said.map((m: { text: string }) => m.text)).toEqual([
        '我要投诉楼下烧烤店半夜噪音',
        '江北区望江路18号',
        '13812345678',
      ]);
    } finally {
      await after.close();
      await database.drop();
    }
  });
});
