import type { KnowledgeAnswerer } from '../knowledge/knowledge-base.js';
import type { WorkOrderDesk } from '../workorders/work-order-service.js';
import type { DialogState } from './dialog-state.js';
import type { InboundMessage, Reply } from './message.js';

export interface TurnServices {
  knowledge: KnowledgeAnswerer;
  workOrders: WorkOrderDesk;
  /** Time zone for dates shown to citizens. */
  timeZone: string;
  newId: () => string;
}

/** Everything one step of the pipeline sees; `state` is saved after the turn. */
export interface Turn {
  message: InboundMessage;
  /** The message text after NFKC (full-width to half-width) and trimming. */
  text: string;
  state: DialogState;
  services: TurnServices;
}

/** A pipeline step: replies when it handles the turn, undefined to pass it on. */
export type TurnStep = (turn: Turn) => Promise<Reply[] | undefined> | Reply[] | undefined;

export const reply = (kind: Reply['kind'], text: string, extra: Partial<Reply> = {}): Reply => ({
  kind,
  text,
  sources: [],
  ...extra,
});
