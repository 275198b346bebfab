import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../channels/sms/inbound.js';
import { smsLength } from '../../channels/sms/segments.js';
import { FakeAliyunSms } from '../support/fake-sms-gateway.js';
import { startTestApp, type TestApp } from '../support/app.js';

const webhookToken = 'sms-webhook-token-0123456789';
const aliyunSecret = 'aliyun-secret-key';
const twilioToken = 'twilio-auth-token';
const publicBase = 'https://hotline.example.gov.cn';
let sequence = 1000;

const chinaNow = () =>
  new Date(Date.now() + 8 * 3600_000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');

describe('SMS channel (Alibaba Cloud, Tencent Cloud and Twilio-style gateways)', () => {
  const aliyun = new FakeAliyunSms(aliyunSecret);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      SMS_WEBHOOK_TOKEN: webhookToken,
      ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tTestKeyId',
      ALIYUN_SMS_ACCESS_KEY_SECRET: aliyunSecret,
      ALIYUN_SMS_SIGN_NAME: '12345热线',
      ALIYUN_SMS_REPLY_TEMPLATE: 'SMS_100000001',
      ALIYUN_SMS_STATUS_TEMPLATE: 'SMS_100000002',
      ALIYUN_SMS_API_BASE: await aliyun.start(),
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: twilioToken,
      SMS_PUBLIC_BASE_URL: publicBase,
      SMS_MIN_INTERVAL_MS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await aliyun.stop();
  });

  const aliyunInbound = async (phone: string, content: string, id = sequence++) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/channels/sms/aliyun?token=${webhookToken}`,
      payload: [
        {
          phone_number: phone,
          send_time: chinaNow(),
          content,
          sign_name: '12345热线',
          dest_code: '1234',
          sequence_id: id,
        },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ code: 0, msg: '接收成功' });
  };

  /** Sends an inbound SMS and returns the answer the gateway was asked to send. */
  const converse = async (phone: string, content: string) => {
    const before = aliyun.sent.length;
    await aliyunInbound(phone, content);
    await aliyun.waitForSent(before + 1);
    return aliyun.sent[before]!;
  };

  it('answers an inbound question through the approved reply template, shortened to fit', async () => {
    const sent = await converse('13900001111', '社保卡丢了怎么办');
    expect(sent).toMatchObject({ phone: '13900001111', signName: '12345热线', templateCode: 'SMS_100000001' });
    expect(sent.params.content).toContain('挂失');
    // 【12345热线】 + text fits three 67-character segments.
    expect(smsLength(`【12345热线】${sent.params.content}`)).toBeLessThanOrEqual(3 * 67);
  });

  it("takes the sender's number as the work order's contact instead of asking for it", async () => {
    await converse('13900004444', '我要投诉楼下烧烤店半夜油烟很大');
    const readBack = await converse('13900004444', '江北区望江路18号');
    expect(readBack.params.content).toContain('联系电话：13900004444');
    expect(readBack.params.content).not.toContain('请留下您的联系电话');
  });

  it('numbers choices and resolves a reply of "1" to the first choice', async () => {
    const offer = await converse('13900002222', '火星移民签证怎么申请');
    expect(offer.params.content).toMatch(/回复序号：1\.是 2\.不用了$/);
    const next = await converse('13900002222', '1');
    expect(next.params.content).toContain('具体地点');
  });

  it('runs one turn when the gateway pushes the same message twice', async () => {
    const before = aliyun.sent.length;
    await aliyunInbound('13900003333', '公积金余额怎么查', 777777);
    await aliyunInbound('13900003333', '公积金余额怎么查', 777777);
    await aliyun.waitForSent(before + 1);
    await t.app.channels.settled();
    expect(aliyun.sent.length).toBe(before + 1);
  });

  it('honours opt-out words with a suppression list for status updates', async () => {
    const confirmation = await converse('13900004444', 'TD');
    expect(confirmation.params.content).toContain('已退订');
    const notifier = t.app.channels.sms!.notifier!;
    expect(await notifier.notifyStatus('13900004444', 'LJ20261129000001', '办理中')).toEqual({ status: 'suppressed' });
    const before = aliyun.sent.length;
    // Sent while the caller waits: the gateway's id comes back.
    expect(await notifier.notifyStatus('13900005555', 'LJ20261129000002', '办理中')).toEqual({
      status: 'sent',
      messageId: expect.stringMatching(/\^0$/),
    });
    expect(aliyun.sent.length).toBe(before + 1);
    expect(aliyun.sent.at(-1)).toMatchObject({
      phone: '13900005555',
      templateCode: 'SMS_100000002',
      params: { code: 'LJ20261129000002', status: '办理中' },
    });
    const rows = await t.app.minsheng.db.smsSuppression.findMany();
    expect(JSON.stringify(rows)).not.toContain('13900004444');
    expect(rows).toHaveLength(1);
  });

  it('records delivery receipts once, with the number masked', async () => {
    const report = [
      {
        phone_number: '13900001111',
        send_time: chinaNow(),
        report_time: chinaNow(),
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        biz_id: '900001^0',
        out_id: '',
      },
      {
        phone_number: '13900002222',
        send_time: chinaNow(),
        report_time: chinaNow(),
        success: false,
        err_code: 'MK:0001',
        err_msg: '失败',
        biz_id: '900002^0',
        out_id: '',
      },
    ];
    for (let i = 0; i < 2; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/channels/sms/aliyun/report?token=${webhookToken}`,
        payload: report,
      });
      expect(response.json()).toEqual({ code: 0, msg: '接收成功' });
    }
    const tencent = await t.app.inject({
      method: 'POST',
      url: `/channels/sms/tencent/status?token=${webhookToken}`,
      payload: [
        {
          user_receive_time: chinaNow(),
          nationcode: '86',
          mobile: '13900003333',
          report_status: 'SUCCESS',
          errmsg: 'DELIVRD',
          description: '用户短信送达成功',
          sid: 'tencent-sid-1',
        },
      ],
    });
    expect(tencent.json()).toEqual({ result: 0, errmsg: 'OK' });
    const receipts = await t.app.minsheng.db.smsDeliveryReceipt.findMany({ orderBy: { id: 'asc' } });
    expect(receipts.map((r) => [r.provider, r.messageId, r.status, r.phoneMasked, r.errorCode])).toEqual([
      ['aliyun', '900001^0', 'delivered', '139****1111', null],
      ['aliyun', '900002^0', 'failed', '139****2222', 'MK:0001'],
      ['tencent', 'tencent-sid-1', 'delivered', '139****3333', null],
    ]);
  });

  it('answers a Tencent Cloud inbound reply through the outbound gateway', async () => {
    const before = aliyun.sent.length;
    const response = await t.app.inject({
      method: 'POST',
      url: `/channels/sms/tencent?token=${webhookToken}`,
      payload: {
        extend: '',
        mobile: '13900006666',
        nationcode: '86',
        sign: '12345热线',
        text: '社保卡丢了怎么办',
        time: Math.floor(Date.now() / 1000),
      },
    });
    expect(response.json()).toEqual({ result: 0, errmsg: 'OK' });
    await aliyun.waitForSent(before + 1);
    expect(aliyun.sent.at(-1)).toMatchObject({
      phone: '13900006666',
      params: { content: expect.stringContaining('挂失') },
    });
  });

  it('refuses unauthenticated and malformed gateway pushes without running a turn', async () => {
    const valid = [{ phone_number: '13900007777', send_time: chinaNow(), content: '你好', sequence_id: 1 }];
    expect((await t.app.inject({ method: 'POST', url: '/channels/sms/aliyun', payload: valid })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/channels/sms/aliyun?token=wrong-token-000000000', payload: valid }))
        .statusCode,
    ).toBe(401);
    for (const payload of [{}, [], [{ phone_number: 'abc', content: 'x' }]]) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/channels/sms/aliyun?token=${webhookToken}`,
        payload: payload as object,
      });
      expect(response.statusCode).toBe(400);
    }
    const text = await t.app.inject({
      method: 'POST',
      url: `/channels/sms/aliyun?token=${webhookToken}`,
      headers: { 'content-type': 'application/json' },
      payload: '[{"phone_number":',
    });
    expect(text.statusCode).toBe(400);
    const huge = await t.app.inject({
      method: 'POST',
      url: `/channels/sms/aliyun?token=${webhookToken}`,
      payload: [{ phone_number: '13900007777', send_time: chinaNow(), content: '长'.repeat(30_000), sequence_id: 2 }],
    });
    expect(huge.statusCode).toBe(413);
    expect(JSON.stringify(t.logs())).not.toContain(webhookToken);
    const count = await t.app.minsheng.db.conversation.count({ where: { channel: 'sms', userId: '13900007777' } });
    expect(count).toBe(0);
  });

  it('answers a signed Twilio-style webhook with TwiML and refuses a bad signature', async () => {
    const form = {
      MessageSid: `SM${'a'.repeat(32)}`,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: '+14158675309',
      To: '+18005551212',
      Body: '社保卡丢了怎么办',
      NumMedia: '0',
    };
    const signature = twilioSignature(twilioToken, `${publicBase}/channels/sms/twilio`, form);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/channels/sms/twilio',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams(form).toString(),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/xml/);
    expect(ok.body).toMatch(/^<\?xml.*<Response><Message>.*挂失.*<\/Message><\/Response>$/s);
    const forged = await t.app.inject({
      method: 'POST',
      url: '/channels/sms/twilio',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams({ ...form, Body: '改过的内容' }).toString(),
    });
    expect(forged.statusCode).toBe(401);
  });

  it('answers a Twilio-style webhook with a polite TwiML message when the turn fails (Twilio does not resend)', async () => {
    const form = {
      MessageSid: `SM${'c'.repeat(32)}`,
      AccountSid: `AC${'0'.repeat(32)}`,
      From: '+14158675310',
      To: '+18005551212',
      Body: '社保卡丢了怎么办',
      NumMedia: '0',
    };
    const channel = t.app.channels.sms!.routes.channel;
    const receive = channel.receive.bind(channel);
    channel.receive = () => Promise.reject(Object.assign(new Error("Can't reach database server"), { code: 'P1001' }));
    try {
      const failed = await t.app.inject({
        method: 'POST',
        url: '/channels/sms/twilio',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(twilioToken, `${publicBase}/channels/sms/twilio`, form),
        },
        payload: new URLSearchParams(form).toString(),
      });
      expect(failed.statusCode).toBe(200);
      expect(failed.body).toMatch(/<Response><Message>系统暂时繁忙.*12345热线。<\/Message><\/Response>$/s);
    } finally {
      channel.receive = receive;
    }
  });

  it('refuses oversized and incomplete Twilio-style forms without running a turn', async () => {
    const url = `${publicBase}/channels/sms/twilio`;
    const postForm = (form: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/channels/sms/twilio',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(twilioToken, url, form),
        },
        payload: new URLSearchParams(form).toString(),
      });
    const base = { MessageSid: `SM${'b'.repeat(32)}`, AccountSid: `AC${'0'.repeat(32)}`, From: '+14155550100' };
    const huge = await postForm({ ...base, To: '+18005551212', Body: '长'.repeat(30_000), NumMedia: '0' });
    expect(huge.statusCode).toBe(413);
    const badSid = await postForm({ ...base, MessageSid: 'not-a-sid', To: '+18005551212', Body: '你好' });
    expect(badSid.statusCode).toBe(400);
    const noSender = await postForm({ MessageSid: base.MessageSid, To: '+18005551212', Body: '你好' });
    expect(noSender.statusCode).toBe(400);
    const count = await t.app.minsheng.db.conversation.count({ where: { channel: 'sms', userId: '+14155550100' } });
    expect(count).toBe(0);
  });
});
