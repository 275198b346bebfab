import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WechatCallbackSigner } from '../../channels/wechat/callback-signer.js';
import { parseWechatXml } from '../../channels/wechat/xml.js';
import { FakeWechatApi } from '../support/fake-wechat-api.js';
import { startTestApp, type TestApp } from '../support/app.js';

const token = 'minshengtoken';
const appId = 'wx0123456789abcdef';
const account = 'gh_minsheng';
const signer = new WechatCallbackSigner({ token, mode: 'plain' });
const now = () => Math.floor(Date.now() / 1000);
let serial = 7_100_000_000_000_000_000n;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The tester's case: a complaint of about 1,250 characters, read back before it is filed. */
const sentences = [
  '我家楼下的烧烤店每天晚上营业到凌晨两三点，油烟直接往楼上飘，窗户都不敢开。',
  '店外摆了十几张桌子占用人行道，食客喝酒划拳大声喧哗，老人孩子根本睡不着觉。',
  '我们多次上门沟通，老板态度很差，说有营业执照谁也管不了，还把垃圾和污水倒在路边的绿化带里。',
  '夏天以来情况越来越严重，已经影响到整栋楼几十户居民的正常生活和身体健康。',
];
let complaint = '我要投诉：';
for (let i = 0; [...complaint].length < 1240; i++) complaint += sentences[i % sentences.length];
const confirmInstruction = '确认无误请回复"确认"';

async function say(t: TestApp, openId: string, content: string) {
  const callback = signer.message(
    {
      ToUserName: account,
      FromUserName: openId,
      CreateTime: now(),
      MsgType: 'text',
      Content: content,
      MsgId: String(serial++),
    },
    now(),
  );
  const response = await t.app.inject({
    method: 'POST',
    url: `/channels/wechat?${new URLSearchParams(callback.query)}`,
    headers: { 'content-type': 'text/xml' },
    payload: callback.body,
  });
  expect(response.statusCode).toBe(200);
  return response.body === 'success' ? undefined : parseWechatXml(response.body).content;
}

/** Tells the complaint, the place and the phone; returns the callback's answer to the phone (the read-back). */
async function tellLongComplaint(t: TestApp, openId: string) {
  expect(await say(t, openId, complaint)).toContain('地点');
  expect(await say(t, openId, '江北区望江路18号')).toContain('联系电话');
  return say(t, openId, '13812345678');
}

describe('WeChat answers too long for one message', () => {
  const api = new FakeWechatApi();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      WECHAT_TOKEN: token,
      WECHAT_APP_ID: appId,
      WECHAT_APP_SECRET: 'secret-of-the-account',
      WECHAT_API_BASE: await api.start(),
      WECHAT_REPLY_BUDGET_MS: '4500',
    });
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
  });

  it('sends a long read-back whole, in order, as several customer-service messages', async () => {
    const openId = 'openid-long-readback';
    // Too long for the one message a passive reply holds: acknowledged, then sent in parts.
    expect(await tellLongComplaint(t, openId)).toBeUndefined();
    await vi.waitFor(async () => {
      const row = await t.app.minsheng.db.lateReply.findFirst({ where: { recipient: openId } });
      expect(row?.status).toBe('delivered');
    });
    const parts = api
      .sent()
      .filter((m) => m.touser === openId)
      .map((m) => m.content);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(3);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(2048);
    const whole = parts.join('');
    expect(parts[0]).toMatch(/^请核对工单信息：/);
    expect(whole).toContain('\n地点：江北区望江路18号\n');
    expect(whole).toContain('\n联系电话：13812345678');
    // What to reply comes last: the citizen reads it after everything it confirms.
    expect(parts.at(-1)).toContain(confirmInstruction);
    // Nothing of the description is lost, and nothing points to a page that cannot show the chat.
    const described = sentences.map((s) => s.replace(/，/g, ','));
    for (const sentence of described) expect(whole).toContain(sentence);
    expect(whole).not.toMatch(/网页版|省略/);

    const filed = await say(t, openId, '确认');
    expect(filed).toMatch(/工单已提交，工单号：LJ\d{14}/);
    const order = await t.app.minsheng.db.workOrder.findFirstOrThrow({ where: { ownerUserId: openId } });
    expect([...order.description].length).toBeGreaterThan(1200);
  });

  it('sends only the parts still missing when a later part fails, then the rest on the retry', async () => {
    const openId = 'openid-long-retry';
    const sendCalls = () => api.calls.filter((c) => c.path === '/cgi-bin/message/custom/send').length;
    const before = sendCalls();
    // First part accepted, second answered "system busy": the outbox retries the answer.
    api.sendErrors.push(0, -1);
    expect(await tellLongComplaint(t, openId)).toBeUndefined();
    await vi.waitFor(
      async () => {
        const row = await t.app.minsheng.db.lateReply.findFirst({ where: { recipient: openId } });
        expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
      },
      { timeout: 10_000 },
    );
    const parts = api
      .sent()
      .filter((m) => m.touser === openId)
      .map((m) => m.content);
    // Every part once: the first is not sent again with the retry.
    expect(new Set(parts).size).toBe(parts.length);
    expect(sendCalls() - before).toBe(parts.length + 1);
    expect(parts.at(-1)).toContain(confirmInstruction);
  });
});

describe('WeChat long answers without the customer-service API', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No AppSecret: the passive reply is the only message there is.
    t = await startTestApp({ WECHAT_TOKEN: token, WECHAT_REPLY_BUDGET_MS: '4500' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('shortens the description of a read-back and keeps place, phone and what to reply', async () => {
    const reply = await tellLongComplaint(t, 'openid-long-passive');
    expect(reply).toBeDefined();
    expect(bytes(reply!)).toBeLessThanOrEqual(2048);
    expect(reply).toMatch(/^请核对工单信息：\n诉求类型：投诉\n/);
    expect(reply).toMatch(/情况描述：我要投诉:我家楼下的烧烤店.+…（以下省略\d+字）\n/);
    expect(reply).toContain('\n地点：江北区望江路18号\n');
    expect(reply).toContain('\n联系电话：13812345678\n');
    expect(reply).toContain(confirmInstruction);
    expect(reply).not.toContain('网页版');
  });
});
