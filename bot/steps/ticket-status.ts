import { workOrderStatusLabels, type WorkOrderView } from '../../workorders/work-order.js';
import { detectStatusRequest } from '../intents.js';
import { texts } from '../texts.js';
import { reply, type Turn, type TurnStep } from '../turn.js';

function formatTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
}

function statusReply(turn: Turn, order: WorkOrderView) {
  const statusLabel = workOrderStatusLabels[order.status];
  return reply(
    'status',
    texts.statusOf({
      code: order.code,
      statusLabel,
      summary: order.summary,
      updatedAt: formatTime(order.updatedAt, turn.services.timeZone),
    }),
    { ticket: { code: order.code, status: order.status, statusLabel } },
  );
}

/**
 * Ticket status, shown only to the session that filed the ticket; any other session gets the
 * same answer whether or not the number exists.
 */
export const ticketStatus: TurnStep = async (turn) => {
  const request = detectStatusRequest(turn.text);
  if (!request) return undefined;
  const { workOrders } = turn.services;
  if (request.code) {
    const order = await workOrders.findForOwner(request.code, turn.message.sessionId);
    return [order ? statusReply(turn, order) : reply('status', texts.statusNotFound(request.code))];
  }
  const orders = await workOrders.listForOwner(turn.message.sessionId);
  if (orders.length === 0) return [reply('status', texts.statusNoOrders)];
  if (orders.length === 1) return [statusReply(turn, orders[0]!)];
  return [
    reply(
      'status',
      texts.statusList(orders.map((o) => `${o.code}（${workOrderStatusLabels[o.status]}）${o.summary}`)),
      {
        choices: orders.map((o) => `查询工单 ${o.code}`),
      },
    ),
  ];
};
