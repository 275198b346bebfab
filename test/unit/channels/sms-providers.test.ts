import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsRefusedError } from '../../../channels/sms/provider.js';
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
      body: { Response: { SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', Message: 'limit' }] } },
    });
    await expect(
      provider.send({ phone: '13800001234', template: 'reply', params: { content: 'x' } }),
    ).rejects.toBeInstanceOf(SmsRefusedError);
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
  });
});
