// Fits the answer/clarify/abstain policy (knowledge/decision-policy.ts) on labelled query files and
// checks it on others. Usage:
//   npm run eval:fit-decision -- [--kb KB.jsonl] [--queries Q.jsonl] [--oos OOS.jsonl]
//     [--check-queries Q.jsonl --check-oos OOS.jsonl] [--max-oos-answered 0.05] [--hand-over-worth 0.1] [--write]
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { withTemporaryKnowledgeBase } from './temporary-knowledge-base.js';
import { randomUUID } from 'node:crypto';
import { ConversationEngine } from '../bot/conversation-engine.js';
import type { DecisionPolicy } from '../knowledge/decision.js';
import type { KnowledgeAnswerer, RankedQuery } from '../knowledge/knowledge-base.js';
import { WorkOrderService } from '../workorders/work-order-service.js';
import { MemoryAttemptLog, MemoryConversationStore } from './memory-conversation-store.js';
import { packageRoot } from '../knowledge/package-root.js';
import { fitDecisionPolicy, outcomeOf, type LabelledRanking, type PolicyOutcome } from './decision-fitting.js';
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
    write: { type: 'boolean', default: false },
  },
});

await withTemporaryKnowledgeBase(values.kb, async (kb, db) => {
  // Each message goes through the real engine, as in `minsheng eval`: the rankings the policy
  // must judge are the ones the engine asks the knowledge base about. A message its rules take
  // elsewhere (an emergency, a refusal, small talk, a work order) never reaches the decision.
  let asked: RankedQuery | undefined;
  const recording: KnowledgeAnswerer = {
    async decide(text, options) {
      const ranked = await kb.rank(text, options);
      asked ??= ranked;
      return kb.decideRanked(ranked);
    },
    districtIn: (text) => kb.districtIn(text),
    entry: (id) => kb.entry(id),
  };
  const store = new MemoryConversationStore();
  const engine = new ConversationEngine({
    sessions: store,
    transcript: store,
    services: {
      knowledge: recording,
      workOrders: new WorkOrderService(db, { prefix: 'FT', timeZone: 'Asia/Shanghai' }),
      attempts: new MemoryAttemptLog(),
      timeZone: 'Asia/Shanghai',
      newId: randomUUID,
    },
    idleTimeoutMs: 30 * 60_000,
  });
  let turn = 0;
  const rankingThroughEngine = async (text: string): Promise<RankedQuery> => {
    asked = undefined;
    const sessionId = `fit-${++turn}`;
    await engine.handle({ channel: 'eval', sessionId, userId: sessionId, text, receivedAt: new Date() });
    store.clear();
    return asked ?? { candidates: [], needsDistrict: false, topInDistrict: false, messageLength: 0 };
  };
  const rankQueries = async (file: string): Promise<LabelledRanking[]> => {
    const out: LabelledRanking[] = [];
    for (const q of parseQueryFile(await readFile(file, 'utf8'), file))
      out.push({ ...(await rankingThroughEngine(q.q)), expected: q.expect });
    return out;
  };
  const rankOutOfScope = async (file: string): Promise<RankedQuery[]> => {
    const out: RankedQuery[] = [];
    for (const q of parseOutOfScopeFile(await readFile(file, 'utf8'), file)) out.push(await rankingThroughEngine(q.q));
    return out;
  };

  const inScope = await rankQueries(values.queries);
  const outOfScope = await rankOutOfScope(values.oos);
  const { policy, outcome } = fitDecisionPolicy(inScope, outOfScope, {
    maxOutOfScopeAnswered: Number(values['max-oos-answered']),
    handOverWorth: Number(values['hand-over-worth']),
  });
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const line = (name: string, o: PolicyOutcome) =>
    `${name.padEnd(10)} correct ${pct(o.correct)}  answered right ${pct(o.answeredRight)}  confidently wrong ${pct(o.confidentlyWrong)}  clarified with right ${pct(o.clarifiedWithRight)}  out-of-scope answered ${pct(o.outOfScopeAnswered)}  handed over ${pct(o.outOfScopeAbstained)}`;
  console.log(JSON.stringify(policy, null, 2));
  console.log(line('fitted on', outcome));
  if (values['check-queries'] && values['check-oos']) {
    const check = outcomeOf(
      policy,
      await rankQueries(values['check-queries']),
      await rankOutOfScope(values['check-oos']),
    );
    console.log(line('checked on', check));
  }
  if (values.write) {
    const file = join(packageRoot, 'knowledge/decision-policy.ts');
    await writeFile(file, renderPolicy(policy, values.queries, values.oos));
    console.log(`wrote ${file}`);
  }
});

function renderPolicy(policy: DecisionPolicy, queries: string, oos: string): string {
  const rel = (f: string) => f.replace(`${packageRoot}/`, '');
  const r = (x: number) => Number(x.toFixed(4));
  const weights = Object.entries(policy.model.weights)
    .map(([k, v]) => `${k}: ${r(v)}`)
    .join(', ');
  return `// Generated by \`npm run eval:fit-decision -- --write\` from ${rel(queries)} and ${rel(oos)}; do not edit by hand.
import type { DecisionPolicy } from './decision.js';

export const fittedDecisionPolicy: DecisionPolicy = {
  model: {
    bias: ${r(policy.model.bias)},
    weights: { ${weights} },
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
