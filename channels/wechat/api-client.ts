import { z } from 'zod';

export const WECHAT_API_BASE = 'https://api.weixin.qq.com';

/** The platform answered with an error code (it refused), as opposed to the network failing. */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`WeChat API ${path} refused: ${errcode} ${errmsg}`);
    this.name = 'WechatApiError';
  }
}

/**
 * The customer-service window is closed (45015: more than 48 h since the user's last message or
 * the user unfollowed; 45047: too many messages since; 43004: not a follower). The caller falls
 * back to a template/subscription message or SMS.
 */
export class WechatWindowClosedError extends WechatApiError {
  constructor(errcode: number, errmsg: string, path: string) {
    super(errcode, errmsg, path);
    this.name = 'WechatWindowClosedError';
  }
}

/** The request never got a valid answer (network, timeout, non-JSON, HTTP error). */
export class WechatHttpError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WechatHttpError';
  }
}

export const windowClosedCodes: ReadonlySet<number> = new Set([45015, 45047, 43004]);
/** The window is closed but the user still follows: a template message can reach them. */
export const templateReachableCodes: ReadonlySet<number> = new Set([45015, 45047]);
const tokenInvalidCodes: ReadonlySet<number> = new Set([40001, 40014, 42001]);
/**
 * Refusals that say nothing about the message: system busy (-1), rate limits (45009 daily API
 * quota, 45011 per-minute quota) and a token still refused after asking for a new one (no forced
 * refresh within 30 s of the last). Worth retrying later.
 */
const transientCodes: ReadonlySet<number> = new Set([-1, 45009, 45011, ...tokenInvalidCodes]);

/** True when the same call may succeed later (network, HTTP errors, busy platform, token trouble). */
export function isTransientWechatError(error: unknown): boolean {
  if (error instanceof WechatHttpError) return true;
  return error instanceof WechatApiError && transientCodes.has(error.errcode);
}

const apiResult = z.object({ errcode: z.number().int().optional(), errmsg: z.string().optional() }).loose();
const tokenResult = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

export interface WechatApiClientOptions {
  appId: string;
  appSecret: string;
  /** Defaults to https://api.weixin.qq.com; tests point it at a local fake. */
  baseUrl?: string;
  timeoutMs?: number;
  clock?: () => number;
}

/** Forced stable_token refreshes are limited to 20 a day, 30 s apart (getStableAccessToken). */
export const FORCED_REFRESH_INTERVAL_MS = 30_000;

/**
 * Official-account API client. Access tokens come from the stable-token endpoint in normal mode,
 * which hands every instance the same current token (and a new one shortly before it expires), so
 * no instance invalidates another's. Tokens are cached until shortly before expiry and fetched once
 * at a time. When the platform refuses a token, the current one is asked for first (another instance
 * may have renewed it); only when the platform still hands out the refused token is a new one
 * forced, at most once per 30 s in this process: a forced refresh invalidates every instance's
 * token and is limited to 20 a day.
 */
export class WechatApiClient {
  private token?: { value: string; expiresAt: number };
  private pending?: Promise<string>;
  private forcing?: Promise<string | undefined>;
  private lastForcedAt = Number.NEGATIVE_INFINITY;
  private readonly baseUrl: string;
  private readonly clock: () => number;

  constructor(private readonly options: WechatApiClientOptions) {
    this.baseUrl = (options.baseUrl ?? WECHAT_API_BASE).replace(/\/+$/, '');
    this.clock = options.clock ?? Date.now;
  }

  async sendCustomerText(openId: string, content: string): Promise<void> {
    await this.callWithToken('/cgi-bin/message/custom/send', { touser: openId, msgtype: 'text', text: { content } });
  }

  /**
   * Template message (the fallback when the customer-service window is closed); the platform
   * reports the result later as a TEMPLATESENDJOBFINISH event. Returns the platform's msgid.
   */
  async sendTemplate(
    openId: string,
    templateId: string,
    data: Record<string, string>,
    url?: string,
  ): Promise<string | undefined> {
    const body = await this.callWithToken('/cgi-bin/message/template/send', {
      touser: openId,
      template_id: templateId,
      ...(url ? { url } : {}),
      data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value }])),
    });
    const msgid = (body as { msgid?: number | string }).msgid;
    return msgid === undefined ? undefined : String(msgid);
  }

  /** Subscription notice (订阅通知), open to government and public-service accounts for long-term use. */
  async sendSubscription(
    openId: string,
    templateId: string,
    data: Record<string, string>,
    page?: string,
  ): Promise<void> {
    await this.callWithToken('/cgi-bin/message/subscribe/bizsend', {
      touser: openId,
      template_id: templateId,
      ...(page ? { page } : {}),
      data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value }])),
    });
  }

  async setTyping(openId: string, typing: boolean): Promise<void> {
    await this.callWithToken('/cgi-bin/message/custom/typing', {
      touser: openId,
      command: typing ? 'Typing' : 'CancelTyping',
    });
  }

  /** The current token (normal mode: the same for every instance while it is valid). */
  async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.clock()) return this.token.value;
    this.pending ??= this.fetchToken(false).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(forceRefresh: boolean): Promise<string> {
    const body = await this.post('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: this.options.appId,
      secret: this.options.appSecret,
      force_refresh: forceRefresh,
    });
    const parsed = tokenResult.safeParse(body);
    if (!parsed.success) throw new WechatHttpError('stable_token answered without a token');
    // Renew five minutes early so that a token never expires in flight (the platform renews it then too).
    const lifetime = Math.max(60, parsed.data.expires_in - 300) * 1000;
    this.token = { value: parsed.data.access_token, expiresAt: this.clock() + lifetime };
    return parsed.data.access_token;
  }

  /**
   * A token to try after the platform refused `refused`, or undefined when there is none yet (the
   * caller fails, and its outbox retries later): the current token if it is another one, else a
   * forced new one unless a forced refresh ran in the last 30 s.
   */
  private async tokenAfterRefusal(refused: string): Promise<string | undefined> {
    if (this.token?.value === refused) this.token = undefined;
    const current = await this.accessToken();
    if (current !== refused) return current;
    if (this.forcing) return this.forcing;
    if (this.clock() - this.lastForcedAt < FORCED_REFRESH_INTERVAL_MS) return undefined;
    this.lastForcedAt = this.clock();
    // A forced refresh that fails (quota, interval) leaves the original refusal to report.
    this.forcing = this.fetchToken(true)
      .catch(() => undefined)
      .finally(() => {
        this.forcing = undefined;
      });
    return this.forcing;
  }

  private async callWithToken(path: string, payload: unknown): Promise<unknown> {
    const token = await this.accessToken();
    try {
      return await this.post(`${path}?access_token=${encodeURIComponent(token)}`, payload, path);
    } catch (error) {
      if (!(error instanceof WechatApiError) || !tokenInvalidCodes.has(error.errcode)) throw error;
      const next = await this.tokenAfterRefusal(token);
      if (next === undefined) throw error;
      return this.post(`${path}?access_token=${encodeURIComponent(next)}`, payload, path);
    }
  }

  private async post(pathAndQuery: string, payload: unknown, path = pathAndQuery): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${pathAndQuery}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new WechatHttpError(`WeChat API ${path} unreachable`, { cause: error });
    }
    if (!response.ok) throw new WechatHttpError(`WeChat API ${path} answered HTTP ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new WechatHttpError(`WeChat API ${path} answered non-JSON`, { cause: error });
    }
    const result = apiResult.safeParse(body);
    if (!result.success) throw new WechatHttpError(`WeChat API ${path} answered an unexpected shape`);
    const { errcode, errmsg = '' } = result.data;
    if (errcode && errcode !== 0) {
      throw windowClosedCodes.has(errcode)
        ? new WechatWindowClosedError(errcode, errmsg, path)
        : new WechatApiError(errcode, errmsg, path);
    }
    return body;
  }
}
