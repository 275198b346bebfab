import { extractPhone } from '../../workorders/phone.js';
import type { AppealType } from '../../workorders/work-order.js';
import { workOrderStatusLabels } from '../../workorders/work-order.js';
import type { IntakeState } from '../dialog-state.js';
import { extractPlace, extractTime, guessCategory, parseCorrection } from '../intake-fields.js';
import { isAffirmative, isCancel } from '../intents.js';
import type { Reply } from '../message.js';
import { texts } from '../texts.js';
import { reply, type Turn, type TurnStep } from '../turn.js';
import { answerIfConfident } from './knowledge.js';

const MIN_DESCRIPTION = 4;
const MIN_PLACE = 2;

/** Fills the slots the citizen's text already answers, without overwriting what is known. */
async function fillFrom(turn: Turn, intake: IntakeState, text: string): Promise<void> {
  intake.phone ??= extractPhone(text);
  intake.place ??= extractPlace(text) ?? turn.message.location?.label;
  intake.time ??= extractTime(text);
  intake.category ??= guessCategory(text);
  const { language } = turn.services;
  if (!language || (intake.place && intake.phone && intake.category)) return;
  try {
    const fields = await language.extractWorkOrderFields(text);
    const compact = text.replace(/\s+/g, '');
    // Only what literally occurs in the citizen's words is taken: the model may not invent a place.
    if (fields.place && compact.includes(fields.place.replace(/\s+/g, ''))) intake.place ??= fields.place;
    if (fields.time && compact.includes(fields.time.replace(/\s+/g, ''))) intake.time ??= fields.time;
    const phone = fields.phone ? extractPhone(fields.phone) : undefined;
    if (phone && compact.replace(/\D/g, '').includes(phone)) intake.phone ??= phone;
    if (fields.category) intake.category ??= fields.category;
  } catch (error) {
    turn.record({ type: 'language-model-fallback', task: 'extract', error: String(error) });
  }
}

/** Starts collecting a work order; what the citizen already said fills slots. */
export async function startIntake(turn: Turn, appealType: AppealType, description?: string): Promise<Reply[]> {
  const intake: IntakeState = { id: turn.services.newId(), appealType, awaiting: 'description' };
  if (description && description.length >= MIN_DESCRIPTION) {
    intake.description = description;
    await fillFrom(turn, intake, description);
  }
  intake.phone ??= extractPhone(turn.text);
  turn.state = { intake, district: turn.state.district };
  return [askNext(intake)];
}

function readBack(intake: IntakeState & { description: string; place: string; phone: string }): Reply {
  return reply('ask', texts.intakeConfirm(intake), { choices: [texts.confirm, texts.cancel] });
}

/** Asks for the first missing slot, or reads the order back when nothing is missing. */
export function askNext(intake: IntakeState): Reply {
  if (!intake.description) {
    intake.awaiting = 'description';
    return reply('ask', texts.intakeAskDescription(intake.appealType));
  }
  if (!intake.place) {
    intake.awaiting = 'place';
    return reply('ask', texts.intakeAskPlace);
  }
  if (!intake.phone) {
    intake.awaiting = 'phone';
    return reply('ask', texts.intakeAskPhone);
  }
  intake.awaiting = 'confirm';
  return readBack({ ...intake, description: intake.description, place: intake.place, phone: intake.phone });
}

/** Applies "地点改成…" and the like; undefined when the message is not a correction. */
function correct(turn: Turn, intake: IntakeState): Reply[] | undefined {
  const correction = parseCorrection(turn.text);
  if (!correction) return undefined;
  switch (correction.field) {
    case 'phone':
      if (!correction.value) return [reply('ask', texts.intakeInvalidPhone)];
      intake.phone = correction.value;
      break;
    case 'appealType':
      intake.appealType = correction.value;
      break;
    default:
      intake[correction.field] = correction.value;
  }
  return [askNext(intake)];
}

/** Continues a work order in progress: one answer per turn, then confirmation and filing. */
export const continueIntake: TurnStep = async (turn) => {
  const intake = turn.state.intake;
  if (!intake) return repeatedConfirmation(turn);
  if (isCancel(turn.text)) {
    turn.state = { district: turn.state.district };
    return [reply('chitchat', texts.intakeCancelled)];
  }
  const corrected = correct(turn, intake);
  if (corrected) return corrected;
  switch (intake.awaiting) {
    case 'description':
      if (turn.text.length < MIN_DESCRIPTION) return [reply('ask', texts.intakeTooShort)];
      intake.description = turn.text;
      await fillFrom(turn, intake, turn.text);
      break;
    case 'place':
      if (turn.text.length < MIN_PLACE) return [reply('ask', texts.intakeTooShort)];
      intake.place = turn.text;
      intake.phone ??= extractPhone(turn.text);
      intake.time ??= extractTime(turn.text);
      break;
    case 'phone': {
      const phone = extractPhone(turn.text);
      if (!phone) return [reply('ask', texts.intakeInvalidPhone)];
      intake.phone = phone;
      break;
    }
    case 'confirm': {
      if (isAffirmative(turn.text)) return fileOrder(turn, intake);
      // A question asked while the order waits for confirmation is answered; the order keeps waiting.
      const answered = await answerIfConfident(turn);
      if (answered)
        return [...answered, reply('ask', texts.intakeStillPending, { choices: [texts.confirm, texts.cancel] })];
      return [reply('ask', texts.intakeConfirmHint, { choices: [texts.confirm, texts.cancel] })];
    }
  }
  return [askNext(intake)];
};

/** "确认" sent again after the order was filed: the same ticket, never a second one. */
function repeatedConfirmation(turn: Turn): Reply[] | undefined {
  const filed = turn.state.filed;
  if (!filed || !isAffirmative(turn.text)) return undefined;
  return [ticketReply(filed.code, filed.appealType, filed.status)];
}

function ticketReply(code: string, appealType: AppealType, status: keyof typeof workOrderStatusLabels): Reply {
  return reply('ticket', texts.ticketFiled(code, appealType), {
    ticket: { code, status, statusLabel: workOrderStatusLabels[status] },
  });
}

async function fileOrder(turn: Turn, intake: IntakeState): Promise<Reply[]> {
  const order = await turn.services.workOrders.file(
    {
      appealType: intake.appealType,
      category: intake.category ?? null,
      description:
        intake.time && !(intake.description ?? '').includes(intake.time)
          ? `${intake.description ?? ''}（发生时间：${intake.time}）`
          : (intake.description ?? ''),
      place: intake.place ?? null,
      district: turn.services.knowledge.districtIn(intake.place ?? '') ?? turn.state.district ?? null,
      contactPhone: intake.phone ?? '',
      channel: turn.message.channel,
      ownerSessionId: turn.message.sessionId,
      ownerUserId: turn.message.userId ?? null,
    },
    `${turn.message.sessionId}:${intake.id}`,
  );
  turn.state = {
    district: turn.state.district,
    filed: { code: order.code, appealType: order.appealType, status: order.status },
  };
  return [ticketReply(order.code, order.appealType, order.status)];
}
