import type { Redis } from 'ioredis';
import type { AttemptLog, DialogState, SessionStore, StoredSession } from '../bot/dialog-state.js';

interface StoredValue {
  state: DialogState;
  updatedAt: number;
  channel: string;
  userId?: string;
}

/**
 * Session state in Redis (the client's keyPrefix, REDIS_KEY_PREFIX, namespaces the keys), shared by several app instances. Keys expire after the idle timeout,
 * which is the same reset the engine applies to an idle session in the database.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly idleMs: number,
    private readonly prefix = 'session:',
  ) {}

  async get(sessionId: string): Promise<StoredSession | undefined> {
    const raw = await this.redis.get(this.prefix + sessionId);
    if (!raw) return undefined;
    try {
      const value = JSON.parse(raw) as StoredValue;
      return { state: value.state ?? {}, updatedAt: new Date(value.updatedAt) };
    } catch {
      return undefined; // an unreadable session starts again rather than failing every turn
    }
  }

  async set(sessionId: string, session: { channel: string; userId?: string; state: DialogState }): Promise<void> {
    const value: StoredValue = { ...session, updatedAt: Date.now() };
    await this.redis.set(this.prefix + sessionId, JSON.stringify(value), 'PX', this.idleMs);
  }

  async delete(sessionId: string): Promise<void> {
    await this.redis.del(this.prefix + sessionId);
  }
}

/** Failed attempts as a sorted set of timestamps per key, trimmed to the window atomically. */
export class RedisAttemptLog implements AttemptLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'attempts:',
  ) {}

  async count(key: string, windowMs: number, at: Date): Promise<number> {
    return this.redis.zcount(this.prefix + key, `(${at.getTime() - windowMs}`, '+inf');
  }

  async add(key: string, windowMs: number, at: Date): Promise<number> {
    const k = this.prefix + key;
    const now = at.getTime();
    const results = await this.redis
      .multi()
      .zremrangebyscore(k, '-inf', now - windowMs)
      .zadd(k, now, `${now}:${Math.random().toString(36).slice(2)}`)
      .zcard(k)
      .pexpire(k, windowMs)
      .exec();
    const card = results?.[2];
    if (!card || card[0]) throw card?.[0] ?? new Error('redis transaction failed');
    return Number(card[1]);
  }
}
