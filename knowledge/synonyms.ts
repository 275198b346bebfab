import { stemmer } from 'stemmer';

/**
 * Synonym groups of the knowledge base: each variant maps to its group's canonical term, applied
 * to questions and queries alike so that 娃/孩子/子女 or "passport"/护照 match.
 */
export class SynonymTable {
  private readonly tokenMap = new Map<string, string>();
  private readonly phrases: { pattern: RegExp; canonical: string }[] = [];

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
      const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
      this.phrases.push({ pattern: new RegExp(`(?<![a-z0-9'])${escaped}(?![a-z0-9'])`, 'g'), canonical });
    }
    this.phrases.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
    return this;
  }

  /** Replaces glossary phrases (longest first) in normalised text; English words are stemmed first. */
  replacePhrases(text: string): string {
    if (!/[a-z]/.test(text)) return text;
    let out = stemEnglish(text);
    for (const { pattern, canonical } of this.phrases) out = out.replace(pattern, ` ${canonical} `);
    return out;
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

/** Porter-stems every English word so inflections meet (expired/expires → expir). */
function stemEnglish(text: string): string {
  return text.replace(/[a-z]+(?:'[a-z]+)?/g, (word) => (word.length > 3 ? stemmer(word) : word));
}
