import type { Reply } from '../../bot/message.js';
import type { ChannelMemory } from '../channel-memory.js';
import { renderRepliesAsText } from '../wechat/render.js';
import { WECHATY_CHOICES_TTL_MS, wechatyChoicesKey } from './wechaty-bridge.js';

/** The parts of a wechaty instance the sender uses (structural: wechaty is an optional dependency). */
export interface WechatyDirectoryLike {
  readonly isLoggedIn: boolean;
  Contact: {
    find(query: { id: string }): Promise<{ say(text: string): Promise<unknown> } | undefined>;
  };
}

export type WechatyDeliveryResult =
  | { status: 'delivered' }
  | { status: 'refused'; reason: string }
  | { status: 'failed'; reason: string };

/**
 * Work-order updates to contacts of the wechaty bridge: said to the contact while the bridge is
 * logged in. A logged-out bridge (waiting for a QR scan, puppet reconnecting) is a failure to retry;
 * a contact the account no longer has is refused, so the outbox falls back to SMS.
 */
export class WechatyUpdateSender {
  constructor(
    private readonly wechaty: WechatyDirectoryLike,
    private readonly memory: ChannelMemory,
  ) {}

  async send(contactId: string, replies: Reply[]): Promise<WechatyDeliveryResult> {
    if (!this.wechaty.isLoggedIn) return { status: 'failed', reason: 'wechaty bridge not logged in' };
    let contact: Awaited<ReturnType<WechatyDirectoryLike['Contact']['find']>>;
    try {
      contact = await this.wechaty.Contact.find({ id: contactId });
    } catch (error) {
      return { status: 'failed', reason: `contact lookup failed: ${(error as Error).message}` };
    }
    if (!contact) return { status: 'refused', reason: 'not a contact of the wechaty account' };
    const rendered = renderRepliesAsText(replies);
    try {
      // Choices first: the citizen may answer "1" as soon as the message arrives.
      if (rendered.numberedChoices.length) {
        await this.memory.put(wechatyChoicesKey(contactId), rendered.numberedChoices, WECHATY_CHOICES_TTL_MS);
      }
      await contact.say(rendered.text);
      return { status: 'delivered' };
    } catch (error) {
      return { status: 'failed', reason: `say failed: ${(error as Error).message}` };
    }
  }
}
