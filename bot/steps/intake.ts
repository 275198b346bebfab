import { extractPhone } from '../../workorders/phone.js';
import type { AppealType } from '../../workorders/work-order.js';
import { workOrderStatusLabels } from '../../workorders/work-order.js';
import type { IntakeState } from '../dialog-state.js';
import { isAffirmative, isCancel } from '../intents.js';
import type { Reply } from '../message.js';
import { texts } from '../texts.js';
import { reply, type Turn, type TurnStep } from '../turn.js';

const MIN_DESCRIPTION = 4;
const MIN_PLACE = 2;

/** Starts collecting a work order; what the citizen already said fills slots. */
export function startIntake(turn: Turn, appealType: AppealType, description?: string): Reply[] {
  const intake: IntakeState = { id: turn.services.newId(), appealType, awaiting: 'description' };
  if (description && description.length >= MIN_DESCRIPTION) intake.description = description;
  const phone = extractPhone(turn.text);
  if (phone) intake.phone = phone;
  turn.state = { intake, district: turn.state.district };
  return [askNext(intake)];
}

function askNext(intake: IntakeState): Reply {
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
  return reply(
    'ask',
    texts.intakeConfirm({
      appealType: intake.appealType,
      description: intake.description,
      place: intake.place,
      phone: intake.phone,
    }),
    { choices: [texts.confirm, texts.cancel] },
  );
}

/** Continues a work order in progress: one answer per turn, then confirmation and filing. */
export const continueIntake: TurnStep = async (turn) => {
  const intake = turn.state.intake;
  if (!intake) return undefined;
  if (isCancel(turn.text)) {
    turn.state = {};
    return [reply('chitchat', texts.intakeCancelled)];
  }
  switch (intake.awaiting) {
    case 'description':
      if (turn.text.length < MIN_DESCRIPTION) return [reply('ask', texts.intakeTooShort)];
      intake.description = turn.text;
      intake.phone ??= extractPhone(turn.text);
      break;
    case 'place':
      if (turn.text.length < MIN_PLACE) return [reply('ask', texts.intakeTooShort)];
      intake.place = turn.text;
      intake.phone ??= extractPhone(turn.text);
      break;
    case 'phone': {
      const phone = extractPhone(turn.text);
      if (!phone) return [reply('ask', texts.intakeInvalidPhone)];
      intake.phone = phone;
      break;
    }
    case 'confirm':
      if (!isAffirmative(turn.text))
        return [reply('ask', texts.intakeConfirmHint, { choices: [texts.confirm, texts.cancel] })];
      return fileOrder(turn, intake);
  }
  return [askNext(intake)];
};

async function fileOrder(turn: Turn, intake: IntakeState): Promise<Reply[]> {
  const order = await turn.services.workOrders.file(
    {
      appealType: intake.appealType,
      description: intake.description ?? '',
      place: intake.place ?? null,
      district: turn.services.knowledge.districtIn(intake.place ?? '') ?? turn.state.district ?? null,
      contactPhone: intake.phone ?? '',
      channel: turn.message.channel,
      ownerSessionId: turn.message.sessionId,
      ownerUserId: turn.message.userId ?? null,
    },
    `${turn.message.sessionId}:${intake.id}`,
  );
  turn.state = { district: turn.state.district };
  return [
    reply('ticket', texts.ticketFiled(order.code), {
      ticket: { code: order.code, status: order.status, statusLabel: workOrderStatusLabels[order.status] },
    }),
  ];
}
