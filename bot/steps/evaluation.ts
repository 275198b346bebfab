import { asksAboutProcedure, detectEvaluation } from '../intents.js';
import { texts } from '../texts.js';
import { reply, type TurnStep } from '../turn.js';

const evaluable = new Set(['resolved', 'visited', 'closed']);

/**
 * "满意" / "不满意" about a handled ticket of this session: passed to the evaluation sink (the
 * return-visit side) and acknowledged. A return-visit step placed before this one takes the
 * replies to its own questions.
 */
export const evaluation: TurnStep = async (turn) => {
  const rating = detectEvaluation(turn.text);
  if (!rating) return undefined;
  const orders = await turn.services.workOrders.listForOwner(turn.message.sessionId);
  const order =
    orders.find((o) => turn.text.toUpperCase().includes(o.code)) ?? orders.find((o) => evaluable.has(o.status));
  // "对处理结果不满意可以要求重办吗" without a handled ticket is a question for the knowledge base.
  if (!order || !evaluable.has(order.status))
    return asksAboutProcedure(turn.text) ? undefined : [reply('chitchat', texts.evaluationNoTicket)];
  const satisfied = rating === 'satisfied';
  await turn.services.evaluations?.record({
    code: order.code,
    sessionId: turn.message.sessionId,
    satisfied,
    text: turn.text,
  });
  turn.record({ type: 'evaluation', code: order.code, satisfied });
  return [reply('chitchat', texts.evaluationThanks(order.code, satisfied))];
};
