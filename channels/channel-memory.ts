/**
 * Small key-value memory a channel needs between requests: dedupe keys, the last shared
 * location, the number → choice mapping of SMS and WeChat. The server backs it with a
 * database table; the in-memory version serves single-process tools and tests.
 */
export interface ChannelMemory {
  /** Stores the key unless it is present and unexpired; true when this call claimed it (first delivery). */
  claim(key: string, ttlMs: number): Promise<boolean>;
  put(key: string, value: unknown, ttlMs: number): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
}

export class InMemoryChannelMemory implements ChannelMemory {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.clock()) return false;
    this.entries.set(key, { value: true, expiresAt: this.clock() + ttlMs });
    return true;
  }

  async put(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.clock() + ttlMs });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > this.clock() ? (entry.value as T) : undefined;
  }
}
