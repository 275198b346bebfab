// HNSW vector index: recall@10 against exact search, and query latency, for several search `ef`
// values; the figures behind HnswVectorIndex's default (efSearch = 200).
// Usage: tsx eval/dense-index-bench.ts [--vectors 10000] [--dimensions 384] [--queries 200] [--json]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { HnswVectorIndex } from '../knowledge/dense/hnsw-vector-index.js';

const { values } = parseArgs({
  options: {
    vectors: { type: 'string', default: '10000' },
    dimensions: { type: 'string', default: '384' },
    queries: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
});
const n = Number(values.vectors);
const dims = Number(values.dimensions);
const queryCount = Number(values.queries);
const K = 10;

let seed = 42;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
function unitVector(): Float32Array {
  const v = Float32Array.from({ length: dims }, random);
  const length = Math.hypot(...v);
  return v.map((x) => x / length);
}
const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

// Random vectors are the hard case for HNSW (no cluster structure); real embeddings recall better.
const data = Array.from({ length: n }, unitVector);
const queries = Array.from({ length: queryCount }, unitVector);
const exact = queries.map((q) =>
  data
    .map((v, i) => [dot(q, v), i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, K)
    .map(([, i]) => `e${i}`),
);

const dir = await mkdtemp(join(tmpdir(), 'minsheng-hnsw-bench-'));
const path = join(dir, 'bench.vectors.hnsw');
const heapBefore = process.memoryUsage().rss;
const buildStart = performance.now();
const built = await HnswVectorIndex.open({ path, modelId: 'bench', dimensions: dims });
data.forEach((vector, i) => built.upsert(`e${i}`, [{ text: `q${i}`, vector }]));
const buildMs = performance.now() - buildStart;
const rssMb = (process.memoryUsage().rss - heapBefore) / 2 ** 20;
await built.save();

const rows = [];
for (const ef of [10, 50, 100, 200, 500]) {
  const index = await HnswVectorIndex.open({ path, modelId: 'bench', dimensions: dims, efSearch: ef });
  let found = 0;
  const latencies: number[] = [];
  queries.forEach((q, qi) => {
    const start = performance.now();
    const hits = index.search(q, K);
    latencies.push(performance.now() - start);
    const truth = new Set(exact[qi]);
    found += hits.filter((h) => truth.has(h.entryId)).length;
  });
  latencies.sort((a, b) => a - b);
  rows.push({
    ef,
    recallAt10: found / (queryCount * K),
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
  });
}
await rm(dir, { recursive: true, force: true });

const result = { vectors: n, dimensions: dims, queries: queryCount, buildSeconds: buildMs / 1000, rssMb, rows };
if (values.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log(`${n} random ${dims}-d vectors: build ${(buildMs / 1000).toFixed(1)} s, ~${rssMb.toFixed(0)} MB RSS`);
  console.log('| ef | recall@10 | p50 ms | p95 ms | p99 ms |\n| --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const ms = (x: number) => x.toFixed(3);
    console.log(`| ${r.ef} | ${r.recallAt10.toFixed(3)} | ${ms(r.p50Ms)} | ${ms(r.p95Ms)} | ${ms(r.p99Ms)} |`);
  }
}
