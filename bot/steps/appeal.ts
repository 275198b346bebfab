import { appealContent, asksAboutProcedure, detectAppeal } from '../intents.js';
import { type TurnStep } from '../turn.js';
import { startIntake } from './intake.js';
import { answerConfidently } from './knowledge.js';

/**
 * "我要投诉…", "举报…": straight to a work order, keeping what was already said. A question about
 * the procedure ("怎么举报违停") is answered from the knowledge base when it knows.
 */
export const appeal: TurnStep = async (turn) => {
  const type = detectAppeal(turn.text);
  if (!type) return undefined;
  if (asksAboutProcedure(turn.text)) {
    const answered = await answerConfidently(turn);
    if (answered) return answered;
  }
  const content = appealContent(turn.text);
  return startIntake(turn, type, content.length > 0 ? turn.text : undefined);
};
