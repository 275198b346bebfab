import { z } from 'zod';
import type { InboundMessage, Reply } from '../../bot/message.js';
import { replyKinds } from '../../bot/message.js';

export const MAX_TEXT_LENGTH = 2000;

/** Body of POST /api/chat. */
export const webChatRequestSchema = z.object({
  sessionId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8-128 letters, digits, "_" or "-"')
    .describe('Stable id of the browser session (the page keeps it in localStorage)'),
  text: z
    .string()
    .max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`)
    .refine((t) => t.trim().length > 0, 'must not be empty')
    .describe("The citizen's message"),
});
export type WebChatRequest = z.infer<typeof webChatRequestSchema>;

const sourceSchema = z.object({
  id: z.string(),
  question: z.string(),
  department: z.string().nullable().optional(),
});

const replySchema = z.object({
  kind: z.enum(replyKinds),
  text: z.string(),
  sources: z.array(sourceSchema),
  choices: z.array(z.string()).optional(),
  ticket: z.object({ code: z.string(), status: z.string(), statusLabel: z.string() }).optional(),
});

/** GET /api/chat/sync: replies after `after` (pushes the page missed while polling). */
export const webChatSyncQuerySchema = z.object({
  sessionId: webChatRequestSchema.shape.sessionId,
  after: z.coerce.number().int().min(0).default(0),
  epoch: z.string().max(64).optional(),
});
export const webChatSyncResponseSchema = z.object({
  epoch: z.string(),
  lastSeq: z.number().int(),
  replies: z.array(z.object({ seq: z.number().int(), reply: replySchema })),
  /** The citizen's messages in the same sequence (written on another page, or before a reload). */
  said: z.array(z.object({ seq: z.number().int(), text: z.string() })),
});

export const webChatResponseSchema = z.object({
  /** Sequence of the last reply in this session (for re-sync), when the server keeps one. */
  lastSeq: z.number().int().optional(),
  epoch: z.string().optional(),
  replies: z.array(
    z.object({
      kind: z.enum(replyKinds),
      text: z.string(),
      sources: z.array(sourceSchema),
      choices: z.array(z.string()).optional(),
      ticket: z.object({ code: z.string(), status: z.string(), statusLabel: z.string() }).optional(),
    }),
  ),
});
export type WebChatResponse = z.infer<typeof webChatResponseSchema>;

export const WEB_CHANNEL = 'web';

export function toInboundMessage(request: WebChatRequest, receivedAt: Date): InboundMessage {
  return {
    channel: WEB_CHANNEL,
    sessionId: request.sessionId,
    userId: request.sessionId,
    text: request.text,
    receivedAt,
  };
}

export function renderReplies(replies: Reply[]): WebChatResponse {
  return { replies };
}
