import { createHash, createHmac } from 'node:crypto';
import type { OutboundSms, SmsProvider, SmsSendResult } from './provider.js';
import { SmsRefusedError } from './provider.js';
import { toE164 } from './twilio-provider.js';

export interface TencentProviderOptions {
  secretId: string;
  secretKey: string;
  /** SmsSdkAppId of the SMS application. */
  sdkAppId: string;
  signName: string;
  /** Approved template ids: `reply` with one parameter (content); `status` with two (code, status). */
  templates: { reply?: string; status?: string };
  region?: string;
  baseUrl?: string;
  clock?: () => Date;
}

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** TC3-HMAC-SHA256 Authorization header of Tencent Cloud API 3.0. */
export function tencentAuthorization(o: {
  secretId: string;
  secretKey: string;
  host: string;
  payload: string;
  timestamp: number;
  service: string;
}): string {
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:application/json; charset=utf-8\nhost:${o.host}\n`,
    'content-type;host',
    sha256(o.payload),
  ].join('\n');
  const scope = `${date}/${o.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(o.timestamp), scope, sha256(canonical)].join('\n');
  const signing = hmac(hmac(hmac(`TC3${o.secretKey}`, date), o.service), 'tc3_request');
  const signature = createHmac('sha256', signing).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${o.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

interface TencentResponse {
  Response?: {
    Error?: { Code: string; Message: string };
    SendStatusSet?: { SerialNo?: string; Code: string; Message?: string }[];
  };
}

/** Tencent Cloud SMS (SendSms, API 2021-01-11). */
export class TencentSmsProvider implements SmsProvider {
  readonly name = 'tencent' as const;

  constructor(private readonly options: TencentProviderOptions) {}

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    const template = this.options.templates[sms.template];
    if (!template) throw new SmsRefusedError('tencent', 'NO_TEMPLATE', `no approved template for ${sms.template}`);
    const params = sms.template === 'reply' ? [sms.params.content] : [sms.params.code, sms.params.status];
    const payload = JSON.stringify({
      PhoneNumberSet: [toE164(sms.phone)],
      SmsSdkAppId: this.options.sdkAppId,
      SignName: this.options.signName,
      TemplateId: template,
      TemplateParamSet: params,
    });
    const url = new URL((this.options.baseUrl ?? 'https://sms.tencentcloudapi.com').replace(/\/+$/, '') + '/');
    const timestamp = Math.floor((this.options.clock?.() ?? new Date()).getTime() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: tencentAuthorization({ ...this.options, host: url.host, payload, timestamp, service: 'sms' }),
        'content-type': 'application/json; charset=utf-8',
        'x-tc-action': 'SendSms',
        'x-tc-timestamp': String(timestamp),
        'x-tc-version': '2021-01-11',
        'x-tc-region': this.options.region ?? 'ap-guangzhou',
      },
      body: payload,
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await response.json().catch(() => ({}))) as TencentResponse;
    const error = json.Response?.Error;
    if (error) {
      if (/^(InternalError|RequestLimitExceeded)/.test(error.Code)) throw new Error(`tencent: ${error.Code}`);
      throw new SmsRefusedError('tencent', error.Code, error.Message);
    }
    const status = json.Response?.SendStatusSet?.[0];
    if (!status) throw new Error(`tencent answered HTTP ${response.status} without a send status`);
    if (status.Code !== 'Ok') throw new SmsRefusedError('tencent', status.Code, status.Message ?? '');
    return { messageId: status.SerialNo ?? '' };
  }
}
