import type { Reply } from '../../bot/message.js';
import { bodyBudget, smsLength } from './segments.js';
import { smsTexts } from './texts.js';

export interface SmsRenderOptions {
  /** Longest text allowed, in segments (1 = 70 characters, 3 = 201). */
  maxSegments: number;
  /** Length of the signature the gateway prepends, e.g. 【12345热线】 = 8. */
  signatureLength: number;
}

export interface RenderedSms {
  text: string;
  /** Choices numbered by the channel, so that a reply "2" can be resolved. */
  numberedChoices: string[];
}

/**
 * Renders a turn's replies as one SMS: choices become numbered lines (kept whole), the text
 * before them is shortened to fit the segment budget.
 */
export function renderSms(replies: Reply[], options: SmsRenderOptions): RenderedSms {
  const texts: string[] = [];
  let numberedChoices: string[] = [];
  for (const reply of replies) {
    texts.push(compact(reply.text));
    const choices = reply.choices ?? [];
    // A clarification lists its options already; "回复序号" would only repeat them.
    if (choices.length && !choices.every((c) => reply.text.includes(c))) numberedChoices = choices;
  }
  const choiceLines = numberedChoices.length
    ? `\n${smsTexts.choicesHeader}${numberedChoices.map((c, i) => `${i + 1}.${c}`).join(' ')}`
    : '';
  const budget = bodyBudget(options.maxSegments, options.signatureLength) - smsLength(choiceLines);
  return { text: shorten(texts.join('\n'), budget) + choiceLines, numberedChoices };
}

/** Blank lines and indentation cost characters and money. */
function compact(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

export function shorten(text: string, budget: number): string {
  const chars = [...text];
  if (chars.length <= budget) return text;
  const suffix = [...smsTexts.truncated];
  return chars.slice(0, Math.max(0, budget - suffix.length)).join('') + smsTexts.truncated;
}
