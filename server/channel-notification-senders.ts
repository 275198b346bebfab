import type { Reply } from '../bot/message.js';
import type { Notification, NotificationSender } from '../workorders/notification.js';
import { workOrderStatusLabels, type WorkOrderStatus } from '../workorders/work-order.js';
import type { Channels } from './channels.js';
import type { Minsheng } from './composition.js';
import { outboxResultOf } from './wechat-delivery.js';

function updateReply(n: Notification): Reply {
  const statusLabel = workOrderStatusLabels[n.status as WorkOrderStatus] ?? n.status;
  return {
    kind: 'status',
    text: n.text,
    sources: [],
    ...(n.choices?.length ? { choices: n.choices } : {}),
    ticket: { code: n.workOrderCode, status: n.status, statusLabel },
  };
}

/**
 * Connects work-order updates (the outbox) to the channels: pushes into open web chat pages,
 * WeChat customer-service or template messages, the wechaty bridge, and SMS as the fallback route.
 */
export function connectChannelsToOutbox(minsheng: Minsheng, channels: Channels): void {
  // Through the relay when there are several instances: a failed publish fails the delivery, which is retried.
  minsheng.webChatNotifications.subscribe((n) => channels.webChat.deliver(n.sessionId, updateReply(n)));

  const wechat = channels.wechat?.updates;
  if (wechat) {
    minsheng.notifier.addSender({
      channel: 'wechat',
      // Customer-service message, else the template message; refused by both → the outbox falls back to SMS.
      deliver: async (n) => outboxResultOf(await wechat.send(n.recipient, updateReply(n), new Date())),
    } satisfies NotificationSender);
  }

  const wechaty = channels.wechaty?.updates;
  if (wechaty) {
    minsheng.notifier.addSender({
      channel: 'wechaty',
      // Said to the contact while the bridge is logged in; retried while it is not, SMS after the last attempt.
      async deliver(n) {
        const result = await wechaty.send(n.recipient, [updateReply(n)]);
        if (result.status === 'delivered') return { outcome: 'delivered' };
        if (result.status === 'refused') return { outcome: 'refused', reason: result.reason };
        return { outcome: 'failed', retryable: true, reason: result.reason };
      },
    } satisfies NotificationSender);
  }

  const sms = channels.sms?.notifier;
  if (sms) {
    minsheng.notifier.addSender({
      channel: 'sms',
      async deliver(n) {
        const statusLabel = workOrderStatusLabels[n.status as WorkOrderStatus] ?? n.status;
        const result = await sms.notify({
          phone: n.recipient,
          code: n.workOrderCode,
          status: statusLabel,
          text: n.text,
          ...(n.choices?.length ? { choices: n.choices } : {}),
        });
        // Delivered only once the gateway has taken it; a taken send slot (the per-number gap) or
        // a gateway outage leaves the row to the outbox's backoff, so nothing waits in memory.
        switch (result.status) {
          case 'sent':
            return { outcome: 'delivered' };
          case 'suppressed':
            return { outcome: 'refused', reason: 'number opted out (退订)' };
          case 'refused':
            return { outcome: 'refused', reason: result.reason };
          case 'retry':
            return { outcome: 'failed', retryable: true, reason: result.reason };
        }
      },
    } satisfies NotificationSender);
  }
}
