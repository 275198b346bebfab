import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

/** errmsg the platform gives with each errcode (with its "rid" suffix, as the real API does). */
const errmsgs: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40037: 'invalid template_id',
  42001: 'access_token expired',
  43004: 'require subscribe',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit',
  45047: 'out of response count limit',
};
const errorBody = (errcode: number) => ({
  errcode,
  errmsg: `${errmsgs[errcode] ?? 'refused'} rid: 6565f2a1-1b2c3d4e-5f607182`,
});

/**
 * A stand-in for api.weixin.qq.com on a real port, speaking its JSON wire format: stable_token,
 * customer-service send and typing, template messages. Scripted errcodes and HTTP failures let
 * tests play expired tokens, a closed customer-service window, refused templates and outages.
 */
export class FakeWechatApi {
  readonly calls: RecordedCall[] = [];
  /** errcodes the next customer-service sends answer with, in order (then 0). */
  readonly sendErrors: number[] = [];
  /** HTTP statuses the next customer-service sends answer with before any errcode (a gateway in trouble). */
  readonly sendHttpFailures: number[] = [];
  /** errcodes the next template sends answer with, in order (then 0). */
  readonly templateErrors: number[] = [];
  private tokenSerial = 0;
  private readonly valid = new Set<string>();
  private server?: Server;
  private waiters: { count: number; resolve: () => void }[] = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === '/cgi-bin/message/custom/send' && this.sendHttpFailures.length) {
        const status = this.sendHttpFailures.shift()!;
        this.calls.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body: {} });
        req.resume();
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end(`<html><body><h1>${status} Service Unavailable</h1></body></html>`);
        return;
      }
      void this.handle(req).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Makes every token issued so far invalid (as if it expired). */
  expireTokens(): void {
    this.valid.clear();
  }

  sent(): { touser: string; content: string }[] {
    return this.calls
      .filter((c) => c.path === '/cgi-bin/message/custom/send' && this.accepted.has(c))
      .map((c) => ({ touser: String(c.body.touser), content: String((c.body.text as { content: string }).content) }));
  }

  /** Template messages the platform accepted, as sent. */
  templates(): { touser: string; template_id: string; url?: string; data: Record<string, { value: string }> }[] {
    return this.calls
      .filter((c) => c.path === '/cgi-bin/message/template/send' && this.accepted.has(c))
      .map((c) => c.body as ReturnType<FakeWechatApi['templates']>[number]);
  }

  /** Resolves once `count` customer-service messages have been accepted. */
  waitForSent(count: number): Promise<void> {
    if (this.sent().length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private readonly accepted = new Set<RecordedCall>();

  private async handle(req: IncomingMessage): Promise<Record<string, unknown>> {
    const url = new URL(req.url ?? '/', 'http://fake');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const call: RecordedCall = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
    };
    this.calls.push(call);
    if (url.pathname === '/cgi-bin/gettoken') {
      // WeCom: GET with corpid and corpsecret.
      if (!call.query.corpid || !call.query.corpsecret) return { errcode: 40013, errmsg: 'invalid corpid' };
      const token = `WECOM_${++this.tokenSerial}`;
      this.valid.add(token);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    }
    if (req.method !== 'POST') return { errcode: 43002, errmsg: 'require POST method' };
    if (url.pathname === '/cgi-bin/stable_token') {
      if (call.body.grant_type !== 'client_credential' || !call.body.appid || !call.body.secret) {
        return { errcode: 40002, errmsg: 'invalid grant_type' };
      }
      const token = `TOKEN_${++this.tokenSerial}`;
      this.valid.add(token);
      return { access_token: token, expires_in: 7200 };
    }
    if (!this.valid.has(call.query.access_token ?? '')) return errorBody(42001);
    if (url.pathname === '/cgi-bin/message/custom/send') {
      const errcode = this.sendErrors.shift() ?? 0;
      if (errcode) return errorBody(errcode);
      this.accepted.add(call);
      const total = this.sent().length;
      this.waiters = this.waiters.filter((w) => (w.count <= total ? (w.resolve(), false) : true));
      return { errcode: 0, errmsg: 'ok' };
    }
    if (url.pathname === '/cgi-bin/message/custom/typing') return { errcode: 0, errmsg: 'ok' };
    if (url.pathname === '/cgi-bin/message/template/send') {
      const data = call.body.data as Record<string, { value?: unknown }> | undefined;
      if (!call.body.template_id) return errorBody(40037);
      if (!call.body.touser) return errorBody(40003);
      if (!data || Object.values(data).some((v) => typeof v?.value !== 'string')) return errorBody(47001);
      const errcode = this.templateErrors.shift() ?? 0;
      if (errcode) return errorBody(errcode);
      this.accepted.add(call);
      return { errcode: 0, errmsg: 'ok', msgid: 200228332 };
    }
    if (url.pathname === '/cgi-bin/message/subscribe/bizsend') return { errcode: 0, errmsg: 'ok' };
    if (url.pathname === '/cgi-bin/message/send') {
      return { errcode: 0, errmsg: 'ok', invaliduser: '', invalidparty: '', invalidtag: '', msgid: 'wecom-msg' };
    }
    return { errcode: 40066, errmsg: 'invalid url' };
  }
}
