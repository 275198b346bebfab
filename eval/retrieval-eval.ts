// Retrieval quality on a labelled query set: ranking metrics, the answer/clarify/abstain outcome
// with the fitted policy, and a sweep that shows how other answer thresholds would trade off.
// Usage: tsx eval/retrieval-eval.ts [--kb FILE] [--queries FILE] [--oos FILE] [--json] [--sweep]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decide, defaultPolicy, type DecisionPolicy } from '../knowledge/decision.js';
import { parseKnowledgeJsonl } from '../knowledge/jsonl.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Candidate } from '../knowledge/lexical-index.js';
import { packageRoot } from '../knowledge/package-root.js';
import { openDatabase } from '../prisma/client.js';
import { applyMigrations } from '../prisma/schema-engine.js';

interface LabelledQuery {
  query: string;
  expected: string;
  style?: string;
}
interface OutOfScopeQuery {
  query: string;
  style?: string;
}

const { values } = parseArgs({
  options: {
    kb: { type: 'string', default: join(packageRoot, 'knowledge/demo/demo-kb.jsonl') },
    queries: { type: 'string', default: join(packageRoot, 'eval/data/dev-queries.jsonl') },
    oos: { type: 'string', default: join(packageRoot, 'eval/data/dev-oos.jsonl') },
    json: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
  },
});

/** Reads query files in either field naming: {q, expect, kind} or {query, expected, style}. */
const readJsonl = async <T>(file: string): Promise<T[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const raw = JSON.parse(l) as Record<string, string>;
      return { query: raw.query ?? raw.q, expected: raw.expected ?? raw.expect, style: raw.style ?? raw.kind } as T;
    });

interface Outcome {
  answered: number;
  answeredRight: number;
  clarified: number;
  clarifiedContaining: number;
  abstained: number;
}

function outcomes(ranked: { candidates: Candidate[]; expected?: string }[], policy: DecisionPolicy): Outcome {
  const o: Outcome = { answered: 0, answeredRight: 0, clarified: 0, clarifiedContaining: 0, abstained: 0 };
  for (const { candidates, expected } of ranked) {
    // The decision only needs an entry for the top candidate; a stand-in keeps this pure.
    const d = decide(candidates, (id) => ({ id }) as never, policy);
    if (d.kind === 'answer') {
      o.answered++;
      if (d.entry.id === expected) o.answeredRight++;
    } else if (d.kind === 'clarify') {
      o.clarified++;
      if (d.options.some((c) => c.entryId === expected)) o.clarifiedContaining++;
    } else o.abstained++;
  }
  return o;
}

const dir = await mkdtemp(join(tmpdir(), 'minsheng-eval-'));
const url = `file:${join(dir, 'eval.db')}`;
try {
  await applyMigrations(url);
  const db = await openDatabase(url);
  const kb = await KnowledgeBase.open(db);
  const { entries, errors } = parseKnowledgeJsonl(await readFile(values.kb, 'utf8'));
  if (errors.length) throw new Error(`knowledge base has ${errors.length} invalid lines`);
  await kb.importEntries(entries.map((e) => e.entry));

  const queries = await readJsonl<LabelledQuery>(values.queries);
  const oos = values.oos ? await readJsonl<OutOfScopeQuery>(values.oos) : [];
  const started = process.hrtime.bigint();
  const inScope: (LabelledQuery & { candidates: Candidate[] })[] = [];
  for (const q of queries) inScope.push({ ...q, candidates: await kb.search(q.query, { topK: 10 }) });
  const outScope: (OutOfScopeQuery & { candidates: Candidate[] })[] = [];
  for (const q of oos) outScope.push({ ...q, candidates: await kb.search(q.query, { topK: 10 }) });
  const perQueryMs = Number(process.hrtime.bigint() - started) / 1e6 / (queries.length + oos.length);

  const rank = (q: (typeof inScope)[number]) => q.candidates.findIndex((c) => c.entryId === q.expected) + 1;
  const metrics = (subset: typeof inScope) => {
    const n = subset.length || 1;
    const o = outcomes(subset, defaultPolicy);
    return {
      queries: subset.length,
      hit1: subset.filter((q) => rank(q) === 1).length / n,
      hit3: subset.filter((q) => rank(q) >= 1 && rank(q) <= 3).length / n,
      mrr: subset.reduce((s, q) => s + (rank(q) ? 1 / rank(q) : 0), 0) / n,
      answeredRight: o.answeredRight / n,
      confidentlyWrong: (o.answered - o.answeredRight) / n,
      clarified: o.clarified / n,
      abstained: o.abstained / n,
    };
  };
  const styles = [...new Set(queries.map((q) => q.style ?? 'all'))];
  const oosOutcome = outcomes(outScope, defaultPolicy);
  const report = {
    policy: defaultPolicy,
    overall: metrics(inScope),
    byStyle: Object.fromEntries(styles.map((s) => [s, metrics(inScope.filter((q) => (q.style ?? 'all') === s))])),
    outOfScope: {
      queries: outScope.length,
      abstained: oosOutcome.abstained / (outScope.length || 1),
      answered: oosOutcome.answered / (outScope.length || 1),
      clarified: oosOutcome.clarified / (outScope.length || 1),
    },
    meanSearchMs: perQueryMs,
  };

  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `policy: answer at confidence ≥ ${defaultPolicy.answer}, abstain below similarity ${defaultPolicy.abstain}, options within ${defaultPolicy.optionRatio} of the top`,
    );
    console.log('style        n    hit@1  hit@3  MRR    answered-right  confidently-wrong  clarified  abstained');
    for (const [name, m] of [['overall', report.overall] as const, ...Object.entries(report.byStyle)]) {
      console.log(
        `${name.padEnd(11)} ${String(m.queries).padStart(4)}  ${pct(m.hit1).padStart(6)} ${pct(m.hit3).padStart(6)} ${m.mrr.toFixed(3)}  ${pct(m.answeredRight).padStart(14)}  ${pct(m.confidentlyWrong).padStart(17)}  ${pct(m.clarified).padStart(9)}  ${pct(m.abstained).padStart(9)}`,
      );
    }
    console.log(
      `out of scope: ${outScope.length} queries, abstained ${pct(report.outOfScope.abstained)}, answered ${pct(report.outOfScope.answered)}, clarified ${pct(report.outOfScope.clarified)}`,
    );
    console.log(`mean search time: ${perQueryMs.toFixed(2)} ms/query`);
  }

  if (values.sweep) {
    console.log(
      '\nanswer at confidence ≥ | in-scope right  wrong  clarify(has it)  abstain | oos abstain  oos answered',
    );
    for (let answer = 0.3; answer <= 0.951; answer += 0.05) {
      const policy = { ...defaultPolicy, answer };
      const i = outcomes(inScope, policy);
      const o = outcomes(outScope, policy);
      const n = inScope.length;
      const m = outScope.length || 1;
      console.log(
        `${answer.toFixed(2)}                   | ${(i.answeredRight / n).toFixed(3)}          ${((i.answered - i.answeredRight) / n).toFixed(3)}  ${(i.clarified / n).toFixed(3)} (${(i.clarifiedContaining / n).toFixed(3)})    ${(i.abstained / n).toFixed(3)}   | ${(o.abstained / m).toFixed(3)}        ${(o.answered / m).toFixed(3)}`,
      );
    }
  }
  await db.$disconnect();
} finally {
  await rm(dir, { recursive: true, force: true });
}
