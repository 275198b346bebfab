import { randomBytes } from 'node:crypto';
import { wechatSignature, type WechatMessageCrypto } from './crypto.js';
import { buildWechatXml } from './xml.js';

/** Encrypts a reply into `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>` (safe mode and WeCom). */
export function sealReply(crypto: WechatMessageCrypto, token: string, xml: string, now: Date, nonce?: string): string {
  const encrypt = crypto.encrypt(xml);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const n = nonce && /^\w{1,32}$/.test(nonce) ? nonce : randomBytes(8).toString('hex');
  return buildWechatXml({
    Encrypt: encrypt,
    MsgSignature: wechatSignature(token, timestamp, n, encrypt),
    TimeStamp: timestamp,
    Nonce: n,
  });
}

/** A passive text reply. */
export function textReplyXml(to: string, from: string, text: string, now: Date): string {
  return buildWechatXml({
    ToUserName: to,
    FromUserName: from,
    CreateTime: Math.floor(now.getTime() / 1000),
    MsgType: 'text',
    Content: text,
  });
}
