import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * A stand-in for api.weixin.qq.com on a real port, speaking its JSON wire format: stable_token,
 * customer-service send and typing. Scripted errcodes let tests play expired tokens and a
 * closed customer-service window.
 */
export class FakeWechatApi {
  readonly calls: RecordedCall[] = [];
  /** errcodes the next customer-service sends answer with, in order (then 0). */
  readonly sendErrors: number[] = [];
  private tokenSerial = 0;
  private readonly valid = new Set<string>();
  private server?: Server;
  private waiters: { count: number; resolve: () => void }[] = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
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
    if (!this.valid.has(call.query.access_token ?? '')) {
      return { errcode: 42001, errmsg: 'access_token expired rid: fake' };
    }
    if (url.pathname === '/cgi-bin/message/custom/send') {
      const errcode = this.sendErrors.shift() ?? 0;
      if (errcode) return { errcode, errmsg: errcode === 45015 ? 'response out of time limit' : 'refused' };
      this.accepted.add(call);
      const total = this.sent().length;
      this.waiters = this.waiters.filter((w) => (w.count <= total ? (w.resolve(), false) : true));
      return { errcode: 0, errmsg: 'ok' };
    }
    if (url.pathname === '/cgi-bin/message/custom/typing') return { errcode: 0, errmsg: 'ok' };
    if (url.pathname === '/cgi-bin/message/template/send') {
      if (!call.body.template_id) return { errcode: 40037, errmsg: 'invalid template_id' };
      return { errcode: 0, errmsg: 'ok', msgid: 200228332 };
    }
    if (url.pathname === '/cgi-bin/message/subscribe/bizsend') return { errcode: 0, errmsg: 'ok' };
    if (url.pathname === '/cgi-bin/message/send') {
      return { errcode: 0, errmsg: 'ok', invaliduser: '', invalidparty: '', invalidtag: '', msgid: 'wecom-msg' };
    }
    return { errcode: 40066, errmsg: 'invalid url' };
  }
}
