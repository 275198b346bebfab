// The evaluation harness behind `minsheng eval`: a fresh temporary database, the knowledge base
// imported into it, every query asked through the bot's own conversation engine, and optionally
// the peer baselines on the same files.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConversationEngine } from '../bot/conversation-engine.js';
import type { LanguageModel } from '../bot/language-model.js';
import { isAnswerable, type KnowledgeEntry } from '../knowledge/entry.js';
import { parseKnowledgeJsonl } from '../knowledge/jsonl.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { ChineseSegmenter } from '../knowledge/segmenter.js';
import { openDatabase } from '../prisma/client.js';
import { applyMigrations } from '../prisma/schema-engine.js';
import { WorkOrderService } from '../workorders/work-order-service.js';
import { Bm25Index } from './bm25-peer.js';
import {
  checkExpectedEntries,
  EvalFileInvalid,
  parseOutOfScopeFile,
  parseQueryFile,
  type LabelledQuery,
  type OutOfScopeQuery,
} from './eval-files.js';
import { MemoryAttemptLog, MemoryConversationStore } from './memory-conversation-store.js';
import {
  groupBy,
  handledAsExpected,
  rankOf,
  inScopeMetrics,
  outOfScopeMetrics,
  type InScopeMetrics,
  type InScopeResult,
  type Outcome,
  type OutOfScopeMetrics,
  type OutOfScopeResult,
} from './metrics.js';
import { loadNlpManager, NodeNlpPeer } from './node-nlp-peer.js';
import { checkTargets, compareWithPeers, type PeerComparison, type TargetCheck } from './targets.js';

/** How deep rankings go for hit@k and MRR. */
export const RANKING_DEPTH = 10;

export interface EvaluationInput {
  kb: { file: string; content: string };
  queries: { file: string; content: string };
  oos?: { file: string; content: string };
  /** Also run node-nlp and BM25 on the same files. */
  peers?: boolean;
  /** List every message a system got wrong (for tuning). */
  misses?: boolean;
  /**
   * The optional LLM, as the server would use it (LLM_* settings): Minsheng then runs with it, so
   * its check of doubtful matches is measured on the same files. Its name goes into the report.
   */
  language?: { model: LanguageModel; name: string; checkBelowConfidence: number };
}

/** A message a system got wrong: expected entry not first, an FAQ answer to the wrong entry or out of scope. */
export interface Miss {
  file: 'queries' | 'oos';
  line: number;
  q: string;
  kind: string;
  expect: string;
  /** Rank of the expected entry (0: not in the top of the ranking); in-scope messages only. */
  rank?: number;
  reply: string;
  /** Entries the reply named (the answer, or the clarification's options). */
  entries: string[];
  top: string[];
}

/** One system's answer to one message. */
interface SystemResponse {
  ranking: string[];
  outcome: Outcome;
  /** Kind of the first reply (a peer's abstention is the bot's 'fallback'). */
  replyKind: string;
  /** Time of the call that decides (the bot's turn, a peer's query), without the ranking look-up. */
  latencyMs: number;
}

interface EvaluatedSystem {
  name: string;
  description: string;
  respond(text: string): Promise<SystemResponse>;
}

export interface SystemReport {
  system: string;
  description: string;
  /** Time to get ready (import and index, or training). */
  setupMs: number;
  /** Turns that failed inside the bot (the citizen got the apology); should be 0. */
  errors: number;
  inScope: { overall: InScopeMetrics; byKind: Record<string, InScopeMetrics> };
  outOfScope: { overall: OutOfScopeMetrics; byExpect: Record<string, OutOfScopeMetrics> } | null;
  /** The retrieval issue's quality targets on this run. */
  targets: TargetCheck[];
  /** With `misses`: every message this system got wrong. */
  misses?: Miss[];
}

export interface EvaluationReport {
  knowledgeBase: { file: string; entries: number; answerable: number };
  queries: { file: string; count: number; kinds: Record<string, number> };
  outOfScope: { file: string; count: number; expectations: Record<string, number> } | null;
  rankingDepth: number;
  systems: SystemReport[];
  /** With peers: the first system's figures against theirs (see compareWithPeers). */
  comparison: PeerComparison[];
}

const NO_KIND = 'unlabelled';

function outcomeOfPeer(answer: string | undefined): Pick<SystemResponse, 'outcome' | 'replyKind'> {
  return answer
    ? { outcome: { kind: 'answer', entryId: answer }, replyKind: 'answer' }
    : { outcome: { kind: 'abstain' }, replyKind: 'fallback' };
}

async function measure(
  system: EvaluatedSystem,
  queries: LabelledQuery[],
  oos: OutOfScopeQuery[] | undefined,
  listMisses: boolean,
): Promise<Pick<SystemReport, 'inScope' | 'outOfScope' | 'targets' | 'misses'>> {
  const inScope: InScopeResult[] = [];
  const misses: Miss[] = [];
  const named = (o: Outcome) => (o.kind === 'answer' ? [o.entryId] : o.kind === 'clarify' ? o.entryIds : []);
  for (const q of queries) {
    const { ranking, outcome, replyKind, latencyMs } = await system.respond(q.q);
    const result = { expect: q.expect, kind: q.kind ?? NO_KIND, ranking, outcome, latencyMs };
    inScope.push(result);
    const rank = rankOf(ranking, q.expect);
    const wrongAnswer = outcome.kind === 'answer' && outcome.entryId !== q.expect;
    // A rule that took the question elsewhere (intake, small talk) missed it too.
    if (listMisses && (rank !== 1 || wrongAnswer || outcome.kind === 'other')) {
      misses.push({
        file: 'queries',
        line: q.line,
        q: q.q,
        kind: result.kind,
        expect: q.expect,
        rank,
        reply: replyKind,
        entries: named(outcome),
        top: ranking.slice(0, 3),
      });
    }
  }
  const outOfScope: (OutOfScopeResult & { kind: string })[] = [];
  for (const q of oos ?? []) {
    const { ranking, outcome, replyKind, latencyMs } = await system.respond(q.q);
    outOfScope.push({ expect: q.expect, kind: q.kind ?? NO_KIND, replyKind, latencyMs });
    if (listMisses && (replyKind === 'answer' || !handledAsExpected(q.expect, replyKind))) {
      misses.push({
        file: 'oos',
        line: q.line,
        q: q.q,
        kind: q.kind ?? NO_KIND,
        expect: q.expect,
        reply: replyKind,
        entries: named(outcome),
        top: ranking.slice(0, 3),
      });
    }
  }
  const byKey = <T, M>(items: T[], key: (item: T) => string, metrics: (items: T[]) => M) =>
    Object.fromEntries([...groupBy(items, key)].map(([k, list]) => [k, metrics(list)]));
  const figures = {
    inScope: { overall: inScopeMetrics(inScope), byKind: byKey(inScope, (r) => r.kind, inScopeMetrics) },
    outOfScope: oos
      ? { overall: outOfScopeMetrics(outOfScope), byExpect: byKey(outOfScope, (r) => r.expect, outOfScopeMetrics) }
      : null,
  };
  return { ...figures, targets: checkTargets(figures), ...(listMisses ? { misses } : {}) };
}

/** Minsheng itself: each message is a fresh session of the real ConversationEngine. */
async function minshengSystem(
  knowledge: KnowledgeBase,
  workOrders: WorkOrderService,
  language?: EvaluationInput['language'],
): Promise<EvaluatedSystem & { errors: () => number }> {
  const store = new MemoryConversationStore();
  let errors = 0;
  let turn = 0;
  const engine = new ConversationEngine({
    sessions: store,
    transcript: store,
    services: {
      knowledge,
      workOrders,
      attempts: new MemoryAttemptLog(),
      timeZone: 'Asia/Shanghai',
      newId: randomUUID,
      ...(language ? { language: language.model, checkBelowConfidence: language.checkBelowConfidence } : {}),
    },
    idleTimeoutMs: 30 * 60_000,
    onError: () => {
      errors++;
    },
  });
  return {
    name: 'minsheng',
    description: `Minsheng: the conversation engine (safety, small talk, intake) over the knowledge base${
      language
        ? `, with the LLM ${language.name} (checks matches below confidence ${language.checkBelowConfidence})`
        : ''
    }`,
    errors: () => errors,
    async respond(text) {
      const sessionId = `eval-${++turn}`;
      const started = performance.now();
      const replies = await engine.handle({
        channel: 'eval',
        sessionId,
        userId: sessionId,
        text,
        receivedAt: new Date(),
      });
      const latencyMs = performance.now() - started;
      const first = replies[0];
      const state = (await store.get(sessionId))?.state;
      store.clear();
      const ranking = (await knowledge.search(text, { topK: RANKING_DEPTH })).map((c) => c.entryId);
      const replyKind = first?.kind ?? 'none';
      let outcome: Outcome;
      if (replyKind === 'answer' && first?.sources[0]) outcome = { kind: 'answer', entryId: first.sources[0].id };
      else if (replyKind === 'clarify')
        outcome = { kind: 'clarify', entryIds: state?.clarify?.options.map((o) => o.entryId) ?? [] };
      else if (replyKind === 'fallback') outcome = { kind: 'abstain' };
      else outcome = { kind: 'other', replyKind };
      return { ranking, outcome, replyKind, latencyMs };
    },
  };
}

function bm25System(entries: KnowledgeEntry[]): EvaluatedSystem {
  const index = new Bm25Index(new ChineseSegmenter());
  index.add(entries.map((e) => ({ id: e.id, text: [e.question, ...e.similar].join('\n') })));
  return {
    name: 'bm25-jieba',
    description: 'Okapi BM25 (k1 1.2, b 0.75) over jieba words of question + similar questions; answers its top hit',
    async respond(text) {
      const started = performance.now();
      const hits = index.search(text, RANKING_DEPTH);
      const latencyMs = performance.now() - started;
      const top = hits[0];
      return { ranking: hits.map((h) => h.id), latencyMs, ...outcomeOfPeer(top && top.score > 0 ? top.id : undefined) };
    },
  };
}

async function nodeNlpSystem(entries: KnowledgeEntry[]): Promise<EvaluatedSystem> {
  const peer = await NodeNlpPeer.train(entries.map((e) => ({ id: e.id, utterances: [e.question, ...e.similar] })));
  return {
    name: 'node-nlp',
    description: "node-nlp 4 NlpManager (zh), one intent per entry; answers its top intent unless 'None'",
    async respond(text) {
      const started = performance.now();
      const { ranking, answer } = await peer.ask(text, RANKING_DEPTH);
      const latencyMs = performance.now() - started;
      return { ranking, latencyMs, ...outcomeOfPeer(answer) };
    },
  };
}

const counts = (values: string[]) => Object.fromEntries([...groupBy(values, (v) => v)].map(([k, l]) => [k, l.length]));

/** Runs the whole evaluation; throws EvalFileInvalid (with line numbers) on bad input files. */
export async function runEvaluation(input: EvaluationInput): Promise<EvaluationReport> {
  const parsedKb = parseKnowledgeJsonl(input.kb.content);
  if (parsedKb.errors.length) throw new EvalFileInvalid(input.kb.file, parsedKb.errors);
  if (!parsedKb.entries.length) throw new EvalFileInvalid(input.kb.file, [{ line: 1, reason: 'no entries' }]);
  const entries = parsedKb.entries.map((e) => e.entry);
  const queries = parseQueryFile(input.queries.content, input.queries.file);
  checkExpectedEntries(queries, new Set(entries.map((e) => e.id)), input.queries.file);
  const oos = input.oos ? parseOutOfScopeFile(input.oos.content, input.oos.file) : undefined;
  if (input.peers) loadNlpManager(); // fail before the long part when node-nlp is missing
  const now = new Date();
  const answerable = entries.filter((e) => isAnswerable(e, now));

  const dir = await mkdtemp(join(tmpdir(), 'minsheng-eval-'));
  const url = `file:${join(dir, 'eval.db')}`;
  try {
    await applyMigrations(url);
    const db = await openDatabase(url);
    try {
      const systems: SystemReport[] = [];

      let started = performance.now();
      const knowledge = await KnowledgeBase.open(db);
      await knowledge.importEntries(entries);
      const workOrders = new WorkOrderService(db, { prefix: 'EV', timeZone: 'Asia/Shanghai' });
      const minsheng = await minshengSystem(knowledge, workOrders, input.language);
      let setupMs = performance.now() - started;
      systems.push({
        system: minsheng.name,
        description: minsheng.description,
        setupMs,
        ...(await measure(minsheng, queries, oos, input.misses ?? false)),
        errors: minsheng.errors(),
      });

      if (input.peers) {
        // Peers see only the entries Minsheng may answer with (published, in their validity dates).
        for (const build of [() => Promise.resolve(bm25System(answerable)), () => nodeNlpSystem(answerable)]) {
          started = performance.now();
          const peer = await build();
          setupMs = performance.now() - started;
          systems.push({
            system: peer.name,
            description: peer.description,
            setupMs,
            errors: 0,
            ...(await measure(peer, queries, oos, input.misses ?? false)),
          });
        }
      }

      return {
        knowledgeBase: { file: input.kb.file, entries: entries.length, answerable: answerable.length },
        queries: {
          file: input.queries.file,
          count: queries.length,
          kinds: counts(queries.map((q) => q.kind ?? NO_KIND)),
        },
        outOfScope:
          input.oos && oos
            ? { file: input.oos.file, count: oos.length, expectations: counts(oos.map((q) => q.expect)) }
            : null,
        rankingDepth: RANKING_DEPTH,
        systems,
        comparison: compareWithPeers(systems),
      };
    } finally {
      await db.$disconnect();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
