import type { WorkOrderEventModel, WorkOrderModel } from '../prisma/client.js';
import { dueState, type DueState } from './deadlines.js';
import { maskPhone } from '../personal-data/phone.js';
import {
  appealTypes,
  satisfactionLevels,
  urgencies,
  workOrderStatuses,
  type AppealType,
  type Satisfaction,
  type Urgency,
  type WorkOrderStatus,
  type WorkOrderView,
} from './work-order.js';

const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;

export const statusOf = (row: Pick<WorkOrderModel, 'status'>): WorkOrderStatus =>
  oneOf(workOrderStatuses, row.status, 'accepted');

export const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function toView(row: WorkOrderModel, duplicateOfCode?: string | null): WorkOrderView {
  return {
    code: row.code,
    appealType: oneOf<AppealType>(appealTypes, row.appealType, 'help'),
    category: row.category,
    summary: row.summary,
    description: row.description,
    place: row.place,
    status: statusOf(row),
    contactPhone: maskPhone(row.contactPhone),
    ownerSessionId: row.ownerSessionId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    categoryCode: row.categoryCode,
    district: row.district,
    regionCode: row.regionCode,
    urgency: oneOf<Urgency>(urgencies, row.urgency, 'normal'),
    leadDepartment: row.leadDepartment,
    assistingDepartments: stringList(row.assistingDepartments),
    respondDueAt: row.respondDueAt,
    completeDueAt: row.completeDueAt,
    satisfaction: row.satisfaction ? oneOf<Satisfaction>(satisfactionLevels, row.satisfaction, 'satisfied') : null,
    duplicateOf: duplicateOfCode ?? null,
  };
}

export interface WorkOrderHistoryEntry {
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actor: string;
  actorRole: string | null;
  note: string | null;
  departments: string[];
  citizenVisible: boolean;
  at: Date;
}

/** What hotline staff and departments see of an order. */
export interface StaffWorkOrderView extends WorkOrderView {
  version: number;
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  channel: string;
  suggestedDepartments: string[];
  dispatchRuleId: string | null;
  reopenCount: number;
  satisfactionComment: string | null;
  /** ok | yellow (near a due date) | red (past it). */
  dueState: DueState;
  /** Ticket numbers merged into this one. */
  duplicates: string[];
  history?: WorkOrderHistoryEntry[];
}

export function toHistoryEntry(event: WorkOrderEventModel): WorkOrderHistoryEntry {
  return {
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    actor: event.actor,
    actorRole: event.actorRole,
    note: event.note,
    departments: stringList(event.departments),
    citizenVisible: event.citizenVisible,
    at: event.createdAt,
  };
}

export function toStaffView(
  row: WorkOrderModel,
  extra: { now: Date; warnBeforeHours: number; duplicateOfCode?: string | null; duplicates?: string[] },
): StaffWorkOrderView {
  return {
    ...toView(row, extra.duplicateOfCode),
    version: row.version,
    latitude: row.latitude,
    longitude: row.longitude,
    channel: row.channel,
    suggestedDepartments: stringList(row.suggestedDepartments),
    dispatchRuleId: row.dispatchRuleId,
    reopenCount: row.reopenCount,
    satisfactionComment: row.satisfactionComment,
    dueState: dueState(
      { status: statusOf(row), respondDueAt: row.respondDueAt, completeDueAt: row.completeDueAt },
      extra.now,
      extra.warnBeforeHours,
    ),
    duplicates: extra.duplicates ?? [],
  };
}
