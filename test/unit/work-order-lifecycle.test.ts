import { describe, expect, it } from 'vitest';
import { WorkOrderError } from '../../workorders/errors.js';
import { allowedActions, checkTransition, transitionTable, type Actor } from '../../workorders/lifecycle.js';
import { workOrderStatuses, type WorkOrderStatus } from '../../workorders/work-order.js';

const operator: Actor = { name: 'op', role: 'operator' };
const handler: Actor = { name: 'h', role: 'handler', department: '临江市城市管理局' };
const citizen: Actor = { name: 'citizen', role: 'citizen' };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof WorkOrderError ? error.code : 'other';
  }
  return 'none';
};

describe('work-order lifecycle', () => {
  it('walks the closed loop 受理 → 派单 → 签收 → 办理 → 办结 → 回访 → 归档', () => {
    const steps: [Parameters<typeof checkTransition>[0], Actor][] = [
      ['dispatch', operator],
      ['sign', handler],
      ['start', handler],
      ['resolve', handler],
      ['rate', citizen],
      ['close', operator],
    ];
    let status: WorkOrderStatus = 'accepted';
    const visited: WorkOrderStatus[] = [status];
    for (const [action, actor] of steps) {
      status = checkTransition(action, status, actor, '临江市城市管理局').to;
      visited.push(status);
    }
    expect(visited).toEqual(['accepted', 'dispatched', 'signed', 'processing', 'resolved', 'visited', 'closed']);
  });

  it('refuses an illegal transition with a typed error', () => {
    expect(refusal(() => checkTransition('resolve', 'accepted', handler, '临江市城市管理局'))).toBe(
      'ILLEGAL_TRANSITION',
    );
    expect(refusal(() => checkTransition('close', 'processing', operator, null))).toBe('ILLEGAL_TRANSITION');
    expect(refusal(() => checkTransition('dispatch', 'closed', operator, null))).toBe('ILLEGAL_TRANSITION');
  });

  it('lets only the right role take each action', () => {
    expect(refusal(() => checkTransition('sign', 'dispatched', operator, '临江市城市管理局'))).toBe(
      'ACTION_NOT_PERMITTED',
    );
    expect(refusal(() => checkTransition('dispatch', 'accepted', handler, null))).toBe('ACTION_NOT_PERMITTED');
    expect(refusal(() => checkTransition('close', 'visited', citizen, null))).toBe('ACTION_NOT_PERMITTED');
  });

  it("refuses a handler acting on another department's order", () => {
    expect(refusal(() => checkTransition('sign', 'dispatched', handler, '临江市教育局'))).toBe('DEPARTMENT_MISMATCH');
    const admin: Actor = { name: 'root', role: 'admin' };
    expect(checkTransition('sign', 'dispatched', admin, '临江市教育局').to).toBe('signed');
  });

  it('returns (退单) to the hotline, which re-dispatches (改派); 不满意 reopens a resolved order', () => {
    expect(checkTransition('return', 'signed', handler, '临江市城市管理局').to).toBe('returned');
    expect(allowedActions('returned', 'operator')).toEqual(['reassign']);
    expect(checkTransition('reassign', 'returned', operator, '临江市城市管理局').to).toBe('dispatched');
    expect(checkTransition('reopen', 'resolved', citizen, null).to).toBe('processing');
  });

  it('lets the department ask the citizen for more information (待补充), and continues on the supplement', () => {
    expect(checkTransition('request-info', 'processing', handler, '临江市城市管理局')).toMatchObject({
      to: 'awaiting-info',
      citizenVisible: true,
      noteRequired: true,
    });
    expect(refusal(() => checkTransition('resolve', 'awaiting-info', handler, '临江市城市管理局'))).toBe(
      'ILLEGAL_TRANSITION',
    );
    expect(checkTransition('supplement', 'awaiting-info', operator, '临江市城市管理局').to).toBe('processing');
  });

  it('only uses known statuses and requires notes and departments where the loop needs them', () => {
    for (const rule of Object.values(transitionTable)) {
      for (const status of [...rule.from, rule.to]) expect(workOrderStatuses).toContain(status);
    }
    expect(transitionTable.return.noteRequired).toBe(true);
    expect(transitionTable.resolve.noteRequired).toBe(true);
    expect(transitionTable.dispatch.departmentsRequired).toBe(true);
    expect(transitionTable.reassign.departmentsRequired).toBe(true);
  });
});
