import { stemmer } from 'stemmer';

/**
 * Synonym groups of the knowledge base: each variant maps to its group's canonical term, applied
 * to questions and queries alike so that 娃/孩子/子女 or "passport"/护照 match.
 */
export class SynonymTable {
  private readonly tokenMap = new Map<string, string>();
  private readonly phrases: { words: string[]; canonical: string; priority: number }[] = [];
  /** Glossary phrases by their first (stemmed) word, most important first (see replacePhrases). */
  private phrasesByFirstWord = new Map<string, { words: string[]; canonical: string; rank: number }[]>();

  /** Chinese groups, one per line: canonical followed by variants, separated by spaces. Lines with # are comments. */
  addTokenGroups(text: string): this {
    for (const line of meaningfulLines(text)) {
      const [canonical, ...variants] = line.split(/\s+/);
      if (!canonical) continue;
      for (const variant of variants) if (!this.tokenMap.has(variant)) this.tokenMap.set(variant, canonical);
    }
    return this;
  }

  /**
   * Phrase glossary, one per line: "中文: english phrase, another phrase" (whole words, any case,
   * any inflection: both sides are Porter-stemmed, so "renewing" meets "renew").
   */
  addPhraseGlossary(text: string): this {
    const entries: { phrase: string; canonical: string }[] = [];
    for (const line of meaningfulLines(text)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const canonical = line.slice(0, colon).trim();
      for (const phrase of line.slice(colon + 1).split(',')) {
        const p = stemEnglish(phrase.trim().toLowerCase());
        if (p) entries.push({ phrase: p, canonical });
      }
    }
    for (const { phrase, canonical } of entries) {
      const words = phrase.match(latinWord) ?? [];
      // Longer phrases win; a gap between words counts three characters, as in the regular
      // expressions (\s+) this matching replaced, so the order of the glossary stays as it was.
      if (words.length)
        this.phrases.push({ words, canonical, priority: words.join('').length + 3 * (words.length - 1) });
    }
    this.phrases.sort((a, b) => b.priority - a.priority);
    this.phrasesByFirstWord = new Map();
    this.phrases.forEach(({ words, canonical }, rank) => {
      const list = this.phrasesByFirstWord.get(words[0]!) ?? [];
      list.push({ words, canonical, rank });
      this.phrasesByFirstWord.set(words[0]!, list);
    });
    return this;
  }

  /** Replaces glossary phrases (longest first) in normalised text; English words are stemmed first. */
  replacePhrases(text: string): string {
    if (!/[a-z]/.test(text)) return text;
    const stemmed = stemEnglish(text);
    // Words of the text, each phrase found where its words follow one another separated by
    // spaces only; then, most important phrase first, a match is taken unless a taken one
    // already covers one of its words. (One regular expression per phrase cost 2 ms a query
    // for the ~2,000 phrases; this looks only at the phrases starting with a word of the text.)
    const words = [...stemmed.matchAll(latinWord)].map((m) => ({
      word: m[0],
      start: m.index,
      end: m.index + m[0].length,
    }));
    const found: { rank: number; from: number; to: number; canonical: string }[] = [];
    words.forEach(({ word }, from) => {
      for (const phrase of this.phrasesByFirstWord.get(word) ?? []) {
        const to = from + phrase.words.length - 1;
        if (to >= words.length) continue;
        let matches = true;
        for (let k = 1; k < phrase.words.length && matches; k++) {
          const previous = words[from + k - 1]!;
          const next = words[from + k]!;
          matches = next.word === phrase.words[k] && /^\s+$/.test(stemmed.slice(previous.end, next.start));
        }
        if (matches) found.push({ rank: phrase.rank, from, to, canonical: phrase.canonical });
      }
    });
    if (!found.length) return stemmed;
    found.sort((a, b) => a.rank - b.rank || a.from - b.from);
    const taken = new Uint8Array(words.length);
    const kept = found.filter(({ from, to }) => {
      for (let k = from; k <= to; k++) if (taken[k]) return false;
      taken.fill(1, from, to + 1);
      return true;
    });
    kept.sort((a, b) => a.from - b.from);
    let out = '';
    let at = 0;
    for (const { from, to, canonical } of kept) {
      out += `${stemmed.slice(at, words[from]!.start)} ${canonical} `;
      at = words[to]!.end;
    }
    return out + stemmed.slice(at);
  }

  canonical(token: string): string {
    return this.tokenMap.get(token) ?? token;
  }

  /** Every multi-character term the segmenter should keep whole. */
  words(): string[] {
    const all = new Set<string>();
    for (const [variant, canonical] of this.tokenMap) {
      all.add(variant);
      all.add(canonical);
    }
    for (const { canonical } of this.phrases) all.add(canonical);
    return [...all].filter((w) => w.length > 1 && !/\s/.test(w));
  }
}

function meaningfulLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** A Latin word as the glossary matches it whole: letters (accented too), digits, apostrophes. */
const latinWord = /[a-z0-9'\u00c0-\u024f]+/g;

/** Porter-stems every English word so inflections meet (expired/expires → expir). */
function stemEnglish(text: string): string {
  return text.replace(/[a-z]+(?:'[a-z]+)?/g, (word) => (word.length > 3 ? stemmer(word) : word));
}
