/** Appeal types of the 12345 standard (诉求类型), as stored codes. */
export const appealTypes = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type AppealType = (typeof appealTypes)[number];

export const appealTypeLabels: Record<AppealType, string> = {
  consult: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};

/**
 * The closed loop 受理 → 派单 → 签收 → 办理 → 办结 → 回访 → 归档, plus 退单 (returned to the hotline)
 * and 待补充 (the department asked the citizen for more information).
 * The allowed moves between them are in lifecycle.ts.
 */
export const workOrderStatuses = [
  'accepted',
  'dispatched',
  'signed',
  'processing',
  'awaiting-info',
  'returned',
  'resolved',
  'visited',
  'closed',
] as const;
export type WorkOrderStatus = (typeof workOrderStatuses)[number];

export const workOrderStatusLabels: Record<WorkOrderStatus, string> = {
  accepted: '已受理',
  dispatched: '已派单',
  signed: '已签收',
  processing: '办理中',
  'awaiting-info': '待补充信息',
  returned: '已退单待改派',
  resolved: '已办结',
  visited: '已回访',
  closed: '已归档',
};

export const urgencies = ['normal', 'urgent'] as const;
export type Urgency = (typeof urgencies)[number];

/** Return-visit results (回访满意度). */
export const satisfactionLevels = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof satisfactionLevels)[number];

export const satisfactionLabels: Record<Satisfaction, string> = {
  satisfied: '满意',
  'basically-satisfied': '基本满意',
  dissatisfied: '不满意',
};

export interface NewWorkOrder {
  appealType: AppealType;
  category?: string | null;
  /** Code in the configured category tree; classified from the text when absent. */
  categoryCode?: string | null;
  description: string;
  place?: string | null;
  /** District (区); recognised from the place when absent. */
  district?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  urgency?: Urgency;
  contactPhone: string;
  channel: string;
  ownerSessionId: string;
  ownerUserId?: string | null;
}

export interface WorkOrderView {
  code: string;
  appealType: AppealType;
  category: string | null;
  summary: string;
  description: string;
  place: string | null;
  status: WorkOrderStatus;
  /** The contact phone, masked for display. */
  contactPhone: string;
  ownerSessionId: string;
  createdAt: Date;
  updatedAt: Date;
  categoryCode?: string | null;
  district?: string | null;
  regionCode?: string | null;
  urgency?: Urgency;
  leadDepartment?: string | null;
  assistingDepartments?: string[];
  respondDueAt?: Date | null;
  completeDueAt?: Date | null;
  satisfaction?: Satisfaction | null;
  /** Ticket number of the order this one was merged into (并单). */
  duplicateOf?: string | null;
}
