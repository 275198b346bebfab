import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSendSlots } from '../../server/redis-sms-send-slots.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('SMS send slots in Redis, taken only when free (work-order updates)', () => {
  // A prefix of its own per run: the SQLite and PostgreSQL projects share the local Redis.
  const keyPrefix = `minsheng-test-${randomBytes(6).toString('hex')}:`;
  let connections: Redis[];
  /** Without the prefix: KEYS patterns are not prefixed by ioredis. */
  let plain: Redis;

  beforeAll(() => {
    connections = [0, 1].map(() => new Redis(redisUrl, { keyPrefix }));
    plain = new Redis(redisUrl);
  });
  afterAll(async () => {
    const keys = await plain.keys(`${keyPrefix}*`);
    if (keys.length) await plain.del(...keys);
    await Promise.all([...connections, plain].map((c) => c.quit()));
  });

  it('gives the slot to one of two instances and tells the other how long to wait, reserving nothing', async () => {
    const [a, b] = connections.map((c) => new RedisSendSlots(c));
    const phone = `139${String(randomBytes(3).readUIntBE(0, 3) % 100_000_000).padStart(8, '0')}`;
    const waits = await Promise.all([a!.tryReserve(phone, 600), b!.tryReserve(phone, 600)]);
    expect(waits.filter((w) => w === 0)).toHaveLength(1);
    const wait = waits.find((w) => w > 0)!;
    expect(wait).toBeGreaterThan(400);
    expect(wait).toBeLessThanOrEqual(600);
    // Asking again does not move the slot: it frees when the first send's interval ends.
    expect(await b!.tryReserve(phone, 600)).toBeLessThanOrEqual(wait);
    await new Promise((resolve) => setTimeout(resolve, wait + 20));
    expect(await b!.tryReserve(phone, 600)).toBe(0);
    // A reply queued meanwhile waits for the update just sent (both share the key).
    expect(await a!.reserve(phone, 600)).toBeGreaterThan(400);
    const keys = await plain.keys(`${keyPrefix}sms:slot:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join()).not.toContain(phone);
  });
});
