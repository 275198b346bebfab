import type { ChineseSegmenter } from '../knowledge/segmenter.js';

export interface Bm25Document {
  id: string;
  text: string;
}

export interface Bm25Hit {
  id: string;
  score: number;
}

interface Posting {
  docs: number[];
  freqs: number[];
}

/** Tokens that carry a letter or a digit (jieba also returns punctuation as tokens). */
const meaningful = /[\p{L}\p{N}]/u;

/**
 * A plain Okapi BM25 (k1 = 1.2, b = 0.75) over jieba tokens, one document per entry: the baseline
 * a team would build first. No normalisation beyond lower case, no synonyms, no Traditional
 * Chinese conversion: it is measured as people use it.
 */
export class Bm25Index {
  private readonly ids: string[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, Posting>();
  private totalLength = 0;
  /** Score accumulator reused across searches (reset after each). */
  private scores = new Float64Array(0);

  constructor(
    private readonly segmenter: ChineseSegmenter,
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  tokens(text: string): string[] {
    return this.segmenter.words(text.toLowerCase()).filter((t) => meaningful.test(t));
  }

  add(documents: Iterable<Bm25Document>): void {
    for (const { id, text } of documents) {
      const doc = this.ids.length;
      const tokens = this.tokens(text);
      this.ids.push(id);
      this.lengths.push(tokens.length);
      this.totalLength += tokens.length;
      const counts = new Map<string, number>();
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, freq] of counts) {
        let posting = this.postings.get(term);
        if (!posting) this.postings.set(term, (posting = { docs: [], freqs: [] }));
        posting.docs.push(doc);
        posting.freqs.push(freq);
      }
    }
  }

  search(text: string, topK = 10): Bm25Hit[] {
    const n = this.ids.length;
    if (n === 0) return [];
    if (this.scores.length < n) this.scores = new Float64Array(n);
    const scores = this.scores;
    const touched: number[] = [];
    const avgLength = this.totalLength / n || 1;
    for (const term of new Set(this.tokens(text))) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const df = posting.docs.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (let i = 0; i < df; i++) {
        const doc = posting.docs[i]!;
        const tf = posting.freqs[i]!;
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / avgLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + (idf * (tf * (this.k1 + 1))) / norm;
      }
    }
    // Partial selection: the best topK without sorting every touched document.
    const best: { doc: number; score: number }[] = [];
    for (const doc of touched) {
      const score = scores[doc]!;
      scores[doc] = 0;
      if (best.length === topK && score <= best[best.length - 1]!.score) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1]!.score < score || (best[at - 1]!.score === score && best[at - 1]!.doc > doc)))
        at--;
      best.splice(at, 0, { doc, score });
      if (best.length > topK) best.pop();
    }
    return best.map(({ doc, score }) => ({ id: this.ids[doc]!, score }));
  }
}
