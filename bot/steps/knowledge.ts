import type { KnowledgeEntry } from '../../knowledge/entry.js';
import { isAffirmative, isNegative, isNoneOfThese, parseChoice } from '../intents.js';
import type { Reply } from '../message.js';
import { texts } from '../texts.js';
import { reply, type Turn, type TurnStep } from '../turn.js';
import { startIntake } from './intake.js';

function answer(turn: Turn, entry: KnowledgeEntry): Reply[] {
  turn.state = { lastEntryId: entry.id, district: turn.state.district };
  return [
    reply('answer', `${entry.answer}${texts.answerSource(entry.department)}`, {
      sources: [{ id: entry.id, question: entry.question, department: entry.department }],
    }),
  ];
}

/** A reply to a pending clarification: its number, or the words of one option. */
export const pendingClarification: TurnStep = (turn) => {
  const pending = turn.state.clarify;
  if (!pending) return undefined;
  if (isNoneOfThese(turn.text)) return offerWorkOrder(turn, pending.question);
  const choice = parseChoice(turn.text);
  const picked =
    choice !== undefined
      ? pending.options[choice - 1]
      : pending.options.find(
          (o) => o.question === turn.text || o.question.replace(/[？?]$/, '') === turn.text.replace(/[？?]$/, ''),
        );
  if (choice !== undefined && !picked) return [reply('clarify', texts.clarifyInvalidChoice(pending.options.length))];
  const entry = picked && turn.services.knowledge.entry(picked.entryId);
  if (entry) return answer(turn, entry);
  // Anything else is a new question.
  delete turn.state.clarify;
  return undefined;
};

/** After an unanswered question the bot offered a work order: "是" takes it. */
export const pendingOffer: TurnStep = (turn) => {
  const offer = turn.state.offer;
  if (!offer) return undefined;
  delete turn.state.offer;
  if (isAffirmative(turn.text)) return startIntake(turn, 'consult', offer.description);
  if (isNegative(turn.text)) return [reply('chitchat', texts.offerDeclined)];
  return undefined;
};

/** Answer from the knowledge base, ask which question was meant, or offer a work order. */
export const knowledgeAnswer: TurnStep = async (turn) => {
  const { knowledge } = turn.services;
  // A district the citizen names is remembered for the follow-up questions of the session.
  const district = knowledge.districtIn(turn.text) ?? turn.state.district;
  if (district) turn.state.district = district;
  const decision = await knowledge.decide(turn.text, { district });
  switch (decision.kind) {
    case 'answer':
      return answer(turn, decision.entry);
    case 'clarify': {
      const options = decision.options.map((c) => ({ entryId: c.entryId, question: c.question }));
      turn.state = { clarify: { question: turn.text, options }, district: turn.state.district };
      const questions = options.map((o) => o.question);
      return [reply('clarify', texts.clarify(questions), { choices: [...questions, texts.noneOfThese] })];
    }
    case 'abstain':
      return offerWorkOrder(turn, turn.text);
  }
};

function offerWorkOrder(turn: Turn, question: string): Reply[] {
  turn.state = { offer: { description: question }, district: turn.state.district };
  return [reply('fallback', texts.abstain, { choices: [texts.yes, texts.no] })];
}
