import { timingSafeEqual } from 'node:crypto';
import { maskPhonesInText } from '../../personal-data/phone.js';
import { workOrderStatusLabels, type WorkOrderView } from '../../workorders/work-order.js';
import { detectStatusRequest, parsePhoneTail } from '../intents.js';
import type { Reply } from '../message.js';
import { texts } from '../texts.js';
import { reply, type Turn, type TurnStep } from '../turn.js';

/** Wrong phone tails allowed per session and per ticket number within the window. */
export const statusThrottle = { limit: 5, windowMs: 15 * 60_000 } as const;

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

function statusReply(turn: Turn, order: WorkOrderView): Reply {
  const statusLabel = workOrderStatusLabels[order.status];
  return reply(
    'status',
    texts.statusOf({
      code: order.code,
      statusLabel,
      // Shown after four digits of the phone: the rest of the number is never spelled out here.
      summary: maskPhonesInText(order.summary),
      updatedAt: formatTime(order.updatedAt, turn.services.timeZone),
    }),
    { ticket: { code: order.code, status: order.status, statusLabel } },
  );
}

const sameTail = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Another session's ticket is shown after the last four digits of its phone. A wrong tail, an
 * unknown number and a throttled session all get answers that say nothing about the ticket; the
 * throttle counts per session and per ticket number (known or not), so neither a session nor a
 * crowd of sessions can walk through the 10,000 tails.
 */
async function verifyPhoneTail(turn: Turn, code: string, tail: string): Promise<Reply[]> {
  const { attempts, workOrders } = turn.services;
  const keys = [`status:session:${turn.message.sessionId}`, `status:ticket:${code}`];
  const { limit, windowMs } = statusThrottle;
  const counts = await Promise.all(keys.map((key) => attempts.count(key, windowMs, turn.now)));
  if (counts.some((count) => count >= limit)) {
    turn.record({ type: 'status-denied', throttled: true });
    return [reply('status', texts.statusThrottled)];
  }
  const order = await workOrders.findByCode?.(code);
  if (order && sameTail(order.phoneTail, tail)) return [statusReply(turn, order)];
  await Promise.all(keys.map((key) => attempts.add(key, windowMs, turn.now)));
  turn.record({ type: 'status-denied', throttled: false });
  return [reply('status', texts.statusDenied)];
}

/** Ticket status: the owning session sees it at once, anyone else after the phone tail. */
/** "怎么查工单进度", "在哪里可以查询": how checking works, not "我的工单怎么样了". */
const asksHowToCheck = (text: string) =>
  /(怎么|怎样|如何|在哪|哪里|哪儿|去哪|咋)(里|儿)?(可以|能|才能|去)?(查|看)|(查询|查看)(方式|渠道|方法|途径)/.test(
    text,
  );

export const ticketStatus: TurnStep = async (turn) => {
  const request = detectStatusRequest(turn.text);
  if (!request) return undefined;
  const { workOrders } = turn.services;
  if (request.mistyped) return [reply('status', texts.statusMistypedCode(request.mistyped))];
  if (request.code) {
    const owned = await workOrders.findForOwner(request.code, turn.message.sessionId);
    if (owned) return [statusReply(turn, owned)];
    if (request.phoneTail) return verifyPhoneTail(turn, request.code, request.phoneTail);
    turn.state = {
      intake: turn.state.intake,
      statusCheck: { code: request.code },
      district: turn.state.district,
      filed: turn.state.filed,
    };
    return [reply('status', texts.statusAskPhoneTail(request.code))];
  }
  const orders = await workOrders.listForOwner(turn.message.sessionId);
  // "12345工单进度怎么查" from someone with no order here asks how it works: the knowledge base says.
  if (orders.length === 0) return asksHowToCheck(turn.text) ? undefined : [reply('status', texts.statusNoOrders)];
  if (orders.length === 1) return [statusReply(turn, orders[0]!)];
  return [
    reply(
      'status',
      texts.statusList(
        orders.map((o) => `${o.code}（${workOrderStatusLabels[o.status]}）${maskPhonesInText(o.summary)}`),
      ),
      { choices: orders.map((o) => `查询工单 ${o.code}`) },
    ),
  ];
};

/** The four digits asked for by a status request; anything else drops the request and goes on. */
export const pendingStatusCheck: TurnStep = (turn) => {
  const check = turn.state.statusCheck;
  if (!check) return undefined;
  delete turn.state.statusCheck;
  const tail = parsePhoneTail(turn.text);
  return tail ? verifyPhoneTail(turn, check.code, tail) : undefined;
};
