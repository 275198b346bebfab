import { asksEmergencyNumbers, detectEmergency, emergencyNumbers, writtenInEnglish } from '../emergency-rules.js';
import { texts } from '../texts.js';
import { reply, type TurnStep } from '../turn.js';

/**
 * Emergencies come before everything else, including a work order in progress; the dialog state
 * is left as it was, so an interrupted intake continues on the next message.
 */
export const emergency: TurnStep = (turn) => {
  const kinds = detectEmergency(turn.text);
  if (kinds.length === 0)
    return asksEmergencyNumbers(turn.text) ? [reply('chitchat', texts.emergencyNumbers)] : undefined;
  turn.record({ type: 'emergency', kinds });
  if (writtenInEnglish(turn.text)) return [reply('emergency', texts.emergencyInEnglish(kinds))];
  // Someone who wants to end their life is spoken to, not given a rescue procedure.
  if (kinds.length === 1 && kinds[0] === 'selfharm') return [reply('emergency', texts.selfHarm)];
  const numbers = [...new Set(kinds.flatMap((kind) => emergencyNumbers[kind]))];
  return [
    reply(
      'emergency',
      `${texts.emergencyPrefix}${numbers.join('；')}。${texts.emergencyAdvice(kinds)}${texts.emergencySuffix}`,
    ),
  ];
};
