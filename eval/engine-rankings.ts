// Rankings as the conversation engine asks for them, for fitting and checking the decision.
import { randomUUID } from 'node:crypto';
import { ConversationEngine } from '../bot/conversation-engine.js';
import type { KnowledgeAnswerer, RankedQuery } from '../knowledge/knowledge-base.js';
import { WorkOrderService } from '../workorders/work-order-service.js';
import type { LabelledRanking } from './decision-fitting.js';
import type { FoldQuestion } from './kb-folds.js';
import { MemoryAttemptLog, MemoryConversationStore } from './memory-conversation-store.js';
import { withKnowledgeBaseOf } from './temporary-knowledge-base.js';

/**
 * Each message goes through the real engine, as in `minsheng eval`: the rankings the policy must
 * judge are the ones the engine asks the knowledge base about. A message its rules take elsewhere
 * (an emergency, a refusal, small talk, a work order) never reaches the decision.
 */
export async function rankThroughEngine(
  kbJsonl: string,
  source: string,
  questions: FoldQuestion[],
): Promise<LabelledRanking[]> {
  return withKnowledgeBaseOf(kbJsonl, source, async (kb, db) => {
    let asked: RankedQuery | undefined;
    const recording: KnowledgeAnswerer = {
      async decide(text, options) {
        const ranked = await kb.rank(text, options);
        asked ??= ranked;
        return kb.decideRanked(ranked);
      },
      districtIn: (text) => kb.districtIn(text),
      hasTopic: (text) => kb.hasTopic(text),
      coversMatter: (entryId, text) => kb.coversMatter(entryId, text),
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
    const out: LabelledRanking[] = [];
    for (const [turn, question] of questions.entries()) {
      asked = undefined;
      const sessionId = `fit-${turn}`;
      await engine.handle({ channel: 'eval', sessionId, userId: sessionId, text: question.q, receivedAt: new Date() });
      store.clear();
      const ranked = asked ?? { candidates: [], needsDistrict: false, topInDistrict: false, messageLength: 0 };
      out.push(question.expect === undefined ? ranked : { ...ranked, expected: question.expect });
    }
    return out;
  });
}
