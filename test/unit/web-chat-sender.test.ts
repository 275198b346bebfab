import { describe, expect, it } from 'vitest';
import { WebChatNotificationSender, type Notification } from '../../workorders/notification.js';

const notification: Notification = {
  id: 7,
  kind: 'status',
  channel: 'web',
  recipient: 'session-1',
  sessionId: 'session-1',
  workOrderCode: 'LJ20261129000001',
  status: 'dispatched',
  text: '您的工单 LJ20261129000001 已派至临江市城市管理局办理',
};

describe('WebChatNotificationSender', () => {
  it('refuses with no subscriber, so the update falls back instead of vanishing', async () => {
    expect(await new WebChatNotificationSender().deliver(notification)).toEqual({
      outcome: 'refused',
      reason: 'no web chat subscriber',
    });
  });

  it('delivers to subscribers once they have handled it, and reports their failure as retryable', async () => {
    const sender = new WebChatNotificationSender();
    const seen: number[] = [];
    const unsubscribe = sender.subscribe(async (n) => {
      await Promise.resolve();
      seen.push(n.id);
    });
    expect(await sender.deliver(notification)).toEqual({ outcome: 'delivered' });
    expect(seen).toEqual([7]);
    unsubscribe();
    sender.subscribe(() => {
      throw new Error('transcript unavailable');
    });
    expect(await sender.deliver(notification)).toEqual({
      outcome: 'failed',
      retryable: true,
      reason: 'transcript unavailable',
    });
  });
});
