// Fits how the lexical score blends its similarities (knowledge/ranking-weights.ts) on labelled
// queries and checks the ranking on others. Usage:
//   npm run eval:fit-ranking -- [--kb KB.jsonl] [--queries Q.jsonl] [--check-queries Q.jsonl] [--folds K] [--write]
// A pairwise logistic regression: for each query whose expected entry is among the candidates,
// the expected entry should outscore every other candidate. Weights stay non-negative, so the
// blend remains a weighted mean of similarities in [0, 1]. Refit the decision afterwards
// (npm run eval:fit-decision), since it judges the blended scores.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withKnowledgeBaseOf } from './temporary-knowledge-base.js';
import { jsonlOf, kbLinesOf, similarQuestionFolds } from './kb-folds.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import {
  defaultLexicalOptions,
  termKinds,
  type RankingSimilarities,
  type RankingWeights,
} from '../knowledge/lexical-index.js';
import { packageRoot } from '../knowledge/package-root.js';
import { parseQueryFile, type LabelledQuery } from './eval-files.js';

const { values } = parseArgs({
  options: {
    kb: { type: 'string', default: join(packageRoot, 'knowledge/demo/demo-kb.jsonl') },
    queries: { type: 'string', default: join(packageRoot, 'eval/data/dev-queries.jsonl') },
    'check-queries': { type: 'string', default: join(packageRoot, 'eval/data/heldout-queries.jsonl') },
    /** Also fit on k folds of the knowledge base's own similar questions (0: the development set alone). */
    folds: { type: 'string', default: '0' },
    write: { type: 'boolean', default: false },
  },
});

const featureNames = ['question', ...termKinds] as const;
type Vector = number[];
const vectorOf = (s: RankingSimilarities): Vector => featureNames.map((name) => s[name]);
const dotOf = (w: Vector, x: Vector) => w.reduce((sum, wi, i) => sum + wi * x[i]!, 0);

interface Ranked {
  query: LabelledQuery;
  candidates: { entryId: string; features: Vector }[];
}

/** Each query ranked as deep as the blend looks: the candidates are then the same whatever the weights. */
async function rank(kb: KnowledgeBase, queries: LabelledQuery[]): Promise<Ranked[]> {
  const out: Ranked[] = [];
  for (const query of queries) {
    const candidates = await kb.search(query.q, { topK: defaultLexicalOptions.rankingDepth });
    out.push({
      query,
      candidates: candidates
        .filter((c) => c.similarities)
        .map((c) => ({ entryId: c.entryId, features: vectorOf(c.similarities!) })),
    });
  }
  return out;
}

const kbJsonl = await readFile(values.kb, 'utf8');
const queriesOf = async (file: string) => parseQueryFile(await readFile(file, 'utf8'), file);
const [development, checked] = await withKnowledgeBaseOf(kbJsonl, values.kb, async (kb) => [
  await rank(kb, await queriesOf(values.queries)),
  await rank(kb, await queriesOf(values['check-queries'])),
]);
// The knowledge base's own similar questions, each asked of the knowledge base without it (see
// eval/kb-folds.ts): phrasings the dictionaries were not tuned on, beside the development set.
const kbLines = kbLinesOf(kbJsonl);
const folds = Number(values.folds);
const rephrased: Ranked[] = [];
if (folds > 1)
  for (const [i, fold] of similarQuestionFolds(kbLines, folds).entries())
    rephrased.push(
      ...(await withKnowledgeBaseOf(jsonlOf(fold.lines), `${values.kb} fold ${i}`, (kb) =>
        rank(
          kb,
          fold.questions.map((q, line) => ({ q: q.q, expect: q.expect!, kind: 'rephrased', line })),
        ),
      )),
    );
const fitted = [...development, ...rephrased];
const pairs: Vector[] = [];
for (const { query, candidates } of fitted) {
  const expected = candidates.find((c) => c.entryId === query.expect);
  if (!expected) continue;
  for (const other of candidates)
    if (other !== expected) pairs.push(expected.features.map((v, i) => v - other.features[i]!));
}
const weights = fitPairwise(pairs);
const fittedWeights = Object.fromEntries(
  featureNames.map((name, i) => [name, Math.round(weights[i]! * 1000) / 1000]),
) as RankingWeights;

const hitAt1 = (set: Ranked[], w: Vector) =>
  set.filter(({ query, candidates }) => {
    const best = [...candidates].sort((a, b) => dotOf(w, b.features) - dotOf(w, a.features))[0];
    return best?.entryId === query.expect;
  }).length / (set.length || 1);
const questionOnly = featureNames.map((name) => (name === 'question' ? 1 : 0));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(JSON.stringify(fittedWeights));
if (folds > 1)
  console.log(
    `hit@1 development ${pct(hitAt1(development, weights))}, knowledge-base folds ${pct(hitAt1(rephrased, weights))}`,
  );
console.log(
  `hit@1 fitted on ${pct(hitAt1(fitted, weights))} (best question alone ${pct(hitAt1(fitted, questionOnly))}), ` +
    `checked on ${pct(hitAt1(checked, weights))} (best question alone ${pct(hitAt1(checked, questionOnly))})`,
);
if (values.write) {
  const path = join(packageRoot, 'knowledge/ranking-weights.ts');
  const relative = (file: string) => file.replace(`${packageRoot}/`, '');
  await writeFile(
    path,
    `// Generated by \`npm run eval:fit-ranking -- --write\` from ${relative(values.queries)}${folds > 1 ? ` and ${folds} folds of the knowledge base's similar questions` : ''}; do not edit by hand.
import type { RankingWeights } from './lexical-index.js';

export const fittedRankingWeights: RankingWeights = ${JSON.stringify(fittedWeights)
      .replace(/"(\w+)":/g, '$1: ')
      .replace(/,/g, ', ')};
`,
  );
  console.log(`wrote ${path}`);
}

/** Pairwise logistic regression by gradient descent, weights kept non-negative, light L2. */
function fitPairwise(differences: Vector[], l2 = 0.0001, iterations = 3000, rate = 0.5): Vector {
  const w: Vector = featureNames.map((name) => (name === 'question' ? 1 : 0));
  for (let it = 0; it < iterations; it++) {
    const gradient = w.map(() => 0);
    for (const d of differences) {
      const p = 1 / (1 + Math.exp(-dotOf(w, d)));
      for (let i = 0; i < d.length; i++) gradient[i]! += (p - 1) * d[i]!;
    }
    for (let i = 0; i < w.length; i++)
      w[i] = Math.max(0, w[i]! - rate * (gradient[i]! / (differences.length || 1) + l2 * w[i]!));
  }
  return w;
}
