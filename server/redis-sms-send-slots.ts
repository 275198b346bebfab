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
 * Takes the number's slot only when it is free on Redis's clock: returns 0 and marks the slot
 * used now, else the milliseconds until it frees, reserving nothing.
 */
const tryReserveScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local previous = tonumber(redis.call('GET', KEYS[1]) or '-1')
if previous >= 0 and previous + interval > now then return previous + interval - now end
redis.call('SET', KEYS[1], now, 'PX', interval + 1)
return 0
`;

/**
 * The SMS per-number send slots in Redis, shared by every instance, so that two instances never
 * both send to one number within the gateway's interval. Keys hold a hash of the number, never
 * the number itself.
 */
export class RedisSendSlots implements SendSlots {
  constructor(private readonly redis: Redis) {
    redis.defineCommand('minshengReserveSmsSlot', { numberOfKeys: 1, lua: reserveScript });
    redis.defineCommand('minshengTryReserveSmsSlot', { numberOfKeys: 1, lua: tryReserveScript });
  }

  reserve(phone: string, intervalMs: number): Promise<number> {
    return this.run('minshengReserveSmsSlot', phone, intervalMs);
  }

  tryReserve(phone: string, intervalMs: number): Promise<number> {
    return this.run('minshengTryReserveSmsSlot', phone, intervalMs);
  }

  private async run(name: string, phone: string, intervalMs: number): Promise<number> {
    const key = `sms:slot:${createHash('sha256').update(phone).digest('hex').slice(0, 32)}`;
    const command = (this.redis as unknown as Record<string, (key: string, interval: number) => Promise<number>>)[
      name
    ]!;
    return Number(await command.call(this.redis, key, Math.max(0, Math.round(intervalMs))));
  }
}
