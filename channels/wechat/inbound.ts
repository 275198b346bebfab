import { z } from 'zod';

// Field names are lower-cased by parseWechatXml.
const base = {
  tousername: z.string().min(1).max(128),
  fromusername: z.string().min(1).max(128),
  createtime: z.string().regex(/^\d{1,12}$/),
};
const msgId = z.string().regex(/^\d{1,20}$/);

const text = z.object({ ...base, msgtype: z.literal('text'), content: z.string().max(4096), msgid: msgId });
const image = z.object({
  ...base,
  msgtype: z.literal('image'),
  picurl: z.string().max(2048).optional(),
  mediaid: z.string().max(256),
  msgid: msgId,
});
const voice = z.object({
  ...base,
  msgtype: z.literal('voice'),
  mediaid: z.string().max(256),
  format: z.string().max(32).optional(),
  recognition: z.string().max(4096).optional(),
  msgid: msgId,
});
const coordinate = z
  .string()
  .regex(/^-?\d{1,3}(\.\d+)?$/)
  .transform(Number);
const location = z.object({
  ...base,
  msgtype: z.literal('location'),
  location_x: coordinate,
  location_y: coordinate,
  scale: z.string().optional(),
  label: z.string().max(512).optional(),
  msgid: msgId,
});
const event = z.object({
  ...base,
  msgtype: z.literal('event'),
  event: z.string().min(1).max(64),
  eventkey: z.string().max(256).optional(),
});
const other = z.object({ ...base, msgtype: z.string().min(1).max(32), msgid: msgId.optional() });

/** A validated official-account or WeCom callback message. */
export type WechatInbound =
  | z.infer<typeof text>
  | z.infer<typeof image>
  | z.infer<typeof voice>
  | z.infer<typeof location>
  | z.infer<typeof event>
  | (z.infer<typeof other> & { msgtype: 'other' });

const byType: Record<string, z.ZodType> = { text, image, voice, location, event };

export type WechatParseResult = { ok: true; message: WechatInbound } | { ok: false; problem: string };

export function validateWechatMessage(fields: Record<string, string>): WechatParseResult {
  const schema = byType[fields.msgtype ?? ''] ?? other;
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  const message = parsed.data as WechatInbound;
  // Link, video, file...: valid, but nothing the bot can take; the webhook answers them itself.
  if (!byType[message.msgtype]) return { ok: true, message: { ...message, msgtype: 'other' } as WechatInbound };
  return { ok: true, message };
}

/**
 * WeChat retries a message up to three times: messages are identified by MsgId, events (which
 * have none) by sender and creation time.
 */
export function dedupeKey(message: WechatInbound): string {
  if ('msgid' in message && message.msgid) return `msg:${message.msgid}`;
  return `event:${message.fromusername}:${message.createtime}`;
}
