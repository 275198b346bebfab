import type { FastifyBaseLogger } from 'fastify';
import type { Transcript } from '../bot/dialog-state.js';
import type { Database } from '../prisma/client.js';
import { WebChatNotificationSender, type NotificationSender } from '../workorders/notification.js';
import { OutboxNotifier } from '../workorders/outbox-notifier.js';

/** Message kind of a work-order update in a web-chat transcript. */
export const UPDATE_MESSAGE_KIND = 'update';

/**
 * The outbox notifier with the web chat's sender wired in: a web-chat update is delivered when it
 * is in the session's transcript (where a push route or the page can pick it up). Other channels'
 * senders come from the caller; "sms" is the fallback when a channel refuses.
 */
export function createWorkOrderNotifier(
  db: Database,
  transcript: Transcript,
  log: FastifyBaseLogger,
  senders: NotificationSender[] = [],
): { notifier: OutboxNotifier; webChatNotifications: WebChatNotificationSender } {
  const webChatNotifications = new WebChatNotificationSender();
  webChatNotifications.subscribe(async (n) => {
    // At-least-once delivery: a repeated notification is dropped here.
    const seen = await db.message.findFirst({
      where: { conversationId: n.sessionId, direction: 'out', kind: UPDATE_MESSAGE_KIND, text: n.text },
      select: { id: true },
    });
    if (seen) return;
    await transcript.append([
      {
        sessionId: n.sessionId,
        channel: n.channel,
        userId: n.recipient,
        direction: 'out',
        kind: UPDATE_MESSAGE_KIND,
        text: n.text,
        at: new Date(),
      },
    ]);
  });
  const notifier = new OutboxNotifier(db, {
    senders: [webChatNotifications, ...senders],
    fallbackChannel: 'sms',
    onAttempt: ({ outboxId, channel, result }) =>
      log[result.outcome === 'delivered' ? 'info' : 'warn'](
        { outboxId, channel, ...result },
        'work-order update delivery',
      ),
    onError: (error) => log.error({ err: error }, 'outbox delivery round failed'),
  });
  return { notifier, webChatNotifications };
}
