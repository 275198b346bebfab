import { WorkOrderError } from './errors.js';
import type { WorkOrderStatus } from './work-order.js';

/** Who acts: the citizen (by chat), hotline staff (operator), a department's handler, an administrator, or the system. */
export const actorRoles = ['citizen', 'operator', 'handler', 'admin', 'system'] as const;
export type ActorRole = (typeof actorRoles)[number];

export interface Actor {
  /** A name for the history (staff token name, "citizen", "notifier"). */
  name: string;
  role: ActorRole;
  /** The handler's department; a handler acts only on orders whose lead department this is. */
  department?: string;
}

export const workOrderActions = [
  'dispatch',
  'sign',
  'start',
  'request-info',
  'supplement',
  'return',
  'reassign',
  'resolve',
  'rate',
  'reopen',
  'close',
] as const;
export type WorkOrderAction = (typeof workOrderActions)[number];

export interface TransitionRule {
  from: readonly WorkOrderStatus[];
  to: WorkOrderStatus;
  roles: readonly ActorRole[];
  /** The citizen hears about it (an outbox row in the same transaction). */
  citizenVisible: boolean;
  /** A note is required (退单 reason, the reply on 办结). */
  noteRequired?: boolean;
  /** Departments are required (派单, 改派). */
  departmentsRequired?: boolean;
  /** Only the handler of the order's lead department (or an administrator) may take it. */
  ownDepartmentOnly?: boolean;
}

/**
 * The state machine of the 12345 closed loop. Anything not listed here is an illegal
 * transition (a typed error), never a silent change.
 */
export const transitionTable: Record<WorkOrderAction, TransitionRule> = {
  dispatch: {
    from: ['accepted'],
    to: 'dispatched',
    roles: ['operator', 'admin', 'system'],
    citizenVisible: true,
    departmentsRequired: true,
  },
  sign: {
    from: ['dispatched'],
    to: 'signed',
    roles: ['handler', 'admin'],
    citizenVisible: false,
    ownDepartmentOnly: true,
  },
  start: {
    from: ['signed'],
    to: 'processing',
    roles: ['handler', 'admin'],
    citizenVisible: true,
    ownDepartmentOnly: true,
  },
  'request-info': {
    from: ['signed', 'processing'],
    to: 'awaiting-info',
    roles: ['handler', 'admin'],
    citizenVisible: true,
    noteRequired: true,
    ownDepartmentOnly: true,
  },
  supplement: {
    from: ['awaiting-info'],
    to: 'processing',
    roles: ['citizen', 'operator', 'handler', 'admin'],
    citizenVisible: false,
    noteRequired: true,
    ownDepartmentOnly: true,
  },
  return: {
    from: ['dispatched', 'signed'],
    to: 'returned',
    roles: ['handler', 'admin'],
    citizenVisible: false,
    noteRequired: true,
    ownDepartmentOnly: true,
  },
  reassign: {
    from: ['returned', 'dispatched', 'signed', 'processing'],
    to: 'dispatched',
    roles: ['operator', 'admin'],
    citizenVisible: true,
    departmentsRequired: true,
  },
  resolve: {
    from: ['signed', 'processing'],
    to: 'resolved',
    roles: ['handler', 'admin'],
    citizenVisible: true,
    noteRequired: true,
    ownDepartmentOnly: true,
  },
  rate: { from: ['resolved'], to: 'visited', roles: ['citizen', 'operator', 'admin'], citizenVisible: false },
  reopen: {
    from: ['resolved', 'visited'],
    to: 'processing',
    roles: ['citizen', 'operator', 'admin'],
    citizenVisible: true,
  },
  close: { from: ['resolved', 'visited'], to: 'closed', roles: ['operator', 'admin', 'system'], citizenVisible: true },
};

/** Statuses of an order still being worked on (candidates for merging duplicates). */
export const openStatuses: readonly WorkOrderStatus[] = [
  'accepted',
  'dispatched',
  'signed',
  'processing',
  'awaiting-info',
  'returned',
];

/** Checks an action against the table; throws the typed error that says why it is refused. */
export function checkTransition(
  action: WorkOrderAction,
  current: WorkOrderStatus,
  actor: Actor,
  leadDepartment: string | null,
): TransitionRule {
  const rule = transitionTable[action];
  if (!rule.roles.includes(actor.role)) {
    throw new WorkOrderError('ACTION_NOT_PERMITTED', `${actor.role} may not ${action}`);
  }
  if (!rule.from.includes(current)) {
    throw new WorkOrderError('ILLEGAL_TRANSITION', `${action} from ${current}`);
  }
  if (rule.ownDepartmentOnly && actor.role === 'handler' && actor.department !== leadDepartment) {
    throw new WorkOrderError('DEPARTMENT_MISMATCH');
  }
  return rule;
}

/** The actions an actor may take now (for the staff API and the docs). */
export function allowedActions(current: WorkOrderStatus, role: ActorRole): WorkOrderAction[] {
  return workOrderActions.filter(
    (a) => transitionTable[a].from.includes(current) && transitionTable[a].roles.includes(role),
  );
}
