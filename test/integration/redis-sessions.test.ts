import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestApp, type TestApp } from '../support/app.js';
import { loadScenarios, playScenario } from '../support/scenarios.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('session state in Redis (REDIS_URL set)', () => {
  // A prefix of its own per run: the SQLite and PostgreSQL projects share the local Redis.
  const keyPrefix = `minsheng-test-${randomBytes(6).toString('hex')}:`;
  let t: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, SESSION_IDLE_MINUTES: '10' });
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await t.close();
  });

  it('keeps the dialog in Redis with the idle timeout as expiry, and the transcript in the database', async () => {
    const session = 'redis-session-intake';
    await chat(t.app, session, '我要投诉楼下烧烤店半夜很吵');
    const raw = await redis.get(`${keyPrefix}session:${session}`);
    expect(JSON.parse(raw ?? '{}')).toMatchObject({
      state: { intake: { awaiting: 'place', appealType: 'complaint' } },
    });
    const ttl = await redis.pttl(`${keyPrefix}session:${session}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    const row = await t.app.minsheng.db.conversation.findUniqueOrThrow({ where: { id: session } });
    expect(row.state).toEqual({});
    expect(await t.app.minsheng.db.message.count({ where: { conversationId: session } })).toBe(2);
  });

  it('continues the dialog from Redis on the next turn', async () => {
    const session = 'redis-session-intake';
    const [ask] = await chat(t.app, session, '江北区望江路18号');
    expect(ask?.text).toContain('联系电话');
  });

  it('counts wrong phone tails in Redis', async () => {
    const [scenario] = loadScenarios().filter((s) => s.name.startsWith('after five wrong tails'));
    await playScenario(scenario!, 'redis-throttle', (sessionId, text) => chat(t.app, sessionId, text));
    const keys = await redis.keys(`${keyPrefix}attempts:*`);
    expect(keys.some((k) => k.includes('status:session:redis-throttle-other'))).toBe(true);
    expect(keys.some((k) => k.includes('status:ticket:'))).toBe(true);
  });

  for (const [i, scenario] of loadScenarios().entries()) {
    it(`plays ${scenario.file}: ${scenario.name}`, async () => {
      const main = await playScenario(scenario, `redis-s${i}`, (sessionId, text) => chat(t.app, sessionId, text));
      if (scenario.workOrders !== undefined)
        expect(await t.app.minsheng.db.workOrder.count({ where: { ownerSessionId: main } })).toBe(scenario.workOrders);
    });
  }
});
