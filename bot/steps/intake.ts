import { extractPhone } from '../../personal-data/phone.js';
import type { AppealType } from '../../workorders/work-order.js';
import { workOrderStatusLabels } from '../../workorders/work-order.js';
import type { IntakeState } from '../dialog-state.js';
import { extractPlace, extractTime, guessCategory, parseCorrection } from '../intake-fields.js';
import { isAffirmative, isCancel, isQuestion } from '../intents.js';
import { detectSmallTalk } from '../small-talk-rules.js';
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

/** The sender's number when it is a mainland mobile (+1 415… is no 141-5…): what a work order can call back. */
const senderPhone = (phone: string | undefined) =>
  phone && /^(\+?86)?1[3-9]\d{9}$/.test(phone.replace(/[\s-]/g, '')) ? extractPhone(phone) : undefined;

/** Starts collecting a work order; what the citizen already said fills slots. */
export async function startIntake(turn: Turn, appealType: AppealType, description?: string): Promise<Reply[]> {
  const intake: IntakeState = { id: turn.services.newId(), appealType, awaiting: 'description' };
  if (description && description.length >= MIN_DESCRIPTION) {
    intake.description = description;
    await fillFrom(turn, intake, description);
  }
  // An SMS citizen is not asked for the number they are writing from; the read-back shows it to correct.
  intake.phone ??= extractPhone(turn.text) ?? senderPhone(turn.message.contactPhone);
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

/**
 * Applies "地点改成…" and the like; undefined when the message is not a correction. A field said to
 * be wrong without its right value ("电话错了", "地址不对") is asked for again, and the next answer
 * replaces it; the old value stays until then.
 */
function correct(turn: Turn, intake: IntakeState): Reply[] | undefined {
  const correction = parseCorrection(turn.text);
  if (!correction) return undefined;
  if (correction.field === 'appealType') {
    intake.appealType = correction.value;
    return [askNext(intake)];
  }
  if (correction.value === undefined) {
    // "电话错了，是139000": the number given is no phone; the one on the order stays.
    if (correction.field === 'phone' && /\d/.test(turn.text)) return [reply('ask', texts.intakeInvalidPhone)];
    // "时间不对": time has no turn of its own; it is dropped, and can be said as "时间改成…".
    if (correction.field === 'time') {
      delete intake.time;
      return [askNext(intake)];
    }
    intake.awaiting = correction.field;
    return [reply('ask', texts.intakeAskAgain[correction.field])];
  }
  intake[correction.field] = correction.value;
  return [askNext(intake)];
}

/** What a message says besides phone numbers (their digits, spaces, brackets and dashes). */
const besidePhone = (text: string) => text.replace(/[\d\s()（）+-]/g, '');

/** Words around a number that only say it replaces the one on the order. */
const phoneChangeWords = /不对|错了|写错了|应该是|改成|改为|换成|更正为|是|电话|手机|号码|号|[,，。.!！:：]/g;

/** Refusing to leave a number ("我不想留电话", "可以匿名吗"). */
const declinesPhone = /不想留|不留|不方便留|不给|匿名|不想给|保密/;

/**
 * What the phone step says to a message without a number: why a number is needed to one who does
 * not want to leave it; the answer to a question, and the request again; a more precise place
 * ("江北区望江路100号") is taken as the place; anything else is a number that is not one.
 */
async function notAPhone(turn: Turn, intake: IntakeState): Promise<Reply[]> {
  const text = turn.text;
  if (declinesPhone.test(text)) return [reply('ask', texts.intakePhoneNeeded, { choices: [texts.cancel] })];
  if (namesPlace(turn, text) && !isQuestion(text)) {
    intake.place = text;
    return [reply('ask', `${texts.intakePlaceNoted}${texts.intakeAskPhone}`)];
  }
  if (isQuestion(text)) {
    const answered = await answerIfConfident(turn);
    if (answered) return [...answered, reply('ask', texts.intakePhoneStillNeeded)];
    return [reply('ask', texts.intakePhoneStillNeeded)];
  }
  return [reply('ask', texts.intakeInvalidPhone)];
}

/** A message that carries no place: a greeting, a bare yes, emoji. */
const notAPlace = (text: string) =>
  isAffirmative(text) || detectSmallTalk(text) !== undefined || !/[\p{Script=Han}a-z0-9]/iu.test(text);

/** Whether the text names a place the order can be dispatched to: a street, a compound, a district. */
const namesPlace = (turn: Turn, text: string) =>
  extractPlace(text) !== undefined || turn.services.knowledge.districtIn(text) !== undefined;

/**
 * The place asked for: anything that names a street, compound or district is taken; a question is
 * answered when the knowledge base can, and the place asked again; a greeting, a bare yes, a phone
 * number or emoji is no place; a vague one ("就在我家楼下") is asked once more for detail and then
 * taken as said.
 */
async function takePlace(turn: Turn, intake: IntakeState): Promise<Reply[] | undefined> {
  const text = turn.text;
  const phone = extractPhone(text);
  const phoneOnly = phone !== undefined && besidePhone(text).length < MIN_PLACE;
  if (phone) intake.phone ??= phone;
  if (namesPlace(turn, text)) {
    intake.place = text;
    intake.time ??= extractTime(text);
    return undefined;
  }
  if (phoneOnly) return [reply('ask', `${texts.intakePhoneNoted}${texts.intakeAskPlace}`)];
  if (notAPlace(text)) return [reply('ask', texts.intakeNotAPlace)];
  if (isQuestion(text)) {
    const answered = await answerIfConfident(turn);
    if (answered) return [...answered, reply('ask', texts.intakePlaceStillNeeded)];
    return [reply('ask', texts.intakeNotAPlace)];
  }
  if (text.length < MIN_PLACE) return [reply('ask', texts.intakeTooShort)];
  if (!intake.placeRetried) {
    intake.placeRetried = true;
    return [reply('ask', texts.intakePlaceVague)];
  }
  intake.place = text;
  intake.time ??= extractTime(text);
  return undefined;
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
    case 'description': {
      // A phone number alone is no description: it is kept, and the description asked again.
      const phone = extractPhone(turn.text);
      if (phone && besidePhone(turn.text).length < MIN_DESCRIPTION) {
        intake.phone ??= phone;
        return [reply('ask', `${texts.intakePhoneNoted}${texts.intakeAskDescription(intake.appealType)}`)];
      }
      if (turn.text.length < MIN_DESCRIPTION) return [reply('ask', texts.intakeTooShort)];
      intake.description = turn.text;
      await fillFrom(turn, intake, turn.text);
      break;
    }
    case 'place': {
      const asked = await takePlace(turn, intake);
      if (asked) return asked;
      break;
    }
    case 'phone': {
      const phone = extractPhone(turn.text);
      // Asked again after "电话错了", then "确认": the read-back with the number on the order.
      if (!phone && intake.phone && isAffirmative(turn.text)) break;
      if (!phone) return notAPhone(turn, intake);
      intake.phone = phone;
      break;
    }
    case 'confirm': {
      if (isAffirmative(turn.text)) return fileOrder(turn, intake);
      // A number at the read-back with nothing but "不对，是" or "改成" around it is the phone, corrected.
      const phone = extractPhone(turn.text);
      if (phone && besidePhone(turn.text.replace(phoneChangeWords, '')).length === 0) {
        intake.phone = phone;
        break;
      }
      // A question asked while the order waits for confirmation is answered; the order keeps waiting.
      const answered = await answerIfConfident(turn);
      if (answered)
        return [...answered, reply('ask', texts.intakeStillPending, { choices: [texts.confirm, texts.cancel] })];
      return [reply('ask', texts.intakeConfirmHint, { choices: [texts.confirm, texts.cancel] })];
    }
  }
  return [askNext(intake)];
};

/**
 * "确认" sent again after the order was filed: the same ticket and the same words, never a second
 * one. "取消" then cannot withdraw it here: the citizen is told how.
 */
function repeatedConfirmation(turn: Turn): Reply[] | undefined {
  const filed = turn.state.filed;
  if (!filed) return undefined;
  if (isCancel(turn.text)) return [reply('chitchat', texts.cancelAfterFiling(filed.code))];
  if (!isAffirmative(turn.text)) return undefined;
  return [ticketReply(filed.code, filed.appealType, filed.status, filed.merged ?? false, filed.dueDay)];
}

function ticketReply(
  code: string,
  appealType: AppealType,
  status: keyof typeof workOrderStatusLabels,
  merged = false,
  dueDay?: string,
): Reply {
  return reply('ticket', texts.ticketFiled(code, appealType, merged, dueDay), {
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
  const dueDay = order.completeDueAt ? dayOf(order.completeDueAt, turn.services.timeZone) : undefined;
  const merged = Boolean(order.duplicateOf);
  turn.state = {
    district: turn.state.district,
    filed: {
      code: order.code,
      appealType: order.appealType,
      status: order.status,
      merged,
      ...(dueDay ? { dueDay } : {}),
    },
  };
  return [ticketReply(order.code, order.appealType, order.status, merged, dueDay)];
}

/**
 * The calendar day a deadline falls on, as "12月7日": deadlines are the end of a working day
 * (midnight that starts the next), so the millisecond before it names the day.
 */
function dayOf(deadline: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, month: 'long', day: 'numeric' }).format(
    new Date(deadline.getTime() - 1),
  );
}
