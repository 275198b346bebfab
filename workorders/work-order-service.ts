import { Prisma, type Database, type Transaction, type WorkOrderModel } from '../prisma/client.js';
import { maskPhone } from './phone.js';
import { formatTicketCode, ticketDay } from './ticket-code.js';
import {
  appealTypes,
  workOrderStatuses,
  type AppealType,
  type NewWorkOrder,
  type WorkOrderStatus,
  type WorkOrderView,
} from './work-order.js';

export interface WorkOrderServiceOptions {
  /** Ticket number prefix, e.g. the city's initials. */
  prefix: string;
  /** Time zone whose calendar day goes into ticket numbers. */
  timeZone: string;
  clock?: () => Date;
}

/** What the bot needs from the work-order side. */
export interface WorkOrderDesk {
  file(input: NewWorkOrder, idempotencyKey: string): Promise<WorkOrderView>;
  findForOwner(code: string, ownerSessionId: string): Promise<WorkOrderView | undefined>;
  listForOwner(ownerSessionId: string, limit?: number): Promise<WorkOrderView[]>;
  /** Any session's order with the last four digits of its contact phone, for the bot to verify a status request. */
  findByCode?(code: string): Promise<(WorkOrderView & { phoneTail: string }) | undefined>;
}

const SUMMARY_LENGTH = 60;
const MAX_ATTEMPTS = 5;

function summarise(description: string): string {
  const flat = description.replace(/\s+/g, ' ').trim();
  return flat.length <= SUMMARY_LENGTH ? flat : `${flat.slice(0, SUMMARY_LENGTH - 1)}…`;
}

function toView(row: WorkOrderModel): WorkOrderView {
  return {
    code: row.code,
    appealType: (appealTypes as readonly string[]).includes(row.appealType) ? (row.appealType as AppealType) : 'help',
    category: row.category,
    summary: row.summary,
    description: row.description,
    place: row.place,
    status: (workOrderStatuses as readonly string[]).includes(row.status)
      ? (row.status as WorkOrderStatus)
      : 'accepted',
    contactPhone: maskPhone(row.contactPhone),
    ownerSessionId: row.ownerSessionId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export class WorkOrderService implements WorkOrderDesk {
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly options: WorkOrderServiceOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Files a work order exactly once per idempotency key: a repeated call (a retried request, a
   * double-sent confirmation) returns the order filed the first time.
   */
  async file(input: NewWorkOrder, idempotencyKey: string): Promise<WorkOrderView> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.db.workOrder.findUnique({ where: { idempotencyKey } });
      if (existing) return toView(existing);
      try {
        return toView(await this.db.$transaction((tx) => this.insert(tx, input, idempotencyKey)));
      } catch (error) {
        // A concurrent filing took the same key or ticket number: look again, then retry.
        if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async findForOwner(code: string, ownerSessionId: string): Promise<WorkOrderView | undefined> {
    const row = await this.db.workOrder.findUnique({ where: { code: code.toUpperCase() } });
    return row && row.ownerSessionId === ownerSessionId ? toView(row) : undefined;
  }

  async findByCode(code: string): Promise<(WorkOrderView & { phoneTail: string }) | undefined> {
    const row = await this.db.workOrder.findUnique({ where: { code: code.toUpperCase() } });
    return row ? { ...toView(row), phoneTail: row.contactPhone.slice(-4) } : undefined;
  }

  async listForOwner(ownerSessionId: string, limit = 5): Promise<WorkOrderView[]> {
    const rows = await this.db.workOrder.findMany({
      where: { ownerSessionId },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map(toView);
  }

  private async insert(tx: Transaction, input: NewWorkOrder, idempotencyKey: string): Promise<WorkOrderModel> {
    const now = this.clock();
    const day = ticketDay(now, this.options.timeZone);
    const sequence = await tx.ticketSequence.upsert({
      where: { day },
      create: { day, last: 1 },
      update: { last: { increment: 1 } },
    });
    const order = await tx.workOrder.create({
      data: {
        code: formatTicketCode(this.options.prefix, day, sequence.last),
        appealType: input.appealType,
        category: input.category ?? null,
        description: input.description,
        summary: summarise(input.description),
        place: input.place ?? null,
        district: input.district ?? null,
        contactPhone: input.contactPhone,
        channel: input.channel,
        ownerSessionId: input.ownerSessionId,
        ownerUserId: input.ownerUserId ?? null,
        status: 'accepted',
        idempotencyKey,
        createdAt: now,
      },
    });
    await tx.workOrderEvent.create({
      data: {
        workOrderId: order.id,
        fromStatus: null,
        toStatus: 'accepted',
        actor: 'citizen',
        note: '市民在线提交',
        createdAt: now,
      },
    });
    return order;
  }
}
