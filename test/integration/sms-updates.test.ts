import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliyunRpcSignature } from '../../channels/sms/aliyun-provider.js';
import { smsLength } from '../../channels/sms/segments.js';
import { phoneKey } from '../../channels/sms/sms-channel.js';
import type { Actor } from '../../workorders/lifecycle.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';

const webhookToken = 'sms-webhook-token-0123456789';
const aliyunSecret = 'aliyun-secret-key';
const admin: Actor = { name: 'admin-zhou', role: 'admin' };
let sequence = 5000;

interface AliyunSend {
  phone: string;
  templateCode: string;
  params: Record<string, string>;
}

/**
 * Alibaba Cloud dysmsapi SendSms on a real port (signed RPC query in, JSON Code/BizId out) that
 * answers with scripted error codes first (an outage, a rate limit, a refused number).
 */
class ScriptedAliyunSms {
  readonly sent: AliyunSend[] = [];
  /** Codes to answer with, one per request, before sending normally again. */
  readonly failures: string[] = [];
  private server?: Server;
  private serial = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const params = Object.fromEntries(new URL(req.url ?? '/', 'http://fake').searchParams);
      const { Signature: signature, ...signed } = params;
      const failure = this.failures.shift();
      const answer = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (signature !== aliyunRpcSignature('GET', signed, aliyunSecret)) {
        return answer(400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' });
      }
      if (failure === 'ServiceUnavailable') return answer(503, { Code: failure, Message: 'service unavailable' });
      if (failure) return answer(200, { Code: failure, Message: 'scripted', RequestId: 'req-x' });
      this.sent.push({
        phone: params.PhoneNumbers!,
        templateCode: params.TemplateCode!,
        params: JSON.parse(params.TemplateParam ?? '{}') as Record<string, string>,
      });
      answer(200, { Code: 'OK', Message: 'OK', BizId: `${700000 + ++this.serial}^0`, RequestId: 'req' });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  to(phone: string): AliyunSend[] {
    return this.sent.filter((s) => s.phone === phone);
  }

  async waitFor(phone: string, count: number): Promise<AliyunSend[]> {
    for (let i = 0; i < 500 && this.to(phone).length < count; i++) await new Promise((r) => setTimeout(r, 10));
    return this.to(phone);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const chinaNow = () =>
  new Date(Date.now() + 8 * 3600_000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');

const env = (apiBase: string, extra: Record<string, string> = {}) => ({
  SMS_WEBHOOK_TOKEN: webhookToken,
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tTestKeyId',
  ALIYUN_SMS_ACCESS_KEY_SECRET: aliyunSecret,
  ALIYUN_SMS_SIGN_NAME: '12345热线',
  ALIYUN_SMS_REPLY_TEMPLATE: 'SMS_100000001',
  ALIYUN_SMS_STATUS_TEMPLATE: 'SMS_100000002',
  ALIYUN_SMS_API_BASE: apiBase,
  SMS_MIN_INTERVAL_MS: '0',
  ...extra,
});

/** Unrelated matters, so that no order is merged into another (并单). */
const problems = [
  ['楼下烧烤店半夜噪音很大', '江北区望江路66号'],
  ['学府路路灯坏了好几天了，晚上很黑', '青山区学府路'],
  ['公交站台顶棚破损漏雨', '江南区滨江路公交站'],
  ['小区门口垃圾堆积无人清运', '江北区望江花园'],
  ['人行道井盖缺失很危险', '临港新区港城大道'],
  ['菜市场占道经营堵塞交通', '青山区翠屏路'],
] as const;
let filed = 0;

/** A work order filed over SMS by `phone` (owned by that number's SMS session). */
async function fileOverSms(t: TestApp, phone: string, channel = 'sms') {
  const [description, place] = problems[filed++ % problems.length]!;
  return t.app.minsheng.workOrders.file(
    {
      appealType: 'complaint',
      description,
      place,
      contactPhone: phone,
      channel,
      ownerSessionId: channel === 'sms' ? `sms-${phoneKey(phone)}` : `wx-${phone}`,
      ownerUserId: channel === 'sms' ? phone : `openid-${phone}`,
    },
    `sms-updates-${sequence++}`,
  );
}

const rowsOf = (t: TestApp, code: string) =>
  t.app.minsheng.db.outboxMessage.findMany({ where: { workOrder: { code } }, orderBy: { id: 'asc' } });

/** Makes every waiting retry due now and runs the outbox (instead of waiting out the backoff). */
async function retryNow(t: TestApp) {
  await t.app.minsheng.db.outboxMessage.updateMany({
    where: { status: 'pending' },
    data: { nextAttemptAt: new Date(Date.now() - 1) },
  });
  await t.app.minsheng.notifier.settle();
}

async function aliyunInbound(t: TestApp, elements: object[]) {
  return t.app.inject({ method: 'POST', url: `/channels/sms/aliyun?token=${webhookToken}`, payload: elements });
}

const message = (phone: string, content: string) => ({
  phone_number: phone,
  send_time: chinaNow(),
  content,
  sign_name: '12345热线',
  dest_code: '1234',
  sequence_id: sequence++,
});

describe('work-order updates by SMS (Alibaba Cloud)', () => {
  const aliyun = new ScriptedAliyunSms();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(env(await aliyun.start()));
  });
  afterAll(async () => {
    await t.close();
    await aliyun.stop();
  });

  it('keeps the update pending while the gateway is down or rate-limited, and delivers it once accepted', async () => {
    const phone = '13900001001';
    const order = await fileOverSms(t, phone);
    aliyun.failures.push('ServiceUnavailable', 'isv.BUSINESS_LIMIT_CONTROL');
    await t.app.minsheng.workOrders.act(order.code, 'dispatch', admin, { lead: '临江市城市管理局' });
    await t.app.minsheng.notifier.settle();
    let [row] = await rowsOf(t, order.code);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, deliveredVia: null });
    expect(row!.lastError).toContain('ServiceUnavailable');
    expect(aliyun.to(phone)).toEqual([]);

    await retryNow(t);
    [row] = await rowsOf(t, order.code);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(row!.lastError).toContain('isv.BUSINESS_LIMIT_CONTROL');

    await retryNow(t);
    [row] = await rowsOf(t, order.code);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, deliveredVia: 'sms' });
    expect(aliyun.to(phone)).toHaveLength(1);
  });

  it('fails an update the gateway refuses for good, with the reason', async () => {
    const phone = '13900001002';
    const order = await fileOverSms(t, phone);
    aliyun.failures.push('isv.MOBILE_NUMBER_ILLEGAL');
    await t.app.minsheng.workOrders.act(order.code, 'dispatch', admin, { lead: '临江市城市管理局' });
    await t.app.minsheng.notifier.settle();
    const [row] = await rowsOf(t, order.code);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, deliveredVia: null });
    expect(row!.lastError).toMatch(/invalid number.*isv\.MOBILE_NUMBER_ILLEGAL/);
  });

  it('does not mark the SMS fallback of a WeChat user delivered while the gateway is down', async () => {
    const phone = '13900001003';
    const order = await fileOverSms(t, phone, 'wechat');
    aliyun.failures.push('ServiceUnavailable');
    await t.app.minsheng.workOrders.act(order.code, 'dispatch', admin, { lead: '临江市城市管理局' });
    await t.app.minsheng.notifier.settle();
    let [row] = await rowsOf(t, order.code);
    expect(row).toMatchObject({ status: 'pending', deliveredVia: null });
    expect(row!.lastError).toMatch(/no sender for channel wechat.*sms failed.*ServiceUnavailable/);
    await retryNow(t);
    [row] = await rowsOf(t, order.code);
    expect(row).toMatchObject({ status: 'delivered', deliveredVia: 'sms' });
    expect(aliyun.to(phone)).toHaveLength(1);
  });

  it('carries the result and the return-visit question, and a reply of 满意 rates the order', async () => {
    const phone = '13900001004';
    const order = await fileOverSms(t, phone);
    const { workOrders, notifier } = t.app.minsheng;
    await workOrders.act(order.code, 'dispatch', admin, { lead: '临江市城市管理局' });
    await workOrders.act(order.code, 'sign', admin, {});
    await workOrders.act(order.code, 'start', admin, {});
    await workOrders.addNote(order.code, admin, '执法队员今晚将到现场核查', true);
    await workOrders.act(order.code, 'request-info', admin, { note: '请提供烧烤店的店名或门牌号' });
    await workOrders.act(order.code, 'supplement', admin, { note: '市民来电：店名为老王烧烤' });
    await workOrders.act(order.code, 'resolve', admin, { note: '已责令商户晚上十点后停止露天经营' });
    await notifier.settle();
    const sent = aliyun.to(phone).map((s) => s.params.content ?? '');
    // dispatch, start, the note, the request for information, the result (sign and supplement are internal).
    expect(sent).toHaveLength(5);
    expect(sent[2]).toContain('执法队员今晚将到现场核查');
    expect(sent[3]).toContain('需要您补充信息：请提供烧烤店的店名或门牌号');
    const result = sent[4]!;
    expect(aliyun.to(phone)[4]!.templateCode).toBe('SMS_100000001');
    expect(result).toContain(order.code);
    expect(result).toContain('已责令商户晚上十点后停止露天经营');
    expect(result).toMatch(/回复"满意"、"基本满意"或"不满意"/);
    expect(smsLength(`【12345热线】${result}`)).toBeLessThanOrEqual(3 * 67);

    const before = aliyun.to(phone).length;
    expect((await aliyunInbound(t, [message(phone, '满意')])).json()).toEqual({ code: 0, msg: '接收成功' });
    const thanks = await aliyun.waitFor(phone, before + 1);
    expect(thanks.at(-1)!.params.content).toContain('满意');
    expect(await t.app.minsheng.db.workOrder.findUniqueOrThrow({ where: { code: order.code } })).toMatchObject({
      satisfaction: 'satisfied',
    });
  });

  it('reads a long work order back over SMS with every field and the instruction to reply 确认', async () => {
    const phone = '13900001005';
    const say = async (text: string) => {
      const before = aliyun.to(phone).length;
      await aliyunInbound(t, [message(phone, text)]);
      return (await aliyun.waitFor(phone, before + 1)).at(-1)!.params.content!;
    };
    await say('我要投诉楼下烧烤店半夜噪音');
    let answer = await say(
      `江北区望江路66号望江花园3栋楼下的烧烤店${'每天营业到凌晨两三点，食客喧哗划拳、音响声音很大，老人孩子都睡不好，'.repeat(3)}`,
    );
    for (let i = 0; i < 3 && !answer.includes('请核对工单信息'); i++) {
      answer = await say(/电话/.test(answer) ? '13900009998' : '江北区望江路66号望江花园3栋');
    }
    const lines = answer.split('\n');
    expect(lines[0]).toBe('请核对工单信息：');
    expect(lines.map((l) => l.split('：')[0])).toEqual(
      expect.arrayContaining(['诉求类型', '情况描述', '地点', '联系电话']),
    );
    // The long free text gives way, the short fields and the instruction stay whole.
    expect(lines.some((l) => /^(情况描述|地点)：.+…$/.test(l))).toBe(true);
    expect(lines).toContain('联系电话：13900001005'); // the sender's own number
    expect(lines.at(-1)).toBe(
      '确认无误请回复"确认"；需要修改可以直接说，如"地点改成…""电话错了，是…"；放弃请回复"取消"。',
    );
    expect(smsLength(`【12345热线】${answer}`)).toBeLessThanOrEqual(3 * 67);
  });

  it('answers two Tencent messages of one number in the same second, with no number in the dedupe keys', async () => {
    const phone = '13900001006';
    const time = Math.floor(Date.now() / 1000);
    for (const text of ['社保卡丢了怎么办', '公积金余额怎么查']) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/channels/sms/tencent?token=${webhookToken}`,
        payload: { extend: '', mobile: phone, nationcode: '86', sign: '12345热线', text, time },
      });
      expect(response.json()).toEqual({ result: 0, errmsg: 'OK' });
    }
    const sent = await aliyun.waitFor(phone, 2);
    expect(sent).toHaveLength(2);
    const keys = (await t.app.minsheng.db.channelMemory.findMany({ select: { key: true } })).map((k) => k.key);
    expect(keys.some((k) => k.startsWith('sms:tencent:'))).toBe(true);
    expect(keys.join()).not.toContain(phone);
  });

  it('handles the valid messages of an Aliyun batch that also holds a malformed one', async () => {
    const phone = '13900001007';
    const response = await aliyunInbound(t, [
      { ...message(phone, '社保卡丢了怎么办'), sign_name: null },
      { phone_number: phone, send_time: 'not a time', content: '你好', sequence_id: sequence++ },
    ]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ code: 0, msg: '接收成功' });
    const sent = await aliyun.waitFor(phone, 1);
    expect(sent[0]!.params.content).toContain('挂失');
  });
});

describe('SMS updates paced per number and kept across a restart', () => {
  const aliyun = new ScriptedAliyunSms();

  it('defers the second update to one number to its next send slot, then sends it', async () => {
    const t = await startTestApp(env(await aliyun.start(), { SMS_MIN_INTERVAL_MS: '800' }));
    try {
      const phone = '13900002001';
      const order = await fileOverSms(t, phone);
      await t.app.minsheng.workOrders.act(order.code, 'dispatch', admin, { lead: '临江市城市管理局' });
      await t.app.minsheng.workOrders.act(order.code, 'sign', admin, {});
      await t.app.minsheng.workOrders.act(order.code, 'start', admin, {});
      await t.app.minsheng.notifier.settle();
      let rows = await rowsOf(t, order.code);
      expect(rows.map((r) => r.status)).toEqual(['delivered', 'pending']);
      expect(rows[1]!.lastError).toContain('SMS_MIN_INTERVAL_MS');
      expect(aliyun.to(phone)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 850));
      await retryNow(t);
      rows = await rowsOf(t, order.code);
      expect(rows.map((r) => r.status)).toEqual(['delivered', 'delivered']);
      expect(aliyun.to(phone)).toHaveLength(2);
    } finally {
      await t.close();
    }
  });

  it("puts an update's text in the status template's content variable when the operator names one", async () => {
    const t = await startTestApp(
      env(await aliyun.start(), { ALIYUN_SMS_STATUS_CONTENT_VARIABLE: 'content', ALIYUN_SMS_VARIABLE_MAX: '35' }),
    );
    try {
      const phone = '13900002101';
      const order = await fileOverSms(t, phone);
      const { workOrders, notifier } = t.app.minsheng;
      await workOrders.act(order.code, 'dispatch', admin, { lead: '临江市城市管理局' });
      await workOrders.act(order.code, 'sign', admin, {});
      await workOrders.act(order.code, 'resolve', admin, { note: '已责令商户晚上十点后停止露天经营' });
      await notifier.settle();
      const result = aliyun.to(phone).at(-1)!;
      expect(result.templateCode).toBe('SMS_100000002');
      expect(result.params).toMatchObject({ code: order.code, status: '已办结' });
      // Shortened to the provider's variable limit, the rating question kept whole.
      expect(result.params.content).toContain('已责令商户');
      expect(result.params.content).toContain('满意');
      expect([...result.params.content!].length).toBeLessThanOrEqual(35);
    } finally {
      await t.close();
    }
  });

  it('sends after a restart an update the gateway did not take before it', async () => {
    const database = await createTestDatabase();
    const base = await aliyun.start();
    const phone = '13900002002';
    try {
      const first = await startTestApp(env(base), { database });
      aliyun.failures.push('ServiceUnavailable');
      const order = await fileOverSms(first, phone);
      await first.app.minsheng.workOrders.act(order.code, 'dispatch', admin, { lead: '临江市城市管理局' });
      await first.app.minsheng.notifier.settle();
      expect((await rowsOf(first, order.code))[0]).toMatchObject({ status: 'pending' });
      await first.close();

      const second = await startTestApp(env(base), { database });
      try {
        await retryNow(second);
        expect((await rowsOf(second, order.code))[0]).toMatchObject({ status: 'delivered', deliveredVia: 'sms' });
        expect(aliyun.to(phone)).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
      await aliyun.stop();
    }
  });
});
