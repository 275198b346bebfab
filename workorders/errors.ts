/** Every error code of the work-order domain, in one place; server/errors.ts maps them to HTTP. */
export const workOrderErrorCodes = {
  WORK_ORDER_NOT_FOUND: 'no work order with this number',
  ILLEGAL_TRANSITION: 'the action is not allowed in the current status',
  ACTION_NOT_PERMITTED: 'this actor may not take this action',
  DEPARTMENT_MISMATCH: 'the order belongs to another department',
  WORK_ORDER_CONFLICT: 'the order was changed by someone else; reload and try again',
  WORK_ORDER_MERGED: 'the order was merged into another one; act on that order',
  INVALID_ACTION_INPUT: 'the action lacks a required field or has an invalid one',
} as const;
export type WorkOrderErrorCode = keyof typeof workOrderErrorCodes;

/** A refused work-order operation; never a silent change. */
export class WorkOrderError extends Error {
  constructor(
    readonly code: WorkOrderErrorCode,
    detail?: string,
  ) {
    super(detail ? `${workOrderErrorCodes[code]}: ${detail}` : workOrderErrorCodes[code]);
    this.name = 'WorkOrderError';
  }
}
