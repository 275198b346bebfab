import { EventEmitter } from 'node:events';

/** One citizen-visible update, as handed to a channel sender. */
export interface Notification {
  /** Outbox row id: stable across retries, so a receiver can drop a repeated delivery. */
  id: number;
  kind: 'status' | 'note' | 'return-visit';
  /** The channel the sender delivers on (the owner's channel, or "sms" on fallback). */
  channel: string;
  /** The owner's id on that channel (web session id, WeChat OpenID; the phone number on SMS). */
  recipient: string;
  sessionId: string;
  workOrderCode: string;
  status: string;
  text: string;
  /** Suggested answers (the return-visit ratings). */
  choices?: string[];
}

/**
 * What a delivery attempt came to: delivered; refused by the channel for good (e.g. WeChat's
 * 48-hour customer-service window closed), which falls back to SMS; or failed, retried with
 * backoff when `retryable`.
 */
export type DeliveryResult =
  | { outcome: 'delivered' }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'failed'; retryable: boolean; reason: string };

/** One per channel; the channel adapters implement it. */
export interface NotificationSender {
  readonly channel: string;
  deliver(notification: Notification): Promise<DeliveryResult>;
}

/**
 * The web chat's sender: an in-process event the server subscribes to (to push to the open page
 * and keep the update in the session's transcript). With no subscriber it refuses, so the update
 * falls back to SMS rather than vanish.
 */
export class WebChatNotificationSender implements NotificationSender {
  readonly channel = 'web';
  private readonly events = new EventEmitter();

  /** Listens to every web-chat notification; returns the unsubscribe function. */
  subscribe(listener: (notification: Notification) => Promise<void> | void): () => void {
    // A listener that throws synchronously fails the delivery like one that rejects.
    const wrapped = (n: Notification, done: (p: Promise<void>) => void) =>
      done(Promise.resolve().then(() => listener(n)));
    this.events.on('notification', wrapped);
    return () => this.events.off('notification', wrapped);
  }

  async deliver(notification: Notification): Promise<DeliveryResult> {
    if (this.events.listenerCount('notification') === 0)
      return { outcome: 'refused', reason: 'no web chat subscriber' };
    const pending: Promise<void>[] = [];
    this.events.emit('notification', notification, (p: Promise<void>) => pending.push(p));
    try {
      await Promise.all(pending);
      return { outcome: 'delivered' };
    } catch (error) {
      return { outcome: 'failed', retryable: true, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
