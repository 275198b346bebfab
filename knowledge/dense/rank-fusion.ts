/** A lexical candidate: its score is already in [0, 1] (see knowledge/lexical-index.ts). */
export interface LexicalRanked {
  entryId: string;
  score: number;
}

/** A dense candidate: raw cosine similarity of query and best question, in [-1, 1]. */
export interface DenseRanked {
  entryId: string;
  similarity: number;
}

/** One entry after fusion; `score` is in [0, 1] so the answer/clarify/abstain thresholds apply to it. */
export interface FusedCandidate {
  entryId: string;
  score: number;
  /** The inputs, null when the entry was absent from that list. */
  lexicalScore: number | null;
  denseSimilarity: number | null;
  /** The dense similarity after calibration, null when absent. */
  denseScore: number | null;
}

/**
 * Maps a model's cosine similarity onto [0, 1]. Sentence-embedding models do not use the whole
 * cosine range: unrelated Chinese sentences commonly sit at 0.3-0.6 (BGE's own documentation
 * says its similarities fall mostly in [0.6, 1]), so raw cosine would look like evidence where
 * there is none. Similarities at or below `floor` count as 0, at or above `ceiling` as 1,
 * linearly in between. Both are properties of the model: measure them on the evaluation set
 * (the similarity of out-of-scope queries to their nearest entry, and of paraphrases to their
 * entry) when a model is installed.
 */
export interface DenseCalibration {
  floor: number;
  ceiling: number;
}

export interface WeightedFusionOptions {
  method: 'weighted';
  /** Share of the dense evidence in [0, 1]; 0 reproduces the lexical score exactly. */
  denseWeight: number;
  calibration: DenseCalibration;
}

export interface ReciprocalRankFusionOptions {
  method: 'rrf';
  /** The RRF damping constant (60 in Cormack et al. 2009); larger flattens the rank differences. */
  k: number;
  calibration: DenseCalibration;
}

export type FusionOptions = WeightedFusionOptions | ReciprocalRankFusionOptions;

/**
 * Defaults, not yet measured with a real model here: a dense weight of 0.3 means dense evidence
 * alone reaches at most 0.3, below the answer threshold (0.35) and above the abstain threshold
 * (0.25), so a purely semantic match is offered as a clarification, never answered outright
 * without lexical support. Re-sweep the thresholds with eval/ once a model is configured.
 */
export const defaultFusionOptions: WeightedFusionOptions = {
  method: 'weighted',
  denseWeight: 0.3,
  calibration: { floor: 0.5, ceiling: 0.9 },
};

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

export function calibrateSimilarity(similarity: number, calibration: DenseCalibration): number {
  const span = calibration.ceiling - calibration.floor;
  if (!(span > 0)) throw new RangeError('calibration ceiling must be above its floor');
  return clamp01((similarity - calibration.floor) / span);
}

interface Joined {
  entryId: string;
  lexicalScore: number | null;
  lexicalRank: number | null;
  denseSimilarity: number | null;
  denseScore: number | null;
  denseRank: number | null;
}

/** Both lists by entry id; ranks are 1-based positions after sorting each list by its own score. */
function join(lexical: LexicalRanked[], dense: DenseRanked[], calibration: DenseCalibration): Joined[] {
  const joined = new Map<string, Joined>();
  const slot = (entryId: string): Joined => {
    let row = joined.get(entryId);
    if (!row) {
      row = {
        entryId,
        lexicalScore: null,
        lexicalRank: null,
        denseSimilarity: null,
        denseScore: null,
        denseRank: null,
      };
      joined.set(entryId, row);
    }
    return row;
  };
  [...lexical]
    .sort((a, b) => b.score - a.score)
    .forEach((c, i) => {
      const row = slot(c.entryId);
      if (row.lexicalScore === null) Object.assign(row, { lexicalScore: clamp01(c.score), lexicalRank: i + 1 });
    });
  [...dense]
    .sort((a, b) => b.similarity - a.similarity)
    .forEach((c, i) => {
      const row = slot(c.entryId);
      if (row.denseSimilarity === null) {
        const denseScore = calibrateSimilarity(c.similarity, calibration);
        Object.assign(row, { denseSimilarity: c.similarity, denseScore, denseRank: i + 1 });
      }
    });
  return [...joined.values()];
}

const finish = (rows: FusedCandidate[]) =>
  rows.sort(
    (a, b) => b.score - a.score || (b.lexicalScore ?? 0) - (a.lexicalScore ?? 0) || a.entryId.localeCompare(b.entryId),
  );

const candidate = (row: Joined, score: number): FusedCandidate => ({
  entryId: row.entryId,
  score,
  lexicalScore: row.lexicalScore,
  denseSimilarity: row.denseSimilarity,
  denseScore: row.denseScore,
});

/**
 * score = (1 - w) * lexical + w * calibrated dense, an entry missing from a list counting 0 there.
 * A convex combination of two [0, 1] scores stays in [0, 1] and keeps its absolute meaning, so
 * an out-of-scope query that both retrievers find weak still falls below the abstain threshold.
 */
export function weightedFusion(
  lexical: LexicalRanked[],
  dense: DenseRanked[],
  options: Omit<WeightedFusionOptions, 'method'>,
): FusedCandidate[] {
  const w = options.denseWeight;
  if (!(w >= 0 && w <= 1)) throw new RangeError('denseWeight must be within [0, 1]');
  return finish(
    join(lexical, dense, options.calibration).map((row) =>
      candidate(row, (1 - w) * (row.lexicalScore ?? 0) + w * (row.denseScore ?? 0)),
    ),
  );
}

/**
 * Reciprocal-rank fusion, for when the two scores are not comparable: each list contributes
 * 1 / (k + rank), normalised by the best possible sum 2 / (k + 1). Rank alone would give the top
 * entry of any query, however weak, a score near 1, so the fused rank score is multiplied by the
 * entry's strongest absolute evidence (max of lexical score and calibrated similarity): the order
 * is mostly RRF's, and the abstain threshold still sees how good the match really is.
 */
export function reciprocalRankFusion(
  lexical: LexicalRanked[],
  dense: DenseRanked[],
  options: Omit<ReciprocalRankFusionOptions, 'method'>,
): FusedCandidate[] {
  const k = options.k;
  if (!(k > 0)) throw new RangeError('k must be positive');
  const best = 2 / (k + 1);
  return finish(
    join(lexical, dense, options.calibration).map((row) => {
      const rank = (row.lexicalRank ? 1 / (k + row.lexicalRank) : 0) + (row.denseRank ? 1 / (k + row.denseRank) : 0);
      const evidence = Math.max(row.lexicalScore ?? 0, row.denseScore ?? 0);
      return candidate(row, clamp01((rank / best) * evidence));
    }),
  );
}

/** Hybrid ranking of lexical and dense candidates, best first; see the two methods above. */
export function fuseRankings(
  lexical: LexicalRanked[],
  dense: DenseRanked[],
  options: FusionOptions = defaultFusionOptions,
): FusedCandidate[] {
  return options.method === 'rrf'
    ? reciprocalRankFusion(lexical, dense, options)
    : weightedFusion(lexical, dense, options);
}
