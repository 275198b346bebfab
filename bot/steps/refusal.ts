import { detectRefusal } from '../intents.js';
import { texts } from '../texts.js';
import { reply, type TurnStep } from '../turn.js';

/** Abuse and requests outside a government hotline's remit get a short polite refusal; state is kept. */
export const refusal: TurnStep = (turn) => {
  const reason = detectRefusal(turn.text);
  if (!reason) return undefined;
  turn.record({ type: 'refused', reason });
  return [reply('refuse', texts.refuse(reason))];
};
