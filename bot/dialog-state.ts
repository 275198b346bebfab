import type { AppealType } from '../workorders/work-order.js';

export type IntakeSlot = 'description' | 'place' | 'phone' | 'confirm';

/** A work order being collected from the citizen, one question per turn. */
export interface IntakeState {
  /** Stable for this intake, so that a repeated confirmation files one order. */
  id: string;
  appealType: AppealType;
  awaiting: IntakeSlot;
  description?: string;
  place?: string;
  phone?: string;
}

/** What the bot remembers about a session between turns. */
export interface DialogState {
  intake?: IntakeState;
  /** Numbered knowledge entries offered in a clarification. */
  clarify?: { question: string; options: { entryId: string; question: string }[] };
  /** A question the knowledge base could not answer, offered as a work order. */
  offer?: { description: string };
  lastEntryId?: string;
  /** The district the citizen said they are in or asked about (scopes district-specific answers). */
  district?: string;
}

export interface StoredSession {
  state: DialogState;
  updatedAt: Date;
}

/** Session state storage (database by default; Redis when several instances run). */
export interface SessionStore {
  get(sessionId: string): Promise<StoredSession | undefined>;
  set(sessionId: string, session: { channel: string; userId?: string; state: DialogState }): Promise<void>;
  delete(sessionId: string): Promise<void>;
}

export interface TranscriptEntry {
  sessionId: string;
  channel: string;
  userId?: string;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  sources?: { id: string; question: string }[];
  at: Date;
}

/** Every accepted message and every reply is kept. */
export interface Transcript {
  append(entries: TranscriptEntry[]): Promise<void>;
}
