import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatApiError, WechatApiClient } from '../../../channels/wechat/api-client.js';

/**
 * The two endpoints the token logic touches, as the platform answers them: stable_token in normal
 * mode returns the current token, forced mode replaces it; custom/send refuses any other token,
 * and `refuseAll` makes it refuse every token with 40001 (the tester's case).
 */
class TokenPlatform {
  current = 'TOKEN_1';
  serial = 1;
  refuseAll = false;
  readonly tokenCalls: boolean[] = [];
  sends = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void (async () => {
        let raw = '';
        for await (const chunk of req) raw += chunk;
        const url = new URL(req.url ?? '/', 'http://platform');
        let body: object;
        if (url.pathname === '/cgi-bin/stable_token') {
          const force = (JSON.parse(raw) as { force_refresh?: boolean }).force_refresh === true;
          this.tokenCalls.push(force);
          if (force) this.current = `TOKEN_${++this.serial}`;
          body = { access_token: this.current, expires_in: 7200 };
        } else {
          this.sends++;
          const ok = !this.refuseAll && url.searchParams.get('access_token') === this.current;
          body = ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 40001, errmsg: 'invalid credential' };
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      })();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('WeChat access token after a refusal', () => {
  const platform = new TokenPlatform();
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await platform.start();
  });
  afterAll(async () => {
    await platform.stop();
  });

  it('forces a new token at most once per 30 s, and once for concurrent refusals', async () => {
    let now = 1_000_000;
    const client = new WechatApiClient({ appId: 'wx1', appSecret: 's', baseUrl, clock: () => now });
    platform.tokenCalls.length = 0;
    await client.sendCustomerText('o1', '你好');
    expect(platform.tokenCalls).toEqual([false]);

    platform.refuseAll = true;
    const results = await Promise.allSettled([1, 2, 3].map(() => client.sendCustomerText('o1', '你好')));
    for (const result of results) {
      expect(result).toMatchObject({ status: 'rejected', reason: expect.any(WechatApiError) });
    }
    expect(platform.tokenCalls.filter(Boolean)).toHaveLength(1);

    now += 29_000;
    await expect(client.sendCustomerText('o1', '你好')).rejects.toMatchObject({ errcode: 40001 });
    expect(platform.tokenCalls.filter(Boolean)).toHaveLength(1);

    now += 1_000;
    platform.refuseAll = false;
    // The platform accepts the cached token again: it is used as it is.
    await client.sendCustomerText('o1', '你好');
    expect(platform.tokenCalls.filter(Boolean)).toHaveLength(1);

    // A token the platform itself no longer accepts, 30 s after the last force: one more forced refresh.
    platform.refuseAll = true;
    now += 30_000;
    await expect(client.sendCustomerText('o1', '你好')).rejects.toMatchObject({ errcode: 40001 });
    expect(platform.tokenCalls.filter(Boolean)).toHaveLength(2);
    platform.refuseAll = false;
  });
});
