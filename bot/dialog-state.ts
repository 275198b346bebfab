import type { AppealType, WorkOrderStatus } from '../workorders/work-order.js';

export type IntakeSlot = 'description' | 'place' | 'phone' | 'confirm';

/** A work order being collected from the citizen, one question per turn. */
export interface IntakeState {
  /** Stable for this intake, so that a repeated confirmation files one order. */
  id: string;
  appealType: AppealType;
  awaiting: IntakeSlot;
  description?: string;
  /** A category guessed from the description (e.g. 噪声扰民); the dispatcher may change it. */
  category?: string;
  place?: string;
  /** A vague place ("就在我家楼下") was asked once more for detail; the next one is taken as said. */
  placeRetried?: boolean;
  /** When it happened, as the citizen said it (每天半夜, 昨天下午). */
  time?: string;
  phone?: string;
}

/** The entry the last answer came from, so that a short follow-up can be read against it. */
export interface Topic {
  entryId: string;
  /** What the citizen asked, for re-asking retrieval with a follow-up. */
  question: string;
}

/** What the bot remembers about a session between turns. */
export interface DialogState {
  intake?: IntakeState;
  /** Numbered knowledge entries offered in a clarification. */
  clarify?: { question: string; options: { entryId: string; question: string }[] };
  /** A work order offered (after an unanswered question or a request for a person). */
  offer?: { description?: string };
  /** A status request for a ticket of another session, waiting for the phone's last four digits. */
  statusCheck?: { code: string };
  /** The ticket this session filed last, so that a repeated "确认" shows it instead of filing again. */
  filed?: { code: string; appealType: AppealType; status: WorkOrderStatus; merged?: boolean; dueDay?: string };
  lastEntryId?: string;
  topic?: Topic;
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

/** Failed attempts per key in a sliding window (ticket status checks with a wrong phone tail). */
export interface AttemptLog {
  /** Failed attempts recorded under `key` within `windowMs` before `at`. */
  count(key: string, windowMs: number, at: Date): Promise<number>;
  /** Records one failed attempt and returns the count within the window, this one included. */
  add(key: string, windowMs: number, at: Date): Promise<number>;
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
