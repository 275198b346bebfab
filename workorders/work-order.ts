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

/** The closed loop 受理 → 派单 → 办理 → 办结 → 回访 → 归档 (the lifecycle issue adds its transitions). */
export const workOrderStatuses = ['accepted', 'dispatched', 'processing', 'resolved', 'visited', 'closed'] as const;
export type WorkOrderStatus = (typeof workOrderStatuses)[number];

export const workOrderStatusLabels: Record<WorkOrderStatus, string> = {
  accepted: '已受理',
  dispatched: '已派单',
  processing: '办理中',
  resolved: '已办结',
  visited: '已回访',
  closed: '已归档',
};

export interface NewWorkOrder {
  appealType: AppealType;
  category?: string | null;
  description: string;
  place?: string | null;
  district?: string | null;
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
}
