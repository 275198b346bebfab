import { z } from 'zod';
import { WechatApiError, WechatHttpError } from '../wechat/api-client.js';
import { MAX_MESSAGES, MAX_TEXT_BYTES } from '../wechat/render.js';
import { splitIntoMessages } from '../wechat/text-fit.js';

export const WECOM_API_BASE = 'https://qyapi.weixin.qq.com';

const result = z.object({ errcode: z.number().int().optional(), errmsg: z.string().optional() }).loose();
const tokenResult = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const tokenInvalidCodes: ReadonlySet<number> = new Set([40014, 42001]);

export interface WecomApiClientOptions {
  corpId: string;
  secret: string;
  agentId: string;
  baseUrl?: string;
  timeoutMs?: number;
  clock?: () => number;
}

/** WeCom app API: access token (gettoken, cached) and app messages to members (new-order notices). */
export class WecomApiClient {
  private token?: { value: string; expiresAt: number };
  private pending?: Promise<string>;
  private readonly baseUrl: string;
  private readonly clock: () => number;

  constructor(private readonly options: WecomApiClientOptions) {
    this.baseUrl = (options.baseUrl ?? WECOM_API_BASE).replace(/\/+$/, '');
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Sends a text to members (UserIDs) through the app. WeCom cuts a text message off at 2048 bytes,
   * so a longer one goes as several messages, in order.
   */
  async sendText(userIds: string[], content: string): Promise<void> {
    for (const part of splitIntoMessages(content, MAX_TEXT_BYTES, MAX_MESSAGES)) await this.sendOne(userIds, part);
  }

  private async sendOne(userIds: string[], content: string): Promise<void> {
    const payload = {
      touser: userIds.join('|'),
      msgtype: 'text',
      agentid: Number(this.options.agentId),
      text: { content },
    };
    try {
      await this.call(
        'POST',
        `/cgi-bin/message/send?access_token=${encodeURIComponent(await this.accessToken())}`,
        payload,
      );
    } catch (error) {
      if (!(error instanceof WechatApiError) || !tokenInvalidCodes.has(error.errcode)) throw error;
      this.token = undefined;
      await this.call(
        'POST',
        `/cgi-bin/message/send?access_token=${encodeURIComponent(await this.accessToken())}`,
        payload,
      );
    }
  }

  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.clock()) return this.token.value;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const query = new URLSearchParams({ corpid: this.options.corpId, corpsecret: this.options.secret });
    const parsed = tokenResult.safeParse(await this.call('GET', `/cgi-bin/gettoken?${query}`));
    if (!parsed.success) throw new WechatHttpError('gettoken answered without a token');
    this.token = {
      value: parsed.data.access_token,
      expiresAt: this.clock() + Math.max(60, parsed.data.expires_in - 300) * 1000,
    };
    return parsed.data.access_token;
  }

  private async call(method: 'GET' | 'POST', pathAndQuery: string, payload?: unknown): Promise<unknown> {
    const path = pathAndQuery.split('?')[0]!;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${pathAndQuery}`, {
        method,
        headers: payload ? { 'content-type': 'application/json' } : {},
        body: payload ? JSON.stringify(payload) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new WechatHttpError(`WeCom API ${path} unreachable`, { cause: error });
    }
    if (!response.ok) throw new WechatHttpError(`WeCom API ${path} answered HTTP ${response.status}`);
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = result.safeParse(body);
    if (!parsed.success) throw new WechatHttpError(`WeCom API ${path} answered an unexpected shape`);
    if (parsed.data.errcode) throw new WechatApiError(parsed.data.errcode, parsed.data.errmsg ?? '', path);
    return body;
  }
}
