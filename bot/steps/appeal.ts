import { appealContent, asksAboutProcedure, detectAppeal } from '../intents.js';
import { detectSmallTalk } from '../small-talk-rules.js';
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
  // "解释得挺明白的，点赞": praise of the bot's answer is thanks, not a 表扬 to file.
  if (type === 'praise' && detectSmallTalk(turn.text)) return undefined;
  if (asksAboutProcedure(turn.text)) {
    const { decision, replies } = await answerConfidently(turn);
    if (replies) return replies;
    // Not sure which entry: the knowledge step asks; with no entry near, the work order starts.
    if (decision.kind === 'clarify') return undefined;
  }
  const content = appealContent(turn.text);
  return startIntake(turn, type, content.length > 0 ? turn.text : undefined);
};
