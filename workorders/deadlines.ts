import type { Catalogue, Duration } from './catalogue.js';
import type { WorkingCalendar } from './working-calendar.js';
import type { AppealType, Urgency, WorkOrderStatus } from './work-order.js';

export interface DueDates {
  /** 签收 (response) due. */
  respondDueAt: Date;
  /** 办结 (completion) due. */
  completeDueAt: Date;
}

/** Traffic light of an open order against its due dates. */
export type DueState = 'ok' | 'yellow' | 'red';

function addDuration(calendar: WorkingCalendar, from: Date, duration: Duration): Date {
  return 'hours' in duration
    ? new Date(from.getTime() + duration.hours * 3_600_000)
    : calendar.endOfWorkingDaysAfter(from, duration.workingDays);
}

/** Due dates from the first deadline rule matching the appeal type and urgency. */
export function computeDueDates(
  catalogue: Catalogue,
  calendar: WorkingCalendar,
  order: { appealType: AppealType; urgency: Urgency },
  from: Date,
): DueDates {
  const rule =
    catalogue.deadlines.find(
      (r) =>
        (r.appealTypes.length === 0 || r.appealTypes.includes(order.appealType)) &&
        (r.urgency === undefined || r.urgency === order.urgency),
    ) ?? catalogue.deadlines.at(-1)!;
  return {
    respondDueAt: addDuration(calendar, from, rule.respond),
    completeDueAt: addDuration(calendar, from, rule.complete),
  };
}

const waitingForSignature: readonly WorkOrderStatus[] = ['accepted', 'dispatched', 'returned'];
const finished: readonly WorkOrderStatus[] = ['resolved', 'visited', 'closed'];

/**
 * Red when a due date that applies now has passed, yellow within `warnBeforeHours` of it: the
 * response and completion due dates until a department signs, then the completion due date.
 */
export function dueState(
  order: { status: WorkOrderStatus; respondDueAt: Date | null; completeDueAt: Date | null },
  now: Date,
  warnBeforeHours: number,
): DueState {
  if (finished.includes(order.status)) return 'ok';
  const dues = waitingForSignature.includes(order.status)
    ? [order.respondDueAt, order.completeDueAt]
    : [order.completeDueAt];
  const left = Math.min(...dues.filter((d): d is Date => d !== null).map((d) => d.getTime() - now.getTime()));
  if (!Number.isFinite(left)) return 'ok';
  if (left < 0) return 'red';
  return left <= warnBeforeHours * 3_600_000 ? 'yellow' : 'ok';
}
