import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WechatCallbackSigner } from '../../channels/wechat/callback-signer.js';
import { WechatMessageCrypto, wechatSignature } from '../../channels/wechat/crypto.js';
import { parseWechatXml } from '../../channels/wechat/xml.js';
import type { Actor } from '../../workorders/lifecycle.js';
import { FakeAliyunSms } from '../support/fake-sms-gateway.js';
import { FakeWechatApi } from '../support/fake-wechat-api.js';
import { startTestApp, type TestApp } from '../support/app.js';

const token = 'minshengtoken';
const appId = 'wx0123456789abcdef';
const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const account = 'gh_minsheng';
const now = () => Math.floor(Date.now() / 1000);
let serial = 7_000_000_000_000_000_000n;
const nextMsgId = () => String(serial++);

const plainSigner = new WechatCallbackSigner({ token, mode: 'plain' });
const safeSigner = new WechatCallbackSigner({ token, appId, encodingAesKey, mode: 'safe' });

function textMessage(openId: string, content: string, msgId = nextMsgId()) {
  return {
    ToUserName: account,
    FromUserName: openId,
    CreateTime: now(),
    MsgType: 'text',
    Content: content,
    MsgId: msgId,
  };
}

async function post(t: TestApp, callback: { query: Record<string, string>; body: string }) {
  return t.app.inject({
    method: 'POST',
    url: `/channels/wechat?${new URLSearchParams(callback.query)}`,
    headers: { 'content-type': 'text/xml' },
    payload: callback.body,
  });
}

async function ask(t: TestApp, signer: WechatCallbackSigner, fields: Record<string, string | number>) {
  const response = await post(t, signer.message(fields, now()));
  expect(response.statusCode).toBe(200);
  if (response.body === 'success') return undefined;
  return parseWechatXml(signer.openReply(response.body));
}

async function inboundCount(t: TestApp, openId: string) {
  return t.app.minsheng.db.message.count({ where: { conversationId: `wx-${openId}`, direction: 'in' } });
}

describe('WeChat official account channel', () => {
  const api = new FakeWechatApi();
  let t: TestApp;

  beforeAll(async () => {
    const apiBase = await api.start();
    t = await startTestApp({
      WECHAT_TOKEN: token,
      WECHAT_APP_ID: appId,
      WECHAT_APP_SECRET: 'secret-of-the-account',
      WECHAT_ENCODING_AES_KEY: encodingAesKey,
      WECHAT_API_BASE: apiBase,
      WECHAT_REPLY_BUDGET_MS: '4500',
    });
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
  });

  it('answers the URL verification only when the signature is ours', async () => {
    const query = plainSigner.urlVerification('8234987234', now());
    const ok = await t.app.inject({ method: 'GET', url: `/channels/wechat?${new URLSearchParams(query)}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('8234987234');
    const bad = await t.app.inject({
      method: 'GET',
      url: `/channels/wechat?${new URLSearchParams({ ...query, signature: '0'.repeat(40) })}`,
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).not.toContain('8234987234');
  });

  it('answers a plaintext question passively with the approved answer', async () => {
    const reply = await ask(t, plainSigner, textMessage('openid-plain', '社保卡丢了怎么办'));
    expect(reply).toMatchObject({ tousername: 'openid-plain', fromusername: account, msgtype: 'text' });
    expect(reply?.content).toContain('挂失');
  });

  it('decrypts a safe-mode question and encrypts the answer', async () => {
    const callback = safeSigner.message(textMessage('openid-safe', '社保卡丢了怎么办'), now());
    expect(callback.body).not.toContain('社保卡');
    const response = await post(t, callback);
    expect(response.body).toContain('<Encrypt>');
    expect(response.body).not.toContain('挂失');
    const reply = parseWechatXml(safeSigner.openReply(response.body));
    expect(reply.content).toContain('挂失');
  });

  it('runs a turn once when WeChat delivers the same message three times', async () => {
    const message = textMessage('openid-retry', '公积金余额怎么查');
    const first = await ask(t, safeSigner, message);
    expect(first?.content).toBeTruthy();
    for (let i = 0; i < 2; i++) {
      const again = await post(t, safeSigner.message(message, now()));
      expect(again.statusCode).toBe(200);
      expect(again.body).toBe('success');
    }
    expect(await inboundCount(t, 'openid-retry')).toBe(1);
  });

  it('dedupes events without MsgId by sender and creation time', async () => {
    const event = {
      ToUserName: account,
      FromUserName: 'openid-menu',
      CreateTime: now(),
      MsgType: 'event',
      Event: 'CLICK',
      EventKey: 'MENU_QUERY_TICKET',
    };
    const first = await ask(t, plainSigner, event);
    expect(first?.content).toContain('还没有提交过工单');
    expect(await ask(t, plainSigner, event)).toBeUndefined();
    expect(await inboundCount(t, 'openid-menu')).toBe(1);
  });

  it('welcomes a new follower and says what the assistant does', async () => {
    const reply = await ask(t, safeSigner, {
      ToUserName: account,
      FromUserName: 'openid-new',
      CreateTime: now(),
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_123',
    });
    expect(reply?.content).toMatch(/感谢关注.*查询工单/s);
  });

  it('takes a voice message by its recognition and asks to type when there is none', async () => {
    const voice = (recognition?: string) => ({
      ToUserName: account,
      FromUserName: 'openid-voice',
      CreateTime: now(),
      MsgType: 'voice',
      MediaId: 'media-1',
      Format: 'amr',
      ...(recognition ? { Recognition: recognition } : {}),
      MsgID: nextMsgId(),
    });
    const heard = await ask(t, plainSigner, voice('社保卡丢了怎么办'));
    expect(heard?.content).toContain('挂失');
    const unheard = await ask(t, plainSigner, voice());
    expect(unheard?.content).toContain('请改用文字');
  });

  it('files a complaint with the shared location as its place, then delivers a later update', async () => {
    const openId = 'openid-complaint';
    const place = await ask(t, safeSigner, textMessage(openId, '我要投诉楼下烧烤店半夜噪音扰民'));
    expect(place?.content).toContain('地点');
    const phone = await ask(t, safeSigner, {
      ToUserName: account,
      FromUserName: openId,
      CreateTime: now(),
      MsgType: 'location',
      Location_X: '29.563009',
      Location_Y: '106.551556',
      Scale: '15',
      Label: '江北区望江路18号',
      MsgId: nextMsgId(),
    });
    expect(phone?.content).toContain('联系电话');
    const confirm = await ask(t, safeSigner, textMessage(openId, '13812345678'));
    expect(confirm?.content).toContain('江北区望江路18号');
    const filed = await ask(t, safeSigner, textMessage(openId, '确认'));
    const code = filed?.content?.match(/LJ\d{14}/)?.[0];
    expect(code).toBeTruthy();
    const order = await t.app.minsheng.db.workOrder.findUnique({ where: { code: code! } });
    expect(order).toMatchObject({ place: '江北区望江路18号', channel: 'wechat', ownerUserId: openId });

    // A status change later: the outbox delivers it through the customer-service API.
    const sentBefore = api.sent().length;
    await t.app.minsheng.workOrders.act(code!, 'dispatch', { name: 'op-li', role: 'operator' }, {});
    await t.app.minsheng.notifier.settle();
    await api.waitForSent(sentBefore + 1);
    expect(api.sent().at(-1)).toEqual({
      touser: openId,
      content: expect.stringMatching(new RegExp(`^您的工单 ${code} 已派至.+办理`)),
    });
    const update = await t.app.minsheng.db.outboxMessage.findFirstOrThrow({ where: { workOrder: { code: code! } } });
    expect(update).toMatchObject({ channel: 'wechat', recipient: openId, status: 'delivered', deliveredVia: 'wechat' });
  });

  it('refreshes an expired access token once, and reports a closed customer-service window', async () => {
    const sender = t.app.channels.wechat!.sender!;
    const tokensBefore = api.calls.filter((c) => c.path === '/cgi-bin/stable_token').length;
    api.expireTokens();
    expect(await sender.send('openid-late', [{ kind: 'status', text: '工单已办结', sources: [] }])).toEqual({
      status: 'delivered',
      via: 'customer-service',
    });
    expect(api.calls.filter((c) => c.path === '/cgi-bin/stable_token').length).toBe(tokensBefore + 1);

    api.sendErrors.push(45015);
    expect(await sender.send('openid-late', [{ kind: 'status', text: '工单已办结', sources: [] }])).toMatchObject({
      status: 'refused',
      code: '45015',
      windowClosed: true,
    });

    // The fallback the outbox takes next: a template message.
    const msgid = await t.app.channels.wechat!.client!.sendTemplate('openid-late', 'TEMPLATE_STATUS', {
      thing1: 'LJ20261129000001',
      phrase2: '已办结',
    });
    expect(msgid).toBe('200228332');
    expect(api.calls.at(-1)).toMatchObject({
      path: '/cgi-bin/message/template/send',
      body: {
        touser: 'openid-late',
        template_id: 'TEMPLATE_STATUS',
        data: { thing1: { value: 'LJ20261129000001' }, phrase2: { value: '已办结' } },
      },
    });
  });

  it('refuses forged, replayed, malformed and hostile callbacks without running a turn', async () => {
    const openId = 'openid-attacker';
    const good = plainSigner.message(textMessage(openId, '社保卡丢了怎么办'), now());
    const forged = await post(t, { ...good, query: { ...good.query, signature: 'f'.repeat(40) } });
    expect(forged.statusCode).toBe(401);

    const stale = plainSigner.message(textMessage(openId, '社保卡丢了怎么办'), now() - 3600);
    expect((await post(t, stale)).statusCode).toBe(401);

    const tampered = safeSigner.message(textMessage(openId, '社保卡丢了怎么办'), now());
    const otherEncrypt = safeSigner.message(textMessage(openId, '别的内容'), now()).body;
    expect((await post(t, { query: tampered.query, body: otherEncrypt })).statusCode).toBe(401);

    const signed = (body: string) => ({ query: plainSigner.message(textMessage(openId, 'x'), now()).query, body });
    expect((await post(t, signed('<xml><ToUserName>a</ToUserName>'))).statusCode).toBe(400);
    const dtd =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>';
    expect((await post(t, signed(dtd))).statusCode).toBe(400);
    // The same inside a safe-mode ciphertext (correctly signed and encrypted).
    const sealed = new WechatMessageCrypto(encodingAesKey, appId).encrypt(dtd);
    const timestamp = String(now());
    const nonce = '77553311';
    const sealedResponse = await post(t, {
      query: {
        timestamp,
        nonce,
        encrypt_type: 'aes',
        msg_signature: wechatSignature(token, timestamp, nonce, sealed),
        signature: wechatSignature(token, timestamp, nonce),
      },
      body: `<xml><ToUserName><![CDATA[${account}]]></ToUserName><Encrypt><![CDATA[${sealed}]]></Encrypt></xml>`,
    });
    expect(sealedResponse.statusCode).toBe(400);
    const missingFields = '<xml><ToUserName>a</ToUserName><MsgType>text</MsgType></xml>';
    expect((await post(t, signed(missingFields))).statusCode).toBe(400);
    const huge = `<xml><Content>${'长'.repeat(40_000)}</Content></xml>`;
    expect((await post(t, signed(huge))).statusCode).toBe(413);

    const json = await t.app.inject({
      method: 'POST',
      url: `/channels/wechat?${new URLSearchParams(good.query)}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: 'hi' }),
    });
    expect(json.statusCode).toBe(400);

    expect(await inboundCount(t, openId)).toBe(0);
    const logs = JSON.stringify(t.logs());
    expect(logs).not.toContain('secret-of-the-account');
    expect(logs).not.toContain('/etc/passwd');
    expect(logs).not.toContain('openid-attacker');
  });
});

describe('WeChat answers that miss the passive-reply budget', () => {
  const api = new FakeWechatApi();
  let t: TestApp;

  beforeAll(async () => {
    const apiBase = await api.start();
    t = await startTestApp({
      WECHAT_TOKEN: token,
      WECHAT_APP_ID: appId,
      WECHAT_APP_SECRET: 'secret-of-the-account',
      WECHAT_API_BASE: apiBase,
      // 0 = never wait: every answer goes through the customer-service API.
      WECHAT_REPLY_BUDGET_MS: '0',
      WEBHOOK_MAX_SKEW_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
  });

  it('acknowledges with success at once and sends the answer through the customer-service API', async () => {
    const response = await post(t, plainSigner.message(textMessage('openid-slow', '社保卡丢了怎么办'), now()));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
    await api.waitForSent(1);
    expect(api.sent()).toEqual([{ touser: 'openid-slow', content: expect.stringContaining('挂失') }]);
    expect(api.calls[0]).toMatchObject({
      path: '/cgi-bin/stable_token',
      body: { grant_type: 'client_credential', appid: appId, force_refresh: false },
    });
    // While the answer was prepared the follower saw "typing".
    expect(api.calls.find((c) => c.path === '/cgi-bin/message/custom/typing')?.body).toEqual({
      touser: 'openid-slow',
      command: 'Typing',
    });
  });

  it('refuses callbacks outside the configured timestamp window (WEBHOOK_MAX_SKEW_SECONDS=60)', async () => {
    const openId = 'openid-skew';
    const sentBefore = api.sent().length;
    const at = (offsetSeconds: number) =>
      post(t, plainSigner.message(textMessage(openId, '你好'), now() + offsetSeconds));
    expect((await at(-90)).statusCode).toBe(401);
    expect((await at(90)).statusCode).toBe(401);
    const inside = await at(-30);
    expect(inside.statusCode).toBe(200);
    expect(inside.body).toBe('success');
    await api.waitForSent(sentBefore + 1);
    expect(api.sent().at(-1)?.touser).toBe(openId);
    expect(await inboundCount(t, openId)).toBe(1);
  });

  it('keeps a late answer whose sends fail, retries it through the outbox and delivers it once', async () => {
    const openId = 'openid-outage';
    const sendCalls = () => api.calls.filter((c) => c.path === '/cgi-bin/message/custom/send').length;
    const callsBefore = sendCalls();
    const sentBefore = api.sent().length;
    // First attempt: the gateway answers 503. Second: the token is refused even after the one refresh.
    api.sendHttpFailures.push(503);
    api.sendErrors.push(42001, 42001);
    const message = textMessage(openId, '社保卡丢了怎么办');
    const response = await post(t, plainSigner.message(message, now()));
    expect(response.body).toBe('success');
    // WeChat retries the callback while it waits: still one queued answer.
    expect((await post(t, plainSigner.message(message, now()))).body).toBe('success');
    await api.waitForSent(sentBefore + 1);
    expect(api.sent().filter((m) => m.touser === openId)).toEqual([
      { touser: openId, content: expect.stringContaining('挂失') },
    ]);
    // 503, then 42001 twice (one refresh in between), then accepted.
    expect(sendCalls() - callsBefore).toBe(4);
    await vi.waitFor(async () => {
      const rows = await t.app.minsheng.db.lateReply.findMany({ where: { recipient: openId } });
      expect(rows).toEqual([
        expect.objectContaining({
          idempotencyKey: `wechat:msg:${message.MsgId}`,
          channel: 'wechat',
          sessionId: `wx-${openId}`,
          status: 'delivered',
          attempts: 3,
          lastError: expect.stringContaining('42001'),
        }),
      ]);
    });
    const attempts = t.logs().filter((l) => l.msg === 'late answer delivery');
    expect(attempts.map((l) => l.outcome).slice(-3)).toEqual(['failed', 'failed', 'delivered']);
    expect(JSON.stringify(attempts)).not.toContain(openId);
  });

  it('numbers choices it sends as text and resolves a reply "1" to the first choice', async () => {
    const openId = 'openid-choices';
    const before = api.sent().length;
    await post(t, plainSigner.message(textMessage(openId, '火星移民签证怎么申请'), now()));
    await api.waitForSent(before + 1);
    const offerCount = api.sent().length;
    const offer = api.sent().at(-1)?.content ?? '';
    expect(offer).toContain('请回复序号：\n1. 是\n2. 不用了');
    await post(t, plainSigner.message(textMessage(openId, '1'), now()));
    await api.waitForSent(offerCount + 1);
    expect(api.sent().at(-1)?.content).toContain('具体地点');
  });
});

describe('WeChat work-order updates when the customer-service window is closed', () => {
  const api = new FakeWechatApi();
  const aliyunSecret = 'aliyun-secret-key';
  const aliyun = new FakeAliyunSms(aliyunSecret);
  const templateId = 'tmpl-WorkOrder_0001';
  const operator: Actor = { name: 'op-li', role: 'operator' };
  let t: TestApp;
  let serialKey = 0;

  beforeAll(async () => {
    t = await startTestApp({
      WECHAT_TOKEN: token,
      WECHAT_APP_ID: appId,
      WECHAT_APP_SECRET: 'secret-of-the-account',
      WECHAT_API_BASE: await api.start(),
      WECHAT_TEMPLATE_ID_WORK_ORDER: templateId,
      WECHAT_TEMPLATE_FIELDS_WORK_ORDER: 'character_string1=code, phrase2=status, thing3=text, time4=time',
      WECHAT_TEMPLATE_URL_WORK_ORDER: 'https://hotline.example.gov.cn/?ticket={code}',
      SMS_WEBHOOK_TOKEN: 'sms-webhook-token-0123456789',
      ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tTestKeyId',
      ALIYUN_SMS_ACCESS_KEY_SECRET: aliyunSecret,
      ALIYUN_SMS_SIGN_NAME: '12345热线',
      ALIYUN_SMS_STATUS_TEMPLATE: 'SMS_100000002',
      ALIYUN_SMS_API_BASE: await aliyun.start(),
      SMS_MIN_INTERVAL_MS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
    await aliyun.stop();
  });

  /** A work order filed through WeChat by `openId`, then dispatched: the dispatch is a citizen-visible update. */
  const problems = [
    ['学府路路灯坏了好几天了，晚上很黑', '青山区学府路'],
    ['公交站台顶棚破损漏雨', '江南区滨江路公交站'],
    ['小区门口垃圾堆积无人清运', '江北区望江花园'],
    ['人行道井盖缺失很危险', '临港新区港城大道'],
  ] as const;

  async function dispatchOrderOf(openId: string, phone: string) {
    const [description, place] = problems[serialKey % problems.length]!;
    const order = await t.app.minsheng.workOrders.file(
      {
        appealType: 'complaint',
        description,
        place,
        contactPhone: phone,
        channel: 'wechat',
        ownerSessionId: `wx-${openId}`,
        ownerUserId: openId,
      },
      `wechat-window-${++serialKey}`,
    );
    await t.app.minsheng.workOrders.act(order.code, 'dispatch', operator, {});
    await t.app.minsheng.notifier.settle();
    const row = await t.app.minsheng.db.outboxMessage.findFirstOrThrow({
      where: { workOrder: { code: order.code }, kind: 'status' },
      orderBy: { id: 'desc' },
    });
    return { code: order.code, row };
  }

  it('sends the operator template message when the window has expired (45015), not an SMS', async () => {
    api.sendErrors.push(45015);
    const { code, row } = await dispatchOrderOf('openid-window-closed', '13800000001');
    expect(api.templates()).toEqual([
      {
        touser: 'openid-window-closed',
        template_id: templateId,
        url: `https://hotline.example.gov.cn/?ticket=${code}`,
        data: {
          character_string1: { value: code },
          phrase2: { value: '已派单' },
          thing3: { value: expect.stringMatching(/^.{1,20}$/u) },
          time4: { value: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/) },
        },
      },
    ]);
    expect(row).toMatchObject({ status: 'delivered', deliveredVia: 'wechat', attempts: 1 });
    expect(aliyun.sent).toEqual([]);
  });

  it('falls back to SMS when the template is refused too (45047, then 40037 invalid template)', async () => {
    api.sendErrors.push(45047);
    api.templateErrors.push(40037);
    const templatesBefore = api.templates().length;
    const { code, row } = await dispatchOrderOf('openid-template-refused', '13800000002');
    await aliyun.waitForSent(1);
    expect(aliyun.sent).toEqual([
      expect.objectContaining({
        phone: '13800000002',
        templateCode: 'SMS_100000002',
        params: { code, status: '已派单' },
      }),
    ]);
    expect(api.templates()).toHaveLength(templatesBefore);
    expect(row).toMatchObject({ status: 'delivered', deliveredVia: 'sms' });
    expect(row.lastError).toMatch(/45047.*40037/);
  });

  it('does not try a template for someone who no longer follows the account (43004): SMS at once', async () => {
    api.sendErrors.push(43004);
    const templateCalls = () => api.calls.filter((c) => c.path === '/cgi-bin/message/template/send').length;
    const before = templateCalls();
    const sentBefore = aliyun.sent.length;
    const { row } = await dispatchOrderOf('openid-unfollowed', '13800000003');
    await aliyun.waitForSent(sentBefore + 1);
    expect(aliyun.sent.at(-1)?.phone).toBe('13800000003');
    expect(templateCalls()).toBe(before);
    expect(row).toMatchObject({
      status: 'delivered',
      deliveredVia: 'sms',
      lastError: expect.stringContaining('43004'),
    });
  });

  it('retries later when the template send hits an outage, without falling back to SMS', async () => {
    api.sendErrors.push(45015);
    api.templateErrors.push(-1);
    const sentBefore = aliyun.sent.length;
    const { row } = await dispatchOrderOf('openid-template-busy', '13800000004');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('system error') });
    expect(aliyun.sent.length).toBe(sentBefore);
  });
});
