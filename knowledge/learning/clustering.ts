/** Weighted terms of a question as the knowledge index analyses it (see text-analyzer.ts). */
export type Terms = ReadonlyMap<string, number>;

/**
 * Two questions belong to one cluster when the cosine of their weighted terms (canonical words 1,
 * character pairs 0.5, pinyin pairs and single characters 0.3; synonyms already mapped to one
 * word) is at least this. 0.5 keeps 社保卡丢了怎么办 / 社保卡掉了咋补 together (same canonical
 * words) and 社保卡丢了 / 医保卡丢了 apart (one shared word out of two); see
 * test/unit/inbox-clustering.test.ts.
 */
export const CLUSTER_SIMILARITY = 0.5;

/** Cosine similarity of two weighted term bags, in [0, 1]. */
export function termSimilarity(a: Terms, b: Terms): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [term, weight] of a) {
    normA += weight * weight;
    const other = b.get(term);
    if (other !== undefined) dot += weight * other;
  }
  for (const weight of b.values()) normB += weight * weight;
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}

export interface ClusterLeader {
  id: number;
  terms: Terms;
}

/**
 * Leader clustering: a question joins the cluster whose leader (its first question) it is most
 * similar to, if that similarity reaches the threshold; otherwise it leads a new cluster. Ties go
 * to the older cluster (lower id), so the result depends only on the order questions arrived in.
 */
export function nearestCluster(
  terms: Terms,
  leaders: Iterable<ClusterLeader>,
  threshold = CLUSTER_SIMILARITY,
): { id: number; similarity: number } | undefined {
  let best: { id: number; similarity: number } | undefined;
  for (const leader of leaders) {
    const similarity = termSimilarity(terms, leader.terms);
    if (similarity < threshold) continue;
    if (!best || similarity > best.similarity || (similarity === best.similarity && leader.id < best.id)) {
      best = { id: leader.id, similarity };
    }
  }
  return best;
}

export const termsToJson = (terms: Terms): Record<string, number> => Object.fromEntries(terms);

export function termsFromJson(value: unknown): Terms {
  const terms = new Map<string, number>();
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [term, weight] of Object.entries(value)) if (typeof weight === 'number') terms.set(term, weight);
  }
  return terms;
}
