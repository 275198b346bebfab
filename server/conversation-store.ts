import type { Database } from '../prisma/client.js';
import type {
  AttemptLog,
  DialogState,
  SessionStore,
  StoredSession,
  Transcript,
  TranscriptEntry,
} from '../bot/dialog-state.js';

/** Session state and transcript in the application database (the single-instance default). */
export class DatabaseConversationStore implements SessionStore, Transcript {
  constructor(private readonly db: Database) {}

  async get(sessionId: string): Promise<StoredSession | undefined> {
    const row = await this.db.conversation.findUnique({
      where: { id: sessionId },
      select: { state: true, updatedAt: true },
    });
    if (!row) return undefined;
    const state =
      row.state && typeof row.state === 'object' && !Array.isArray(row.state) ? (row.state as DialogState) : {};
    return { state, updatedAt: row.updatedAt };
  }

  async set(sessionId: string, session: { channel: string; userId?: string; state: DialogState }): Promise<void> {
    const state = session.state as object;
    await this.db.conversation.upsert({
      where: { id: sessionId },
      create: { id: sessionId, channel: session.channel, userId: session.userId ?? null, state },
      update: { state },
    });
  }

  async delete(sessionId: string): Promise<void> {
    await this.db.conversation.deleteMany({ where: { id: sessionId } });
  }

  async append(entries: TranscriptEntry[]): Promise<void> {
    const first = entries[0];
    if (!first) return;
    await this.db.$transaction([
      this.db.conversation.upsert({
        where: { id: first.sessionId },
        create: { id: first.sessionId, channel: first.channel, userId: first.userId ?? null, state: {} },
        update: {},
      }),
      this.db.message.createMany({
        data: entries.map((e) => ({
          conversationId: e.sessionId,
          direction: e.direction,
          kind: e.kind,
          text: e.text,
          sources: e.sources && e.sources.length ? e.sources.map(({ id, question }) => ({ id, question })) : undefined,
          createdAt: e.at,
        })),
      }),
    ]);
  }
}

const ATTEMPTS_CHANNEL = 'system:attempts';

/**
 * Failed attempts kept in the database beside the sessions: one conversation row per key, on a
 * channel of its own, and one message row per attempt. Appending rows, rather than rewriting a
 * list in the row's state, counts every one of many parallel attempts: a version check on the
 * row's updatedAt (milliseconds) let two writes of the same millisecond overwrite each other.
 */
export class DatabaseAttemptLog implements AttemptLog {
  constructor(private readonly db: Database) {}

  async count(key: string, windowMs: number, at: Date): Promise<number> {
    return this.db.message.count({
      where: { conversationId: attemptsId(key), kind: 'attempt', createdAt: { gt: new Date(at.getTime() - windowMs) } },
    });
  }

  async add(key: string, windowMs: number, at: Date): Promise<number> {
    const id = attemptsId(key);
    try {
      await this.db.conversation.upsert({
        where: { id },
        create: { id, channel: ATTEMPTS_CHANNEL, state: {} },
        update: {},
      });
    } catch (error) {
      // Another attempt created the row at the same moment: it is there now.
      if ((error as { code?: unknown }).code !== 'P2002') throw error;
    }
    await this.db.message.create({
      data: { conversationId: id, direction: 'in', kind: 'attempt', text: '', createdAt: at },
    });
    // Attempts older than the window count for nothing any more.
    await this.db.message.deleteMany({
      where: { conversationId: id, kind: 'attempt', createdAt: { lte: new Date(at.getTime() - windowMs) } },
    });
    return this.count(key, windowMs, at);
  }
}

const attemptsId = (key: string) => `attempts:${key}`;
