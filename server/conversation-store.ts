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
const MAX_WRITE_RETRIES = 20;

const attemptTimes = (state: unknown): number[] =>
  state && typeof state === 'object' && Array.isArray((state as { attempts?: unknown }).attempts)
    ? ((state as { attempts: unknown[] }).attempts.filter((t) => typeof t === 'number') as number[])
    : [];

/**
 * Failed attempts kept in the database beside the sessions (one conversation row per key, on a
 * channel of its own), updated with optimistic concurrency so parallel attempts all count.
 */
export class DatabaseAttemptLog implements AttemptLog {
  constructor(private readonly db: Database) {}

  async count(key: string, windowMs: number, at: Date): Promise<number> {
    const row = await this.db.conversation.findUnique({ where: { id: `attempts:${key}` }, select: { state: true } });
    const since = at.getTime() - windowMs;
    return attemptTimes(row?.state).filter((t) => t > since).length;
  }

  async add(key: string, windowMs: number, at: Date): Promise<number> {
    const id = `attempts:${key}`;
    const since = at.getTime() - windowMs;
    for (let attempt = 1; ; attempt++) {
      const row = await this.db.conversation.findUnique({ where: { id }, select: { state: true, updatedAt: true } });
      const attempts = [...attemptTimes(row?.state).filter((t) => t > since), at.getTime()];
      try {
        if (!row) {
          await this.db.conversation.create({ data: { id, channel: ATTEMPTS_CHANNEL, state: { attempts } } });
          return attempts.length;
        }
        const { count } = await this.db.conversation.updateMany({
          where: { id, updatedAt: row.updatedAt },
          data: { state: { attempts } },
        });
        if (count === 1) return attempts.length;
      } catch (error) {
        // Another attempt created the row first: read it again.
        if ((error as { code?: unknown }).code !== 'P2002') throw error;
      }
      if (attempt >= MAX_WRITE_RETRIES) throw new Error(`attempt log for ${key} is contended`);
    }
  }
}
