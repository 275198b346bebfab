import type { DialogState, SessionStore, StoredSession, Transcript, TranscriptEntry } from '../bot/dialog-state.js';

/** Sessions and transcript in memory: the evaluation needs the bot's dialog, not its storage. */
export class MemoryConversationStore implements SessionStore, Transcript {
  private readonly sessions = new Map<string, StoredSession>();
  readonly entries: TranscriptEntry[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async get(sessionId: string): Promise<StoredSession | undefined> {
    return this.sessions.get(sessionId);
  }

  async set(sessionId: string, session: { channel: string; userId?: string; state: DialogState }): Promise<void> {
    this.sessions.set(sessionId, { state: structuredClone(session.state), updatedAt: this.clock() });
  }

  async delete(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
  }

  async append(entries: TranscriptEntry[]): Promise<void> {
    this.entries.push(...entries);
  }

  /** Forgets everything (the harness asks thousands of questions; nothing needs keeping). */
  clear(): void {
    this.sessions.clear();
    this.entries.length = 0;
  }
}
