import type { Reply } from '../../bot/message.js';
import { bodyBudget, smsLength } from './segments.js';
import { isReplyInstruction, smsTexts } from './texts.js';

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
 * before them is shortened to fit the segment budget, keeping the lines that say what to reply.
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
  return { text: fitLines(texts.join('\n').split('\n'), budget) + choiceLines, numberedChoices };
}

/** Blank lines and indentation cost characters and money. */
export function compact(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n');
}

export function shorten(text: string, budget: number, marker: string = smsTexts.truncated): string {
  const chars = [...text];
  if (chars.length <= budget) return text;
  const suffix = [...marker];
  return chars.slice(0, Math.max(0, budget - suffix.length)).join('') + marker;
}

/** A line cut to at most `cap` characters, marked as cut. */
const cutLine = (line: string, cap: number) => {
  const chars = [...line];
  return chars.length <= cap ? line : chars.slice(0, cap - smsLength(smsTexts.cut)).join('') + smsTexts.cut;
};

/** Free-text lines are never cut below this (a label and a few characters of its value). */
const MIN_LINE = 8;

/**
 * Fits lines into `budget` characters. Lines that tell the citizen what to reply (确认, 满意…)
 * stay whole; the other lines are cut to one common length, so the longest free text (a
 * description, a result) gives way first and short fields (地点, 联系电话) stay intact; free
 * lines are dropped from the end only when even that is not enough. Without any such instruction
 * the text is cut at its end, with a pointer to the details (an answer reads best from its start).
 */
export function fitLines(
  lines: string[],
  budget: number,
  separator = '\n',
  marker: string = smsTexts.truncated,
): string {
  const kept = lines.filter(Boolean);
  const joined = kept.join(separator);
  if (smsLength(joined) <= budget) return joined;
  if (!kept.some(isReplyInstruction)) return shorten(joined, budget, marker);
  while (kept.some((line) => !isReplyInstruction(line))) {
    const fitted = capFreeLines(kept, budget, separator);
    if (fitted !== undefined) return fitted;
    kept.splice(
      kept.findLastIndex((line) => !isReplyInstruction(line)),
      1,
    );
  }
  return shorten(kept.join(separator), budget, marker);
}

/** The free lines cut to the largest common length that fits, or undefined when none does. */
function capFreeLines(lines: string[], budget: number, separator: string): string | undefined {
  const render = (cap: number) =>
    lines.map((line) => (isReplyInstruction(line) ? line : cutLine(line, cap))).join(separator);
  let low = MIN_LINE;
  let high = Math.max(...lines.map(smsLength));
  if (smsLength(render(low)) > budget) return undefined;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (smsLength(render(mid)) <= budget) low = mid;
    else high = mid - 1;
  }
  return render(low);
}
