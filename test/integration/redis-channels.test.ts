import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../channels/web/web-chat-hub.js';
import type { OutboundSms, SmsProvider } from '../../channels/sms/provider.js';
import { SmsSendQueue } from '../../channels/sms/send-queue.js';
import { RedisSendSlots } from '../../server/redis-sms-send-slots.js';
import type { Actor } from '../../workorders/lifecycle.js';
import { startTestApp, type TestApp } from '../support/app.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
type WebSocket = Awaited<ReturnType<FastifyInstance['injectWS']>>;

function nextFrame(socket: WebSocket, test: (frame: ServerFrame) => boolean): Promise<ServerFrame> {
  return new Promise((resolve) => {
    const listener = (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (!test(frame)) return;
      socket.off('message', listener);
      resolve(frame);
    };
    socket.on('message', listener);
  });
}

describe('several instances sharing Redis (REDIS_URL set)', () => {
  // A prefix of its own per run: the SQLite and PostgreSQL projects share the local Redis.
  const keyPrefix = `minsheng-test-${randomBytes(6).toString('hex')}:`;
  const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix };
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    a = await startTestApp(env);
    b = await startTestApp(env, { database: a.database });
    await b.app.ready();
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await b?.close();
    await a?.close();
  });

  it('pushes a work-order update delivered by instance A into a page connected to instance B', async () => {
    const sessionId = `relay-${randomBytes(4).toString('hex')}`;
    // Only A's outbox runs, so the update is delivered on A while the page is on B.
    await b.app.minsheng.notifier.stop();
    const socket = await b.app.injectWS('/api/chat/ws');
    const ready = nextFrame(socket, (f) => f.type === 'ready');
    socket.send(JSON.stringify({ type: 'hello', sessionId }));
    await ready;

    const order = await a.app.minsheng.workOrders.file(
      {
        appealType: 'complaint',
        description: '小区门口垃圾堆积无人清运',
        place: '江北区望江花园',
        contactPhone: '13800000011',
        channel: 'web',
        ownerSessionId: sessionId,
      },
      `relay-${sessionId}`,
    );
    const pushed = nextFrame(socket, (f) => f.type === 'reply');
    await a.app.minsheng.workOrders.act(order.code, 'dispatch', { name: 'op', role: 'operator' } satisfies Actor, {});
    await a.app.minsheng.notifier.settle();
    expect(await pushed).toMatchObject({
      type: 'reply',
      reply: { kind: 'status', ticket: { code: order.code, status: 'dispatched', statusLabel: '已派单' } },
    });
    const row = await a.app.minsheng.db.outboxMessage.findFirstOrThrow({
      where: { workOrder: { code: order.code } },
    });
    expect(row).toMatchObject({ status: 'delivered', deliveredVia: 'web' });
    // Instance A has no page of this session: only the relay can have brought it to B.
    expect(b.app.channels.webChat.lastSeq(sessionId)).toBe(1);
    socket.terminate();
  });

  it('keeps one number apart across two instances sending at the same moment', async () => {
    const sentAt: { queue: string; at: number }[] = [];
    const provider = (queue: string): SmsProvider => ({
      name: 'aliyun',
      send: async (_sms: OutboundSms) => {
        sentAt.push({ queue, at: Date.now() });
        return { messageId: `${queue}-${sentAt.length}` };
      },
    });
    const connections = [0, 1].map(() => new Redis(redisUrl, { keyPrefix }));
    const intervalMs = 1000;
    const [first, second] = connections.map(
      (connection, i) =>
        new SmsSendQueue({
          provider: provider(`q${i}`),
          minIntervalMs: intervalMs,
          slots: new RedisSendSlots(connection),
        }),
    );
    const phone = `139${String(randomBytes(3).readUIntBE(0, 3) % 100_000_000).padStart(8, '0')}`;
    first!.enqueue({ phone, template: 'status', params: { code: 'LJ1', status: '已派单' } });
    second!.enqueue({ phone, template: 'status', params: { code: 'LJ2', status: '已派单' } });
    await Promise.all([first!.idle(), second!.idle()]);
    expect(sentAt.map((s) => s.queue).sort()).toEqual(['q0', 'q1']);
    // The slots are a full interval apart on Redis's clock; what is measured here is when each provider call
    // started, and a first call that starts late on a loaded machine narrows the gap by that delay. Without
    // shared slots both would leave at once (a gap near 0).
    expect(Math.abs(sentAt[1]!.at - sentAt[0]!.at)).toBeGreaterThanOrEqual(intervalMs - 100);
    const keys = await redis.keys(`${keyPrefix}sms:slot:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join()).not.toContain(phone);
    await Promise.all(connections.map((c) => c.quit()));
  });
});
