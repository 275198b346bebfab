import type { KnowledgeAnswerer } from '../knowledge/knowledge-base.js';
import type { WorkOrderDesk } from '../workorders/work-order-service.js';
import type { AttemptLog, DialogState } from './dialog-state.js';
import type { EmergencyKind } from './emergency-rules.js';
import type { RefusalReason } from './intents.js';
import type { LanguageModel } from './language-model.js';
import type { InboundMessage, Reply } from './message.js';

/** Where citizens' evaluations of handled tickets go (the return-visit side provides it). */
export interface EvaluationSink {
  record(input: { code: string; sessionId: string; satisfied: boolean; text: string }): Promise<void>;
}

/** What the knowledge step decided about a citizen's question. */
export interface KnowledgeSignal {
  /** clarify-answer: an option picked after a clarification. */
  outcome: 'answer' | 'clarify' | 'abstain' | 'clarify-answer';
  /** The citizen's message as received. */
  question: string;
  /** The entry answered with. */
  entryId?: string;
  channel: string;
  sessionId: string;
}

/** Where knowledge decisions go: the learning inbox and the health report (the server stores them). */
export interface LearningSink {
  record(signal: KnowledgeSignal): Promise<void>;
}

export interface TurnServices {
  knowledge: KnowledgeAnswerer;
  workOrders: WorkOrderDesk;
  /** Failed ticket-status verifications, for throttling. */
  attempts: AttemptLog;
  /** Optional LLM: field extraction, grounded rephrasing, checking doubtful matches. Without it the rules answer. */
  language?: LanguageModel;
  /**
   * With the LLM: answers below this confidence, and clarifications, are put to it first (see
   * steps/knowledge.ts checkWithModel); 0 never. Default 0.9.
   */
  checkBelowConfidence?: number;
  evaluations?: EvaluationSink;
  /** Optional: knowledge decisions for the learning inbox; a failure to record never fails the turn. */
  learning?: LearningSink;
  /** Time zone for dates shown to citizens. */
  timeZone: string;
  newId: () => string;
}

/** Things worth recording about a turn besides its replies (the server logs them). */
export type EngineEvent =
  | { type: 'emergency'; kinds: EmergencyKind[] }
  | { type: 'refused'; reason: RefusalReason }
  | { type: 'handoff' }
  | { type: 'status-denied'; throttled: boolean }
  | { type: 'evaluation'; code: string; satisfied: boolean }
  | { type: 'language-model-fallback'; task: 'extract' | 'rephrase' | 'choose'; error: string }
  | { type: 'learning-record-failed'; error: string };

/** Everything one step of the pipeline sees; `state` is saved after the turn. */
export interface Turn {
  message: InboundMessage;
  /** The message text after NFKC, Traditional → Simplified conversion and trimming. */
  text: string;
  state: DialogState;
  services: TurnServices;
  now: Date;
  record(event: EngineEvent): void;
}

/** A pipeline step: replies when it handles the turn, undefined to pass it on. */
export type TurnStep = (turn: Turn) => Promise<Reply[] | undefined> | Reply[] | undefined;

export const reply = (kind: Reply['kind'], text: string, extra: Partial<Reply> = {}): Reply => ({
  kind,
  text,
  sources: [],
  ...extra,
});
