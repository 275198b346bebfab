import type { Reply } from '../../bot/message.js';
import { WechatApiError, WechatWindowClosedError, type WechatApiClient } from './api-client.js';
import { renderRepliesAsText } from './render.js';

/** What became of one delivery, for the outbox: retry `failed`, fall back to another route on `refused`. */
export type DeliveryResult =
  | { status: 'delivered' }
  | { status: 'refused'; code: string; reason: string; windowClosed: boolean }
  | { status: 'failed'; reason: string };

/** Sends replies to a follower later, through the customer-service message API. */
export class WechatCustomerServiceSender {
  constructor(private readonly client: WechatApiClient) {}

  async send(openId: string, replies: Reply[]): Promise<DeliveryResult> {
    const { text } = renderRepliesAsText(replies);
    try {
      await this.client.sendCustomerText(openId, text);
      return { status: 'delivered' };
    } catch (error) {
      if (error instanceof WechatWindowClosedError) {
        return { status: 'refused', code: String(error.errcode), reason: error.errmsg, windowClosed: true };
      }
      if (error instanceof WechatApiError) {
        return { status: 'refused', code: String(error.errcode), reason: error.errmsg, windowClosed: false };
      }
      return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
