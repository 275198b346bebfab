import { appealContent, detectAppeal } from '../intents.js';
import { type TurnStep } from '../turn.js';
import { startIntake } from './intake.js';

/** "我要投诉…", "举报…": straight to a work order, keeping what was already said. */
export const appeal: TurnStep = (turn) => {
  const type = detectAppeal(turn.text);
  if (!type) return undefined;
  const content = appealContent(turn.text);
  return startIntake(turn, type, content.length > 0 ? turn.text : undefined);
};
