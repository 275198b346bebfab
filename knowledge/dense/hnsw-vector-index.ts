import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DenseRetrievalError, importOptionalPackage } from './dense-retrieval-error.js';
import { vectorSidecarPath } from './vector-index-path.js';

export interface HnswVectorIndexOptions {
  /**
   * The index file, e.g. `data/minsheng.vectors.hnsw` beside the database; the label mapping is
   * kept in `${path}.json`. Without a path the index lives in memory only.
   */
  path?: string | null;
  /** The embedding model's id and width: vectors stored for another model are discarded. */
  modelId: string;
  dimensions: number;
  /**
   * Candidate list size per search (hnswlib's `ef`). Its default of 10 loses true neighbours:
   * on 10,000 random 384-d vectors (the hard case; real embeddings cluster and recall better)
   * `eval/dense-index-bench.ts` measured recall@10 of 0.11 at ef=10, 0.53 at 100, 0.75 at 200 and
   * 0.95 at 500, with median query times of 0.13, 0.58, 0.87 and 1.6 ms. 200 keeps the vector
   * search under a millisecond, small beside embedding the query with a real model; raise it
   * (or run the bench on your own vectors) if recall matters more. It is raised to k when k is larger.
   */
  efSearch?: number;
  /** Build-time candidate list size; 200 is hnswlib's recommended default. */
  efConstruction?: number;
  /** Graph degree; 16 suits 384-768-d sentence embeddings. */
  m?: number;
}

/** Where an opened index came from; anything but `loaded` means the caller must (re)index every entry. */
export type IndexOrigin = 'loaded' | 'created' | 'model-changed' | 'unreadable';

/** One stored question vector near the query. */
export interface VectorHit {
  entryId: string;
  text: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

export interface VectorItem {
  text: string;
  vector: Float32Array;
}

/** The slice of hnswlib-node used here, typed locally so the package stays optional. */
interface HierarchicalNsw {
  initIndex(options: { maxElements: number; m?: number; efConstruction?: number; allowReplaceDeleted?: boolean }): void;
  readIndexSync(filename: string, allowReplaceDeleted?: boolean): void;
  writeIndexSync(filename: string): void;
  resizeIndex(newMaxElements: number): void;
  addPoint(point: number[], label: number, replaceDeleted?: boolean): void;
  markDelete(label: number): void;
  searchKnn(
    point: number[],
    k: number,
    filter?: (label: number) => boolean,
  ): { distances: number[]; neighbors: number[] };
  getMaxElements(): number;
  getCurrentCount(): number;
  setEf(ef: number): void;
}
type HnswModule = { HierarchicalNSW: new (space: 'cosine', dimensions: number) => HierarchicalNsw };

const sidecarSchema = z.object({
  format: z.literal(1),
  modelId: z.string(),
  dimensions: z.number().int().positive(),
  indexBytes: z.number().int().nonnegative(),
  nextLabel: z.number().int().nonnegative(),
  vectors: z.array(z.tuple([z.number().int().nonnegative(), z.string(), z.string()])),
});
type Sidecar = z.infer<typeof sidecarSchema>;

const INITIAL_CAPACITY = 1024;

/**
 * Question vectors of the knowledge base in an hnswlib HNSW graph (cosine space), persisted as
 * the native index file plus a JSON sidecar mapping each integer label to its entry id and
 * question text. Updates mark old labels deleted and add new ones; deleted slots are reused
 * (allowReplaceDeleted), so an index that is edited for months does not grow without bound.
 */
export class HnswVectorIndex {
  private labels = new Map<number, { entryId: string; text: string }>();
  private byEntry = new Map<string, number[]>();
  private nextLabel = 0;

  private constructor(
    private readonly hnsw: HnswModule,
    private graph: HierarchicalNsw,
    private readonly options: Required<Omit<HnswVectorIndexOptions, 'path'>> & { path: string | null },
    readonly origin: IndexOrigin,
  ) {}

  static async open(options: HnswVectorIndexOptions): Promise<HnswVectorIndex> {
    const hnsw = await loadHnswlib();
    const settings = {
      path: options.path ?? null,
      modelId: options.modelId,
      dimensions: options.dimensions,
      efSearch: options.efSearch ?? 200,
      efConstruction: options.efConstruction ?? 200,
      m: options.m ?? 16,
    };
    const loaded = settings.path ? await readPersisted(hnsw, settings.path, settings) : { origin: 'created' as const };
    if ('graph' in loaded) {
      const index = new HnswVectorIndex(hnsw, loaded.graph, settings, 'loaded');
      index.restore(loaded.sidecar);
      return index;
    }
    return new HnswVectorIndex(hnsw, emptyGraph(hnsw, settings), settings, loaded.origin);
  }

  get modelId(): string {
    return this.options.modelId;
  }

  get dimensions(): number {
    return this.options.dimensions;
  }

  /** Entries with at least one vector. */
  get entryCount(): number {
    return this.byEntry.size;
  }

  /** Live (not deleted) vectors. */
  get vectorCount(): number {
    return this.labels.size;
  }

  entryIds(): string[] {
    return [...this.byEntry.keys()];
  }

  /** The question texts stored for an entry, in the order they were added. */
  texts(entryId: string): string[] {
    return (this.byEntry.get(entryId) ?? []).map((label) => this.labels.get(label)!.text);
  }

  /** Replaces every vector of an entry; an empty list removes the entry. */
  upsert(entryId: string, items: VectorItem[]): void {
    for (const item of items) {
      if (item.vector.length !== this.options.dimensions) {
        throw new DenseRetrievalError(
          'DENSE_DIMENSIONS_MISMATCH',
          `a ${item.vector.length}-d vector cannot go into a ${this.options.dimensions}-d index`,
        );
      }
    }
    this.remove([entryId]);
    if (items.length === 0) return;
    this.reserve(items.length);
    const labels: number[] = [];
    for (const item of items) {
      const label = this.nextLabel++;
      this.graph.addPoint(Array.from(item.vector), label, true);
      this.labels.set(label, { entryId, text: item.text });
      labels.push(label);
    }
    this.byEntry.set(entryId, labels);
  }

  remove(entryIds: Iterable<string>): void {
    for (const entryId of entryIds) {
      for (const label of this.byEntry.get(entryId) ?? []) {
        this.graph.markDelete(label);
        this.labels.delete(label);
      }
      this.byEntry.delete(entryId);
    }
  }

  /** Drops every vector (a model change or a full rebuild starts here). */
  clear(): void {
    this.graph = emptyGraph(this.hnsw, this.options);
    this.labels.clear();
    this.byEntry.clear();
    this.nextLabel = 0;
  }

  /** The `k` stored question vectors nearest to `vector`, most similar first. */
  search(vector: Float32Array, k: number, accept?: (entryId: string) => boolean): VectorHit[] {
    const wanted = Math.min(Math.floor(k), this.labels.size);
    if (wanted <= 0) return [];
    this.graph.setEf(Math.max(this.options.efSearch, wanted));
    const filter = accept ? (label: number) => accept(this.labels.get(label)?.entryId ?? '') : undefined;
    const { distances, neighbors } = this.graph.searchKnn(Array.from(vector), wanted, filter);
    const hits: VectorHit[] = [];
    neighbors.forEach((label, i) => {
      const stored = this.labels.get(label);
      if (stored) hits.push({ entryId: stored.entryId, text: stored.text, similarity: 1 - distances[i]! });
    });
    return hits;
  }

  /**
   * Writes the index, then the sidecar, each through a temporary file and a rename, so a crash
   * leaves either the old pair or a sidecar whose recorded size no longer matches (→ rebuild).
   */
  async save(): Promise<void> {
    const path = this.options.path;
    if (!path) return;
    await mkdir(dirname(path), { recursive: true });
    this.graph.writeIndexSync(`${path}.tmp`);
    const indexBytes = (await stat(`${path}.tmp`)).size;
    await rename(`${path}.tmp`, path);
    const sidecar: Sidecar = {
      format: 1,
      modelId: this.options.modelId,
      dimensions: this.options.dimensions,
      indexBytes,
      nextLabel: this.nextLabel,
      vectors: [...this.labels].map(([label, { entryId, text }]) => [label, entryId, text]),
    };
    await writeFile(`${vectorSidecarPath(path)}.tmp`, JSON.stringify(sidecar));
    await rename(`${vectorSidecarPath(path)}.tmp`, vectorSidecarPath(path));
  }

  private restore(sidecar: Sidecar): void {
    this.nextLabel = sidecar.nextLabel;
    for (const [label, entryId, text] of sidecar.vectors) {
      this.labels.set(label, { entryId, text });
      const labels = this.byEntry.get(entryId) ?? [];
      labels.push(label);
      this.byEntry.set(entryId, labels);
    }
  }

  /** Grows the graph so that `count` more points fit, counting deleted slots that will be reused. */
  private reserve(count: number): void {
    const slots = this.graph.getCurrentCount();
    const reusable = slots - this.labels.size;
    const needed = slots + Math.max(0, count - reusable);
    const capacity = this.graph.getMaxElements();
    if (needed > capacity) this.graph.resizeIndex(Math.max(needed, capacity * 2));
  }
}

async function loadHnswlib(): Promise<HnswModule> {
  const module = await importOptionalPackage<HnswModule & { default?: HnswModule }>(
    'hnswlib-node',
    'dense retrieval (EMBEDDING_MODEL_DIR)',
  );
  // A CommonJS addon: Node exposes it as the default export.
  return module.default?.HierarchicalNSW ? module.default : module;
}

function emptyGraph(hnsw: HnswModule, options: { dimensions: number; m: number; efConstruction: number }) {
  const graph = new hnsw.HierarchicalNSW('cosine', options.dimensions);
  graph.initIndex({
    maxElements: INITIAL_CAPACITY,
    m: options.m,
    efConstruction: options.efConstruction,
    allowReplaceDeleted: true,
  });
  return graph;
}

async function readPersisted(
  hnsw: HnswModule,
  path: string,
  expected: { modelId: string; dimensions: number },
): Promise<{ graph: HierarchicalNsw; sidecar: Sidecar } | { origin: Exclude<IndexOrigin, 'loaded'> }> {
  if (!existsSync(path) || !existsSync(vectorSidecarPath(path))) return { origin: 'created' };
  let sidecar: Sidecar;
  try {
    sidecar = sidecarSchema.parse(JSON.parse(await readFile(vectorSidecarPath(path), 'utf8')));
  } catch {
    return { origin: 'unreadable' };
  }
  if (sidecar.modelId !== expected.modelId || sidecar.dimensions !== expected.dimensions) {
    return { origin: 'model-changed' };
  }
  if ((await stat(path)).size !== sidecar.indexBytes) return { origin: 'unreadable' };
  try {
    const graph = new hnsw.HierarchicalNSW('cosine', expected.dimensions);
    graph.readIndexSync(path, true);
    return { graph, sidecar };
  } catch {
    return { origin: 'unreadable' };
  }
}
