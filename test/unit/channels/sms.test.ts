import { describe, expect, it } from 'vitest';
import { aliyunRpcSignature } from '../../../channels/sms/aliyun-provider.js';
import {
  parseAliyunInbound,
  parseTencentInbound,
  twilioSignature,
  twiml,
  verifyTwilioSignature,
} from '../../../channels/sms/inbound.js';
import type { OutboundSms, SmsProvider } from '../../../channels/sms/provider.js';
import { renderSms } from '../../../channels/sms/render.js';
import { smsLength, smsSegments } from '../../../channels/sms/segments.js';
import { SmsSendQueue } from '../../../channels/sms/send-queue.js';

describe('Twilio signature', () => {
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  };
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';

  it('matches the published vector', () => {
    expect(twilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(verifyTwilioSignature('12345', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(true);
  });

  it('refuses a changed parameter, URL or missing header', () => {
    expect(verifyTwilioSignature('12345', url, { ...params, Digits: '1235' }, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(
      false,
    );
    expect(verifyTwilioSignature('12345', `${url}&x=1`, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=')).toBe(false);
    expect(verifyTwilioSignature('12345', url, params, undefined)).toBe(false);
  });

  it('escapes the TwiML message', () => {
    expect(twiml('a < b & "c"')).toContain('<Message>a &lt; b &amp; &quot;c&quot;</Message>');
  });
});

describe('SMS length', () => {
  it('counts 70 characters as one message and 67 per segment beyond', () => {
    expect(smsSegments('字'.repeat(70))).toBe(1);
    expect(smsSegments('字'.repeat(71))).toBe(2);
    expect(smsSegments('a'.repeat(134))).toBe(2);
    expect(smsSegments('a'.repeat(135))).toBe(3);
    expect(smsLength('😀字')).toBe(2);
  });

  it('shortens a long answer to the budget and keeps the numbered choices whole', () => {
    const long = { kind: 'fallback' as const, text: '很长的内容。'.repeat(60), sources: [], choices: ['是', '不用了'] };
    const rendered = renderSms([long], { maxSegments: 2, signatureLength: 8 });
    expect(smsLength(rendered.text) + 8).toBeLessThanOrEqual(134);
    expect(rendered.text).toMatch(/…（详情请访问12345网站或拨打12345）\n回复序号：1\.是 2\.不用了$/);
    expect(rendered.numberedChoices).toEqual(['是', '不用了']);
  });

  it('does not repeat choices a clarification already lists', () => {
    const clarify = { kind: 'clarify' as const, text: '您是想问：\n1. 甲\n2. 乙', sources: [], choices: ['甲', '乙'] };
    const rendered = renderSms([clarify], { maxSegments: 3, signatureLength: 0 });
    expect(rendered.text).toBe('您是想问：\n1. 甲\n2. 乙');
    expect(rendered.numberedChoices).toEqual([]);
  });
});

describe('gateway payloads', () => {
  it('reads an Aliyun push with China-time timestamps and +86 numbers', () => {
    const parsed = parseAliyunInbound([
      { phone_number: '8613800001234', send_time: '2026-11-29 13:14:15', content: 'TD', sequence_id: 123 },
    ]);
    expect(parsed).toEqual({
      ok: true,
      value: [
        {
          provider: 'aliyun',
          providerMessageId: '123',
          phone: '13800001234',
          text: 'TD',
          receivedAt: new Date('2026-11-29T05:14:15Z'),
        },
      ],
    });
  });

  it('rejects a Tencent push without a number', () => {
    expect(parseTencentInbound({ text: 'x', time: 1 }).ok).toBe(false);
  });
});

describe('Alibaba Cloud RPC signature', () => {
  // Example from Alibaba Cloud's RPC signature documentation (DescribeRegions, secret "testsecret").
  it('matches the documented example', () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    expect(aliyunRpcSignature('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });
});

describe('per-number send queue', () => {
  function harness() {
    let now = 0;
    const timers: { at: number; run: () => void }[] = [];
    const sent: OutboundSms[] = [];
    const provider: SmsProvider = {
      name: 'aliyun',
      send: async (sms) => {
        sent.push(sms);
        return { messageId: String(sent.length) };
      },
    };
    const queue = new SmsSendQueue({
      provider,
      minIntervalMs: 30_000,
      clock: () => now,
      schedule: (run, delay) => timers.push({ at: now + delay, run }),
    });
    const advance = async (ms: number) => {
      now += ms;
      for (const timer of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.run();
      }
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { queue, sent, advance };
  }

  it('keeps messages to one number apart and lets other numbers through', async () => {
    const { queue, sent, advance } = harness();
    queue.enqueue({ phone: '13800000001', template: 'reply', params: { content: 'a' } });
    queue.enqueue({ phone: '13800000001', template: 'reply', params: { content: 'b' } });
    queue.enqueue({ phone: '13800000002', template: 'reply', params: { content: 'c' } });
    await advance(0);
    expect(sent.map((s) => s.params)).toEqual([{ content: 'a' }, { content: 'c' }]);
    await advance(29_999);
    expect(sent).toHaveLength(2);
    await advance(1);
    expect(sent.map((s) => s.params)).toEqual([{ content: 'a' }, { content: 'c' }, { content: 'b' }]);
    await queue.idle();
  });

  it('coalesces waiting status updates of one ticket into the newest', async () => {
    const { queue, sent, advance } = harness();
    queue.enqueue({ phone: '13800000003', template: 'reply', params: { content: 'first' } });
    queue.enqueue({ phone: '13800000003', template: 'status', params: { code: 'LJ1', status: '已派单' } });
    queue.enqueue({ phone: '13800000003', template: 'status', params: { code: 'LJ1', status: '办理中' } });
    await advance(0);
    await advance(30_000);
    await advance(30_000);
    expect(sent.map((s) => s.params)).toEqual([{ content: 'first' }, { code: 'LJ1', status: '办理中' }]);
  });
});

describe('phone numbers from gateways', () => {
  it('keeps mainland mobiles as 11 digits and other numbers in E.164', () => {
    const at = (phone: string) => {
      const parsed = parseAliyunInbound([
        { phone_number: phone, send_time: '2026-11-29 13:14:15', content: 'x', sequence_id: 1 },
      ]);
      return parsed.ok ? parsed.value[0]!.phone : parsed.problem;
    };
    expect(at('13800001234')).toBe('13800001234');
    expect(at('+8613800001234')).toBe('13800001234');
    expect(at('+14155550100')).toBe('+14155550100');
    const tencent = parseTencentInbound({ mobile: '4155550100', nationcode: '1', text: 'x', time: 1 });
    expect(tencent.ok && tencent.value.phone).toBe('+14155550100');
  });
});

describe('read-backs and instructions over SMS', () => {
  const readBack = [
    '请核对工单信息：',
    '诉求类型：投诉',
    '问题分类：噪音扰民',
    `情况描述：${'楼下烧烤店每天营业到凌晨两三点，食客喧哗、音响声音很大，'.repeat(4)}`,
    '地点：江北区望江路66号望江花园3栋楼下',
    '联系电话：13900009998',
    '确认无误请回复"确认"；需要修改可以直接说，如"地点改成…""电话错了，是…"；放弃请回复"取消"。',
  ].join('\n');

  it('shortens the description and keeps every field and the reply instruction', () => {
    const reply = { kind: 'ask' as const, text: readBack, sources: [], choices: ['确认', '取消'] };
    const rendered = renderSms([reply], { maxSegments: 3, signatureLength: 8 });
    expect(smsLength(rendered.text) + 8).toBeLessThanOrEqual(201);
    const lines = rendered.text.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[3]).toMatch(/^情况描述：楼下烧烤店每天营业到凌晨.*…$/);
    expect(lines.slice(4)).toEqual([
      '地点：江北区望江路66号望江花园3栋楼下',
      '联系电话：13900009998',
      '确认无误请回复"确认"；需要修改可以直接说，如"地点改成…""电话错了，是…"；放弃请回复"取消"。',
    ]);
  });

  it('drops free lines from the end before it cuts an instruction', () => {
    const instruction = '核对无误请回复"确认"提交；需要修改请直接说明要改的内容；放弃请回复"取消"。';
    const free = ['甲', '乙', '丙', '丁', '戊'].map((c) => c.repeat(40));
    const rendered = renderSms([{ kind: 'ask' as const, text: [...free, instruction].join('\n'), sources: [] }], {
      maxSegments: 1,
      signatureLength: 8,
    });
    expect(smsLength(rendered.text)).toBeLessThanOrEqual(62);
    expect(rendered.text).toMatch(/^甲+…\n乙+…\n核对无误请回复"确认"提交；.*"取消"。$/);
  });
});

describe('gateway pushes, one message at a time', () => {
  it('handles the valid messages of an Aliyun batch and skips a malformed one', () => {
    const parsed = parseAliyunInbound([
      {
        phone_number: '13800001234',
        send_time: '2026-11-29 13:14:15',
        content: '你好',
        sign_name: null,
        sequence_id: 1,
      },
      { phone_number: '13800001234', send_time: 'yesterday', content: 'x', sequence_id: 2 },
    ]);
    expect(parsed.ok && parsed.value.map((m) => m.providerMessageId)).toEqual(['1']);
    expect(parsed.ok && parsed.skipped).toEqual([expect.stringMatching(/^1: send_time/)]);
    expect(parseAliyunInbound([{ phone_number: 'x' }]).ok).toBe(false);
    expect(parseAliyunInbound({ phone_number: '13800001234' }).ok).toBe(false);
  });

  it('tells two Tencent messages of one second apart by their text, with no number in the id', () => {
    const id = (text: string) => {
      const parsed = parseTencentInbound({ mobile: '13900002222', nationcode: '86', text, time: 1795984811 });
      return parsed.ok ? parsed.value.providerMessageId : parsed.problem;
    };
    expect(id('查询工单')).not.toBe(id('满意'));
    expect(id('查询工单')).toBe(id('查询工单'));
    expect(id('查询工单')).not.toContain('13900002222');
  });
});

describe('sending at once for the outbox', () => {
  it('sends when the number is free and says how long to wait when it is not, queueing nothing', async () => {
    let now = 1_000_000;
    const sent: OutboundSms[] = [];
    const queue = new SmsSendQueue({
      provider: { name: 'aliyun', send: async (sms) => (sent.push(sms), { messageId: String(sent.length) }) },
      minIntervalMs: 30_000,
      clock: () => now,
    });
    const sms = { phone: '13800000009', template: 'status' as const, params: { code: 'LJ1', status: '办理中' } };
    expect(await queue.sendNow(sms)).toEqual({ sent: { messageId: '1' } });
    now += 10_000;
    expect(await queue.sendNow(sms)).toEqual({ retryInMs: 20_000 });
    now += 10_000;
    // Asking again did not push the slot further away.
    expect(await queue.sendNow(sms)).toEqual({ retryInMs: 10_000 });
    now += 10_000;
    expect(await queue.sendNow(sms)).toEqual({ sent: { messageId: '2' } });
    expect(queue.pending('13800000009')).toBe(0);
  });
});
