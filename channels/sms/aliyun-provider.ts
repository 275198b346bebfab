import { createHmac, randomUUID } from 'node:crypto';
import type { OutboundSms, SmsProvider, SmsSendResult } from './provider.js';
import { SmsRefusedError } from './provider.js';

export interface AliyunProviderOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Approved template codes: `reply` has one variable ${content}; `status` has ${code} and ${status}. */
  templates: { reply?: string; status?: string };
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

/** Alibaba Cloud SMS (dysmsapi SendSms). Not idempotent: the send queue sends each message once. */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun' as const;

  constructor(private readonly options: AliyunProviderOptions) {}

  async send(sms: OutboundSms): Promise<SmsSendResult> {
    const template = this.options.templates[sms.template];
    if (!template) throw new SmsRefusedError('aliyun', 'NO_TEMPLATE', `no approved template for ${sms.template}`);
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
      TemplateParam: JSON.stringify(sms.params),
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
    if (json.Code && !/^(Throttling|ServiceUnavailable|InternalError)/.test(json.Code)) {
      throw new SmsRefusedError('aliyun', json.Code, json.Message ?? '');
    }
    throw new Error(`aliyun answered HTTP ${response.status} ${json.Code ?? ''}`);
  }
}
