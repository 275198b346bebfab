import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SendSlots } from '../channels/sms/send-queue.js';

/**
 * Reserves the number's next send slot atomically, on Redis's own clock (instances' clocks may
 * differ): slot = max(now, previous slot + interval). The key expires one interval after the slot.
 */
const reserveScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local previous = tonumber(redis.call('GET', KEYS[1]) or '-1')
local slot = now
if previous >= 0 and previous + interval > now then slot = previous + interval end
redis.call('SET', KEYS[1], slot, 'PX', slot - now + interval + 1)
return slot - now
`;

/**
 * The SMS per-number send slots in Redis, shared by every instance, so that two instances never
 * both send to one number within the gateway's interval. Keys hold a hash of the number, never
 * the number itself.
 */
export class RedisSendSlots implements SendSlots {
  constructor(private readonly redis: Redis) {
    redis.defineCommand('minshengReserveSmsSlot', { numberOfKeys: 1, lua: reserveScript });
  }

  async reserve(phone: string, intervalMs: number): Promise<number> {
    const key = `sms:slot:${createHash('sha256').update(phone).digest('hex').slice(0, 32)}`;
    const command = (this.redis as unknown as Record<string, (key: string, interval: number) => Promise<number>>)
      .minshengReserveSmsSlot!;
    return Number(await command.call(this.redis, key, Math.max(0, Math.round(intervalMs))));
  }
}
