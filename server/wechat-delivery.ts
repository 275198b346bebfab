import type { DeliveryResult as WechatDeliveryResult } from '../channels/wechat/sender.js';
import type { DeliveryResult } from '../workorders/notification.js';

/** A WeChat send's result in the outboxes' terms: refused is final (or falls back), failed is retried. */
export function outboxResultOf(result: WechatDeliveryResult): DeliveryResult {
  if (result.status === 'delivered') return { outcome: 'delivered' };
  if (result.status === 'refused') return { outcome: 'refused', reason: `${result.code} ${result.reason}` };
  return { outcome: 'failed', retryable: true, reason: result.reason };
}
