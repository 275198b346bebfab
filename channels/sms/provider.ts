import type { DeliveryReceipt, SmsProviderName } from './inbound.js';

/**
 * An outbound SMS. In mainland China every text must fit an approved template: `reply` carries a
 * conversation answer in one variable, `status` a work-order update (notification type).
 */
export type OutboundSms =
  | { phone: string; template: 'reply'; params: { content: string } }
  | { phone: string; template: 'status'; params: { code: string; status: string } };

export interface SmsSendResult {
  /** The gateway's id (Aliyun BizId, Twilio MessageSid), matched later by delivery receipts. */
  messageId: string;
}

/** The gateway refused the message (bad number, template, quota); retrying will not help. */
export class SmsRefusedError extends Error {
  constructor(
    readonly provider: SmsProviderName,
    readonly code: string,
    message: string,
  ) {
    super(`${provider} refused the SMS: ${code} ${message}`);
    this.name = 'SmsRefusedError';
  }
}

export interface SmsProvider {
  readonly name: SmsProviderName;
  send(sms: OutboundSms): Promise<SmsSendResult>;
}

/** Numbers that opted out of notifications. */
export interface SmsSuppressionList {
  add(phone: string, provider: SmsProviderName, keyword: string): Promise<void>;
  remove(phone: string): Promise<void>;
  has(phone: string): Promise<boolean>;
}

export interface DeliveryReceiptLog {
  record(receipts: DeliveryReceipt[]): Promise<void>;
}
