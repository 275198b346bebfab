import type { SmsSuppressionList } from './provider.js';
import type { SmsSendQueue } from './send-queue.js';

/** Work-order status updates by SMS (for the outbox): honours opt-outs, queues per number. */
export class SmsStatusNotifier {
  constructor(
    private readonly queue: SmsSendQueue,
    private readonly suppression: SmsSuppressionList,
  ) {}

  async notifyStatus(phone: string, code: string, status: string): Promise<'queued' | 'suppressed'> {
    if (await this.suppression.has(phone)) return 'suppressed';
    this.queue.enqueue({ phone, template: 'status', params: { code, status } });
    return 'queued';
  }
}
