import { pinyin } from 'pinyin-pro';
import { normaliseText } from './normalise.js';
import type { ChineseSegmenter } from './segmenter.js';
import type { SynonymTable } from './synonyms.js';

/** Kinds of terms and how much each says about a match. Tuned on eval/data (see README). */
export const termWeights = {
  /** A whole (canonical) word. */
  word: 1,
  /** Two consecutive characters of the content words: catches words segmented differently. */
  bigram: 0.5,
  /** Two consecutive toneless, accent-folded syllables: catches homophone errors of voice input (社宝卡 / 社保卡, 身分正 / 身份证). */
  pinyin: 0.3,
  /** A single character of the content words: still matches when a typo breaks every pair. */
  char: 0.3,
} as const;

/** Weighted terms of a text; prefixes keep the kinds apart ("b:" bigram, "p:" pinyin). */
export type TermBag = Map<string, number>;

export interface AnalyzedText {
  terms: TermBag;
  /** Canonical content words, in order (for explanations and district detection). */
  words: string[];
}

/**
 * Turns a question or a query into weighted terms: normalisation, English glossary, jieba
 * segmentation, synonyms to canonical words, stopwords removed; then character and pinyin
 * bigrams over the canonical content text.
 */
export class TextAnalyzer {
  constructor(
    private readonly segmenter: ChineseSegmenter,
    private readonly synonyms: SynonymTable,
  ) {}

  /** @param corrector adds the misheard knowledge-base words (for queries; questions are indexed as written). */
  analyze(text: string, corrector?: { withCorrections(text: string): string }): AnalyzedText {
    const glossed = this.synonyms.replacePhrases(normaliseText(text));
    const normalised = corrector ? corrector.withCorrections(glossed) : glossed;
    const tokens = this.segmenter.tokens(normalised).map((t) => this.synonyms.canonical(t));
    const content = tokens.filter((t) => !this.segmenter.isStopword(t));
    const terms: TermBag = new Map();
    for (const word of content) terms.set(word, termWeights.word);
    // Search-mode parts of long words (社会保障卡 → 社会, 保障) as words too.
    for (const part of this.segmenter.words(content.join(' '))) {
      const canonical = this.synonyms.canonical(part);
      if (!terms.has(canonical)) terms.set(canonical, termWeights.word);
    }
    const contentText = content.join('');
    if (termWeights.char > 0) {
      for (const ch of contentText.match(/\p{Script=Han}/gu) ?? [])
        if (!terms.has(`c:${ch}`)) terms.set(`c:${ch}`, termWeights.char);
    }
    for (const run of contentText.match(/\p{Script=Han}{2,}/gu) ?? []) {
      for (let i = 0; i + 2 <= run.length; i++) {
        const pair = `b:${run.slice(i, i + 2)}`;
        if (!terms.has(pair)) terms.set(pair, termWeights.bigram);
      }
      const syllables = pinyin(run, { toneType: 'none', type: 'array' }).map(foldSyllable);
      for (let i = 0; i + 2 <= syllables.length; i++) {
        const pair = `p:${syllables[i]}${syllables[i + 1]}`;
        if (!terms.has(pair)) terms.set(pair, termWeights.pinyin);
      }
    }
    return { terms, words: content };
  }

  isStopword(word: string): boolean {
    return this.segmenter.isStopword(word);
  }

  /** Every word of the synonym groups and the glossary (variants too: 驾照 as well as 驾驶证). */
  synonymWords(): string[] {
    return this.synonyms.words();
  }

  /** Whether the segmenter's dictionary has the word as one in common use (see ChineseSegmenter.isCommonWord). */
  isCommonWord(word: string): boolean {
    return this.segmenter.isCommonWord(word);
  }

  /** Whether the segmenter's dictionary tags the word as a common noun (see ChineseSegmenter.isNoun). */
  isNoun(word: string): boolean {
    return this.segmenter.isNoun(word);
  }

  /** Normalised text cut into dictionary words only (see ChineseSegmenter.dictionaryWords). */
  dictionaryWords(normalised: string): string[] {
    return this.segmenter.dictionaryWords(normalised);
  }
}

/** Accent-tolerant pinyin: initials and finals that speakers of many dialects do not tell apart. */
export function foldSyllable(syllable: string): string {
  return syllable
    .replace(/^zh/, 'z')
    .replace(/^ch/, 'c')
    .replace(/^sh/, 's')
    .replace(/^n/, 'l')
    .replace(/^r/, 'l')
    .replace(/^f/, 'h')
    .replace(/ang$/, 'an')
    .replace(/eng$/, 'en')
    .replace(/ing$/, 'in');
}
