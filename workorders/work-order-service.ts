import { Prisma, type Database, type Transaction, type WorkOrderModel } from '../prisma/client.js';
import { catalogueDepartments, type Catalogue } from './catalogue.js';
import { computeDueDates, type DueState } from './deadlines.js';
import { classify, detectUrgency, recogniseDistrict, suggestDispatch } from './dispatch.js';
import { WorkOrderError } from './errors.js';
import { checkTransition, openStatuses, type Actor, type WorkOrderAction } from './lifecycle.js';
import { textSimilarity } from './similarity.js';
import { notificationTexts, returnVisitTexts, updateText } from './texts.js';
import { formatTicketCode, ticketDay } from './ticket-code.js';
import {
  statusOf,
  stringList,
  toHistoryEntry,
  toStaffView,
  toView,
  type StaffWorkOrderView,
} from './work-order-views.js';
import type { WorkingCalendar } from './working-calendar.js';
import {
  satisfactionLabels,
  type NewWorkOrder,
  type Satisfaction,
  type WorkOrderStatus,
  type WorkOrderView,
} from './work-order.js';

export interface WorkOrderServiceOptions {
  /** Ticket number prefix, e.g. the city's initials. */
  prefix: string;
  /** Time zone whose calendar day goes into ticket numbers. */
  timeZone: string;
  clock?: () => Date;
  /** Category tree, dispatch rules and deadline rules; without it orders get no suggestion or due dates. */
  catalogue?: Catalogue;
  /** Working days for due dates (needed with a catalogue). */
  calendar?: WorkingCalendar;
  /** Dice similarity of descriptions from which a new order joins an open one (并单). */
  duplicateThreshold?: number;
  /** Only open orders filed within this many days are merge candidates. */
  duplicateWindowDays?: number;
  /** Called after a commit that wrote outbox rows (wakes the notifier). */
  onOutboxWritten?: () => void;
}

/** What the bot needs from the work-order side. */
export interface WorkOrderDesk {
  file(input: NewWorkOrder, idempotencyKey: string): Promise<WorkOrderView>;
  findForOwner(code: string, ownerSessionId: string): Promise<WorkOrderView | undefined>;
  listForOwner(ownerSessionId: string, limit?: number): Promise<WorkOrderView[]>;
  /** The session's resolved order waiting for its return-visit rating, if any. */
  pendingReturnVisit?(ownerSessionId: string): Promise<WorkOrderView | undefined>;
  /** Stores the citizen's rating; 不满意 reopens the order to the department. */
  rate?(
    code: string,
    ownerSessionId: string,
    rating: { satisfaction: Satisfaction; comment?: string },
  ): Promise<WorkOrderView>;
  /** Any session's order with the last four digits of its contact phone, for the bot to verify a status request. */
  findByCode?(code: string): Promise<(WorkOrderView & { phoneTail: string }) | undefined>;
}

export interface ActionInput {
  note?: string;
  /** For dispatch and reassign; dispatch defaults to the catalogue's suggestion. */
  lead?: string;
  assisting?: string[];
  /** The version the staff member saw; a different current version is a conflict. */
  expectedVersion?: number;
  /** For rate/reopen recorded by the hotline after a return visit by phone. */
  satisfaction?: Satisfaction;
}

export interface WorkOrderFilter {
  status?: WorkOrderStatus[];
  /** Lead or assisting department. */
  department?: string;
  district?: string;
  /** Only orders near (yellow) or past (red) a due date; `overdue` = red only. */
  dueState?: Exclude<DueState, 'ok'>[];
  text?: string;
  limit?: number;
  offset?: number;
}

const SUMMARY_LENGTH = 60;
const MAX_ATTEMPTS = 5;
/** How many rows a due-state filter looks at; due states are computed, not stored. */
const DUE_SCAN_LIMIT = 2000;

function summarise(description: string): string {
  const flat = description.replace(/\s+/g, ' ').trim();
  return flat.length <= SUMMARY_LENGTH ? flat : `${flat.slice(0, SUMMARY_LENGTH - 1)}…`;
}

/** Characters LIKE gives a meaning: wildcards, and PostgreSQL's escape character. */
const likeSpecial = /[%_\\]/;

/** Orders whose description, place or ticket number contain the text; with LIKE's special characters, its other parts. */
function textWhere(text: string): Prisma.WorkOrderWhereInput {
  const parts = text.split(/[%_\\]+/).filter(Boolean);
  if (!parts.length) return {};
  const all = (field: 'description' | 'place' | 'code') => ({
    AND: parts.map((part) => ({ [field]: { contains: field === 'code' ? part.toUpperCase() : part } })),
  });
  return { OR: [all('description'), all('place'), all('code')] };
}

const containsText = (row: WorkOrderModel, text: string) =>
  row.description.includes(text) || (row.place ?? '').includes(text) || row.code.includes(text.toUpperCase());

/** Delimited so that `contains` matches whole department names only. */
const departmentKey = (departments: string[]) => `|${departments.join('|')}|`;

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

const seesOrder = (viewer: Actor | undefined, row: WorkOrderModel) =>
  !viewer ||
  viewer.role !== 'handler' ||
  row.leadDepartment === viewer.department ||
  stringList(row.assistingDepartments).includes(viewer.department ?? '');

export class WorkOrderService implements WorkOrderDesk {
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly options: WorkOrderServiceOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  get catalogue(): Catalogue | undefined {
    return this.options.catalogue;
  }

  /**
   * Files a work order exactly once per idempotency key: a repeated call (a retried request, a
   * double-sent confirmation) returns the order filed the first time.
   */
  async file(input: NewWorkOrder, idempotencyKey: string): Promise<WorkOrderView> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.db.workOrder.findUnique({ where: { idempotencyKey } });
      if (existing) return this.view(existing);
      try {
        const { order, merged } = await this.db.$transaction((tx) => this.insert(tx, input, idempotencyKey));
        if (merged) this.options.onOutboxWritten?.();
        return this.view(order);
      } catch (error) {
        // A concurrent filing took the same key or ticket number: look again, then retry.
        if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async findForOwner(code: string, ownerSessionId: string): Promise<WorkOrderView | undefined> {
    const row = await this.db.workOrder.findUnique({ where: { code: code.toUpperCase() } });
    return row && row.ownerSessionId === ownerSessionId ? this.view(row) : undefined;
  }

  async findByCode(code: string): Promise<(WorkOrderView & { phoneTail: string }) | undefined> {
    const row = await this.db.workOrder.findUnique({ where: { code: code.toUpperCase() } });
    return row ? { ...(await this.view(row)), phoneTail: row.contactPhone.slice(-4) } : undefined;
  }

  async listForOwner(ownerSessionId: string, limit = 5): Promise<WorkOrderView[]> {
    const rows = await this.db.workOrder.findMany({
      where: { ownerSessionId },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map((row) => toView(row));
  }

  async pendingReturnVisit(ownerSessionId: string): Promise<WorkOrderView | undefined> {
    const row = await this.db.workOrder.findFirst({
      where: { ownerSessionId, status: 'resolved' },
      orderBy: { updatedAt: 'desc' },
    });
    return row ? this.view(row) : undefined;
  }

  /** One order with its history, for staff; a handler sees only their department's orders. */
  async get(code: string, viewer?: Actor): Promise<StaffWorkOrderView> {
    const row = await this.db.workOrder.findUnique({
      where: { code: code.toUpperCase() },
      include: { events: { orderBy: { id: 'asc' } } },
    });
    if (!row) throw new WorkOrderError('WORK_ORDER_NOT_FOUND', code);
    if (!seesOrder(viewer, row)) throw new WorkOrderError('DEPARTMENT_MISMATCH');
    const view = await this.staffViews([row]);
    return { ...view[0]!, history: row.events.map(toHistoryEntry) };
  }

  /** Orders for staff, newest first; a handler's list is limited to their department. */
  async list(filter: WorkOrderFilter, viewer?: Actor): Promise<{ total: number; items: StaffWorkOrderView[] }> {
    const department = viewer?.role === 'handler' ? viewer.department : filter.department;
    const and: Prisma.WorkOrderWhereInput[] = [];
    if (filter.status?.length) and.push({ status: { in: filter.status } });
    if (filter.district) and.push({ district: filter.district });
    if (department !== undefined) and.push({ departmentKey: { contains: `|${department}|` } });
    const text = filter.text;
    // `contains` is LIKE: % and _ are wildcards (and \ escapes on PostgreSQL, but SQLite has no escape
    // character), so the database matches the text's other characters and the exact text is checked here.
    const wildcard = text !== undefined && likeSpecial.test(text);
    if (text) and.push(textWhere(text));
    const where: Prisma.WorkOrderWhereInput = { AND: and };
    const limit = filter.limit ?? 50;
    const offset = filter.offset ?? 0;
    if (!filter.dueState?.length && !wildcard) {
      const [total, rows] = await Promise.all([
        this.db.workOrder.count({ where }),
        this.db.workOrder.findMany({ where, orderBy: { createdAt: 'desc' }, skip: offset, take: limit }),
      ]);
      return { total, items: await this.staffViews(rows) };
    }
    const dueStates = filter.dueState?.length ? new Set(filter.dueState) : undefined;
    const rows = (
      await this.db.workOrder.findMany({
        where: { AND: [...and, ...(dueStates ? [{ status: { in: [...openStatuses] } }] : [])] },
        orderBy: { createdAt: 'desc' },
        take: DUE_SCAN_LIMIT,
      })
    ).filter((row) => !wildcard || containsText(row, text));
    const views = (await this.staffViews(rows)).filter(
      (v) => !dueStates || dueStates.has(v.dueState as 'yellow' | 'red'),
    );
    return { total: views.length, items: views.slice(offset, offset + limit) };
  }

  /**
   * Takes one step of the lifecycle (see lifecycle.ts): checks it, changes the order, writes the
   * history row and the citizen's outbox rows in one transaction, and carries the status to the
   * orders merged into this one.
   */
  async act(code: string, action: WorkOrderAction, actor: Actor, input: ActionInput = {}): Promise<StaffWorkOrderView> {
    const wroteOutbox = await this.db.$transaction(async (tx) => {
      const row = await this.load(tx, code);
      if (row.duplicateOfId) throw new WorkOrderError('WORK_ORDER_MERGED');
      if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
        throw new WorkOrderError('WORK_ORDER_CONFLICT');
      }
      if (!seesOrder(actor, row)) throw new WorkOrderError('DEPARTMENT_MISMATCH');
      return this.apply(tx, row, action, actor, input);
    });
    if (wroteOutbox) this.options.onOutboxWritten?.();
    return this.get(code);
  }

  /** A progress note; when visible to the citizen it goes out through the outbox. */
  async addNote(code: string, actor: Actor, note: string, citizenVisible: boolean): Promise<StaffWorkOrderView> {
    if (!note.trim()) throw new WorkOrderError('INVALID_ACTION_INPUT', 'note');
    if (actor.role === 'citizen') throw new WorkOrderError('ACTION_NOT_PERMITTED', 'citizen may not add notes');
    await this.db.$transaction(async (tx) => {
      const row = await this.load(tx, code);
      if (actor.role === 'handler' && !seesOrder(actor, row)) throw new WorkOrderError('DEPARTMENT_MISMATCH');
      const status = statusOf(row);
      await this.bump(tx, row, {});
      await this.event(tx, row.id, { action: 'note', from: status, to: status, actor, note, citizenVisible });
      if (citizenVisible) {
        for (const target of await this.withDuplicates(tx, row)) {
          await this.queue(tx, target, 'note', notificationTexts.progress(target.code, note));
        }
      }
    });
    if (citizenVisible) this.options.onOutboxWritten?.();
    return this.get(code);
  }

  /**
   * The citizen's return-visit rating. 满意/基本满意 closes the visit on their order; 不满意 reopens
   * the order (the one it was merged into, for a duplicate) to the department with the comment.
   */
  async rate(
    code: string,
    ownerSessionId: string,
    rating: { satisfaction: Satisfaction; comment?: string },
  ): Promise<WorkOrderView> {
    const citizen: Actor = { name: 'citizen', role: 'citizen' };
    await this.db.$transaction(async (tx) => {
      const row = await this.load(tx, code);
      if (row.ownerSessionId !== ownerSessionId) throw new WorkOrderError('WORK_ORDER_NOT_FOUND', code);
      const label = satisfactionLabels[rating.satisfaction];
      const note = rating.comment ? `${label}：${rating.comment}` : label;
      if (rating.satisfaction !== 'dissatisfied') {
        checkTransition('rate', statusOf(row), citizen, row.leadDepartment);
        await this.apply(tx, row, 'rate', citizen, { note }, { mirror: false });
      } else {
        const primary = row.duplicateOfId
          ? await tx.workOrder.findUniqueOrThrow({ where: { id: row.duplicateOfId } })
          : row;
        checkTransition('reopen', statusOf(primary), citizen, primary.leadDepartment);
        await this.apply(tx, primary, 'reopen', citizen, { note });
      }
      await tx.workOrder.update({
        where: { id: row.id },
        data: { satisfaction: rating.satisfaction, satisfactionComment: rating.comment ?? null },
      });
    });
    if (rating.satisfaction === 'dissatisfied') this.options.onOutboxWritten?.();
    return this.view(await this.db.workOrder.findUniqueOrThrow({ where: { code: code.toUpperCase() } }));
  }

  private async load(tx: Transaction, code: string): Promise<WorkOrderModel> {
    const row = await tx.workOrder.findUnique({ where: { code: code.toUpperCase() } });
    if (!row) throw new WorkOrderError('WORK_ORDER_NOT_FOUND', code);
    return row;
  }

  /**
   * With a catalogue, an order goes only to departments it names: an unknown name would leave the
   * order with nobody able to see it, and the citizen told it went there.
   */
  private checkDepartments(action: WorkOrderAction, lead: string, assisting: string[]): void {
    const { catalogue } = this.options;
    if (!catalogue) return;
    const known = new Set(catalogueDepartments(catalogue));
    if (!known.has(lead)) {
      throw new WorkOrderError(
        'INVALID_ACTION_INPUT',
        `${action}: lead department "${lead}" is not in the dispatch catalogue (GET /api/staff/catalogue lists its departments)`,
      );
    }
    const unknown = assisting.filter((d) => !known.has(d));
    if (unknown.some((d) => !d))
      throw new WorkOrderError('INVALID_ACTION_INPUT', `${action}: an assisting department is empty`);
    if (unknown.length) {
      throw new WorkOrderError(
        'INVALID_ACTION_INPUT',
        `${action}: assisting department${unknown.length > 1 ? 's' : ''} ${unknown.map((d) => `"${d}"`).join(', ')} not in the dispatch catalogue (GET /api/staff/catalogue lists its departments)`,
      );
    }
  }

  /** Applies a checked action; returns whether outbox rows were written. */
  private async apply(
    tx: Transaction,
    row: WorkOrderModel,
    action: WorkOrderAction,
    actor: Actor,
    input: ActionInput,
    { mirror = true } = {},
  ): Promise<boolean> {
    const from = statusOf(row);
    const rule = checkTransition(action, from, actor, row.leadDepartment);
    const note = input.note?.trim() || undefined;
    if (rule.noteRequired && !note) throw new WorkOrderError('INVALID_ACTION_INPUT', `${action} needs a note`);
    const data: Prisma.WorkOrderUpdateInput = { status: rule.to };
    let departments: string[] | undefined;
    if (rule.departmentsRequired) {
      const suggested = stringList(row.suggestedDepartments);
      const lead = input.lead?.trim() || (action === 'dispatch' ? suggested[0] : undefined);
      if (!lead) throw new WorkOrderError('INVALID_ACTION_INPUT', `${action} needs a lead department`);
      const assisting = (input.lead ? (input.assisting ?? []) : (input.assisting ?? suggested.slice(1))).map((d) =>
        d.trim(),
      );
      this.checkDepartments(action, lead, assisting);
      departments = [lead, ...new Set(assisting.filter((d) => d !== lead))];
      data.leadDepartment = lead;
      data.assistingDepartments = departments.slice(1);
      data.departmentKey = departmentKey(departments);
    }
    if ((action === 'rate' || action === 'reopen') && input.satisfaction) {
      // A return visit made by phone and recorded by the hotline.
      data.satisfaction = input.satisfaction;
      data.satisfactionComment = note ?? null;
    }
    if (action === 'reopen') data.reopenCount = { increment: 1 };
    await this.bump(tx, row, data);
    await this.event(tx, row.id, {
      action,
      from,
      to: rule.to,
      actor,
      note,
      departments,
      citizenVisible: rule.citizenVisible,
    });

    const targets = mirror ? await this.withDuplicates(tx, row) : [row];
    for (const target of targets.slice(1)) {
      await tx.workOrder.update({
        where: { id: target.id },
        data: {
          status: rule.to,
          version: { increment: 1 },
          ...(data.leadDepartment
            ? {
                leadDepartment: data.leadDepartment,
                assistingDepartments: data.assistingDepartments,
                departmentKey: data.departmentKey,
              }
            : {}),
        },
      });
      await this.event(tx, target.id, {
        action: 'follow',
        from: statusOf(target),
        to: rule.to,
        actor: { name: 'system', role: 'system' },
        note: `随主工单 ${row.code}：${action}`,
        citizenVisible: rule.citizenVisible,
      });
    }
    if (!rule.citizenVisible) return false;
    const lead = (departments?.[0] ?? row.leadDepartment) || '';
    for (const target of targets) {
      const text = updateText(action, { code: target.code, department: lead, reply: note ?? '' });
      await this.queue(tx, target, action === 'resolve' ? 'return-visit' : 'status', text, rule.to);
    }
    return true;
  }

  /** Optimistic version check: the update only applies to the version that was read. */
  private async bump(tx: Transaction, row: WorkOrderModel, data: Prisma.WorkOrderUpdateInput): Promise<void> {
    const { count } = await tx.workOrder.updateMany({
      where: { id: row.id, version: row.version },
      data: { ...(data as Prisma.WorkOrderUpdateManyMutationInput), version: { increment: 1 } },
    });
    if (count !== 1) throw new WorkOrderError('WORK_ORDER_CONFLICT');
  }

  private async withDuplicates(tx: Transaction, row: WorkOrderModel): Promise<WorkOrderModel[]> {
    const duplicates = await tx.workOrder.findMany({ where: { duplicateOfId: row.id }, orderBy: { createdAt: 'asc' } });
    return [row, ...duplicates];
  }

  private async event(
    tx: Transaction,
    workOrderId: string,
    e: {
      action: string;
      from: WorkOrderStatus | null;
      to: WorkOrderStatus;
      actor: Actor;
      note?: string | undefined;
      departments?: string[] | undefined;
      citizenVisible: boolean;
    },
  ): Promise<void> {
    await tx.workOrderEvent.create({
      data: {
        workOrderId,
        action: e.action,
        fromStatus: e.from,
        toStatus: e.to,
        actor: e.actor.name,
        actorRole: e.actor.role,
        note: e.note ?? null,
        departments: e.departments ?? undefined,
        citizenVisible: e.citizenVisible,
        createdAt: this.clock(),
      },
    });
  }

  /** The outbox row for the order's owner, written inside the caller's transaction. */
  private async queue(
    tx: Transaction,
    order: WorkOrderModel,
    kind: 'status' | 'note' | 'return-visit',
    text: string,
    status: WorkOrderStatus = statusOf(order),
  ): Promise<void> {
    const now = this.clock();
    await tx.outboxMessage.create({
      data: {
        workOrderId: order.id,
        kind,
        channel: order.channel,
        recipient: order.ownerUserId ?? order.ownerSessionId,
        sessionId: order.ownerSessionId,
        payload: { text, status, ...(kind === 'return-visit' ? { choices: returnVisitTexts.choices } : {}) },
        nextAttemptAt: now,
        createdAt: now,
      },
    });
  }

  private async insert(
    tx: Transaction,
    input: NewWorkOrder,
    idempotencyKey: string,
  ): Promise<{ order: WorkOrderModel; merged: boolean }> {
    const now = this.clock();
    const day = ticketDay(now, this.options.timeZone);
    const sequence = await tx.ticketSequence.upsert({
      where: { day },
      create: { day, last: 1 },
      update: { last: { increment: 1 } },
    });
    const { catalogue, calendar } = this.options;
    const district = catalogue
      ? (catalogue.districts.find((d) => d.name === input.district) ?? recogniseDistrict(catalogue, input.place))
      : undefined;
    const classification = catalogue
      ? input.categoryCode
        ? { code: input.categoryCode, name: input.category ?? null }
        : classify(catalogue, input.description)
      : undefined;
    const urgency = input.urgency ?? (catalogue ? detectUrgency(catalogue, input.description) : 'normal');
    const suggestion =
      catalogue && classification
        ? suggestDispatch(catalogue, {
            categoryCode: classification.code,
            description: input.description,
            district: district?.name ?? null,
          })
        : undefined;
    const due =
      catalogue && calendar
        ? computeDueDates(catalogue, calendar, { appealType: input.appealType, urgency }, now)
        : undefined;
    const primary =
      classification && district
        ? await this.findDuplicateTarget(tx, classification.code, district.name, input.description, now)
        : undefined;
    const order = await tx.workOrder.create({
      data: {
        code: formatTicketCode(this.options.prefix, day, sequence.last),
        appealType: input.appealType,
        category: input.category ?? classification?.name ?? null,
        categoryCode: classification?.code ?? null,
        description: input.description,
        summary: summarise(input.description),
        place: input.place ?? null,
        district: district?.name ?? input.district ?? null,
        regionCode: district?.regionCode ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        contactPhone: input.contactPhone,
        channel: input.channel,
        ownerSessionId: input.ownerSessionId,
        ownerUserId: input.ownerUserId ?? null,
        urgency,
        status: primary ? primary.status : 'accepted',
        leadDepartment: primary?.leadDepartment ?? null,
        assistingDepartments: primary ? (primary.assistingDepartments ?? undefined) : undefined,
        departmentKey: primary?.departmentKey ?? null,
        suggestedDepartments: suggestion ? [suggestion.lead, ...suggestion.assisting] : undefined,
        dispatchRuleId: suggestion?.ruleId ?? null,
        respondDueAt: due?.respondDueAt ?? null,
        completeDueAt: due?.completeDueAt ?? null,
        duplicateOfId: primary?.id ?? null,
        idempotencyKey,
        createdAt: now,
      },
    });
    await this.event(tx, order.id, {
      action: 'file',
      from: null,
      to: 'accepted',
      actor: { name: 'citizen', role: 'citizen' },
      note: '市民在线提交',
      citizenVisible: false,
    });
    if (!primary) return { order, merged: false };
    const status = statusOf(primary);
    const system: Actor = { name: 'system', role: 'system' };
    await this.event(tx, order.id, {
      action: 'merge',
      from: 'accepted',
      to: status,
      actor: system,
      note: `与工单 ${primary.code} 为同一事项，并单办理`,
      citizenVisible: true,
    });
    await this.event(tx, primary.id, {
      action: 'merge',
      from: status,
      to: status,
      actor: system,
      note: `并入重复工单 ${order.code}`,
      citizenVisible: false,
    });
    // The citizen learns of the merge in the reply that gives the ticket number (see the bot's
    // ticket reply): a separate update arrived before that reply and named the other citizen's ticket.
    return { order, merged: true };
  }

  /** The most similar open order of the same category and district, if close enough (并单). */
  private async findDuplicateTarget(
    tx: Transaction,
    categoryCode: string,
    district: string,
    description: string,
    now: Date,
  ): Promise<WorkOrderModel | undefined> {
    const since = new Date(now.getTime() - (this.options.duplicateWindowDays ?? 30) * 86_400_000);
    const candidates = await tx.workOrder.findMany({
      where: {
        categoryCode,
        district,
        duplicateOfId: null,
        status: { in: [...openStatuses] },
        createdAt: { gte: since },
      },
      orderBy: { createdAt: 'asc' },
      take: 200,
    });
    const threshold = this.options.duplicateThreshold ?? 0.5;
    let best: WorkOrderModel | undefined;
    let bestScore = threshold;
    for (const candidate of candidates) {
      const score = textSimilarity(candidate.description, description);
      if (score >= bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }

  private async view(row: WorkOrderModel): Promise<WorkOrderView> {
    const primary = row.duplicateOfId
      ? await this.db.workOrder.findUnique({ where: { id: row.duplicateOfId }, select: { code: true } })
      : null;
    return toView(row, primary?.code ?? null);
  }

  private async staffViews(rows: WorkOrderModel[]): Promise<StaffWorkOrderView[]> {
    const ids = rows.map((r) => r.id);
    const primaryIds = rows.map((r) => r.duplicateOfId).filter((id): id is string => id !== null);
    const [duplicates, primaries] = await Promise.all([
      this.db.workOrder.findMany({
        where: { duplicateOfId: { in: ids } },
        select: { code: true, duplicateOfId: true },
      }),
      this.db.workOrder.findMany({ where: { id: { in: primaryIds } }, select: { id: true, code: true } }),
    ]);
    const now = this.clock();
    const warnBeforeHours = this.options.catalogue?.warnBeforeHours ?? 24;
    return rows.map((row) =>
      toStaffView(row, {
        now,
        warnBeforeHours,
        duplicateOfCode: primaries.find((p) => p.id === row.duplicateOfId)?.code ?? null,
        duplicates: duplicates.filter((d) => d.duplicateOfId === row.id).map((d) => d.code),
      }),
    );
  }
}
