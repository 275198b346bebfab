import type { Database } from '../prisma/client.js';
import { replyKinds, type ReplyKind } from '../bot/message.js';
import type { HistoryItem } from '../channels/web/web-chat-hub.js';

const isReplyKind = (kind: string): kind is ReplyKind => (replyKinds as readonly string[]).includes(kind);

/**
 * A web chat session's stored conversation (the transcript every turn writes), oldest first, as
 * the hub's history: what a page opened after a restart, or on another instance, shows. Choice
 * buttons are not stored, so restored replies show their text only.
 */
export function webChatHistoryFrom(db: Database) {
  return async (sessionId: string, limit: number): Promise<HistoryItem[]> => {
    const rows = await db.message.findMany({
      where: { conversationId: sessionId, conversation: { channel: 'web' } },
      orderBy: { id: 'desc' },
      take: limit,
      select: { direction: true, kind: true, text: true, sources: true },
    });
    return rows.reverse().map((row): HistoryItem => {
      if (row.direction === 'in') return { said: row.text };
      const sources = Array.isArray(row.sources) ? (row.sources as { id: string; question: string }[]) : [];
      return { reply: { kind: isReplyKind(row.kind) ? row.kind : 'chitchat', text: row.text, sources } };
    });
  };
}
