import { detectEmergency, emergencyNumbers } from '../intents.js';
import { texts } from '../texts.js';
import { reply, type TurnStep } from '../turn.js';

/** Emergencies come before everything else, including a work order in progress. */
export const emergency: TurnStep = (turn) => {
  const kinds = detectEmergency(turn.text);
  if (kinds.length === 0) return undefined;
  const numbers = [...new Set(kinds.flatMap((kind) => emergencyNumbers[kind]))];
  return [reply('emergency', `${texts.emergencyPrefix}${numbers.join('；')}。${texts.emergencySuffix}`)];
};
