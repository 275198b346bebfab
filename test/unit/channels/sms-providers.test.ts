import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsGatewayBusyError, SmsRefusedError } from '../../../channels/sms/provider.js';
import { TencentSmsProvider, tencentAuthorization } from '../../../channels/sms/tencent-provider.js';
import { TwilioSmsProvider } from '../../../channels/sms/twilio-provider.js';

/** A gateway stand-in on a real port that records requests and answers with the next scripted body. */
class RecordingGateway {
  readonly requests: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  readonly answers: { status: number; body: unknown }[] = [];
  private server?: Server;
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        this.requests.push({ url: req.url ?? '', headers: req.headers, body });
        const answer = this.answers.shift() ?? { status: 500, body: {} };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise<void>((r) => this.server!.close(() => r()));
  }
}

describe('Tencent Cloud SendSms', () => {
  const gateway = new RecordingGateway();
  let base: string;
  beforeAll(async () => {
    base = await gateway.start();
  });
  afterAll(() => gateway.stop());

  it('signs with TC3-HMAC-SHA256 and sends template parameters in order', async () => {
    const provider = new TencentSmsProvider({
      secretId: 'AKIDtest',
      secretKey: 'secretkey',
      sdkAppId: '1400000000',
      signName: '12345热线',
      templates: { status: '1234567' },
      baseUrl: base,
      clock: () => new Date('2026-11-29T05:00:00Z'),
    });
    gateway.answers.push({
      status: 200,
      body: {
        Response: { SendStatusSet: [{ SerialNo: 'serial-1', Code: 'Ok', Message: 'send success' }], RequestId: 'r' },
      },
    });
    const result = await provider.send({
      phone: '13800001234',
      template: 'status',
      params: { code: 'LJ1', status: '办理中' },
    });
    expect(result).toEqual({ messageId: 'serial-1' });
    const request = gateway.requests.at(-1)!;
    expect(JSON.parse(request.body)).toEqual({
      PhoneNumberSet: ['+8613800001234'],
      SmsSdkAppId: '1400000000',
      SignName: '12345热线',
      TemplateId: '1234567',
      TemplateParamSet: ['LJ1', '办理中'],
    });
    expect(request.headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-timestamp': '1795928400',
    });
    expect(request.headers.authorization).toBe(
      tencentAuthorization({
        secretId: 'AKIDtest',
        secretKey: 'secretkey',
        host: new URL(base).host,
        payload: request.body,
        timestamp: 1795928400,
        service: 'sms',
      }),
    );
    expect(request.headers.authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDtest\/2026-11-29\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
  });

  it('reports a refused message as SmsRefusedError, and a missing template before calling', async () => {
    const provider = new TencentSmsProvider({
      secretId: 'AKIDtest',
      secretKey: 'secretkey',
      sdkAppId: '1400000000',
      signName: '12345热线',
      templates: { reply: '7654321' },
      baseUrl: base,
    });
    gateway.answers.push({
      status: 200,
      body: { Response: { SendStatusSet: [{ Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'bad' }] } },
    });
    await expect(provider.send({ phone: '13800001234', template: 'reply', params: { content: 'x' } })).rejects.toThrow(
      /invalid number/,
    );
    // A per-number frequency limit passes: the same message may go later.
    gateway.answers.push({
      status: 200,
      body: { Response: { SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', Message: 'limit' }] } },
    });
    await expect(
      provider.send({ phone: '13800001234', template: 'reply', params: { content: 'x' } }),
    ).rejects.toBeInstanceOf(SmsGatewayBusyError);
    gateway.answers.push({
      status: 200,
      body: { Response: { Error: { Code: 'FailedOperation.PhoneNumberInBlacklist', Message: 'blacklist' } } },
    });
    await expect(provider.send({ phone: '13800001234', template: 'reply', params: { content: 'x' } })).rejects.toThrow(
      SmsRefusedError,
    );
    const before = gateway.requests.length;
    await expect(
      provider.send({ phone: '13800001234', template: 'status', params: { code: 'a', status: 'b' } }),
    ).rejects.toThrow(/no approved template/);
    expect(gateway.requests.length).toBe(before);
  });
});

describe('Twilio-style REST send', () => {
  const gateway = new RecordingGateway();
  let base: string;
  beforeAll(async () => {
    base = await gateway.start();
  });
  afterAll(() => gateway.stop());

  it('posts a form with basic auth and reads the MessageSid', async () => {
    const provider = new TwilioSmsProvider({
      accountSid: `AC${'3'.repeat(32)}`,
      authToken: 'tok',
      from: '+15550001111',
      baseUrl: base,
    });
    gateway.answers.push({ status: 201, body: { sid: `SM${'4'.repeat(32)}`, status: 'queued' } });
    expect(await provider.send({ phone: '+14155550100', template: 'reply', params: { content: 'hello' } })).toEqual({
      messageId: `SM${'4'.repeat(32)}`,
    });
    const request = gateway.requests.at(-1)!;
    expect(request.url).toBe(`/2010-04-01/Accounts/AC${'3'.repeat(32)}/Messages.json`);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`AC${'3'.repeat(32)}:tok`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: '+14155550100',
      From: '+15550001111',
      Body: 'hello',
    });
    gateway.answers.push({ status: 400, body: { code: 21211, message: "The 'To' number is not valid." } });
    await expect(provider.send({ phone: '1', template: 'reply', params: { content: 'x' } })).rejects.toMatchObject({
      code: '21211',
    });
    gateway.answers.push({ status: 429, body: { code: 20429, message: 'Too Many Requests' } });
    await expect(
      provider.send({ phone: '+14155550100', template: 'reply', params: { content: 'x' } }),
    ).rejects.toBeInstanceOf(SmsGatewayBusyError);
  });

  it('sends a work-order update as free text with its content and how to reply', async () => {
    const provider = new TwilioSmsProvider({
      accountSid: `AC${'3'.repeat(32)}`,
      authToken: 'tok',
      from: '+1555',
      baseUrl: base,
    });
    gateway.answers.push({ status: 201, body: { sid: `SM${'5'.repeat(32)}` } });
    const text = `您的工单 LJ1 已办结。\n办理结果：${'已联系商户整改并加装隔音设施，'.repeat(12)}\n请对办理结果进行评价，回复"满意"、"基本满意"或"不满意"（可在后面附上意见）。`;
    await provider.send({
      phone: '+14155550100',
      template: 'status',
      params: { code: 'LJ1', status: '已办结', text, choices: ['满意', '基本满意', '不满意'] },
    });
    const body = new URLSearchParams(gateway.requests.at(-1)!.body).get('Body')!;
    expect([...body].length).toBeLessThanOrEqual(201);
    expect(body).toMatch(/^您的工单 LJ1 已办结。\n办理结果：已联系商户整改.*…\n请对办理结果进行评价，回复"满意"/s);
    expect(body.endsWith('回复T退订。')).toBe(true);
  });
});

describe('Tencent Cloud work-order updates', () => {
  const gateway = new RecordingGateway();
  let base: string;
  beforeAll(async () => {
    base = await gateway.start();
  });
  afterAll(() => gateway.stop());
  const ok = { status: 200, body: { Response: { SendStatusSet: [{ SerialNo: 's', Code: 'Ok' }] } } };
  const provider = (o: object) =>
    new TencentSmsProvider({
      secretId: 'AKIDtest',
      secretKey: 'secretkey',
      sdkAppId: '1400000000',
      signName: '12345热线',
      templates: { reply: '1000001', status: '1000002' },
      baseUrl: base,
      ...o,
    });
  const update = {
    code: 'LJ20261129000001',
    status: '已办结',
    text: '您的工单 LJ20261129000001 已办结。\n办理结果：已联系商户整改，夜间不再营业\n请对办理结果进行评价，回复"满意"、"基本满意"或"不满意"（可在后面附上意见）。',
    choices: ['满意', '基本满意', '不满意'],
  };

  it("puts the update in the status template's third parameter, cut to its length with the rating kept", async () => {
    gateway.answers.push(ok);
    await provider({ statusContentParameter: true, variableMaxLength: 30 }).send({
      phone: '13800001234',
      template: 'status',
      params: update,
    });
    const sent = JSON.parse(gateway.requests.at(-1)!.body) as { TemplateId: string; TemplateParamSet: string[] };
    expect(sent.TemplateId).toBe('1000002');
    const [code, status, content] = sent.TemplateParamSet;
    expect([code, status]).toEqual(['LJ20261129000001', '已办结']);
    expect([...content!].length).toBeLessThanOrEqual(30);
    expect(content).toMatch(/^办理结果：已联系.*… 请回复满意\/基本满意\/不满意评价$/);
  });

  it('sends an update with text through the reply template when the status template has no content', async () => {
    gateway.answers.push(ok);
    await provider({}).send({ phone: '13800001234', template: 'status', params: update });
    const sent = JSON.parse(gateway.requests.at(-1)!.body) as { TemplateId: string; TemplateParamSet: string[] };
    expect(sent.TemplateId).toBe('1000001');
    expect(sent.TemplateParamSet).toEqual([update.text]);
    gateway.answers.push(ok);
    await provider({}).send({ phone: '13800001234', template: 'status', params: { code: 'LJ1', status: '办理中' } });
    expect(JSON.parse(gateway.requests.at(-1)!.body)).toMatchObject({
      TemplateId: '1000002',
      TemplateParamSet: ['LJ1', '办理中'],
    });
  });
});
