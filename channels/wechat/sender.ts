import { createHash } from 'node:crypto';
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

/** How long the parts of a long answer already sent are remembered for the outbox's next attempt. */
const PARTIAL_TTL_MS = 60 * 60_000;

/**
 * Sends replies to a follower later, through the customer-service message API. A long answer goes
 * as several messages in order (a read-back keeps its place, phone and what to reply); when a later
 * part fails, the parts already accepted are remembered, so that the outbox's retry sends only the
 * rest (in this process: another instance retrying may repeat them, which at-least-once allows).
 */
export class WechatCustomerServiceSender {
  private readonly partial = new Map<string, { sent: number; expiresAt: number }>();

  constructor(
    private readonly client: WechatApiClient,
    private readonly clock: () => number = Date.now,
  ) {}

  async send(openId: string, replies: Reply[]): Promise<DeliveryResult> {
    const { messages } = renderRepliesAsText(replies);
    const now = this.clock();
    for (const [key, entry] of this.partial) if (entry.expiresAt <= now) this.partial.delete(key);
    const key = messages.length > 1 ? partialKey(openId, messages) : undefined;
    let sent = (key && this.partial.get(key)?.sent) || 0;
    try {
      for (; sent < messages.length; sent++) await this.client.sendCustomerText(openId, messages[sent]!);
      if (key) this.partial.delete(key);
      return { status: 'delivered', via: 'customer-service' };
    } catch (error) {
      if (key && sent > 0) this.partial.set(key, { sent, expiresAt: now + PARTIAL_TTL_MS });
      return resultOf(error);
    }
  }
}

/** Identifies one answer to one follower without keeping its text in memory. */
function partialKey(openId: string, messages: string[]): string {
  return createHash('sha256').update(openId).update('\0').update(messages.join('\0')).digest('base64url');
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
