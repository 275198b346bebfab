import type { DeliveryReceipt, SmsProviderName } from './inbound.js';

/**
 * What a work-order update carries to SMS: the ticket and its status label always; the update's
 * own text (the note, the information asked for, the result and the return-visit question) and the
 * answers the citizen may reply with when there are any.
 */
export interface SmsUpdateParams {
  code: string;
  status: string;
  text?: string;
  choices?: string[];
}

/**
 * An outbound SMS. In mainland China every text must fit an approved template: `reply` carries a
 * conversation answer in one variable, `status` a work-order update (notification type); each
 * provider decides how much of the update its templates can carry (see update-text.ts).
 */
export type OutboundSms =
  | { phone: string; template: 'reply'; params: { content: string } }
  | { phone: string; template: 'status'; params: SmsUpdateParams };

export interface SmsSendResult {
  /** The gateway's id (Aliyun BizId, Twilio MessageSid), matched later by delivery receipts. */
  messageId: string;
}

/** Gateway codes worth a plain reason in the outbox (staff read `lastError`). */
const refusalReasons: [RegExp, string][] = [
  [/MOBILE_NUMBER_ILLEGAL|IncorrectPhoneNumber|^21211$|^21614$/, 'invalid number'],
  [/BLACK_KEY_CONTROL_LIMIT|PhoneNumberInBlacklist|BLACK_LIST|^21610$/, 'number opted out at the gateway'],
  [/NO_TEMPLATE|TEMPLATE|Template/, 'template missing or not approved'],
  [/SIGN|Sign/, 'signature not approved'],
];

/** The gateway refused the message (bad number, opted out, template); retrying will not help. */
export class SmsRefusedError extends Error {
  constructor(
    readonly provider: SmsProviderName,
    readonly code: string,
    message: string,
  ) {
    const reason = refusalReasons.find(([pattern]) => pattern.test(code))?.[1];
    super(`${provider} refused the SMS${reason ? ` (${reason})` : ''}: ${code} ${message}`.trim());
    this.name = 'SmsRefusedError';
  }
}

/**
 * The gateway did not take the message for now (outage, rate or daily limit, balance): nothing was
 * sent, and the same message may be sent again later.
 */
export class SmsGatewayBusyError extends Error {
  constructor(
    readonly provider: SmsProviderName,
    readonly code: string,
    message: string,
  ) {
    super(`${provider} did not take the SMS for now: ${code} ${message}`.trim());
    this.name = 'SmsGatewayBusyError';
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
