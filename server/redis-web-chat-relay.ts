import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { Reply } from '../bot/message.js';
import type { WebChatHub, WebChatRelay } from '../channels/web/web-chat-hub.js';

const envelopeSchema = z.object({
  v: z.literal(1),
  sessionId: z.string().min(1).max(128),
  reply: z.object({ kind: z.string(), text: z.string() }).loose(),
  origin: z.string(),
});

export interface RedisWebChatRelayOptions {
  url: string;
  /** The deployment's REDIS_KEY_PREFIX: pub/sub channel names are not prefixed by ioredis, so it is added here. */
  keyPrefix: string;
  hub: WebChatHub;
  onError?: (error: unknown) => void;
}

/**
 * Web-chat pushes over Redis pub/sub: every instance subscribes to one channel and pushes what
 * arrives into its own open pages. Pub/sub keeps nothing: a page connected nowhere at that moment
 * finds the update in the transcript and in the hub's re-sync history of every instance.
 */
export class RedisWebChatRelay implements WebChatRelay {
  /** Identifies this instance in messages (logs; the publisher receives its own messages too). */
  readonly origin = randomBytes(6).toString('hex');
  private readonly channel: string;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisWebChatRelayOptions,
  ) {
    this.channel = `${options.keyPrefix}webchat:push`;
  }

  static async connect(options: RedisWebChatRelayOptions): Promise<RedisWebChatRelay> {
    const connection = () => new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    const relay = new RedisWebChatRelay(connection(), connection(), options);
    try {
      await relay.publisher.connect();
      await relay.subscriber.connect();
      relay.subscriber.on('message', (channel: string, message: string) => relay.receive(channel, message));
      await relay.subscriber.subscribe(relay.channel);
    } catch (error) {
      await relay.close();
      throw error;
    }
    return relay;
  }

  async publish(sessionId: string, reply: Reply): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify({ v: 1, sessionId, reply, origin: this.origin }));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.quit(), this.publisher.quit()]);
  }

  private receive(channel: string, message: string): void {
    if (channel !== this.channel) return;
    try {
      const envelope = envelopeSchema.parse(JSON.parse(message));
      this.options.hub.pushToSession(envelope.sessionId, envelope.reply as unknown as Reply);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
