import { randomBytes } from 'node:crypto';
import { WechatMessageCrypto, wechatSignature } from './crypto.js';
import { buildWechatXml } from './xml.js';

export interface SignedCallback {
  query: Record<string, string>;
  body: string;
}

/**
 * Builds callbacks exactly as the WeChat platform sends them (signed, and encrypted in safe
 * mode): for simulators and tests that exercise the real webhook.
 */
export class WechatCallbackSigner {
  private readonly crypto?: WechatMessageCrypto;

  constructor(
    private readonly options: { token: string; appId?: string; encodingAesKey?: string; mode: 'plain' | 'safe' },
  ) {
    if (options.mode === 'safe') {
      if (!options.encodingAesKey || !options.appId) throw new Error('safe mode needs the AppID and EncodingAESKey');
      this.crypto = new WechatMessageCrypto(options.encodingAesKey, options.appId);
    }
  }

  urlVerification(echostr: string, timestamp: number): Record<string, string> {
    const nonce = randomBytes(4).readUInt32BE(0).toString();
    const ts = String(timestamp);
    return { signature: wechatSignature(this.options.token, ts, nonce), timestamp: ts, nonce, echostr };
  }

  message(
    fields: Record<string, string | number>,
    timestamp: number,
    openId = String(fields.FromUserName),
  ): SignedCallback {
    const nonce = randomBytes(4).readUInt32BE(0).toString();
    const ts = String(timestamp);
    const xml = buildWechatXml(fields);
    const query: Record<string, string> = {
      signature: wechatSignature(this.options.token, ts, nonce),
      timestamp: ts,
      nonce,
      openid: openId,
    };
    if (!this.crypto) return { query, body: xml };
    const encrypt = this.crypto.encrypt(xml);
    query.encrypt_type = 'aes';
    query.msg_signature = wechatSignature(this.options.token, ts, nonce, encrypt);
    return { query, body: buildWechatXml({ ToUserName: String(fields.ToUserName), Encrypt: encrypt }) };
  }

  /** Reads a passive reply, decrypting it (and checking its signature) in safe mode. */
  openReply(body: string): string {
    if (!this.crypto) return body;
    const encrypt = body.match(/<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/)?.[1];
    const signature = body.match(/<MsgSignature><!\[CDATA\[(.*?)\]\]><\/MsgSignature>/)?.[1];
    const timestamp = body.match(/<TimeStamp><!\[CDATA\[(.*?)\]\]><\/TimeStamp>/)?.[1];
    const nonce = body.match(/<Nonce><!\[CDATA\[(.*?)\]\]><\/Nonce>/)?.[1];
    if (!encrypt || !signature || !timestamp || !nonce) throw new Error('reply is not an encrypted envelope');
    if (wechatSignature(this.options.token, timestamp, nonce, encrypt) !== signature) {
      throw new Error('reply signature is wrong');
    }
    return this.crypto.decrypt(encrypt);
  }
}
