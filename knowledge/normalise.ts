import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Polite openers and fillers that voice input and chat add but that carry no meaning for
 * retrieval. Longest first so that "我想问一下" is removed before "我想问".
 */
const fillers = [
  '我想咨询一下',
  '我想问一下',
  '想咨询一下',
  '想问一下',
  '请问一下',
  '我想咨询',
  '我想问问',
  '我想问',
  '咨询一下',
  '问一下',
  '请问',
  '您好',
  '你好',
  '那个',
  '就是说',
  '麻烦',
  '谢谢',
].sort((a, b) => b.length - a.length);
const fillerPattern = new RegExp(fillers.join('|'), 'g');

/**
 * Brings citizen text and knowledge-base text to one form before indexing or searching:
 * full-width to half-width (NFKC), Traditional to Simplified, lower case, fillers and punctuation
 * removed, runs of spaces collapsed.
 */
export function normaliseText(input: string): string {
  return toSimplified(input.normalize('NFKC'))
    .toLowerCase()
    .replace(fillerPattern, ' ')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
