import type { Reply } from '../../bot/message.js';
import { shortenToFit, splitIntoMessages } from './text-fit.js';
import { wechatTexts } from './texts.js';

/** WeChat text messages are limited to 2048 bytes; stay under it with some room to spare. */
export const MAX_TEXT_BYTES = 2000;
/**
 * Customer-service messages one long answer may take. A citizen's message opens a quota of 5
 * (since June 2023); 3 leave room for the work-order updates that may follow.
 */
export const MAX_MESSAGES = 3;

export interface RenderedText {
  /** Everything in one message (a passive reply can carry only one), shortened to fit if needed. */
  text: string;
  /** Everything in order as at most MAX_MESSAGES messages (customer-service API), shortened only beyond that. */
  messages: string[];
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
  const whole = parts.join('\n\n');
  return {
    text: shortenToFit(whole, MAX_TEXT_BYTES),
    messages: splitIntoMessages(whole, MAX_TEXT_BYTES, MAX_MESSAGES),
    numberedChoices,
  };
}
