import type { KnowledgeEntry } from './entry.js';
import { normaliseText } from './normalise.js';
import type { ChineseSegmenter } from './segmenter.js';

/** A knowledge entry ranked for one query, with what made it match. */
export interface Candidate {
  entryId: string;
  question: string;
  /** Weighted cosine similarity in [0, 1] between the query and the entry's best-matching question. */
  score: number;
  /** The standard or similar question that matched best. */
  matchedQuestion: string;
  /** Query terms found in that question (words, then character pairs). */
  matchedTerms: string[];
}

/**
 * Term weights: a segmented word says more than a character pair, which exists to catch words
 * the segmenter splits differently in the query and in the question (社保卡丢了 / 社保卡丢失).
 */
const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;

type TermBag = Map<string, number>;

interface IndexedQuestion {
  entryId: string;
  text: string;
  terms: TermBag;
}

/**
 * Lexical index over each entry's standard question and similar questions (not its answer:
 * answers are long and would drown the questions). Similarity is a weighted Dice coefficient
 * over words and character bigrams with inverse-document-frequency weights counted per entry,
 * so it is bounded in [0, 1] and comparable across queries, which the answer/clarify/abstain
 * decision needs. Terms never seen in the knowledge base weigh as much as the rarest term, so a
 * query about something the base does not cover scores low.
 */
export class LexicalIndex {
  private questions: IndexedQuestion[] = [];
  private entries = new Map<string, KnowledgeEntry>();
  private documentFrequency = new Map<string, number>();

  constructor(private readonly segmenter: ChineseSegmenter) {}

  get size(): number {
    return this.entries.size;
  }

  rebuild(entries: Iterable<KnowledgeEntry>): void {
    this.entries = new Map();
    this.questions = [];
    this.documentFrequency = new Map();
    for (const entry of entries) {
      this.entries.set(entry.id, entry);
      const entryTerms = new Set<string>();
      for (const text of [entry.question, ...entry.similar]) {
        const terms = this.terms(text);
        this.questions.push({ entryId: entry.id, text, terms });
        for (const term of terms.keys()) entryTerms.add(term);
      }
      for (const term of entryTerms) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.entries.get(id);
  }

  search(query: string, options: { topK?: number; accept?: (entry: KnowledgeEntry) => boolean } = {}): Candidate[] {
    const queryTerms = this.terms(query);
    if (queryTerms.size === 0) return [];
    const queryMass = this.mass(queryTerms);
    const best = new Map<string, Candidate>();
    for (const question of this.questions) {
      let shared = 0;
      const matched: string[] = [];
      for (const [term, weight] of queryTerms) {
        if (question.terms.has(term)) {
          shared += weight * this.idf(term);
          matched.push(term);
        }
      }
      if (shared === 0) continue;
      const score = shared / Math.sqrt(queryMass * this.mass(question.terms));
      const current = best.get(question.entryId);
      if (!current || score > current.score) {
        const entry = this.entries.get(question.entryId)!;
        best.set(question.entryId, {
          entryId: entry.id,
          question: entry.question,
          score,
          matchedQuestion: question.text,
          matchedTerms: matched,
        });
      }
    }
    const accept = options.accept ?? (() => true);
    return [...best.values()]
      .filter((c) => accept(this.entries.get(c.entryId)!))
      .sort((a, b) => b.score - a.score || a.entryId.localeCompare(b.entryId))
      .slice(0, options.topK ?? 5);
  }

  private terms(text: string): TermBag {
    const normalised = normaliseText(text);
    const bag: TermBag = new Map();
    for (const word of this.segmenter.words(normalised)) bag.set(word, WORD_WEIGHT);
    // Pairs come from the content words only, joined, so that 怎么/么样 never match.
    for (const run of this.segmenter.contentText(normalised).match(/\p{Script=Han}{2,}/gu) ?? []) {
      for (let i = 0; i + 2 <= run.length; i++) {
        const pair = run.slice(i, i + 2);
        if (!bag.has(pair)) bag.set(pair, BIGRAM_WEIGHT);
      }
    }
    return bag;
  }

  private idf(term: string): number {
    const n = this.entries.size;
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private mass(terms: TermBag): number {
    let total = 0;
    for (const [term, weight] of terms) total += weight * this.idf(term);
    return total;
  }
}
