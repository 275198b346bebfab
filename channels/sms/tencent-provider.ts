import { createHash, createHmac } from 'node:crypto';
import type { OutboundSms, SmsProvider, SmsSendResult } from './provider.js';
import { SmsGatewayBusyError, SmsRefusedError } from './provider.js';
import { toE164 } from './twilio-provider.js';
import { chooseUpdateTemplate } from './update-text.js';

export interface TencentProviderOptions {
  secretId: string;
  secretKey: string;
  /** SmsSdkAppId of the SMS application. */
  sdkAppId: string;
  signName: string;
  /** Approved template ids: `reply` with one parameter (content); `status` with two (code, status). */
  templates: { reply?: string; status?: string };
  /**
   * True when the status template has a third parameter {3} for the update itself (您的工单{1}{2}：{3});
   * otherwise an update with text goes through the reply template when there is one.
   */
  statusContentParameter?: boolean;
  /** Longest value Tencent Cloud accepts in that parameter (as approved for the template). */
  variableMaxLength?: number;
  /** Segments a whole update may use in the reply template (SMS_SEGMENTS_MAX). */
  maxSegments?: number;
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

/**
 * Codes after which the same message may be sent later: Tencent's outages, request and per-number
 * frequency limits (30 s, hour, day), an empty SMS package. Every other code is a refusal for good.
 */
const transientCodes =
  /^(InternalError|RequestLimitExceeded|LimitExceeded\.(PhoneNumber|DeliveryFrequency|AppDailyLimit)|FailedOperation\.InsufficientBalance)/;

const failure = (code: string, message: string) =>
  transientCodes.test(code)
    ? new SmsGatewayBusyError('tencent', code, message)
    : new SmsRefusedError('tencent', code, message);

/** Tencent Cloud SMS (SendSms, API 2021-01-11). */
export class TencentSmsProvider implements SmsProvider {
  readonly name = 'tencent' as const;

  constructor(private readonly options: TencentProviderOptions) {}

  /** The template and its parameters, in the template's order. */
  private templateOf(sms: OutboundSms): { kind: 'reply' | 'status'; params: string[] } {
    if (sms.template === 'reply') return { kind: 'reply', params: [sms.params.content] };
    const { code, status } = sms.params;
    const choice = chooseUpdateTemplate(sms.params, {
      templates: this.options.templates,
      ...(this.options.statusContentParameter ? { contentVariableMax: this.options.variableMaxLength ?? 35 } : {}),
      signatureLength: [...this.options.signName].length + 2,
      ...(this.options.maxSegments ? { maxSegments: this.options.maxSegments } : {}),
    });
    if (choice.template === 'reply') return { kind: 'reply', params: [choice.content] };
    return { kind: 'status', params: choice.content ? [code, status, choice.content] : [code, status] };
  }

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    const { kind, params } = this.templateOf(sms);
    const template = this.options.templates[kind];
    if (!template) throw new SmsRefusedError('tencent', 'NO_TEMPLATE', `no approved template for ${kind}`);
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
    if (error) throw failure(error.Code, error.Message);
    const status = json.Response?.SendStatusSet?.[0];
    if (!status) throw new Error(`tencent answered HTTP ${response.status} without a send status`);
    if (status.Code !== 'Ok') throw failure(status.Code, status.Message ?? '');
    return { messageId: status.SerialNo ?? '' };
  }
}
