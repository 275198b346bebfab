import type { InboundMessage, Reply, SharedLocation } from '../../bot/message.js';
import type { ChannelMemory } from '../channel-memory.js';
import { WechatCryptoError, WechatMessageCrypto, signaturesEqual, wechatSignature } from './crypto.js';
import { dedupeKey, validateWechatMessage, type WechatInbound } from './inbound.js';
import { renderRepliesAsText, type RenderedText } from './render.js';
import { defaultMenuKeys, wechatTexts } from './texts.js';
import { sealReply, textReplyXml } from './envelope.js';
import { WechatXmlError, parseWechatXml } from './xml.js';

export const WECHAT_CHANNEL = 'wechat';

/** What the HTTP layer sends back; the route only copies it. */
export interface WebhookResponse {
  status: number;
  contentType: 'text/plain' | 'application/xml';
  body: string;
}

export type WebhookQuery = Record<string, string | undefined>;

/** An answer to send later, keyed by the inbound message so that it is queued once. */
export interface LateAnswer {
  /** `wechat:` + the message's dedupe key (MsgId, or sender + CreateTime for events). */
  key: string;
  openId: string;
  sessionId: string;
  replies: Reply[];
}

export interface WechatWebhookLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface WechatWebhookOptions {
  token: string;
  /** AppID of the account: the receiver id of encrypted messages. Required with `encodingAesKey`. */
  appId?: string;
  /** Set → compatible and safe (AES) modes are accepted, and replies to encrypted messages are encrypted. */
  encodingAesKey?: string;
  /** Runs one turn of the bot. */
  handle(message: InboundMessage): Promise<Reply[]>;
  /** Called when a turn misses the passive-reply budget (e.g. to show "typing" in WeChat). */
  onLate?(openId: string): Promise<void> | void;
  /**
   * Hands over an answer that missed the passive-reply budget for delivery through the
   * customer-service API. It should be durable (the late-reply outbox, which retries a failed
   * send): once `success` is returned WeChat will not ask again.
   */
  deferReply?(reply: LateAnswer): Promise<void>;
  memory: ChannelMemory;
  /** Time the turn may take before `success` is returned and the answer follows later; 0 = always later. */
  replyBudgetMs?: number;
  /** Callbacks whose timestamp is further than this from now are refused as replays. */
  maxClockSkewSeconds?: number;
  menuKeys?: Record<string, string>;
  log: WechatWebhookLog;
  clock?: () => Date;
}

const DEDUPE_TTL_MS = 10 * 60_000;
const LOCATION_TTL_MS = 24 * 60 * 60_000;
const CHOICES_TTL_MS = 30 * 60_000;

const plain = (status: number, body: string): WebhookResponse => ({ status, contentType: 'text/plain', body });
const ACK = plain(200, 'success');

type Outcome = { kind: 'ack' } | { kind: 'text'; text: string } | { kind: 'turn'; message: InboundMessage };

/**
 * The official-account callback (`GET|POST /channels/wechat`): verifies, decrypts, dedupes and
 * parses WeChat's XML into the bot's InboundMessage, then answers passively or acknowledges and
 * delivers later. Knows nothing of HTTP frameworks and nothing of what the bot answers.
 */
export class WechatWebhook {
  private readonly crypto?: WechatMessageCrypto;
  private readonly clock: () => Date;
  private readonly budgetMs: number;
  private readonly skewSeconds: number;
  private readonly menuKeys: Record<string, string>;
  /** Late deliveries still running, so that shutdown and tests can wait for them. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: WechatWebhookOptions) {
    if (options.encodingAesKey) {
      if (!options.appId) throw new Error('WeChat safe mode needs the AppID');
      this.crypto = new WechatMessageCrypto(options.encodingAesKey, options.appId);
    }
    this.clock = options.clock ?? (() => new Date());
    this.budgetMs = options.replyBudgetMs ?? 3000;
    this.skewSeconds = options.maxClockSkewSeconds ?? 300;
    this.menuKeys = options.menuKeys ?? defaultMenuKeys;
  }

  /** URL verification: echo `echostr` when the signature is ours. */
  verifyUrl(query: WebhookQuery): WebhookResponse {
    const { timestamp = '', nonce = '', echostr } = query;
    if (!echostr || !signaturesEqual(wechatSignature(this.options.token, timestamp, nonce), query.signature)) {
      this.options.log.warn({ channel: WECHAT_CHANNEL }, 'URL verification with an invalid signature');
      return plain(401, 'invalid signature');
    }
    return plain(200, echostr);
  }

  async receive(query: WebhookQuery, body: string): Promise<WebhookResponse> {
    const opened = this.open(query, body);
    if ('status' in opened) return opened;
    const { message, encrypted } = opened;

    if (!(await this.options.memory.claim(`wechat:${dedupeKey(message)}`, DEDUPE_TTL_MS))) {
      this.options.log.info({ channel: WECHAT_CHANNEL, key: dedupeKey(message) }, 'duplicate delivery acknowledged');
      return ACK;
    }
    const outcome = await this.interpret(message);
    if (outcome.kind === 'ack') return ACK;
    if (outcome.kind === 'text') return this.passive(message, outcome.text, encrypted, query);

    const turn = this.options.handle(outcome.message);
    const replies = this.budgetMs > 0 ? await withinBudget(turn, this.budgetMs) : undefined;
    if (replies) {
      const rendered = await this.render(message.fromusername, replies);
      if (rendered.messages.length === 1 || !(await this.deferLongAnswer(message, replies))) {
        return this.passive(message, rendered.text, encrypted, query);
      }
      return ACK;
    }
    // The answer goes after the typing notice, never before it.
    const typing = Promise.resolve()
      .then(() => this.options.onLate?.(message.fromusername))
      .catch(() => undefined);
    this.track(
      this.deliverLater(
        message,
        Promise.all([turn, typing]).then(([replies]) => replies),
      ),
    );
    return ACK;
  }

  /** Resolves once every late delivery started so far has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private open(query: WebhookQuery, body: string): WebhookResponse | { message: WechatInbound; encrypted: boolean } {
    const { timestamp = '', nonce = '' } = query;
    if (
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(this.clock().getTime() / 1000 - Number(timestamp)) > this.skewSeconds
    ) {
      this.options.log.warn({ channel: WECHAT_CHANNEL }, 'callback timestamp outside the accepted window');
      return plain(401, 'stale or missing timestamp');
    }
    let fields: Record<string, string>;
    try {
      fields = parseWechatXml(body);
    } catch (error) {
      this.options.log.warn({ channel: WECHAT_CHANNEL, problem: (error as Error).message }, 'malformed XML refused');
      return plain(error instanceof WechatXmlError && /too large/.test(error.message) ? 413 : 400, 'malformed XML');
    }
    let encrypted = false;
    if (query.encrypt_type === 'aes' && fields.encrypt !== undefined) {
      if (!this.crypto) return plain(400, 'encrypted messages are not configured');
      if (
        !signaturesEqual(wechatSignature(this.options.token, timestamp, nonce, fields.encrypt), query.msg_signature)
      ) {
        this.options.log.warn({ channel: WECHAT_CHANNEL }, 'message with an invalid msg_signature');
        return plain(401, 'invalid signature');
      }
      try {
        fields = parseWechatXml(this.crypto.decrypt(fields.encrypt));
      } catch (error) {
        const problem = (error as Error).message;
        this.options.log.warn({ channel: WECHAT_CHANNEL, problem }, 'encrypted message refused');
        return plain(error instanceof WechatCryptoError ? 401 : 400, 'invalid encrypted message');
      }
      encrypted = true;
    } else if (!signaturesEqual(wechatSignature(this.options.token, timestamp, nonce), query.signature)) {
      this.options.log.warn({ channel: WECHAT_CHANNEL }, 'message with an invalid signature');
      return plain(401, 'invalid signature');
    }
    const result = validateWechatMessage(fields);
    if (!result.ok) {
      this.options.log.warn({ channel: WECHAT_CHANNEL, problem: result.problem }, 'invalid message refused');
      return plain(400, 'invalid message');
    }
    return { message: result.message, encrypted };
  }

  private async interpret(m: WechatInbound): Promise<Outcome> {
    const openId = m.fromusername;
    const receivedAt = new Date(Number(m.createtime) * 1000);
    const base = { channel: WECHAT_CHANNEL, userId: openId, sessionId: `wx-${openId}`, receivedAt };
    const location = await this.options.memory.get<SharedLocation>(`wechat:location:${openId}`);
    const withLocation = location ? { location } : {};
    switch (m.msgtype) {
      case 'text':
        return {
          kind: 'turn',
          message: { ...base, ...withLocation, id: m.msgid, text: await this.resolveChoice(openId, m.content) },
        };
      case 'voice':
        if (!m.recognition?.trim()) return { kind: 'text', text: wechatTexts.voiceNotRecognised };
        return {
          kind: 'turn',
          message: {
            ...base,
            ...withLocation,
            id: m.msgid,
            text: m.recognition,
            attachments: [{ kind: 'voice', mediaId: m.mediaid }],
          },
        };
      case 'image':
        return {
          kind: 'turn',
          message: {
            ...base,
            ...withLocation,
            id: m.msgid,
            text: wechatTexts.imageText,
            attachments: [{ kind: 'image', mediaId: m.mediaid, ...(m.picurl ? { url: m.picurl } : {}) }],
          },
        };
      case 'location': {
        const shared: SharedLocation = { latitude: m.location_x, longitude: m.location_y, label: m.label };
        await this.options.memory.put(`wechat:location:${openId}`, shared, LOCATION_TTL_MS);
        return {
          kind: 'turn',
          message: { ...base, id: m.msgid, text: wechatTexts.locationText(m.label), location: shared },
        };
      }
      case 'event':
        return this.interpretEvent(m, base);
      default:
        return { kind: 'text', text: wechatTexts.unsupported };
    }
  }

  private async interpretEvent(
    m: Extract<WechatInbound, { msgtype: 'event' }>,
    base: Omit<InboundMessage, 'text'>,
  ): Promise<Outcome> {
    const event = m.event.toLowerCase();
    if (event === 'subscribe') return { kind: 'text', text: wechatTexts.welcome };
    if (event === 'click') {
      const text = m.eventkey ? this.menuKeys[m.eventkey] : undefined;
      if (!text) {
        this.options.log.warn({ channel: WECHAT_CHANNEL, eventKey: m.eventkey }, 'unknown menu key');
        return { kind: 'ack' };
      }
      return { kind: 'turn', message: { ...base, text } };
    }
    // unsubscribe, VIEW, SCAN, LOCATION reports, TEMPLATESENDJOBFINISH: nothing to say.
    return { kind: 'ack' };
  }

  /** "2" after choices the channel numbered stands for the second choice. */
  private async resolveChoice(openId: string, text: string): Promise<string> {
    const digit = text.trim().match(/^[1-9]$/)?.[0];
    if (!digit) return text;
    const choices = await this.options.memory.get<string[]>(`wechat:choices:${openId}`);
    return choices?.[Number(digit) - 1] ?? text;
  }

  private async render(openId: string, replies: Reply[]): Promise<RenderedText> {
    const rendered = renderRepliesAsText(replies);
    await this.options.memory.put(`wechat:choices:${openId}`, rendered.numberedChoices, CHOICES_TTL_MS);
    return rendered;
  }

  /**
   * An answer too long for the one message a passive reply carries goes whole through the
   * customer-service API as several messages, in order (a passive first part could arrive after
   * the rest). Queued before `success` goes back, since WeChat will not ask again. False when
   * there is no such API or the queue refused it: the passive reply then carries it shortened.
   */
  private async deferLongAnswer(message: WechatInbound, replies: Reply[]): Promise<boolean> {
    if (!this.options.deferReply) return false;
    const openId = message.fromusername;
    try {
      await this.options.deferReply({
        key: `${WECHAT_CHANNEL}:${dedupeKey(message)}`,
        openId,
        sessionId: `wx-${openId}`,
        replies,
      });
      this.options.log.info({ channel: WECHAT_CHANNEL }, 'long answer queued for the customer-service API');
      return true;
    } catch (error) {
      this.options.log.error({ channel: WECHAT_CHANNEL, err: error }, 'long answer not queued; replying shortened');
      return false;
    }
  }

  private async deliverLater(message: WechatInbound, turn: Promise<Reply[]>): Promise<void> {
    const openId = message.fromusername;
    try {
      const replies = await turn;
      await this.render(openId, replies);
      if (!this.options.deferReply) {
        this.options.log.error({ channel: WECHAT_CHANNEL }, 'answer missed the reply budget and no sender is set');
        return;
      }
      await this.options.deferReply({
        key: `${WECHAT_CHANNEL}:${dedupeKey(message)}`,
        openId,
        sessionId: `wx-${openId}`,
        replies,
      });
      this.options.log.info({ channel: WECHAT_CHANNEL }, 'late answer queued for the customer-service API');
    } catch (error) {
      this.options.log.error({ channel: WECHAT_CHANNEL, err: error }, 'late answer failed');
    }
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private passive(m: WechatInbound, text: string, encrypted: boolean, query: WebhookQuery): WebhookResponse {
    const xml = textReplyXml(m.fromusername, m.tousername, text, this.clock());
    const body =
      encrypted && this.crypto ? sealReply(this.crypto, this.options.token, xml, this.clock(), query.nonce) : xml;
    return { status: 200, contentType: 'application/xml', body };
  }
}

/** The turn's replies if it finishes within the budget, else undefined (the turn keeps running). */
async function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), budgetMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
