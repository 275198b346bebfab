import { messageLength, type Decision } from '../../knowledge/decision.js';
import type { KnowledgeEntry } from '../../knowledge/entry.js';
import {
  detectAppeal,
  isAffirmative,
  isFollowUp,
  isLocationStatement,
  isNegative,
  isNoneOfThese,
  isQuestion as isQuestionText,
  parseChoice,
  reportsProblem,
} from '../intents.js';
import { extractPlace } from '../intake-fields.js';
import type { Reply } from '../message.js';
import { socialTone } from '../small-talk-rules.js';
import { texts } from '../texts.js';
import { reply, type KnowledgeSignal, type Turn, type TurnStep } from '../turn.js';
import { startIntake } from './intake.js';

const sourceOf = (entry: KnowledgeEntry) => ({ id: entry.id, question: entry.question, department: entry.department });

function entryReply(entry: KnowledgeEntry, text = entry.answer): Reply {
  return reply('answer', `${text}${texts.answerSource(entry.department)}`, { sources: [sourceOf(entry)] });
}

/** Tells the learning sink what was decided; a failure is logged, never the citizen's problem. */
async function signal(turn: Turn, outcome: KnowledgeSignal['outcome'], entryId?: string): Promise<void> {
  const sink = turn.services.learning;
  if (!sink) return;
  const { channel, sessionId, text } = turn.message;
  try {
    await sink.record({ outcome, question: text, channel, sessionId, ...(entryId ? { entryId } : {}) });
  } catch (error) {
    turn.record({ type: 'learning-record-failed', error: String(error) });
  }
}

/** Answers from the entry (rephrased by the LLM when configured) and makes it the session's topic. */
async function answer(turn: Turn, entry: KnowledgeEntry, question: string): Promise<Reply[]> {
  turn.state = {
    lastEntryId: entry.id,
    topic: { entryId: entry.id, question: entry.question },
    district: turn.state.district,
    filed: turn.state.filed,
  };
  const { language } = turn.services;
  if (!language) return [entryReply(entry)];
  try {
    const rephrased = await language.rephrase(question, [
      { id: entry.id, question: entry.question, answer: entry.answer },
    ]);
    return [entryReply(entry, `${rephrased.answer}\n${texts.rephrasedNote}`)];
  } catch (error) {
    turn.record({ type: 'language-model-fallback', task: 'rephrase', error: String(error) });
    return [entryReply(entry)];
  }
}

/** The words of a question that carry its topic, without the question words. */
const topicWords = (question: string) =>
  question.replace(/如何|怎么|怎样|什么|哪些|哪里|是否|可以|需要|办理|吗|呢|？|\?|，|,|。/g, ' ').trim();

/** "我住江北区", "我是江北区的", "江北的": where the citizen is, and nothing else. */
function saysOnlyDistrict(text: string, district: string): boolean {
  return (
    withoutDistrictNames(text, district)
      .replace(/^(我|我们|我家|本人)?(现在|目前)?(住在|家住|家在|人在|住|在|是)?/, '')
      .replace(/(的|人|这边|那边|这里|那里)?[啊呀呢。.!！\s]*$/, '')
      .trim() === ''
  );
}

/** How long a message without a follow-up form may be and still ask about the last answer ("工本费多少"). */
const SHORT_FOLLOW_UP = 8;
const leadWords = /^(那么|那我|那|还有|另外)/;

/** The message without the words that lead a follow-up and without district names ("那青山区的呢"). */
function withoutLeadAndDistrict(turn: Turn): string {
  const text = turn.text.replace(leadWords, '');
  const district = turn.services.knowledge.districtIn(text);
  return district ? withoutDistrictNames(text, district) : text;
}

/** The text without the district's name and its short form (江北区, 江北). */
function withoutDistrictNames(text: string, district: string): string {
  const short = district.replace(/(新区|区|县|市)$/, '');
  return text.replace(district, '').replace(short.length >= 2 ? short : district, '');
}

/**
 * Retrieval in context. A follow-up of the last answer's topic ("那需要带什么材料？", "那青山区的呢")
 * is asked again together with that topic, unless it names a matter of its own that the knowledge
 * base answers ("那停电了怎么办" after electricity bills). A short message without that form
 * ("工本费多少", "可以代办吗") is read with the topic only when that lands on the same entry.
 * Anything else is asked on its own and starts a new topic. `inContext` tells which was used.
 */
async function decideInContext(turn: Turn): Promise<{ decision: Decision; question: string; inContext: boolean }> {
  const { knowledge } = turn.services;
  const district = turn.state.district;
  // Awaited: decide() is asynchronous once dense retrieval is wired in.
  const alone = await knowledge.decide(turn.text, { district });
  const own = { decision: alone, question: turn.text, inContext: false };
  const topic = turn.state.topic;
  const leadForm = isFollowUp(turn.text);
  if (!topic || (!leadForm && messageLength(turn.text) > SHORT_FOLLOW_UP)) return own;
  const rest = withoutLeadAndDistrict(turn);
  // A matter the last answer never mentions ("小学报名" after 社保卡) is a new question, however short.
  if (knowledge.hasTopic(rest)) {
    if (!knowledge.coversMatter(topic.entryId, rest)) return own;
    if (alone.kind === 'answer' && alone.entry.id !== topic.entryId) return own;
  }
  const question = `${topicWords(topic.question)} ${turn.text}`;
  const combined = { decision: await knowledge.decide(question, { district }), question, inContext: true };
  if (!leadForm)
    return combined.decision.kind === 'answer' && combined.decision.entry.id === topic.entryId ? combined : own;
  if (combined.decision.kind === 'abstain' && alone.kind !== 'abstain') return own;
  return combined;
}

/** How many candidates a doubtful match puts to the model. */
const CANDIDATES_TO_CHECK = 3;

/**
 * With the optional LLM, a doubtful decision — an answer below `checkBelowConfidence`, or a
 * clarification — is put to the model with the candidates' questions and answers: the entry it
 * picks is answered (never text of its own), and "none" hands over to the work-order offer. Words
 * cannot tell 结婚证弄丢了 from the entry on 身份证 that shares 丢了, 补办 and 证; a model can. A model
 * that fails, times out or names an entry it was not shown leaves the rules' decision.
 */
async function checkWithModel(turn: Turn, decision: Decision, question: string): Promise<Decision> {
  const { language, knowledge } = turn.services;
  const below = turn.services.checkBelowConfidence ?? 0.9;
  if (!language || below <= 0 || decision.kind === 'abstain') return decision;
  if (decision.kind === 'answer' && decision.confidence >= below) return decision;
  const shown = decision.kind === 'clarify' ? decision.options : decision.candidates.slice(0, CANDIDATES_TO_CHECK);
  const entries = shown.map((c) => knowledge.entry(c.entryId)).filter((e): e is KnowledgeEntry => e !== undefined);
  // Versions of one matter for different districts: the citizen's district decides, not a model.
  if (entries.length === 0 || new Set(entries.map((e) => e.region ?? '')).size > 1) return decision;
  try {
    const chosen = await language.chooseEntry(
      question,
      entries.map((e) => ({ id: e.id, question: e.question, answer: e.answer })),
    );
    const entry = entries.find((e) => e.id === chosen);
    if (entry) return { kind: 'answer', entry, candidates: decision.candidates, confidence: decision.confidence };
    return { kind: 'abstain', candidates: decision.candidates, confidence: decision.confidence };
  } catch (error) {
    turn.record({ type: 'language-model-fallback', task: 'choose', error: String(error) });
    return decision;
  }
}

/** A confident answer without touching the dialog state (used while an order awaits confirmation). */
export async function answerIfConfident(turn: Turn): Promise<Reply[] | undefined> {
  const decision = await turn.services.knowledge.decide(turn.text, { district: turn.state.district });
  if (decision.kind !== 'answer') return undefined;
  await signal(turn, 'answer', decision.entry.id);
  return [entryReply(decision.entry)];
}

/** The decision in context, and the answer when the knowledge base is confident. */
export async function answerConfidently(turn: Turn): Promise<{ decision: Decision; replies?: Reply[] }> {
  const { decision, question } = await decideInContext(turn);
  return decision.kind === 'answer'
    ? { decision, replies: await answer(turn, decision.entry, question) }
    : { decision };
}

/** A reply to a pending clarification: its number, or the words of one option. */
export const pendingClarification: TurnStep = async (turn) => {
  const pending = turn.state.clarify;
  if (!pending) return undefined;
  if (isNoneOfThese(turn.text)) return offerWorkOrder(turn, pending.question);
  const choice = parseChoice(turn.text);
  const bare = (q: string) => q.replace(/[？?。.!！\s]+$/, '');
  const picked =
    choice !== undefined
      ? pending.options[choice - 1]
      : pending.options.find((o) => bare(o.question) === bare(turn.text));
  // "江北的" after options that differ by district: the question asked again for that district.
  const district = turn.services.knowledge.districtIn(turn.text);
  if (district && turn.text.replace(/[的呢吧啊呀那边这边。.!！?？\s]/g, '').length <= 4) {
    turn.state.district = district;
    const decision = await turn.services.knowledge.decide(pending.question, { district });
    if (decision.kind === 'answer') return answer(turn, decision.entry, pending.question);
  }
  // A number that is none of the options ("0", "1.5") is a wrong choice, not a new question.
  const outOfRange = choice === undefined && /^[-+]?\d+(\.\d+)?[。.!！\s]*$/.test(turn.text.trim());
  if ((choice !== undefined && !picked) || outOfRange) {
    const choices = [...pending.options.map((o) => o.question), texts.noneOfThese];
    return [reply('clarify', texts.clarifyInvalidChoice(pending.options.length), { choices })];
  }
  const entry = picked && turn.services.knowledge.entry(picked.entryId);
  if (entry) {
    await signal(turn, 'clarify-answer', entry.id);
    return answer(turn, entry, pending.question);
  }
  // Anything else is a new question.
  delete turn.state.clarify;
  return undefined;
};

/** Where or since when, said without a question: more of the problem just offered as a work order. */
const addsDetail = (turn: Turn) =>
  !isQuestionText(turn.text) &&
  (extractPlace(turn.text) !== undefined ||
    turn.services.knowledge.districtIn(turn.text) !== undefined ||
    /好几天|好久|一直|已经|天了|个月了|年了|每天|天天|至今|到现在/.test(turn.text));

/**
 * After an offered work order: "是" takes it, "不用了" declines, more detail of the problem
 * ("就在江北区望江路那边，已经好几天了") is added to it and the offer repeated; anything else is a
 * new message. A problem reported (路灯坏了) is a request for help, a question a consultation.
 */
export const pendingOffer: TurnStep = (turn) => {
  const offer = turn.state.offer;
  if (!offer) return undefined;
  delete turn.state.offer;
  if (isAffirmative(turn.text) || turn.text === texts.fileWorkOrder) {
    const type = !offer.description || reportsProblem(offer.description) ? 'help' : 'consult';
    return startIntake(turn, type, offer.description);
  }
  if (isNegative(turn.text)) return [reply('chitchat', texts.offerDeclined)];
  if (offer.description && addsDetail(turn)) {
    turn.state.offer = { description: `${offer.description}；${turn.text}` };
    return [reply('fallback', texts.offerWithDetail, { choices: [texts.yes, texts.no] })];
  }
  return undefined;
};

/** Answer from the knowledge base, ask which question was meant, or offer a work order. */
export const knowledgeAnswer: TurnStep = async (turn) => {
  // A district the citizen names is remembered for the follow-up questions of the session.
  const district = turn.services.knowledge.districtIn(turn.text) ?? turn.state.district;
  if (district) turn.state.district = district;
  if (district && (isLocationStatement(turn.text) || saysOnlyDistrict(turn.text, district)))
    return [reply('chitchat', texts.districtNoted(district))];
  const inContext = await decideInContext(turn);
  // "不用", "什么时候" read on their own: what would any answer be about?
  if (!inContext.inContext && !turn.services.knowledge.hasTopic(turn.text)) {
    const social = socialTone(turn.text);
    return [social ? reply('chitchat', texts[social]) : reply('ask', texts.askForTopic)];
  }
  const question = inContext.question;
  const decision = await checkWithModel(turn, inContext.decision, question);
  await signal(turn, decision.kind, decision.kind === 'answer' ? decision.entry.id : undefined);
  switch (decision.kind) {
    case 'answer':
      return answer(turn, decision.entry, question);
    case 'clarify': {
      // A problem reported, not asked about: a list of FAQ questions would not help.
      if (reportsProblem(turn.text)) return offerWorkOrder(turn, turn.text);
      const options = decision.options.map((c) => ({ entryId: c.entryId, question: c.question }));
      turn.state = {
        clarify: { question: turn.text, options },
        district: turn.state.district,
        filed: turn.state.filed,
      };
      const questions = options.map((o) => o.question);
      return [reply('clarify', texts.clarify(questions), { choices: [...questions, texts.noneOfThese] })];
    }
    case 'abstain': {
      // "回答得挺清楚的，点赞" asks nothing: thank back rather than offer a work order.
      const social = reportsProblem(turn.text) || detectAppeal(turn.text) ? undefined : socialTone(turn.text);
      if (social) return [reply('chitchat', texts[social])];
      return offerWorkOrder(turn, turn.text);
    }
  }
};

function offerWorkOrder(turn: Turn, question: string): Reply[] {
  turn.state = { offer: { description: question }, district: turn.state.district, filed: turn.state.filed };
  return [reply('fallback', texts.abstain, { choices: [texts.yes, texts.no] })];
}
