import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WechatCallbackSigner } from '../../channels/wechat/callback-signer.js';
import { FakeWechatApi } from '../support/fake-wechat-api.js';
import { startTestApp, type TestApp } from '../support/app.js';

const token = 'minshengtoken';
const appId = 'wx0123456789abcdef';
const account = 'gh_minsheng';
const signer = new WechatCallbackSigner({ token, mode: 'plain' });
const now = () => Math.floor(Date.now() / 1000);
let serial = 7_200_000_000_000_000_000n;

/**
 * stable_token as getStableAccessToken documents it, in front of the shared fake (which issues a
 * new token on every call): normal mode returns the current token while it is valid, forced mode
 * invalidates it and issues another. Everything else goes to the fake unchanged.
 */
class StableTokenPlatform {
  readonly tokenCalls: { force_refresh: boolean }[] = [];
  private current?: string;
  private server?: Server;

  constructor(private readonly api: FakeWechatApi) {}

  async start(): Promise<string> {
    const upstream = await this.api.start();
    this.server = createServer((req, res) => {
      void (async () => {
        let raw = '';
        for await (const chunk of req) raw += chunk;
        let answer: string;
        if (req.url === '/cgi-bin/stable_token') {
          const body = JSON.parse(raw) as { force_refresh?: boolean };
          this.tokenCalls.push({ force_refresh: body.force_refresh === true });
          answer = this.current && !body.force_refresh ? this.answerCurrent() : await this.issue(upstream, raw);
        } else {
          answer = await (await fetch(`${upstream}${req.url}`, { method: req.method, body: raw || undefined })).text();
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
      })();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.api.stop();
  }

  /** Another instance forced a refresh: every token issued so far is invalid, a new one is current. */
  forcedElsewhere(): void {
    this.api.expireTokens();
    this.current = undefined;
  }

  forcedCalls(): number {
    return this.tokenCalls.filter((c) => c.force_refresh).length;
  }

  private answerCurrent(): string {
    return JSON.stringify({ access_token: this.current, expires_in: 6000 });
  }

  private async issue(upstream: string, raw: string): Promise<string> {
    // Forced or first: the previous token stops working.
    this.api.expireTokens();
    const answer = await (await fetch(`${upstream}/cgi-bin/stable_token`, { method: 'POST', body: raw })).text();
    this.current = (JSON.parse(answer) as { access_token: string }).access_token;
    return answer;
  }
}

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
  expect(response.body).toBe('success');
}

describe('WeChat access tokens refused by the platform', () => {
  const api = new FakeWechatApi();
  const platform = new StableTokenPlatform(api);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      WECHAT_TOKEN: token,
      WECHAT_APP_ID: appId,
      WECHAT_APP_SECRET: 'secret-of-the-account',
      WECHAT_API_BASE: await platform.start(),
      // Every answer goes through the customer-service API and the late-reply outbox.
      WECHAT_REPLY_BUDGET_MS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await platform.stop();
  });

  it('takes the token another instance renewed, without forcing a refresh', async () => {
    const openId = 'openid-renewed-elsewhere';
    await say(t, openId, '社保卡丢了怎么办');
    await api.waitForSent(1);
    const before = platform.tokenCalls.length;
    platform.forcedElsewhere();

    await say(t, openId, '公积金余额怎么查');
    await api.waitForSent(2);
    // The cached token is refused (42001); normal mode hands out the new current token.
    expect(platform.tokenCalls.slice(before)).toEqual([{ force_refresh: false }]);
    expect(platform.forcedCalls()).toBe(0);
  });

  it('forces a new token once when the platform keeps handing out the refused one, not on every retry', async () => {
    const openId = 'openid-token-refused';
    const sentBefore = api.sent().length;
    const before = platform.tokenCalls.length;
    // 40001 on the send, on the resend with the forced token, and on the outbox's second attempt.
    api.sendErrors.push(40001, 40001, 40001);
    await say(t, openId, '社保卡丢了怎么办');
    await vi.waitFor(
      async () => {
        const row = await t.app.minsheng.db.lateReply.findFirst({ where: { recipient: openId } });
        expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(api.sent().slice(sentBefore)).toEqual([{ touser: openId, content: expect.stringContaining('挂失') }]);
    // Each refusal first asks for the current token; the one forced refresh comes only after the
    // platform answered with the refused token, and the second attempt (within 30 s) forces none.
    expect(platform.tokenCalls.slice(before)).toEqual([
      { force_refresh: false },
      { force_refresh: true },
      { force_refresh: false },
    ]);
    expect(platform.forcedCalls()).toBe(1);
  });
});
