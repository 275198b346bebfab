import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';

/** What changed: published entries, or the dictionaries (synonyms, glossary) the index is built with. */
export type KnowledgeChange = 'entries' | 'dictionary';
type Listener = (changes: KnowledgeChange[]) => Promise<void> | void;

/**
 * Keeps every instance's in-memory index in step with the database. A change made here reloads
 * this process's index at once; with Redis, a message on a pub/sub channel makes every other
 * instance reload too. Reloads requested while one runs are coalesced into one more.
 */
export class KnowledgeSync {
  private readonly origin = randomUUID();
  private readonly listeners = new Set<Listener>();
  private readonly pendingChanges = new Set<KnowledgeChange>();
  private queued: Promise<void> | undefined;
  private running: Promise<void> = Promise.resolve();
  private subscriber: Redis | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private version: (() => Promise<string>) | undefined;
  /** The stored entries' fingerprint the index was last built from (see watch). */
  private builtFrom: string | undefined;

  constructor(
    private readonly knowledge: KnowledgeBase,
    private readonly log: FastifyBaseLogger,
    private readonly redis?: { client: Redis; channel: string },
  ) {}

  /** Subscribes to the other instances' changes (with Redis); a reconnect reloads, since messages may have been missed. */
  async start(): Promise<void> {
    if (!this.redis) return;
    const subscriber = this.redis.client.duplicate({ lazyConnect: true });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.redis!.channel) return;
      let parsed: { origin?: unknown; change?: unknown };
      try {
        parsed = JSON.parse(message) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.origin === this.origin) return;
      const change = parsed.change === 'dictionary' ? 'dictionary' : 'entries';
      this.log.info({ change, from: parsed.origin }, 'knowledge changed on another instance; reloading');
      void this.refresh(change);
    });
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (connectedBefore) void this.refresh('entries');
      connectedBefore = true;
    });
    subscriber.on('error', (error: Error) => this.log.warn({ err: error }, 'knowledge sync subscriber error'));
    await subscriber.connect();
    await subscriber.subscribe(this.redis.channel);
  }

  /**
   * Reloads when the stored entries change behind every instance's back: `minsheng kb import` into
   * the running server's database, a restore, another tool. `version` fingerprints the entries
   * (count and latest change); it is read after each reload, so a change this process or, through
   * Redis, another instance already reloaded for costs no second reload.
   */
  async watch(version: () => Promise<string>, intervalMs: number): Promise<void> {
    this.version = version;
    this.builtFrom = await version();
    this.watchTimer = setInterval(() => void this.checkVersion(), intervalMs);
    this.watchTimer.unref();
  }

  private async checkVersion(): Promise<void> {
    try {
      const current = await this.version!();
      if (current === this.builtFrom) return;
      this.log.info('knowledge entries changed in the database; reloading');
      await this.refresh('entries');
    } catch (error) {
      this.log.warn({ err: error }, 'knowledge version check failed');
    }
  }

  /** Called after this process changed what the index is built from: reload here, then tell the others. */
  async changed(change: KnowledgeChange = 'entries'): Promise<void> {
    // A failed reload is logged in refresh(); the change is committed, and the others are told regardless.
    await this.refresh(change).catch(() => {});
    if (this.redis) {
      try {
        await this.redis.client.publish(
          this.redis.channel,
          JSON.stringify({ origin: this.origin, change, at: new Date().toISOString() }),
        );
      } catch (error) {
        this.log.error({ err: error }, 'could not tell the other instances about a knowledge change');
      }
    }
  }

  /** Runs before each reload with the kinds of change that caused it (e.g. to re-read the dictionaries). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the reload covering this request has finished. */
  refresh(change: KnowledgeChange): Promise<void> {
    this.pendingChanges.add(change);
    if (!this.queued) {
      const next = this.running
        .catch(() => {})
        .then(async () => {
          this.queued = undefined;
          const changes = [...this.pendingChanges];
          this.pendingChanges.clear();
          try {
            // Read before the reload: a change made during it is then seen by the next check.
            const version = await this.version?.();
            for (const listener of this.listeners) await listener(changes);
            await this.knowledge.reload();
            if (version !== undefined) this.builtFrom = version;
          } catch (error) {
            this.log.error({ err: error }, 'knowledge reload failed');
            throw error;
          }
        });
      this.queued = next;
      this.running = next;
    }
    return this.queued;
  }

  async close(): Promise<void> {
    clearInterval(this.watchTimer);
    await this.running.catch(() => {});
    await this.subscriber?.quit().catch(() => {});
  }
}
