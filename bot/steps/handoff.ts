import { isHandoffRequest } from '../intents.js';
import { texts } from '../texts.js';
import { reply, type TurnStep } from '../turn.js';
import { askNext } from './intake.js';

/**
 * "转人工": the hotline number and the offer to file a work order, never a QR code. A work order
 * already being collected stays where it was, and its question is asked again.
 */
export const handoff: TurnStep = (turn) => {
  if (!isHandoffRequest(turn.text)) return undefined;
  turn.record({ type: 'handoff' });
  if (turn.state.intake) {
    return [reply('handoff', texts.handoffDuringIntake), askNext(turn.state.intake)];
  }
  const lastQuestion = turn.state.offer?.description ?? turn.state.clarify?.question;
  turn.state = {
    offer: lastQuestion ? { description: lastQuestion } : {},
    district: turn.state.district,
    filed: turn.state.filed,
  };
  return [reply('handoff', texts.handoff, { choices: [texts.fileWorkOrder, texts.no] })];
};
