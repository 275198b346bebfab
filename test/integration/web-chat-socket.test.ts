import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../channels/web/web-chat-hub.js';
import { startTestApp, type TestApp } from '../support/app.js';

type WebSocket = Awaited<ReturnType<FastifyInstance['injectWS']>>;

/** Collects a socket's frames; `until` resolves when a frame matching the predicate has arrived. */
function frames(socket: WebSocket) {
  const received: ServerFrame[] = [];
  const waiters: { test: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    received.push(frame);
    for (const w of [...waiters]) {
      if (w.test(frame)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  return {
    received,
    until: (test: (f: ServerFrame) => boolean) =>
      new Promise<ServerFrame>((resolve) => {
        const seen = received.find(test);
        if (seen) resolve(seen);
        else waiters.push({ test, resolve });
      }),
  };
}

const replies = (list: ServerFrame[]) =>
  list.filter((f): f is Extract<ServerFrame, { type: 'reply' }> => f.type === 'reply');

describe('web chat WebSocket and its HTTP fallback', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    // injectWS, unlike inject, does not wait for the app to be ready.
    await t.app.ready();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers over the socket with a typing indicator and sequenced replies', async () => {
    const socket = await t.app.injectWS('/api/chat/ws');
    const f = frames(socket);
    socket.send(JSON.stringify({ type: 'hello', sessionId: 'ws-session-1' }));
    const ready = await f.until((x) => x.type === 'ready');
    expect(ready).toMatchObject({ type: 'ready', lastSeq: 0 });
    socket.send(JSON.stringify({ type: 'message', text: '社保卡丢了怎么办' }));
    await f.until((x) => x.type === 'typing' && !x.on);
    const types = f.received.map((x) => x.type);
    expect(types.indexOf('typing')).toBeLessThan(types.indexOf('reply'));
    // The page that sent the message shows it already: no echo; it took sequence number 1.
    expect(types).not.toContain('said');
    const [answer] = replies(f.received);
    expect(answer).toMatchObject({
      seq: 2,
      reply: { kind: 'answer', sources: [expect.objectContaining({ id: 'kb-001' })] },
    });
    socket.terminate();
  });

  it("shows the citizen's message and its replies on the session's other pages, and to a page opened later", async () => {
    const open = async () => {
      const socket = await t.app.injectWS('/api/chat/ws');
      const f = frames(socket);
      socket.send(JSON.stringify({ type: 'hello', sessionId: 'ws-session-tabs' }));
      await f.until((x) => x.type === 'ready');
      return { socket, f };
    };
    const writer = await open();
    const other = await open();
    writer.socket.send(JSON.stringify({ type: 'message', text: '我要投诉楼下烧烤店半夜噪音' }));
    await other.f.until((x) => x.type === 'reply');
    const shown = (list: ServerFrame[]) =>
      list.flatMap((x) =>
        x.type === 'said' ? [`${x.seq} 我：${x.text}`] : x.type === 'reply' ? [`${x.seq} 助手`] : [],
      );
    expect(shown(other.f.received)).toEqual(['1 我：我要投诉楼下烧烤店半夜噪音', '2 助手']);
    expect(shown(writer.f.received)).toEqual(['2 助手']);

    // A page opened later (or reloaded) is sent the conversation, both sides, in order: the bot is
    // waiting for the place of the complaint, and the page says so.
    const later = await open();
    await later.f.until((x) => x.type === 'reply');
    expect(shown(later.f.received)).toEqual(['1 我：我要投诉楼下烧烤店半夜噪音', '2 助手']);
    const asked = replies(later.f.received)[0]!.reply;
    expect(asked.text).toMatch(/地点|地址|位置/);

    const sync = await t.app.inject({ method: 'GET', url: '/api/chat/sync?sessionId=ws-session-tabs' });
    expect(sync.json()).toMatchObject({
      lastSeq: 2,
      said: [{ seq: 1, text: '我要投诉楼下烧烤店半夜噪音' }],
      replies: [{ seq: 2 }],
    });
    for (const page of [writer, other, later]) page.socket.terminate();
  });

  it('re-sends what a page missed after it reconnects, and pushes into open sessions', async () => {
    const hub = t.app.channels.webChat;
    const first = await t.app.injectWS('/api/chat/ws');
    const f1 = frames(first);
    first.send(JSON.stringify({ type: 'hello', sessionId: 'ws-session-2' }));
    const { epoch } = (await f1.until((x) => x.type === 'ready')) as Extract<ServerFrame, { type: 'ready' }>;
    first.send(JSON.stringify({ type: 'message', text: '社保卡丢了怎么办' }));
    await f1.until((x) => x.type === 'reply');
    expect(hub.pushToSession('ws-session-2', { kind: 'status', text: '工单已派单', sources: [] })).toBe(true);
    await f1.until((x) => x.type === 'reply' && x.reply.text === '工单已派单');
    const lastSeen = Math.max(...replies(f1.received).map((r) => r.seq));
    first.terminate();
    await new Promise((resolve) => first.once('close', resolve));

    hub.pushToSession('ws-session-2', { kind: 'status', text: '工单已办结', sources: [] });
    const second = await t.app.injectWS('/api/chat/ws');
    const f2 = frames(second);
    second.send(JSON.stringify({ type: 'hello', sessionId: 'ws-session-2', epoch, lastSeq: lastSeen }));
    const missed = await f2.until((x) => x.type === 'reply');
    expect(missed).toMatchObject({ type: 'reply', seq: lastSeen + 1, reply: { text: '工单已办结' } });
    expect(replies(f2.received)).toHaveLength(1);
    second.terminate();

    const sync = await t.app.inject({
      method: 'GET',
      url: `/api/chat/sync?sessionId=ws-session-2&after=2&epoch=${epoch}`,
    });
    expect(sync.json()).toMatchObject({
      epoch,
      lastSeq: lastSeen + 1,
      replies: [{ reply: { text: '工单已派单' } }, { reply: { text: '工单已办结' } }],
      said: [],
    });
  });

  it('numbers HTTP fallback replies in the same sequence', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { sessionId: 'http-session-1', text: '你好' },
    });
    // The message is 1, its reply 2.
    expect(response.json()).toMatchObject({ lastSeq: 2, epoch: t.app.channels.webChat.epoch });
    expect(t.app.channels.webChat.since('http-session-1', 0)[0]).toEqual({ seq: 1, said: '你好' });
  });

  it('allows the HTTP fallback only from the configured embedding origins', async () => {
    const other = await startTestApp({ WEBCHAT_ALLOWED_ORIGINS: 'https://www.example.gov.cn', DEMO_KNOWLEDGE: 'off' });
    try {
      const preflight = await other.app.inject({
        method: 'OPTIONS',
        url: '/api/chat',
        headers: { origin: 'https://www.example.gov.cn', 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://www.example.gov.cn');
      const foreign = await other.app.inject({
        method: 'POST',
        url: '/api/chat',
        headers: { origin: 'https://evil.example.com' },
        payload: { sessionId: 'cors-session-1', text: '你好' },
      });
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await other.close();
    }
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: { origin: 'https://www.example.gov.cn' },
      payload: { sessionId: 'cors-session-2', text: '你好' },
    });
    expect(sameOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers malformed frames with an error and never runs a turn before hello', async () => {
    const socket = await t.app.injectWS('/api/chat/ws');
    const f = frames(socket);
    socket.send('not json');
    await f.until((x) => x.type === 'error');
    socket.send(JSON.stringify({ type: 'message', text: '社保卡丢了怎么办' }));
    socket.send(JSON.stringify({ type: 'hello', sessionId: 'bad id!' }));
    await f.until((x) => x.type === 'error' && f.received.filter((y) => y.type === 'error').length === 3);
    expect(f.received.every((x) => x.type === 'error')).toBe(true);
    socket.terminate();
  });

  it('closes a socket that sends an oversized frame and refuses an oversized HTTP body with 413', async () => {
    const socket = await t.app.injectWS('/api/chat/ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code: number) => resolve(code)));
    socket.send(JSON.stringify({ type: 'hello', sessionId: 'ws-oversized' }));
    socket.send(JSON.stringify({ type: 'message', text: '长'.repeat(20_000) }));
    expect(await closed).toBe(1009);
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { sessionId: 'http-oversized', text: '长'.repeat(30_000) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(
      await t.app.minsheng.db.message.count({ where: { conversationId: { in: ['ws-oversized', 'http-oversized'] } } }),
    ).toBe(0);
  });
});
