import { Prisma, type Database } from '../prisma/client.js';
import type { ChannelMemory } from '../channels/channel-memory.js';

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** ChannelMemory in the application database, so that every instance sees the same dedupe keys. */
export class DatabaseChannelMemory implements ChannelMemory {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + ttlMs);
    try {
      await this.db.channelMemory.create({ data: { key, value: true, expiresAt } });
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Taken: only an expired key may be claimed again, and only by one caller.
      const { count } = await this.db.channelMemory.updateMany({
        where: { key, expiresAt: { lte: now } },
        data: { value: true, expiresAt },
      });
      return count === 1;
    }
  }

  async put(key: string, value: unknown, ttlMs: number): Promise<void> {
    const expiresAt = new Date(this.clock().getTime() + ttlMs);
    const json = (value ?? null) as Prisma.InputJsonValue;
    await this.db.channelMemory.upsert({
      where: { key },
      create: { key, value: json, expiresAt },
      update: { value: json, expiresAt },
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.db.channelMemory.findUnique({ where: { key } });
    return row && row.expiresAt > this.clock() ? (row.value as T) : undefined;
  }

  /** Deletes expired entries; called periodically by the server. */
  async purgeExpired(): Promise<number> {
    const { count } = await this.db.channelMemory.deleteMany({ where: { expiresAt: { lte: this.clock() } } });
    return count;
  }
}
