import type { KnowledgeEntry } from '../entry.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import { HnswVectorIndex, type HnswVectorIndexOptions } from './hnsw-vector-index.js';
import { TransformersEmbeddingProvider } from './transformers-embedding-provider.js';

/** The fields of an entry that dense retrieval reads. */
export type DenseEntry = Pick<KnowledgeEntry, 'id' | 'question' | 'similar'>;

/** An entry near the query: its best-matching question decides. */
export interface DenseMatch {
  entryId: string;
  /** Cosine similarity of the query and the entry's closest standard or similar question. */
  similarity: number;
  matchedQuestion: string;
}

export interface DenseRetrieverOptions {
  provider: EmbeddingProvider;
  /** Index file beside the database (see HnswVectorIndexOptions.path); memory only when absent. */
  indexPath?: string | null;
  efSearch?: number;
}

export interface DenseSearchOptions {
  /** Only entries passing this test are returned (e.g. published and valid now). */
  accept?: (entryId: string) => boolean;
}

/** Question texts of an entry as they are embedded: trimmed, non-empty, each once. */
export function questionTexts(entry: DenseEntry): string[] {
  return [...new Set([entry.question, ...entry.similar].map((t) => t.trim()).filter((t) => t.length > 0))];
}

const sameTexts = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Dense retrieval over the knowledge base: one vector per standard or similar question (never
 * the answer, which would drown the questions), an entry scoring as its best question. Every
 * change is saved to disk at once, and only texts that changed are embedded again, so a restart
 * or a re-import of an unchanged file costs no model time.
 */
export class DenseRetriever {
  /** Mutations embed asynchronously; chaining them keeps two imports from interleaving. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly provider: EmbeddingProvider,
    private readonly index: HnswVectorIndex,
  ) {}

  static async open(options: DenseRetrieverOptions): Promise<DenseRetriever> {
    const indexOptions: HnswVectorIndexOptions = {
      path: options.indexPath ?? null,
      modelId: options.provider.modelId,
      dimensions: options.provider.dimensions,
    };
    if (options.efSearch !== undefined) indexOptions.efSearch = options.efSearch;
    return new DenseRetriever(options.provider, await HnswVectorIndex.open(indexOptions));
  }

  /**
   * The usual wiring: the local model in `modelDir` (EMBEDDING_MODEL_DIR) and the index at
   * `indexPath`. Throws DenseRetrievalError when the model or an optional package is missing.
   */
  static async fromModelDir(options: {
    modelDir: string;
    indexPath: string | null;
    efSearch?: number;
    batchSize?: number;
  }): Promise<DenseRetriever> {
    const provider = await TransformersEmbeddingProvider.load({
      modelDir: options.modelDir,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    });
    return DenseRetriever.open({ provider, indexPath: options.indexPath, efSearch: options.efSearch });
  }

  get modelId(): string {
    return this.provider.modelId;
  }

  /** Whether the persisted index was missing, unreadable or made by another model. */
  get loadedFromDisk(): boolean {
    return this.index.origin === 'loaded';
  }

  get entryCount(): number {
    return this.index.entryCount;
  }

  async search(query: string, topK: number, options: DenseSearchOptions = {}): Promise<DenseMatch[]> {
    const text = query.trim();
    if (!text || topK <= 0 || this.index.vectorCount === 0) return [];
    const [vector] = await this.provider.embed([text]);
    // Entries have several questions: widen the vector search until topK distinct entries are found.
    for (let k = topK * 4; ; k *= 2) {
      const hits = this.index.search(vector!, k, options.accept);
      const best = new Map<string, DenseMatch>();
      for (const hit of hits) {
        const seen = best.get(hit.entryId);
        if (!seen || hit.similarity > seen.similarity) {
          best.set(hit.entryId, { entryId: hit.entryId, similarity: hit.similarity, matchedQuestion: hit.text });
        }
      }
      if (best.size >= topK || hits.length < k || k >= this.index.vectorCount) {
        return [...best.values()]
          .sort((a, b) => b.similarity - a.similarity || a.entryId.localeCompare(b.entryId))
          .slice(0, topK);
      }
    }
  }

  /** Adds or updates entries; entries whose question texts are unchanged are not embedded again. */
  upsert(entries: DenseEntry[]): Promise<{ embedded: number }> {
    return this.serialise(async () => {
      const embedded = await this.write(entries.filter((e) => !sameTexts(questionTexts(e), this.index.texts(e.id))));
      await this.index.save();
      return { embedded };
    });
  }

  remove(ids: string[]): Promise<void> {
    return this.serialise(async () => {
      this.index.remove(ids);
      await this.index.save();
    });
  }

  /** Re-embeds everything from scratch. */
  rebuild(entries: DenseEntry[]): Promise<{ embedded: number }> {
    return this.serialise(async () => {
      this.index.clear();
      const embedded = await this.write(entries);
      await this.index.save();
      return { embedded };
    });
  }

  /**
   * Makes the index hold exactly `entries`: what changed is embedded, what is gone is removed.
   * Call it at start-up with every entry of the database (cheap when the persisted index is current).
   */
  sync(entries: DenseEntry[]): Promise<{ embedded: number; removed: number }> {
    return this.serialise(async () => {
      const keep = new Set(entries.map((e) => e.id));
      const gone = this.index.entryIds().filter((id) => !keep.has(id));
      this.index.remove(gone);
      const embedded = await this.write(entries.filter((e) => !sameTexts(questionTexts(e), this.index.texts(e.id))));
      await this.index.save();
      return { embedded, removed: gone.length };
    });
  }

  /** Embeds all texts first, then changes the index, so a failing model leaves the index as it was. */
  private async write(entries: DenseEntry[]): Promise<number> {
    const texts = entries.map(questionTexts);
    const vectors = await this.provider.embed(texts.flat());
    let next = 0;
    entries.forEach((entry, i) => {
      const items = texts[i]!.map((text) => ({ text, vector: vectors[next++]! }));
      this.index.upsert(entry.id, items);
    });
    return entries.length;
  }

  /** Waits for pending changes, then releases the model (when the provider can be released). */
  async close(): Promise<void> {
    await this.queue;
    const provider = this.provider as EmbeddingProvider & { dispose?: () => Promise<void> };
    await provider.dispose?.();
  }

  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
