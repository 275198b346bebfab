import type { StaffMessage } from '../channels/wecom/webhook.js';
import type { Database } from '../prisma/client.js';
import { maskPhone } from '../personal-data/phone.js';
import { ticketCodePattern } from '../workorders/ticket-code.js';
import {
  appealTypeLabels,
  workOrderStatusLabels,
  type AppealType,
  type WorkOrderStatus,
} from '../workorders/work-order.js';

// What the WeCom app says to hotline staff and department handlers, in one place.
export const staffTexts = {
  help: '发送工单号（如 LJ20261129000001）查询工单详情；新工单派到您的部门时，本应用会推送通知。',
  notFound: (code: string) => `未找到工单 ${code}，请核对工单号。`,
  order: (o: {
    code: string;
    status: string;
    appealType: string;
    summary: string;
    place: string | null;
    phone: string;
    createdAt: string;
  }) =>
    [
      `工单 ${o.code}`,
      `状态：${o.status}`,
      `诉求类型：${o.appealType}`,
      `摘要：${o.summary}`,
      `地点：${o.place ?? '未填写'}`,
      `联系电话：${o.phone}`,
      `登记时间：${o.createdAt}`,
    ].join('\n'),
} as const;

/**
 * Answers members of the organisation writing to the WeCom app: look an order up by its number.
 * Staff see any order (WeCom members are authenticated by the platform), with the phone masked
 * because chat histories are kept on phones.
 */
export class WecomStaffDesk {
  constructor(
    private readonly db: Database,
    private readonly timeZone: string,
  ) {}

  async answer(message: StaffMessage): Promise<string> {
    const code = message.text.normalize('NFKC').match(ticketCodePattern)?.[0]?.toUpperCase();
    if (!code) return staffTexts.help;
    const order = await this.db.workOrder.findUnique({ where: { code } });
    if (!order) return staffTexts.notFound(code);
    return staffTexts.order({
      code: order.code,
      status: workOrderStatusLabels[order.status as WorkOrderStatus] ?? order.status,
      appealType: appealTypeLabels[order.appealType as AppealType] ?? order.appealType,
      summary: order.summary,
      place: order.place,
      phone: maskPhone(order.contactPhone),
      createdAt: order.createdAt.toLocaleString('zh-CN', { timeZone: this.timeZone, hour12: false }),
    });
  }
}
