import { createHmac, randomUUID } from 'node:crypto';
import type { OutboundSms, SmsProvider, SmsSendResult } from './provider.js';
import { SmsGatewayBusyError, SmsRefusedError } from './provider.js';
import { chooseUpdateTemplate } from './update-text.js';

export interface AliyunProviderOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Approved template codes: `reply` has one variable ${content}; `status` has ${code} and ${status}. */
  templates: { reply?: string; status?: string };
  /**
   * Name of the status template's third variable that carries the update itself (e.g. "content"
   * for 您的工单${code}${status}：${content}); unset when the template has only ${code} and ${status},
   * and an update with text then goes through the reply template when there is one.
   */
  statusContentVariable?: string;
  /** Longest value Alibaba Cloud accepts in that variable (notification templates: 35). */
  variableMaxLength?: number;
  /** Segments a whole update may use in the reply template (SMS_SEGMENTS_MAX). */
  maxSegments?: number;
  baseUrl?: string;
  clock?: () => Date;
}

/** RFC 3986 encoding as Alibaba Cloud's RPC signature expects. */
const percentEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The RPC-style signature (HMAC-SHA1, SignatureVersion 1.0) over the sorted query. */
export function aliyunRpcSignature(method: 'GET' | 'POST', params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
}

/**
 * Codes after which the same message may be sent later: throttling, outages, the per-number and
 * daily limits, a balance or account to be topped up. Every other code is a refusal for good.
 */
const transientCodes =
  /^(Throttling|ServiceUnavailable|InternalError|SignatureNonceUsed|isp\.|isv\.(BUSINESS_LIMIT_CONTROL|DAY_LIMIT_CONTROL|AMOUNT_NOT_ENOUGH|OUT_OF_SERVICE))/;

/** Alibaba Cloud SMS (dysmsapi SendSms). Not idempotent: each message is sent once per attempt. */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun' as const;

  constructor(private readonly options: AliyunProviderOptions) {}

  /** The template and its variables for a message. */
  private templateOf(sms: OutboundSms): { kind: 'reply' | 'status'; params: Record<string, string> } {
    if (sms.template === 'reply') return { kind: 'reply', params: sms.params };
    const { code, status } = sms.params;
    const variable = this.options.statusContentVariable;
    const choice = chooseUpdateTemplate(sms.params, {
      templates: this.options.templates,
      ...(variable ? { contentVariableMax: this.options.variableMaxLength ?? 35 } : {}),
      signatureLength: [...this.options.signName].length + 2,
      ...(this.options.maxSegments ? { maxSegments: this.options.maxSegments } : {}),
    });
    if (choice.template === 'reply') return { kind: 'reply', params: { content: choice.content } };
    return {
      kind: 'status',
      params: variable && choice.content ? { code, status, [variable]: choice.content } : { code, status },
    };
  }

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    const { kind, params: templateParams } = this.templateOf(sms);
    const template = this.options.templates[kind];
    if (!template) throw new SmsRefusedError('aliyun', 'NO_TEMPLATE', `no approved template for ${kind}`);
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: sms.phone,
      RegionId: 'cn-hangzhou',
      SignName: this.options.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: template,
      TemplateParam: JSON.stringify(templateParams),
      Timestamp: (this.options.clock?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    const signature = aliyunRpcSignature('GET', params, this.options.accessKeySecret);
    const query = `Signature=${percentEncode(signature)}&${Object.keys(params)
      .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
      .join('&')}`;
    const base = (this.options.baseUrl ?? 'https://dysmsapi.aliyuncs.com').replace(/\/+$/, '');
    const response = await fetch(`${base}/?${query}`, { signal: AbortSignal.timeout(10_000) });
    const json = (await response.json().catch(() => ({}))) as { Code?: string; Message?: string; BizId?: string };
    if (json.Code === 'OK' && json.BizId) return { messageId: json.BizId };
    if (!json.Code || json.Code === 'OK') throw new Error(`aliyun answered HTTP ${response.status} without a BizId`);
    if (transientCodes.test(json.Code)) throw new SmsGatewayBusyError('aliyun', json.Code, json.Message ?? '');
    throw new SmsRefusedError('aliyun', json.Code, json.Message ?? '');
  }
}
