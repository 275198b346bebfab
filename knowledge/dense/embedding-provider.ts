/**
 * Turns texts into unit-length vectors whose dot product is their semantic similarity.
 * `modelId` names the exact model (weights included) so that persisted vectors made with
 * another model are recognised as stale.
 */
export interface EmbeddingProvider {
  readonly modelId: string;
  readonly dimensions: number;
  /** One vector per text, in order, each of length `dimensions` and L2-normalised. */
  embed(texts: string[]): Promise<Float32Array[]>;
}
