import { maskPhonesInText } from '../personal-data/phone.js';

/**
 * Character bigrams of the content of a text (letters and digits only), as a set. Phone numbers
 * are left out: two citizens' numbers say nothing about their problems being one, yet eleven
 * digits outweighed the words (one citizen's complaint merged, the same complaint from another
 * number did not).
 */
function bigrams(text: string): Set<string> {
  const chars = [
    ...maskPhonesInText(text.normalize('NFKC'))
      .replace(/\d*\*{4}\d*/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, ''),
  ];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return grams;
}

/**
 * Dice coefficient of character bigrams: 1 for the same text, 0 for nothing in common. Chinese
 * needs no word segmentation for this, and reworded descriptions of one problem keep most bigrams.
 */
export function textSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const gram of x) if (y.has(gram)) shared++;
  return (2 * shared) / (x.size + y.size);
}
