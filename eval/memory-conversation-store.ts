import type {
  AttemptLog,
  DialogState,
  SessionStore,
  StoredSession,
  Transcript,
  TranscriptEntry,
} from '../bot/dialog-state.js';

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

/** Failed status-check attempts kept in memory (each evaluation message is its own session). */
export class MemoryAttemptLog implements AttemptLog {
  private readonly attempts = new Map<string, number[]>();

  async count(key: string, windowMs: number, at: Date): Promise<number> {
    return (this.attempts.get(key) ?? []).filter((t) => t > at.getTime() - windowMs).length;
  }

  async add(key: string, windowMs: number, at: Date): Promise<number> {
    const kept = (this.attempts.get(key) ?? []).filter((t) => t > at.getTime() - windowMs);
    kept.push(at.getTime());
    this.attempts.set(key, kept);
    return kept.length;
  }
}
