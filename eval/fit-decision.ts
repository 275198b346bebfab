// Fits the answer/clarify/abstain policy (knowledge/decision-policy.ts) on labelled query files and
// checks it on others. Usage:
//   npm run eval:fit-decision -- [--kb KB.jsonl] [--queries Q.jsonl] [--oos OOS.jsonl]
//     [--check-queries Q.jsonl --check-oos OOS.jsonl] [--max-oos-answered 0.05] [--hand-over-worth 0.1]
//     [--folds 5] [--fit-folds] [--max-near-miss-answered 1] [--write]
// --folds k also checks the policy on the knowledge base's own questions dealt into k folds
// (eval/kb-folds.ts): rephrasings asked of the base without them, and near misses asked of the base
// without their entry. --max-near-miss-answered bounds the share of those near misses the
// thresholds may answer; --fit-folds also trains the model on the folds (see README "Retrieval
// decision" for why the shipped policy is fitted on dev with the bound, not on the folds).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rankThroughEngine } from './engine-rankings.js';
import { entryOutFolds, jsonlOf, kbLinesOf, similarQuestionFolds, type FoldQuestion, type KbFold } from './kb-folds.js';
import type { DecisionPolicy } from '../knowledge/decision.js';
import { packageRoot } from '../knowledge/package-root.js';
import { fitDecisionPolicy, outcomeOf, type PolicyOutcome } from './decision-fitting.js';
import { parseOutOfScopeFile, parseQueryFile } from './eval-files.js';

const { values } = parseArgs({
  options: {
    kb: { type: 'string', default: join(packageRoot, 'knowledge/demo/demo-kb.jsonl') },
    queries: { type: 'string', default: join(packageRoot, 'eval/data/dev-queries.jsonl') },
    oos: { type: 'string', default: join(packageRoot, 'eval/data/dev-oos.jsonl') },
    'check-queries': { type: 'string', default: join(packageRoot, 'eval/data/heldout-queries.jsonl') },
    'check-oos': { type: 'string', default: join(packageRoot, 'eval/data/heldout-oos.jsonl') },
    'max-oos-answered': { type: 'string', default: '0.05' },
    'hand-over-worth': { type: 'string', default: '0.1' },
    folds: { type: 'string', default: '5' },
    'fit-folds': { type: 'boolean', default: false },
    'max-near-miss-answered': { type: 'string', default: '1' },
    write: { type: 'boolean', default: false },
  },
});

const kbJsonl = await readFile(values.kb, 'utf8');
const queriesOf = async (file: string): Promise<FoldQuestion[]> =>
  parseQueryFile(await readFile(file, 'utf8'), file).map((q) => ({ q: q.q, expect: q.expect }));
const outOfScopeOf = async (file: string): Promise<FoldQuestion[]> =>
  parseOutOfScopeFile(await readFile(file, 'utf8'), file).map((q) => ({ q: q.q }));

const inScope = await rankThroughEngine(kbJsonl, values.kb, await queriesOf(values.queries));
const outOfScope = await rankThroughEngine(kbJsonl, values.kb, await outOfScopeOf(values.oos));
const folds = Number(values.folds);
const kbLines = kbLinesOf(kbJsonl);
const foldRankings = async (made: KbFold[]) =>
  (
    await Promise.all(
      made.map((fold, i) => rankThroughEngine(jsonlOf(fold.lines), `${values.kb} fold ${i}`, fold.questions)),
    )
  ).flat();
const rephrased = folds > 1 ? await foldRankings(similarQuestionFolds(kbLines, folds)) : [];
const nearMisses = folds > 1 ? await foldRankings(entryOutFolds(kbLines, folds)) : [];

const fitFolds = values['fit-folds'];
const maxNearMissAnswered = Number(values['max-near-miss-answered']);
const { policy, outcome } = fitDecisionPolicy(fitFolds ? [...inScope, ...rephrased] : inScope, outOfScope, {
  maxOutOfScopeAnswered: Number(values['max-oos-answered']),
  handOverWorth: Number(values['hand-over-worth']),
  nearMisses,
  maxNearMissAnswered,
  trainOnNearMisses: fitFolds,
});
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const line = (name: string, o: PolicyOutcome) =>
  `${name.padEnd(22)} correct ${pct(o.correct)}  answered right ${pct(o.answeredRight)}  confidently wrong ${pct(o.confidentlyWrong)}  clarified with right ${pct(o.clarifiedWithRight)}  out-of-scope answered ${pct(o.outOfScopeAnswered)}  handed over ${pct(o.outOfScopeAbstained)}`;
console.log(JSON.stringify(policy, null, 2));
console.log(line(fitFolds ? 'fitted on (all)' : 'fitted on', outcome));
console.log(line('development set', outcomeOf(policy, inScope, outOfScope)));
if (folds > 1) console.log(line('knowledge-base folds', outcomeOf(policy, rephrased, nearMisses)));
if (values['check-queries'] && values['check-oos']) {
  const check = outcomeOf(
    policy,
    await rankThroughEngine(kbJsonl, values.kb, await queriesOf(values['check-queries'])),
    await rankThroughEngine(kbJsonl, values.kb, await outOfScopeOf(values['check-oos'])),
  );
  console.log(line('checked on', check));
}
if (values.write) {
  const file = join(packageRoot, 'knowledge/decision-policy.ts');
  await writeFile(file, renderPolicy(policy, values.queries, values.oos, fitFolds ? folds : 0, maxNearMissAnswered));
  console.log(`wrote ${file}`);
}

function renderPolicy(
  policy: DecisionPolicy,
  queries: string,
  oos: string,
  folds: number,
  maxNearMissAnswered: number,
): string {
  const rel = (f: string) => f.replace(`${packageRoot}/`, '');
  const r = (x: number) => Number(x.toFixed(4));
  const weights = Object.entries(policy.model.weights)
    .map(([k, v]) => `      ${k}: ${r(v)},`)
    .join('\n');
  return `// Generated by \`npm run eval:fit-decision -- --write\` from ${rel(queries)} and ${rel(oos)}${folds > 1 ? `, with ${folds} folds of the knowledge base's own questions (eval/kb-folds.ts)` : ''}${maxNearMissAnswered < 1 ? `, answering at most ${maxNearMissAnswered * 100}% of the knowledge base's near misses (--max-near-miss-answered ${maxNearMissAnswered})` : ''}; do not edit by hand.
import type { DecisionPolicy } from './decision.js';

export const fittedDecisionPolicy: DecisionPolicy = {
  model: {
    bias: ${r(policy.model.bias)},
    weights: {
${weights}
    },
  },
  answer: ${policy.answer},
  answerFloor: ${policy.answerFloor},
  maxRivalRatio: ${policy.maxRivalRatio},
  clarify: ${policy.clarify},
  abstain: ${policy.abstain},
  optionRatio: ${policy.optionRatio},
};
`;
}
