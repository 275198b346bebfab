import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { aliyunRpcSignature } from '../../channels/sms/aliyun-provider.js';

export interface AliyunSend {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  bizId: string;
}

/**
 * Alibaba Cloud dysmsapi SendSms on a real port, speaking its wire format: RPC query with an
 * HMAC-SHA1 signature (checked against the secret), JSON answer with Code/BizId.
 */
export class FakeAliyunSms {
  readonly sent: AliyunSend[] = [];
  private server?: Server;
  private serial = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly secret: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const params = Object.fromEntries(url.searchParams);
      const { Signature: signature, ...signedParams } = params;
      res.writeHead(200, { 'content-type': 'application/json' });
      if (signature !== aliyunRpcSignature('GET', signedParams, this.secret)) {
        res.end(JSON.stringify({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' }));
        return;
      }
      if (params.Action !== 'SendSms' || !/^1\d{10}$/.test(params.PhoneNumbers ?? '')) {
        res.end(JSON.stringify({ Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: 'invalid mobile' }));
        return;
      }
      const bizId = `${900000 + ++this.serial}^0`;
      this.sent.push({
        phone: params.PhoneNumbers!,
        signName: params.SignName!,
        templateCode: params.TemplateCode!,
        params: JSON.parse(params.TemplateParam ?? '{}') as Record<string, string>,
        bizId,
      });
      this.waiters = this.waiters.filter((w) => (w.count <= this.sent.length ? (w.resolve(), false) : true));
      res.end(JSON.stringify({ Code: 'OK', Message: 'OK', BizId: bizId, RequestId: `req-${this.serial}` }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  waitForSent(count: number): Promise<void> {
    if (this.sent.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
