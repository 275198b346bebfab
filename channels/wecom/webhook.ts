import type { ChannelMemory } from '../channel-memory.js';
import { WechatMessageCrypto, signaturesEqual, wechatSignature } from '../wechat/crypto.js';
import { sealReply, textReplyXml } from '../wechat/envelope.js';
import { dedupeKey, validateWechatMessage } from '../wechat/inbound.js';
import { MAX_TEXT_BYTES } from '../wechat/render.js';
import { shortenToFit } from '../wechat/text-fit.js';
import type { WebhookQuery, WebhookResponse, WechatWebhookLog } from '../wechat/webhook.js';
import { parseWechatXml } from '../wechat/xml.js';

export const WECOM_CHANNEL = 'wecom';

/** A member's message to the app, already verified and decrypted. */
export interface StaffMessage {
  /** The member's UserID in the organisation. */
  userId: string;
  text: string;
  agentId?: string;
}

export interface WecomWebhookOptions {
  token: string;
  encodingAesKey: string;
  corpId: string;
  /** Answers a member (hotline staff, department handler); undefined = no reply. */
  handle(message: StaffMessage): Promise<string | undefined>;
  memory: ChannelMemory;
  maxClockSkewSeconds?: number;
  /** Menu keys (lowercase `click` events) and the command each stands for. */
  menuKeys?: Record<string, string>;
  log: WechatWebhookLog;
  clock?: () => Date;
}

const plain = (status: number, body: string): WebhookResponse => ({ status, contentType: 'text/plain', body });
const ACK = plain(200, '');

/** The WeCom app callback (`GET|POST /channels/wecom`): always encrypted, the echostr too. */
export class WecomWebhook {
  private readonly crypto: WechatMessageCrypto;
  private readonly clock: () => Date;

  constructor(private readonly options: WecomWebhookOptions) {
    this.crypto = new WechatMessageCrypto(options.encodingAesKey, options.corpId);
    this.clock = options.clock ?? (() => new Date());
  }

  verifyUrl(query: WebhookQuery): WebhookResponse {
    const { timestamp = '', nonce = '', echostr = '' } = query;
    if (
      !echostr ||
      !signaturesEqual(wechatSignature(this.options.token, timestamp, nonce, echostr), query.msg_signature)
    ) {
      this.options.log.warn({ channel: WECOM_CHANNEL }, 'URL verification with an invalid signature');
      return plain(401, 'invalid signature');
    }
    try {
      return plain(200, this.crypto.decrypt(echostr));
    } catch {
      return plain(401, 'invalid echostr');
    }
  }

  async receive(query: WebhookQuery, body: string): Promise<WebhookResponse> {
    const { timestamp = '', nonce = '' } = query;
    if (
      !/^\d{1,12}$/.test(timestamp) ||
      Math.abs(this.clock().getTime() / 1000 - Number(timestamp)) > (this.options.maxClockSkewSeconds ?? 300)
    ) {
      return plain(401, 'stale or missing timestamp');
    }
    let fields: Record<string, string>;
    try {
      const outer = parseWechatXml(body);
      if (!outer.encrypt) return plain(400, 'missing Encrypt');
      if (!signaturesEqual(wechatSignature(this.options.token, timestamp, nonce, outer.encrypt), query.msg_signature)) {
        this.options.log.warn({ channel: WECOM_CHANNEL }, 'message with an invalid msg_signature');
        return plain(401, 'invalid signature');
      }
      fields = parseWechatXml(this.crypto.decrypt(outer.encrypt));
    } catch (error) {
      this.options.log.warn({ channel: WECOM_CHANNEL, problem: (error as Error).message }, 'callback refused');
      return plain(400, 'invalid message');
    }
    const parsed = validateWechatMessage(fields);
    if (!parsed.ok) return plain(400, 'invalid message');
    const m = parsed.message;
    if (!(await this.options.memory.claim(`wecom:${dedupeKey(m)}`, 10 * 60_000))) return ACK;

    let text: string | undefined;
    if (m.msgtype === 'text') text = m.content;
    else if (m.msgtype === 'event' && m.event.toLowerCase() === 'click' && m.eventkey)
      text = this.options.menuKeys?.[m.eventkey];
    if (!text) return ACK;
    const answer = await this.options.handle({ userId: m.fromusername, text, agentId: fields.agentid });
    if (!answer) return ACK;
    // A passive reply is one text message of at most 2048 bytes, and WeCom cuts off what is beyond
    // it: shorten the long lines (a long place or summary) so the phone and the dates still show.
    const xml = textReplyXml(m.fromusername, m.tousername, shortenToFit(answer, MAX_TEXT_BYTES), this.clock());
    return {
      status: 200,
      contentType: 'application/xml',
      body: sealReply(this.crypto, this.options.token, xml, this.clock(), nonce),
    };
  }
}
