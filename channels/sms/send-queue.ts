import type { OutboundSms, SmsProvider, SmsSendResult } from './provider.js';

export interface SendQueueOptions {
  provider: SmsProvider;
  /** Gateways refuse a second message to the same number within a short time: keep this gap. */
  minIntervalMs: number;
  clock?: () => number;
  /** How to wait; tests pass a scheduler they drive by hand. */
  schedule?: (run: () => void, delayMs: number) => void;
  onResult?: (sms: OutboundSms, outcome: { result?: SmsSendResult; error?: unknown }) => void;
}

/**
 * Per-number queue: messages to one number leave in order, at least `minIntervalMs` apart;
 * status updates for the same ticket still waiting are coalesced (only the newest is sent).
 */
export class SmsSendQueue {
  private readonly queues = new Map<string, OutboundSms[]>();
  private readonly lastSent = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly clock: () => number;
  private readonly schedule: (run: () => void, delayMs: number) => void;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SendQueueOptions) {
    this.clock = options.clock ?? Date.now;
    this.schedule = options.schedule ?? ((run, delay) => void setTimeout(run, delay).unref?.());
  }

  enqueue(sms: OutboundSms): void {
    const queue = this.queues.get(sms.phone) ?? [];
    if (sms.template === 'status') {
      const stale = queue.findIndex((q) => q.template === 'status' && q.params.code === sms.params.code);
      if (stale >= 0) queue.splice(stale, 1);
    }
    queue.push(sms);
    this.queues.set(sms.phone, queue);
    this.pump(sms.phone);
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
    const wait = (this.lastSent.get(phone) ?? -Infinity) + this.options.minIntervalMs - this.clock();
    this.running.add(phone);
    if (wait > 0) this.schedule(() => void this.sendNext(phone), wait);
    else void this.sendNext(phone);
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
    this.lastSent.set(phone, this.clock());
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
