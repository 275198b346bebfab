// Pure figures of an evaluation run: ranking quality, decision outcomes and latency percentiles.
import type { OutOfScopeExpectation } from './eval-files.js';

/** What a system did with one message. */
export type Outcome =
  | { kind: 'answer'; entryId: string }
  | { kind: 'clarify'; entryIds: string[] }
  | { kind: 'abstain' }
  /** Another reply (emergency advice, small talk, work-order intake, status). */
  | { kind: 'other'; replyKind: string };

export interface InScopeResult {
  expect: string;
  kind: string;
  /** Entry ids, best first. */
  ranking: string[];
  outcome: Outcome;
  latencyMs: number;
}

export interface OutOfScopeResult {
  expect: OutOfScopeExpectation;
  /** Kind of the first reply the system gave (bot reply kinds; a peer's abstention counts as 'fallback'). */
  replyKind: string;
  latencyMs: number;
}

export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface InScopeMetrics {
  queries: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Answered with the expected entry. */
  answeredRight: number;
  /** Answered with another entry: the figure to keep low. */
  confidentlyWrong: number;
  clarified: number;
  /** Clarified with the expected entry among the options. */
  clarifiedWithRight: number;
  abstained: number;
  /** Handled by another step of the bot (emergency, small talk, complaint intake, status). */
  other: number;
  /** answeredRight + half of clarifiedWithRight. */
  correct: number;
  latencyMs: LatencySummary;
}

export interface OutOfScopeMetrics {
  queries: number;
  /** The first reply was what the expectation asks for. */
  handledAsExpected: number;
  /** The first reply answered with an FAQ entry (target: at most 5%). */
  answeredWithFaq: number;
  clarified: number;
  /** Work-order offer (the bot's "I do not know"). */
  abstained: number;
  latencyMs: LatencySummary;
}

/** 1-based position of the expected entry in a ranking; 0 when absent. */
export function rankOf(ranking: readonly string[], expected: string): number {
  return ranking.indexOf(expected) + 1;
}

export function hitAt(k: number, rank: number): boolean {
  return rank >= 1 && rank <= k;
}

export const reciprocalRank = (rank: number): number => (rank >= 1 ? 1 / rank : 0);

/** Nearest-rank percentile (p in 0..100) of unsorted values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) };
}

const share = (count: number, total: number) => (total === 0 ? 0 : count / total);

export function inScopeMetrics(results: readonly InScopeResult[]): InScopeMetrics {
  const n = results.length;
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  let answeredRight = 0;
  let answeredWrong = 0;
  let clarified = 0;
  let clarifiedWithRight = 0;
  let abstained = 0;
  let other = 0;
  for (const r of results) {
    const rank = rankOf(r.ranking, r.expect);
    if (hitAt(1, rank)) hit1++;
    if (hitAt(3, rank)) hit3++;
    rr += reciprocalRank(rank);
    const o = r.outcome;
    if (o.kind === 'answer') {
      if (o.entryId === r.expect) answeredRight++;
      else answeredWrong++;
    } else if (o.kind === 'clarify') {
      clarified++;
      if (o.entryIds.includes(r.expect)) clarifiedWithRight++;
    } else if (o.kind === 'abstain') abstained++;
    else other++;
  }
  return {
    queries: n,
    hit1: share(hit1, n),
    hit3: share(hit3, n),
    mrr: share(rr, n),
    answeredRight: share(answeredRight, n),
    confidentlyWrong: share(answeredWrong, n),
    clarified: share(clarified, n),
    clarifiedWithRight: share(clarifiedWithRight, n),
    abstained: share(abstained, n),
    other: share(other, n),
    correct: share(answeredRight + clarifiedWithRight / 2, n),
    latencyMs: latencySummary(results.map((r) => r.latencyMs)),
  };
}

/**
 * Whether the first reply to an out-of-scope message is what was expected. Until the bot has a
 * refusal of its own, a refusal is a work-order offer or small talk, never an FAQ answer.
 */
export function handledAsExpected(expect: OutOfScopeExpectation, replyKind: string): boolean {
  switch (expect) {
    case 'emergency':
      return replyKind === 'emergency';
    case 'chitchat':
      return replyKind === 'chitchat';
    case 'ticket':
      return replyKind === 'fallback' || replyKind === 'ask';
    case 'refuse':
      return replyKind === 'refuse' || replyKind === 'fallback' || replyKind === 'chitchat';
  }
}

export function outOfScopeMetrics(results: readonly OutOfScopeResult[]): OutOfScopeMetrics {
  const n = results.length;
  const count = (test: (r: OutOfScopeResult) => boolean) => share(results.filter(test).length, n);
  return {
    queries: n,
    handledAsExpected: count((r) => handledAsExpected(r.expect, r.replyKind)),
    answeredWithFaq: count((r) => r.replyKind === 'answer'),
    clarified: count((r) => r.replyKind === 'clarify'),
    abstained: count((r) => r.replyKind === 'fallback'),
    latencyMs: latencySummary(results.map((r) => r.latencyMs)),
  };
}

/** Groups results by a key, in first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
