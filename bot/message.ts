/** Where the citizen is, when the channel shares it (WeChat location message, browser geolocation). */
export interface Location {
  latitude: number;
  longitude: number;
  /** The place name the channel gives with it, if any. */
  label?: string;
}

/** A citizen's message after its channel adapter has verified and parsed it. */
export interface InboundMessage {
  /** The channel's own message id when it has one (used for dedupe). */
  id?: string;
  channel: string;
  /** The citizen's identity on the channel (WeChat OpenID, phone number, web visitor id). */
  userId?: string;
  sessionId: string;
  text: string;
  /** A phone number the channel knows is the citizen's (an SMS sender): a work order's contact unless they give another. */
  contactPhone?: string;
  /** A place the citizen shared (WeChat location message), kept by the channel for the session. */
  location?: Location;
  /** Media the citizen sent, by reference (never downloaded by the channel). */
  attachments?: Attachment[];
  receivedAt: Date;
}

/** The channels' name for a shared place. */
export type SharedLocation = Location;

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
  /** A request outside a government hotline's remit, or abuse: a short polite refusal. */
  'refuse',
  /** The citizen asked for a person: the hotline number and the offer of a work order. */
  'handoff',
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
  /** Suggested answers the citizen can tap or send back (quick replies). */
  choices?: string[];
  ticket?: TicketCard;
}
