import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../channels/sms/inbound.js';
import { renderSms } from '../../channels/sms/render.js';
import { WechatCallbackSigner } from '../../channels/wechat/callback-signer.js';
import { renderRepliesAsText } from '../../channels/wechat/render.js';
import { parseWechatXml } from '../../channels/wechat/xml.js';
import type { Reply } from '../../bot/message.js';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const token = 'equivalence';
const twilioToken = 'twilio-equivalence-token';
const publicBase = 'https://hotline.example.gov.cn';
const signer = new WechatCallbackSigner({ token, mode: 'plain' });
const conversation = ['社保卡丢了怎么办', '小学报名时间', '2', '我要投诉楼下烧烤店半夜噪音扰民', '江北区望江路18号'];

describe('one conversation on web, WeChat and SMS', () => {
  let t: TestApp;
  let msgId = 1n;

  beforeAll(async () => {
    t = await startTestApp({
      WECHAT_TOKEN: token,
      WECHAT_REPLY_BUDGET_MS: '4500',
      TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: twilioToken,
      SMS_PUBLIC_BASE_URL: publicBase,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  async function wechat(text: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const callback = signer.message(
      {
        ToUserName: 'gh_x',
        FromUserName: 'openid-eq',
        CreateTime: now,
        MsgType: 'text',
        Content: text,
        MsgId: String(msgId++),
      },
      now,
    );
    const response = await t.app.inject({
      method: 'POST',
      url: `/channels/wechat?${new URLSearchParams(callback.query)}`,
      headers: { 'content-type': 'text/xml' },
      payload: callback.body,
    });
    return parseWechatXml(response.body).content!;
  }

  async function sms(text: string): Promise<string> {
    const form = {
      MessageSid: `SM${(msgId++).toString(16).padStart(32, '0')}`,
      // Not a mainland mobile: an SMS from one is taken as the work order's contact, a step the others ask for.
      From: '+14155550123',
      To: '+8610690000',
      Body: text,
    };
    const response = await t.app.inject({
      method: 'POST',
      url: '/channels/sms/twilio',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(twilioToken, `${publicBase}/channels/sms/twilio`, form),
      },
      payload: new URLSearchParams(form).toString(),
    });
    const body = response.body.match(/<Message>([\s\S]*)<\/Message>/)![1]!;
    return body
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }

  it('gives the same answers, each rendered for its channel', async () => {
    for (const text of conversation) {
      const web = (await chat(t.app, 'web-equivalence', text)) as Reply[];
      expect(await wechat(text)).toBe(renderRepliesAsText(web).text);
      expect(await sms(text)).toBe(renderSms(web, { maxSegments: 3, signatureLength: 0 }).text);
    }
    // The kinds of the turns were the interesting ones: an answer, a clarification, its resolution, an intake.
    const kinds = await t.app.minsheng.db.message.findMany({
      where: { conversationId: 'web-equivalence', direction: 'out' },
      select: { kind: true },
      orderBy: { id: 'asc' },
    });
    expect(kinds.map((k) => k.kind)).toEqual(['answer', 'clarify', 'answer', 'ask', 'ask']);
  });
});
