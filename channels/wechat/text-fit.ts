import { wechatTexts } from './texts.js';

// Fitting long texts into WeChat/WeCom text messages, which hold 2048 bytes of UTF-8 each.

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Lines shorter than this many characters are never shortened: labels, instructions, numbered choices. */
const MIN_KEPT_CHARS = 24;

/** The longest prefix of `text`, whole characters only, of at most `maxBytes` bytes. */
function prefixWithin(text: string, maxBytes: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = bytes(char);
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}

/**
 * Shortens `text` to `maxBytes` by cutting the tails of its longest lines first (a long description,
 * a long place), so that the short lines around them — the labels of a read-back, the phone number,
 * the instruction what to reply — all survive. A cut line says how much it left out.
 */
export function shortenToFit(text: string, maxBytes: number): string {
  const lines = text.split('\n');
  const cut = new Set<number>();
  for (;;) {
    const total = bytes(lines.join('\n'));
    if (total <= maxBytes) return lines.join('\n');
    let longest = -1;
    for (let i = 0; i < lines.length; i++) {
      if (cut.has(i) || [...lines[i]!].length <= MIN_KEPT_CHARS) continue;
      if (longest < 0 || bytes(lines[i]!) > bytes(lines[longest]!)) {
        longest = i;
      }
    }
    if (longest < 0) break;
    const chars = [...lines[longest]!];
    // Reserve the marker's room with the largest count it could show.
    const room = bytes(lines[longest]!) - (total - maxBytes) - bytes(wechatTexts.omitted(chars.length));
    const head = prefixWithin(lines[longest]!, Math.max(room, bytes(chars.slice(0, MIN_KEPT_CHARS).join(''))));
    lines[longest] = head + wechatTexts.omitted(chars.length - [...head].length);
    cut.add(longest);
  }
  // Only short lines left and still too long (hundreds of them): cut the end, saying so.
  return prefixWithin(lines.join('\n'), maxBytes - bytes(wechatTexts.omittedRest)) + wechatTexts.omittedRest;
}

/** Where to end a message cut from `head`: a reply's end, a line's end, a sentence's end, a comma. */
function cutPoint(head: string): number {
  const floor = (share: number) => Math.floor(head.length * share);
  const paragraph = head.lastIndexOf('\n\n');
  if (paragraph >= floor(0.5)) return paragraph;
  const line = head.lastIndexOf('\n');
  if (line >= floor(0.3)) return line;
  for (const marks of [/[。！？；!?;]/g, /[，、,：:\s]/g]) {
    let last = -1;
    for (const match of head.matchAll(marks)) last = match.index + match[0].length;
    if (last >= floor(0.3)) return last;
  }
  return head.length;
}

/** Cuts `text` into messages of at most `maxBytes`, at the most natural boundary in each. */
function splitAtBoundaries(text: string, maxBytes: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (bytes(rest) > maxBytes) {
    const cut = cutPoint(prefixWithin(rest, maxBytes));
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * `text` as at most `maxMessages` messages of `maxBytes` each, in order: cut at natural boundaries
 * and shortened (longest lines first, see shortenToFit) only when even that many messages are too few.
 */
export function splitIntoMessages(text: string, maxBytes: number, maxMessages: number): string[] {
  let budget = maxBytes * maxMessages;
  for (;;) {
    const messages = splitAtBoundaries(shortenToFit(text, budget), maxBytes);
    if (messages.length <= maxMessages || budget <= maxBytes) return messages.slice(0, maxMessages);
    // Boundaries leave some room unused: shorten a little more and cut again.
    budget = Math.max(maxBytes, budget - Math.ceil(maxBytes / 4));
  }
}
