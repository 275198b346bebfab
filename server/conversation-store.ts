import type { Database } from '../prisma/client.js';
import type { DialogState, SessionStore, StoredSession, Transcript, TranscriptEntry } from '../bot/dialog-state.js';

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
