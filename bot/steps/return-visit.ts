import { parseSatisfaction, returnVisitTexts } from '../../workorders/texts.js';
import { workOrderStatusLabels } from '../../workorders/work-order.js';
import { reply, type TurnStep } from '../turn.js';

/**
 * The citizen's answer to the return visit (回访) sent when their order was resolved: "满意",
 * "基本满意" or "不满意，…" rates the session's resolved order; 不满意 reopens it.
 */
export const returnVisit: TurnStep = async (turn) => {
  const { workOrders } = turn.services;
  if (!workOrders.pendingReturnVisit || !workOrders.rate) return undefined;
  const rating = parseSatisfaction(turn.text);
  if (!rating) return undefined;
  const pending = await workOrders.pendingReturnVisit(turn.message.sessionId);
  if (!pending) return undefined;
  const rated = await workOrders.rate(pending.code, turn.message.sessionId, rating);
  return [
    reply('status', returnVisitTexts.thanks(rated.code, rating.satisfaction), {
      ticket: { code: rated.code, status: rated.status, statusLabel: workOrderStatusLabels[rated.status] },
    }),
  ];
};
