import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Reply } from '../../bot/message.js';
import { MAX_TEXT_LENGTH } from './web-chat.js';

/** The part of a WebSocket the hub uses. */
export interface WebChatSocket {
  send(data: string): void;
}

export const sessionIdPattern = /^[A-Za-z0-9_-]{8,128}$/;

/** Frames the browser sends. */
export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    sessionId: z.string().regex(sessionIdPattern),
    /** Epoch and sequence of the last reply the page shows; missed replies after it are re-sent. */
    epoch: z.string().max(64).optional(),
    lastSeq: z.number().int().min(0).optional(),
  }),
  z.object({
    type: z.literal('message'),
    text: z
      .string()
      .max(MAX_TEXT_LENGTH)
      .refine((t) => t.trim().length > 0),
  }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** Frames the server sends. */
export type ServerFrame =
  | { type: 'ready'; epoch: string; lastSeq: number }
  | { type: 'reply'; seq: number; reply: Reply }
  /** What the citizen wrote on another page of the session (or before a reload), in the same sequence. */
  | { type: 'said'; seq: number; text: string }
  | { type: 'typing'; on: boolean }
  | { type: 'error'; message: string };

export interface SequencedReply {
  seq: number;
  reply: Reply;
}

/** A citizen's message, kept beside the replies so that another page shows what they answer. */
export interface SequencedMessage {
  seq: number;
  said: string;
}

export type SequencedItem = SequencedReply | SequencedMessage;

/** A stored turn of a conversation, before it is numbered: a reply, or what the citizen wrote. */
export type HistoryItem = { reply: Reply } | { said: string };

export const isReply = (item: SequencedItem): item is SequencedReply => 'reply' in item;

/** The frame that shows an item of the history on a page. */
export const frameOf = (item: SequencedItem): ServerFrame =>
  isReply(item) ? { type: 'reply', ...item } : { type: 'said', seq: item.seq, text: item.said };

/**
 * Carries pushes to every instance of the server (Redis pub/sub when REDIS_URL is set), so that
 * a page connected to another instance than the one delivering the update still gets it. Every
 * instance, the publishing one included, hands what it receives to its hub's `pushToSession`.
 */
export interface WebChatRelay {
  publish(sessionId: string, reply: Reply): Promise<void>;
}

export interface WebChatHubOptions {
  /** Replies and citizen messages kept per session for re-sync after a reconnect or a reload. */
  historySize?: number;
  /** Sessions whose history is kept (least recently used dropped first). */
  maxSessions?: number;
}

/**
 * Fan-out of replies to the open pages of a session, with a per-session sequence so a page that
 * reconnects gets what it missed. One per process; with several instances `deliver` goes through
 * a relay that feeds `pushToSession` on every instance.
 */
export class WebChatHub {
  /** Changes at every start, so a page knows its sequence numbers belong to an older run. */
  readonly epoch = randomBytes(6).toString('hex');
  private readonly sockets = new Map<string, Set<WebChatSocket>>();
  private readonly history = new Map<string, { next: number; items: SequencedItem[] }>();
  private readonly historySize: number;
  private readonly maxSessions: number;
  private relay?: WebChatRelay;
  private historySource?: (sessionId: string, limit: number) => Promise<HistoryItem[]>;

  constructor(options: WebChatHubOptions = {}) {
    this.historySize = options.historySize ?? 50;
    this.maxSessions = options.maxSessions ?? 10_000;
  }

  /**
   * Where a session's conversation comes from when this process has none of it (after a restart,
   * or on another instance): the stored transcript, oldest first.
   */
  useHistorySource(source: (sessionId: string, limit: number) => Promise<HistoryItem[]>): void {
    this.historySource = source;
  }

  /**
   * Fills the history of a session this process does not know from the history source, numbered
   * from 1 in this epoch, so a page opened or reloaded after a restart still shows the conversation.
   * A failing source leaves the history empty: the conversation goes on, only its past is not shown.
   */
  async restore(sessionId: string): Promise<void> {
    if (!this.historySource || this.history.has(sessionId)) return;
    let items: HistoryItem[];
    try {
      items = await this.historySource(sessionId, this.historySize);
    } catch {
      return;
    }
    if (this.history.has(sessionId) || items.length === 0) return;
    for (const item of items.slice(-this.historySize)) {
      const seq = this.nextSeq(sessionId);
      this.keep(sessionId, 'reply' in item ? { seq, reply: item.reply } : { seq, said: item.said });
    }
  }

  /** Sends later pushes through the relay (several instances) instead of this process only. */
  useRelay(relay: WebChatRelay | undefined): void {
    this.relay = relay;
  }

  /**
   * Delivers a work-order update to the session's open pages on whichever instance they are
   * connected to. Rejects when the relay cannot take it (the outbox then retries).
   */
  async deliver(sessionId: string, reply: Reply): Promise<void> {
    if (this.relay) await this.relay.publish(sessionId, reply);
    else this.pushToSession(sessionId, reply);
  }

  /** Registers an open page; returns the function that unregisters it. */
  attach(sessionId: string, socket: WebChatSocket): () => void {
    const set = this.sockets.get(sessionId) ?? new Set();
    set.add(socket);
    this.sockets.set(sessionId, set);
    return () => {
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(sessionId);
    };
  }

  /** Stores a reply under the next sequence number and sends it to every open page of the session. */
  record(sessionId: string, reply: Reply): SequencedReply {
    const item = { seq: this.nextSeq(sessionId), reply };
    this.keep(sessionId, item);
    this.broadcast(sessionId, frameOf(item));
    return item;
  }

  /**
   * Stores what the citizen wrote and shows it on the session's other open pages (`from`, the page
   * it was written on, shows it already), so that the replies that follow answer something there.
   */
  recordSaid(sessionId: string, text: string, from?: WebChatSocket): SequencedMessage {
    const item = { seq: this.nextSeq(sessionId), said: text };
    this.keep(sessionId, item);
    this.broadcast(sessionId, frameOf(item), from);
    return item;
  }

  private nextSeq(sessionId: string): number {
    let log = this.history.get(sessionId);
    if (log) this.history.delete(sessionId);
    log ??= { next: 1, items: [] };
    this.history.set(sessionId, log); // re-inserted: most recently used last
    if (this.history.size > this.maxSessions) this.history.delete(this.history.keys().next().value!);
    return log.next++;
  }

  private keep(sessionId: string, item: SequencedItem): void {
    const log = this.history.get(sessionId)!;
    log.items.push(item);
    if (log.items.length > this.historySize) log.items.shift();
  }

  /**
   * Pushes a reply (e.g. a work-order update) into a session; true when a page was open to show
   * it at once. It is kept for re-sync either way.
   */
  pushToSession(sessionId: string, reply: Reply): boolean {
    this.record(sessionId, reply);
    return (this.sockets.get(sessionId)?.size ?? 0) > 0;
  }

  since(sessionId: string, lastSeq: number): SequencedItem[] {
    return (this.history.get(sessionId)?.items ?? []).filter((item) => item.seq > lastSeq);
  }

  lastSeq(sessionId: string): number {
    return (this.history.get(sessionId)?.next ?? 1) - 1;
  }

  broadcast(sessionId: string, frame: ServerFrame, except?: WebChatSocket): void {
    const data = JSON.stringify(frame);
    for (const socket of this.sockets.get(sessionId) ?? []) {
      if (socket === except) continue;
      try {
        socket.send(data);
      } catch {
        // A socket closing mid-send is cleaned up by its close handler; the reply stays in history.
      }
    }
  }
}
