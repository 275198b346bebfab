import { createHash } from 'node:crypto';
import type { InboundMessage, Reply } from '../../bot/message.js';
import type { ChannelMemory } from '../channel-memory.js';
import type { InboundSms } from './inbound.js';
import type { SmsSuppressionList } from './provider.js';
import { renderSms, type SmsRenderOptions } from './render.js';
import { optInWords, optOutWords, smsTexts } from './texts.js';

export const SMS_CHANNEL = 'sms';
const DEDUPE_TTL_MS = 24 * 60 * 60_000;
const CHOICES_TTL_MS = 30 * 60_000;

/** Phone numbers never appear in keys, session ids or logs: a stable hash stands for them. */
export const phoneKey = (phone: string) =>
  createHash('sha256').update(`minsheng-sms:${phone}`).digest('hex').slice(0, 32);

export interface SmsChannelOptions {
  handle(message: InboundMessage): Promise<Reply[]>;
  memory: ChannelMemory;
  suppression: SmsSuppressionList;
  render: SmsRenderOptions;
}

/** What to send back to the citizen; undefined when nothing is to be sent (a duplicate delivery). */
export type SmsAnswer = { text: string; kind: 'reply' | 'opt-out' | 'opt-in' } | undefined;

/** Provider-independent SMS conversation: dedupe, opt-out, numbered choices, shortening. */
export class SmsChannel {
  constructor(private readonly options: SmsChannelOptions) {}

  async receive(sms: InboundSms): Promise<SmsAnswer> {
    const { memory, suppression } = this.options;
    if (!(await memory.claim(`sms:${sms.provider}:${sms.providerMessageId}`, DEDUPE_TTL_MS))) return undefined;
    const word = sms.text
      .normalize('NFKC')
      .trim()
      .replace(/[。.!！]+$/, '')
      .toUpperCase();
    if (optOutWords.has(word)) {
      await suppression.add(sms.phone, sms.provider, word);
      return { text: smsTexts.optedOut, kind: 'opt-out' };
    }
    if (optInWords.has(word)) {
      await suppression.remove(sms.phone);
      return { text: smsTexts.optedIn, kind: 'opt-in' };
    }
    const key = phoneKey(sms.phone);
    if (!sms.text.trim()) return { text: smsTexts.empty, kind: 'reply' };
    const replies = await this.options.handle({
      id: `${sms.provider}:${sms.providerMessageId}`,
      channel: SMS_CHANNEL,
      userId: sms.phone,
      contactPhone: sms.phone,
      sessionId: `sms-${key}`,
      text: await this.resolveChoice(key, sms.text),
      receivedAt: sms.receivedAt,
    });
    const rendered = renderSms(replies, this.options.render);
    await memory.put(`sms:choices:${key}`, rendered.numberedChoices, CHOICES_TTL_MS);
    return { text: rendered.text, kind: 'reply' };
  }

  private async resolveChoice(key: string, text: string): Promise<string> {
    const digit = text
      .normalize('NFKC')
      .trim()
      .match(/^[1-9]$/)?.[0];
    if (!digit) return text;
    const choices = await this.options.memory.get<string[]>(`sms:choices:${key}`);
    return choices?.[Number(digit) - 1] ?? text;
  }
}
