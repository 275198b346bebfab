import { randomInt } from 'node:crypto';
import { twilioSignature } from '../channels/sms/inbound.js';
import { WechatCallbackSigner } from '../channels/wechat/callback-signer.js';
import { parseWechatXml } from '../channels/wechat/xml.js';
import type { ChannelConfig } from './channel-config.js';

/**
 * Sends what the platforms send (signed, and encrypted in safe mode) to a running server, so the
 * channels can be tried without any external account: `minsheng simulate wechat|sms TEXT`.
 */
export async function simulateWechat(options: {
  baseUrl: string;
  config: ChannelConfig;
  openId: string;
  text: string;
  safe?: boolean;
}): Promise<string> {
  const wechat = options.config.wechat;
  if (!wechat) throw new Error('WECHAT_TOKEN is not set: the WeChat channel is off');
  const safe = options.safe ?? !!wechat.encodingAesKey;
  const signer = new WechatCallbackSigner({
    token: wechat.token,
    appId: wechat.appId,
    encodingAesKey: wechat.encodingAesKey,
    mode: safe ? 'safe' : 'plain',
  });
  const now = Math.floor(Date.now() / 1000);
  const callback = signer.message(
    {
      ToUserName: 'gh_simulator',
      FromUserName: options.openId,
      CreateTime: now,
      MsgType: 'text',
      Content: options.text,
      MsgId: `${now}${randomInt(1_000_000)}`,
    },
    now,
  );
  const response = await fetch(`${options.baseUrl}/channels/wechat?${new URLSearchParams(callback.query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: callback.body,
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`server answered ${response.status}: ${body}`);
  if (body === 'success') return '(success: the answer follows through the customer-service API)';
  return parseWechatXml(signer.openReply(body)).content ?? '';
}

export async function simulateSms(options: {
  baseUrl: string;
  config: ChannelConfig;
  phone: string;
  text: string;
}): Promise<string> {
  const twilio = options.config.sms.twilio;
  if (!twilio) throw new Error('TWILIO_AUTH_TOKEN is not set: the simulator speaks the Twilio-style webhook');
  const form = {
    MessageSid: `SM${randomInt(2 ** 47)
      .toString(16)
      .padStart(32, '0')}`,
    AccountSid: twilio.accountSid,
    From: options.phone,
    To: twilio.from ?? '+10000000000',
    Body: options.text,
    NumMedia: '0',
  };
  const signedBase = options.config.sms.publicBaseUrl?.replace(/\/+$/, '') ?? options.baseUrl;
  const response = await fetch(`${options.baseUrl}/channels/sms/twilio`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(twilio.authToken, `${signedBase}/channels/sms/twilio`, form),
    },
    body: new URLSearchParams(form),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`server answered ${response.status}: ${body}`);
  const message = body.match(/<Message>([\s\S]*)<\/Message>/)?.[1] ?? '';
  return message
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
