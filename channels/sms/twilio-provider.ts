import type { OutboundSms, SmsProvider, SmsSendResult } from './provider.js';
import { SmsGatewayBusyError, SmsRefusedError } from './provider.js';
import { bodyBudget } from './segments.js';
import { DEFAULT_UPDATE_SEGMENTS, updateAsText } from './update-text.js';

export interface TwilioProviderOptions {
  accountSid: string;
  authToken: string;
  from: string;
  baseUrl?: string;
  /** Segments a status update may use (SMS_SEGMENTS_MAX). */
  maxSegments?: number;
}

/** E.164 with "+": mainland mobiles are stored as 11 digits, other numbers already in E.164. */
export const toE164 = (phone: string) =>
  phone.startsWith('+') ? phone : /^1[3-9]\d{9}$/.test(phone) ? `+86${phone}` : `+${phone}`;

/** Twilio-style REST gateway (international numbers): free text, no templates. */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = 'twilio' as const;

  constructor(private readonly options: TwilioProviderOptions) {}

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    // Free text: the whole update, cut to the segment budget with its reply instructions kept.
    const body =
      sms.template === 'reply'
        ? sms.params.content
        : updateAsText(sms.params, bodyBudget(this.options.maxSegments ?? DEFAULT_UPDATE_SEGMENTS, 0), true);
    const base = (this.options.baseUrl ?? 'https://api.twilio.com').replace(/\/+$/, '');
    const response = await fetch(`${base}/2010-04-01/Accounts/${this.options.accountSid}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: toE164(sms.phone), From: this.options.from, Body: body }),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await response.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
    if (response.status === 429) throw new SmsGatewayBusyError('twilio', String(json.code ?? 429), json.message ?? '');
    if (response.status >= 400 && response.status < 500) {
      throw new SmsRefusedError('twilio', String(json.code ?? response.status), json.message ?? '');
    }
    if (!response.ok || !json.sid) throw new Error(`twilio answered HTTP ${response.status}`);
    return { messageId: json.sid };
  }
}
