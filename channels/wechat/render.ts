import type { Reply } from '../../bot/message.js';
import { wechatTexts } from './texts.js';

/** WeChat text messages are limited to 2048 bytes; stay under it with room for the suffix. */
const MAX_TEXT_BYTES = 2000;

export interface RenderedText {
  text: string;
  /** The choices numbered by the channel, in order, so that a reply "2" can be resolved. */
  numberedChoices: string[];
}

/**
 * WeChat has no buttons: choices become numbered lines, unless the bot's text already lists them
 * (a clarification names its options; a confirmation says what to reply).
 */
export function renderRepliesAsText(replies: Reply[]): RenderedText {
  const parts: string[] = [];
  let numberedChoices: string[] = [];
  for (const reply of replies) {
    let text = reply.text;
    const choices = reply.choices ?? [];
    if (choices.length && !choices.every((choice) => reply.text.includes(choice))) {
      text += `\n${wechatTexts.choicesHeader}\n${choices.map((c, i) => `${i + 1}. ${c}`).join('\n')}`;
      numberedChoices = choices;
    }
    parts.push(text);
  }
  return { text: limitBytes(parts.join('\n\n'), MAX_TEXT_BYTES), numberedChoices };
}

export function limitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const budget = maxBytes - Buffer.byteLength(wechatTexts.truncated, 'utf8');
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char, 'utf8') > budget) break;
    out += char;
  }
  return out + wechatTexts.truncated;
}
