/** A citizen's message after its channel adapter has verified and parsed it. */
export interface InboundMessage {
  /** The channel's own message id when it has one (used for dedupe). */
  id?: string;
  channel: string;
  /** The citizen's identity on the channel (WeChat OpenID, phone number, web visitor id). */
  userId?: string;
  sessionId: string;
  text: string;
  /** A place the citizen shared (WeChat location message), kept by the channel for the session. */
  location?: SharedLocation;
  /** Media the citizen sent, by reference (never downloaded by the channel). */
  attachments?: Attachment[];
  receivedAt: Date;
}

export interface SharedLocation {
  latitude: number;
  longitude: number;
  label?: string;
}

export interface Attachment {
  kind: 'image' | 'voice' | 'file';
  /** The platform's media id (e.g. WeChat MediaId), valid for a few days on the platform. */
  mediaId?: string;
  url?: string;
}

export const replyKinds = [
  'answer',
  'clarify',
  'ask',
  'ticket',
  'status',
  'emergency',
  'fallback',
  'chitchat',
] as const;
export type ReplyKind = (typeof replyKinds)[number];

export interface ReplySource {
  id: string;
  question: string;
  department?: string | null;
}

export interface TicketCard {
  code: string;
  status: string;
  statusLabel: string;
}

/** One reply of a turn; channels render it (buttons on the web, numbered lines on SMS). */
export interface Reply {
  kind: ReplyKind;
  text: string;
  sources: ReplySource[];
  /** Suggested answers the citizen can tap or send back. */
  choices?: string[];
  ticket?: TicketCard;
}
