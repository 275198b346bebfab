import type { OutboundSms, SmsProvider, SmsSendResult } from './provider.js';

/**
 * Send times per number. Each message reserves the next slot of its number, at least the interval
 * after the previous one; kept in this process, or in Redis so that several instances share it.
 */
export interface SendSlots {
  /** Reserves the number's next slot; resolves to the milliseconds to wait until it. */
  reserve(phone: string, intervalMs: number): Promise<number>;
  /**
   * Takes the number's slot only if it is free now: resolves to 0 when taken, else to the
   * milliseconds until it frees (nothing reserved, so a caller that comes back later is not
   * pushed further away by its own earlier tries).
   */
  tryReserve(phone: string, intervalMs: number): Promise<number>;
}

/** Slots of this process only (one instance). */
export class LocalSendSlots implements SendSlots {
  private readonly last = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async reserve(phone: string, intervalMs: number): Promise<number> {
    const now = this.clock();
    const slot = Math.max(now, (this.last.get(phone) ?? -Infinity) + intervalMs);
    this.last.set(phone, slot);
    if (this.last.size > 10_000) {
      for (const [key, at] of this.last) if (at + intervalMs < now) this.last.delete(key);
    }
    return slot - now;
  }

  async tryReserve(phone: string, intervalMs: number): Promise<number> {
    const now = this.clock();
    const free = (this.last.get(phone) ?? -Infinity) + intervalMs;
    if (free > now) return free - now;
    this.last.set(phone, now);
    return 0;
  }
}

export interface SendQueueOptions {
  provider: SmsProvider;
  /** Gateways refuse a second message to the same number within a short time: keep this gap. */
  minIntervalMs: number;
  clock?: () => number;
  /** How to wait; tests pass a scheduler they drive by hand. */
  schedule?: (run: () => void, delayMs: number) => void;
  onResult?: (sms: OutboundSms, outcome: { result?: SmsSendResult; error?: unknown }) => void;
  /** Shared slots (Redis) when several instances send; this process's own otherwise. */
  slots?: SendSlots;
  /** Told when a slot cannot be reserved (Redis unreachable); the number is tried again after a pause. */
  onSlotError?: (error: unknown) => void;
}

/**
 * Per-number queue: messages to one number leave in order, at least `minIntervalMs` apart (across
 * instances when the slots are shared); status updates for the same ticket still waiting are
 * coalesced (only the newest is sent).
 */
export class SmsSendQueue {
  private readonly queues = new Map<string, OutboundSms[]>();
  private readonly slots: SendSlots;
  private readonly running = new Set<string>();
  private readonly clock: () => number;
  private readonly schedule: (run: () => void, delayMs: number) => void;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SendQueueOptions) {
    this.clock = options.clock ?? Date.now;
    this.schedule = options.schedule ?? ((run, delay) => void setTimeout(run, delay).unref?.());
    this.slots = options.slots ?? new LocalSendSlots(this.clock);
  }

  enqueue(sms: OutboundSms): void {
    const queue = this.queues.get(sms.phone) ?? [];
    if (sms.template === 'status') {
      const code = sms.params.code;
      const stale = queue.findIndex((q) => q.template === 'status' && q.params.code === code);
      if (stale >= 0) queue.splice(stale, 1);
    }
    queue.push(sms);
    this.queues.set(sms.phone, queue);
    this.pump(sms.phone);
  }

  /**
   * Sends at once if the number's slot is free, without queueing: for callers that keep the
   * message themselves until it is sent (the work-order outbox), so that a restart loses nothing.
   * Resolves to the gateway's id, or to how long to wait; a gateway's refusal or failure throws.
   */
  async sendNow(sms: OutboundSms): Promise<{ sent: SmsSendResult } | { retryInMs: number }> {
    const wait = await this.slots.tryReserve(sms.phone, this.options.minIntervalMs);
    if (wait > 0) return { retryInMs: wait };
    try {
      const result = await this.options.provider.send(sms);
      this.options.onResult?.(sms, { result });
      return { sent: result };
    } catch (error) {
      this.options.onResult?.(sms, { error });
      throw error;
    }
  }

  pending(phone: string): number {
    return this.queues.get(phone)?.length ?? 0;
  }

  /** Resolves when nothing is queued or being sent. */
  idle(): Promise<void> {
    if (this.queues.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(phone: string): void {
    if (this.running.has(phone)) return;
    this.running.add(phone);
    this.slots.reserve(phone, this.options.minIntervalMs).then(
      (wait) => {
        if (wait > 0) this.schedule(() => void this.sendNext(phone), wait);
        else void this.sendNext(phone);
      },
      (error: unknown) => {
        this.options.onSlotError?.(error);
        // Nothing is sent without a slot: try again later rather than risk the gateway's limit.
        this.running.delete(phone);
        this.schedule(() => this.pump(phone), Math.max(1_000, this.options.minIntervalMs));
      },
    );
  }

  private async sendNext(phone: string): Promise<void> {
    const queue = this.queues.get(phone);
    const sms = queue?.shift();
    if (!sms) {
      this.finish(phone);
      return;
    }
    try {
      const result = await this.options.provider.send(sms);
      this.options.onResult?.(sms, { result });
    } catch (error) {
      this.options.onResult?.(sms, { error });
    }
    this.running.delete(phone);
    if (queue!.length) this.pump(phone);
    else this.finish(phone);
  }

  private finish(phone: string): void {
    this.running.delete(phone);
    if (!this.queues.get(phone)?.length) this.queues.delete(phone);
    if (this.queues.size === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
  }
}
