import { detectSmallTalk } from '../small-talk-rules.js';
import { texts } from '../texts.js';
import { reply, type TurnStep } from '../turn.js';

export const smallTalk: TurnStep = (turn) => {
  const kind = detectSmallTalk(turn.text);
  if (!kind) return undefined;
  return [reply('chitchat', texts[kind])];
};
