import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export type SmsProviderName = 'aliyun' | 'tencent' | 'twilio';

/** A citizen's SMS as any gateway pushes it. */
export interface InboundSms {
  provider: SmsProviderName;
  /** The gateway's id for dedupe across its retries. */
  providerMessageId: string;
  /** 11 digits for mainland mobiles, E.164 with "+" for any other number. */
  phone: string;
  text: string;
  receivedAt: Date;
}

export interface DeliveryReceipt {
  provider: SmsProviderName;
  messageId: string;
  phone: string;
  status: 'delivered' | 'failed' | 'unknown';
  errorCode?: string;
  reportedAt?: Date;
}

/** `skipped`: elements of a batch left out as malformed, with why (the others are still handled). */
export type Parsed<T> = { ok: true; value: T; skipped?: string[] } | { ok: false; problem: string };
const problemOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

const phone = z
  .string()
  .trim()
  .regex(/^\+?\d{5,20}$/);
/** Gateways in China send local times "2026-11-29 13:14:15" (UTC+8). */
const chinaTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
  .transform((s) => new Date(`${s.replace(' ', 'T')}+08:00`));
const text = z.string().max(1000);

/**
 * One spelling per number: mainland mobiles as 11 digits (how citizens and work orders write
 * them), every other number in E.164 with "+".
 */
const mainland = (p: string, nationCode = '86') => {
  const digits = p.replace(/^\+/, '');
  const full = nationCode === '86' ? digits : `${nationCode}${digits}`;
  const china = full.match(/^86(1[3-9]\d{9})$/);
  if (china) return china[1]!;
  if (nationCode === '86' && !p.startsWith('+') && /^1[3-9]\d{9}$/.test(digits)) return digits;
  return `+${full}`;
};

// Alibaba Cloud 上行 push: an array of messages.
const aliyunMessage = z.object({
  phone_number: phone,
  send_time: chinaTime,
  content: text,
  sign_name: z.string().nullish(),
  dest_code: z.string().nullish(),
  sequence_id: z.union([z.number(), z.string()]).transform(String),
});
const aliyunBatch = z.array(z.unknown()).min(1).max(100);

/**
 * Each message of a batch on its own: Alibaba Cloud pushes the whole batch again until it gets
 * its answer, so one malformed element must not hold back the valid ones (it is skipped and
 * reported). Only a body that is no batch, or a batch without one valid message, is refused.
 */
export function parseAliyunInbound(body: unknown): Parsed<InboundSms[]> {
  const batch = aliyunBatch.safeParse(body);
  if (!batch.success) return { ok: false, problem: problemOf(batch.error) };
  const value: InboundSms[] = [];
  const skipped: string[] = [];
  batch.data.forEach((element, index) => {
    const parsed = aliyunMessage.safeParse(element);
    if (!parsed.success) {
      skipped.push(`${index}: ${problemOf(parsed.error)}`);
      return;
    }
    const m = parsed.data;
    value.push({
      provider: 'aliyun',
      providerMessageId: m.sequence_id,
      phone: mainland(m.phone_number),
      text: m.content,
      receivedAt: m.send_time,
    });
  });
  if (value.length === 0) return { ok: false, problem: skipped.join('; ') };
  return skipped.length ? { ok: true, value, skipped } : { ok: true, value };
}

const aliyunReports = z
  .array(
    z.object({
      phone_number: phone,
      report_time: chinaTime.optional(),
      success: z.boolean(),
      err_code: z.string().optional(),
      biz_id: z.string().min(1).max(128),
    }),
  )
  .min(1)
  .max(100);

export function parseAliyunReports(body: unknown): Parsed<DeliveryReceipt[]> {
  const parsed = aliyunReports.safeParse(body);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  return {
    ok: true,
    value: parsed.data.map((r) => ({
      provider: 'aliyun',
      messageId: r.biz_id,
      phone: mainland(r.phone_number),
      status: r.success ? 'delivered' : 'failed',
      errorCode: r.success ? undefined : r.err_code,
      reportedAt: r.report_time,
    })),
  };
}
export const aliyunAck = { code: 0, msg: '接收成功' };

// Tencent Cloud reply callback: one object per message; status callback: an array.
const tencentInbound = z.object({
  extend: z.string().optional(),
  mobile: phone,
  nationcode: z
    .string()
    .regex(/^\d{1,4}$/)
    .default('86'),
  sign: z.string().optional(),
  text,
  time: z.number().int().positive(),
});

export function parseTencentInbound(body: unknown): Parsed<InboundSms> {
  const parsed = tencentInbound.safeParse(body);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const m = parsed.data;
  const number = mainland(m.mobile, m.nationcode);
  // Tencent gives no id: sender, second and text identify a message across its retries (two
  // messages in one second differ by their text); hashed, since numbers never appear in keys.
  const digest = createHash('sha256').update(`minsheng-sms:${number}\n${m.text}`).digest('hex').slice(0, 32);
  return {
    ok: true,
    value: {
      provider: 'tencent',
      providerMessageId: `${m.time}:${digest}`,
      phone: number,
      text: m.text,
      receivedAt: new Date(m.time * 1000),
    },
  };
}

const tencentReports = z
  .array(
    z.object({
      user_receive_time: chinaTime.optional(),
      nationcode: z
        .string()
        .regex(/^\d{1,4}$/)
        .default('86'),
      mobile: phone,
      report_status: z.enum(['SUCCESS', 'FAIL']),
      errmsg: z.string().optional(),
      sid: z.string().min(1).max(128),
    }),
  )
  .min(1)
  .max(100);

export function parseTencentReports(body: unknown): Parsed<DeliveryReceipt[]> {
  const parsed = tencentReports.safeParse(body);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  return {
    ok: true,
    value: parsed.data.map((r) => ({
      provider: 'tencent',
      messageId: r.sid,
      phone: mainland(r.mobile, r.nationcode),
      status: r.report_status === 'SUCCESS' ? 'delivered' : 'failed',
      errorCode: r.report_status === 'SUCCESS' ? undefined : r.errmsg,
      reportedAt: r.user_receive_time,
    })),
  };
}
export const tencentAck = { result: 0, errmsg: 'OK' };

/** X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + each sorted name + value)). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  received: string | undefined,
): boolean {
  if (!received) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(received);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const twilioInbound = z.object({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-f]{32}$/i),
  From: phone,
  Body: text.default(''),
});

export function parseTwilioInbound(form: Record<string, string>, receivedAt: Date): Parsed<InboundSms> {
  const parsed = twilioInbound.safeParse(form);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  return {
    ok: true,
    value: {
      provider: 'twilio',
      providerMessageId: parsed.data.MessageSid,
      phone: mainland(parsed.data.From),
      text: parsed.data.Body,
      receivedAt,
    },
  };
}

const twilioStatus = z.object({
  MessageSid: z.string().min(1).max(64),
  MessageStatus: z.string().min(1).max(32),
  To: phone,
  ErrorCode: z.string().optional(),
});

export function parseTwilioStatus(form: Record<string, string>): Parsed<DeliveryReceipt> {
  const parsed = twilioStatus.safeParse(form);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const s = parsed.data.MessageStatus;
  return {
    ok: true,
    value: {
      provider: 'twilio',
      messageId: parsed.data.MessageSid,
      phone: mainland(parsed.data.To),
      status: s === 'delivered' ? 'delivered' : s === 'failed' || s === 'undelivered' ? 'failed' : 'unknown',
      errorCode: parsed.data.ErrorCode,
    },
  };
}

const xmlEscape = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** TwiML answer: the reply travels back in the webhook's response. */
export function twiml(message?: string): string {
  return message
    ? `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xmlEscape(message)}</Message></Response>`
    : '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
}
