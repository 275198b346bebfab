// Retrieval at scale: index build time, heap growth and search latency of Minsheng's KnowledgeBase
// and the BM25 peer on synthetic knowledge bases of 1k, 10k and 100k entries.
// Usage: npm run bench:retrieval [-- --sizes 1000,10000 --queries 3000]
// (runs node with --expose-gc so heap deltas are measured after a collection)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { packageRoot } from '../knowledge/package-root.js';
import { ChineseSegmenter } from '../knowledge/segmenter.js';
import { openDatabase } from '../prisma/client.js';
import { applyMigrations } from '../prisma/schema-engine.js';
import { Bm25Index } from './bm25-peer.js';
import { latencySummary, rankOf, type LatencySummary } from './metrics.js';
import { renderTable } from './report-table.js';
import { syntheticKnowledgeBase, syntheticQueries } from './synthetic-kb.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    queries: { type: 'string', default: '3000' },
    'budget-seconds': { type: 'string', default: '60' },
    out: { type: 'string', default: join(packageRoot, 'eval', 'results', 'bench-retrieval.json') },
  },
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const queryCount = Number(values.queries);
const budgetMs = Number(values['budget-seconds']) * 1000;
if (
  sizes.some((s) => !Number.isInteger(s) || s < 1) ||
  !Number.isInteger(queryCount) ||
  queryCount < 1 ||
  !(budgetMs > 0)
) {
  console.error('--sizes takes positive integers separated by commas, --queries and --budget-seconds positive numbers');
  process.exit(2);
}

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect)
  console.error('note: run node with --expose-gc for meaningful heap figures (npm run bench:retrieval does)');
const settle = () => new Promise((resolve) => setImmediate(resolve));
/** Heap in use after full collections (with a turn of the event loop between, for finalisers). */
const heapUsed = async () => {
  for (let i = 0; i < 3; i++) {
    collect?.();
    await settle();
  }
  return process.memoryUsage().heapUsed;
};

interface SystemFigures {
  system: string;
  entries: number;
  /** Minsheng: KnowledgeBase.open on a populated database (read rows + build the index); BM25: build. */
  buildMs: number;
  heapDeltaMb: number;
  searchMs: LatencySummary;
  /**
   * Process CPU time per timed query (user + system, all threads): on a shared machine it varies
   * less than wall-clock latency, which includes time waiting for a core.
   */
  searchCpuMs: number;
  /** Share of the synthetic queries whose entry ranks first (a sanity check, not a quality figure). */
  hit1: number;
  /** Queries timed: all of them unless the time budget ran out first. */
  queriesTimed: number;
}

/** Warm-up queries (fewer if they take more than a quarter of the time budget). */
const WARM_UP = 200;
const TOP_K = 10;

async function timeSearches(
  queries: { q: string; expect: string }[],
  search: (q: string) => string[] | Promise<string[]>,
) {
  const warmUpUntil = performance.now() + budgetMs / 4;
  for (const { q } of queries.slice(0, WARM_UP)) if ((await search(q)) && performance.now() > warmUpUntil) break;
  const latencies: number[] = [];
  let hits = 0;
  const deadline = performance.now() + budgetMs;
  const cpuBefore = process.cpuUsage();
  for (const { q, expect } of queries) {
    // A slow index still gets a figure in bounded time (percentiles over the queries timed).
    if (latencies.length >= 100 && performance.now() > deadline) break;
    const started = performance.now();
    const ranking = await search(q);
    latencies.push(performance.now() - started);
    if (rankOf(ranking, expect) === 1) hits++;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    searchMs: latencySummary(latencies),
    searchCpuMs: (cpu.user + cpu.system) / 1000 / latencies.length,
    hit1: hits / latencies.length,
    queriesTimed: latencies.length,
  };
}

async function benchMinsheng(size: number, queries: { q: string; expect: string }[]): Promise<SystemFigures> {
  const entries = syntheticKnowledgeBase(size);
  const dir = await mkdtemp(join(tmpdir(), 'minsheng-bench-'));
  const url = `file:${join(dir, 'bench.db')}`;
  try {
    await applyMigrations(url);
    const db = await openDatabase(url);
    try {
      // Storage is filled directly: the figure of interest is how long an instance takes to start
      // serving from an existing database, not how fast rows are written.
      for (let i = 0; i < entries.length; i += 5000) {
        await db.knowledgeEntry.createMany({ data: entries.slice(i, i + 5000) });
      }
      const before = await heapUsed();
      const started = performance.now();
      const kb = await KnowledgeBase.open(db);
      const buildMs = performance.now() - started;
      const heapDeltaMb = ((await heapUsed()) - before) / 2 ** 20;
      // Keeps `entries` alive until after the measurement, so it is not counted as freed; the
      // first entry must be found (only the public search API is used).
      const first = entries[0]!;
      if (!(await kb.search(first.question, { topK: 1 })).some((c) => c.entryId === first.id)) {
        throw new Error(`the index of ${entries.length} entries does not find ${first.id} by its own question`);
      }
      const timed = await timeSearches(queries, async (q) =>
        (await kb.search(q, { topK: TOP_K })).map((c) => c.entryId),
      );
      return { system: 'minsheng', entries: size, buildMs, heapDeltaMb, ...timed };
    } finally {
      await db.$disconnect();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchBm25(size: number, queries: { q: string; expect: string }[]): Promise<SystemFigures> {
  const documents = syntheticKnowledgeBase(size).map((e) => ({
    id: e.id,
    text: [e.question, ...e.similar].join('\n'),
  }));
  const segmenter = new ChineseSegmenter();
  const before = await heapUsed();
  const started = performance.now();
  const index = new Bm25Index(segmenter);
  index.add(documents);
  const buildMs = performance.now() - started;
  const heapDeltaMb = ((await heapUsed()) - before) / 2 ** 20;
  if (index.size !== documents.length) throw new Error(`expected ${documents.length} documents, found ${index.size}`);
  const timed = await timeSearches(queries, (q) => index.search(q, TOP_K).map((h) => h.id));
  return { system: 'bm25-jieba', entries: size, buildMs, heapDeltaMb, ...timed };
}

const results: SystemFigures[] = [];
for (const size of sizes) {
  const queries = syntheticQueries(size, queryCount);
  results.push(await benchMinsheng(size, queries));
  results.push(await benchBm25(size, queries));
  console.error(`measured ${size} entries`);
}

const ms = (x: number | null) => (x === null ? '—' : x.toFixed(2));
console.log(
  renderTable([
    [
      'system',
      'entries',
      'build s',
      'heap MB',
      'MB/10k',
      'search p50 ms',
      'p95 ms',
      'p99 ms',
      'cpu ms/q',
      'queries',
      'hit@1',
    ],
    ...results.map((r) => [
      r.system,
      String(r.entries),
      (r.buildMs / 1000).toFixed(2),
      r.heapDeltaMb.toFixed(1),
      ((r.heapDeltaMb * 10_000) / r.entries).toFixed(1),
      ms(r.searchMs.p50),
      ms(r.searchMs.p95),
      ms(r.searchMs.p99),
      r.searchCpuMs.toFixed(2),
      String(r.queriesTimed),
      `${(r.hit1 * 100).toFixed(1)}%`,
    ]),
  ]),
);

const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' };
await mkdir(join(values.out, '..'), { recursive: true });
await writeFile(
  values.out,
  JSON.stringify(
    { measuredAt: new Date().toISOString(), machine, queries: queryCount, topK: TOP_K, results },
    null,
    2,
  ) + '\n',
);
console.log(
  `\nbuild: Minsheng = KnowledgeBase.open on a filled database (read + index), BM25 = index only; heap: growth after GC` +
    ` (MB/10k: per 10,000 entries);\ncpu ms/q: process CPU time per timed query (varies less with other jobs than latency);` +
    `\nsearch: top ${TOP_K}, ${WARM_UP} warm-up queries, then up to ${queryCount} per size within ${values['budget-seconds']} s;` +
    ` written to ${values.out}`,
);
