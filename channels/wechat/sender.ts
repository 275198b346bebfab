import type { Reply } from '../../bot/message.js';
import {
  WechatApiError,
  WechatWindowClosedError,
  isTransientWechatError,
  templateReachableCodes,
  type WechatApiClient,
} from './api-client.js';
import { renderRepliesAsText } from './render.js';
import { templateData, templateUrl, type WechatUpdateTemplate } from './template.js';

/** What became of one delivery, for the outbox: retry `failed`, fall back to another route on `refused`. */
export type DeliveryResult =
  | { status: 'delivered'; via?: 'customer-service' | 'template' }
  | { status: 'refused'; code: string; reason: string; windowClosed: boolean }
  | { status: 'failed'; reason: string };

/** Maps what the client threw to a delivery result: transient trouble is `failed` (retry), the rest `refused`. */
function resultOf(error: unknown): DeliveryResult {
  if (isTransientWechatError(error)) {
    return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  if (error instanceof WechatApiError) {
    return {
      status: 'refused',
      code: String(error.errcode),
      reason: error.errmsg,
      windowClosed: error instanceof WechatWindowClosedError,
    };
  }
  return { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
}

/** Sends replies to a follower later, through the customer-service message API. */
export class WechatCustomerServiceSender {
  constructor(private readonly client: WechatApiClient) {}

  async send(openId: string, replies: Reply[]): Promise<DeliveryResult> {
    const { text } = renderRepliesAsText(replies);
    try {
      await this.client.sendCustomerText(openId, text);
      return { status: 'delivered', via: 'customer-service' };
    } catch (error) {
      return resultOf(error);
    }
  }
}

/**
 * Work-order updates to a follower: a customer-service message while the 48-hour window is open;
 * when it is closed (45015 window expired, 45047 message quota used up) the operator's template
 * message, if one is configured. What is still refused (not a follower, template refused or not
 * configured) is left to the caller's fallback (SMS).
 */
export class WechatUpdateSender {
  constructor(
    private readonly client: WechatApiClient,
    private readonly customerService: WechatCustomerServiceSender,
    private readonly template?: WechatUpdateTemplate,
  ) {}

  async send(openId: string, update: Reply, at: Date): Promise<DeliveryResult> {
    const first = await this.customerService.send(openId, [update]);
    if (first.status !== 'refused' || !first.windowClosed || !templateReachableCodes.has(Number(first.code))) {
      return first;
    }
    if (!this.template) return first;
    try {
      await this.client.sendTemplate(
        openId,
        this.template.templateId,
        templateData(this.template, update, at),
        templateUrl(this.template, update),
      );
      return { status: 'delivered', via: 'template' };
    } catch (error) {
      const second = resultOf(error);
      if (second.status !== 'refused') return second;
      return {
        status: 'refused',
        code: `${first.code}/${second.code}`,
        reason: `customer-service: ${first.reason}; template: ${second.reason}`,
        windowClosed: true,
      };
    }
  }
}
