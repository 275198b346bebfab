import { SmsRefusedError, type SmsSuppressionList, type SmsUpdateParams } from './provider.js';
import type { SmsSendQueue } from './send-queue.js';

/** A work-order update for one number. */
export interface SmsUpdate extends SmsUpdateParams {
  phone: string;
}

/**
 * What became of one update: sent (the gateway took it); not to be sent (opted out, or refused
 * for good: bad number, template); or to be tried again later (the number's send slot is still
 * taken, the gateway is down or rate-limited).
 */
export type SmsNotifyResult =
  | { status: 'sent'; messageId: string }
  | { status: 'suppressed' }
  | { status: 'refused'; reason: string }
  | { status: 'retry'; reason: string; retryInMs?: number };

/**
 * Work-order updates by SMS (for the outbox): honours opt-outs, keeps a number's messages apart,
 * and sends while the caller waits, so the caller marks its row delivered only once the gateway
 * has taken the message and keeps it (retried with backoff) otherwise, across restarts too.
 */
export class SmsStatusNotifier {
  constructor(
    private readonly queue: SmsSendQueue,
    private readonly suppression: SmsSuppressionList,
  ) {}

  async notify(update: SmsUpdate): Promise<SmsNotifyResult> {
    const { phone, ...params } = update;
    if (await this.suppression.has(phone)) return { status: 'suppressed' };
    try {
      const outcome = await this.queue.sendNow({ phone, template: 'status', params });
      if ('sent' in outcome) return { status: 'sent', messageId: outcome.sent.messageId };
      return {
        status: 'retry',
        reason: `number's send slot taken (SMS_MIN_INTERVAL_MS), free in ${outcome.retryInMs} ms`,
        retryInMs: outcome.retryInMs,
      };
    } catch (error) {
      if (error instanceof SmsRefusedError) return { status: 'refused', reason: error.message };
      return { status: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** An update that carries only the ticket and its status. */
  notifyStatus(phone: string, code: string, status: string): Promise<SmsNotifyResult> {
    return this.notify({ phone, code, status });
  }
}
