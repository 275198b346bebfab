import { z } from 'zod';
import { DEFAULT_TEMPLATE_FIELDS, parseTemplateFields, type TemplateValueName } from '../channels/wechat/template.js';

const optional = (pattern: RegExp, expected: string) => z.string().trim().regex(pattern, expected).optional();
const secret = optional(/^\S{1,256}$/, 'a non-empty value without spaces');
const url = optional(/^https?:\/\/[^\s]+$/, 'an http(s) URL');
const aesKey = optional(/^[A-Za-z0-9+/]{43}$/, 'the 43-character EncodingAESKey from the admin console');
const milliseconds = (max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `milliseconds from 0 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().max(max, `milliseconds from 0 to ${max}`))
    .optional()
    .transform((v) => v ?? fallback);

/** The length a provider allows one template variable (Aliyun and Tencent: 35 characters by default). */
const templateVariableMax = z
  .string()
  .trim()
  .regex(/^\d{1,4}$/, 'a number of characters from 10 to 1000')
  .transform(Number)
  .refine((n) => n >= 10 && n <= 1000, 'a number of characters from 10 to 1000')
  .optional()
  .transform((v) => v ?? 35);

/** Environment variables of the channels; every channel is off until its variables are set. */
export const channelEnvSchema = z.object({
  WECHAT_TOKEN: optional(/^[A-Za-z0-9]{3,32}$/, '3-32 letters or digits (the Token of the admin console)'),
  WECHAT_APP_ID: optional(/^wx[0-9a-f]{16}$/i, 'an AppID such as wx1234567890abcdef'),
  WECHAT_APP_SECRET: secret,
  WECHAT_ENCODING_AES_KEY: aesKey,
  WECHAT_API_BASE: url,
  // WeChat gives up after 5 s; the rest of the budget is network and our own work.
  WECHAT_REPLY_BUDGET_MS: milliseconds(4500, 3000),
  WECHAT_TEMPLATE_ID_WORK_ORDER: optional(/^[A-Za-z0-9_-]{8,64}$/, 'the template ID from the admin console (模板消息)'),
  WECHAT_TEMPLATE_FIELDS_WORK_ORDER: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseTemplateFields(v || DEFAULT_TEMPLATE_FIELDS);
      if (typeof parsed === 'string') {
        ctx.addIssue({
          code: 'custom',
          message: `KEYWORD=VALUE pairs separated by commas, VALUE one of code, status, text, time (${parsed})`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  WECHAT_TEMPLATE_URL_WORK_ORDER: url,
  WEBHOOK_MAX_SKEW_SECONDS: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, 'seconds, e.g. 300')
    .transform(Number)
    .optional()
    .transform((v) => v ?? 300),
  WECOM_TOKEN: optional(/^[A-Za-z0-9]{3,32}$/, '3-32 letters or digits'),
  WECOM_ENCODING_AES_KEY: aesKey,
  WECOM_CORP_ID: optional(/^[A-Za-z0-9]{6,40}$/, 'the CorpID, e.g. ww1234567890abcdef'),
  WECOM_SECRET: secret,
  WECOM_AGENT_ID: optional(/^\d{1,10}$/, 'the numeric AgentId of the app'),
  WECOM_API_BASE: url,
  SMS_WEBHOOK_TOKEN: optional(/^[A-Za-z0-9_-]{16,128}$/, '16-128 letters, digits, "_" or "-"'),
  SMS_PUBLIC_BASE_URL: url,
  TWILIO_ACCOUNT_SID: optional(/^AC[0-9a-f]{32}$/i, 'an Account SID such as AC0123...'),
  TWILIO_AUTH_TOKEN: secret,
  TWILIO_FROM: optional(/^\+\d{6,15}$/, 'an E.164 number such as +8613800000000'),
  TWILIO_API_BASE: url,
  ALIYUN_SMS_ACCESS_KEY_ID: optional(/^[A-Za-z0-9]{8,64}$/, 'an AccessKey ID'),
  ALIYUN_SMS_ACCESS_KEY_SECRET: secret,
  ALIYUN_SMS_SIGN_NAME: optional(/^.{2,20}$/, 'the approved signature name, without 【】'),
  ALIYUN_SMS_REPLY_TEMPLATE: optional(/^SMS_\d{3,20}$/, 'an approved template code such as SMS_123456789'),
  ALIYUN_SMS_STATUS_TEMPLATE: optional(/^SMS_\d{3,20}$/, 'an approved template code such as SMS_123456789'),
  ALIYUN_SMS_API_BASE: url,
  // The status template's variable for the update's text (结果, requested information, the rating question).
  ALIYUN_SMS_STATUS_CONTENT_VARIABLE: optional(
    /^[A-Za-z][A-Za-z0-9_]{0,31}$/,
    'a template variable name such as content',
  ),
  ALIYUN_SMS_VARIABLE_MAX: templateVariableMax,
  TENCENT_SMS_SECRET_ID: optional(/^[A-Za-z0-9]{8,64}$/, 'a SecretId'),
  TENCENT_SMS_SECRET_KEY: secret,
  TENCENT_SMS_SDK_APP_ID: optional(/^\d{6,12}$/, 'the SmsSdkAppId, e.g. 1400000000'),
  TENCENT_SMS_SIGN_NAME: optional(/^.{2,20}$/, 'the approved signature name, without 【】'),
  TENCENT_SMS_REPLY_TEMPLATE_ID: optional(/^\d{3,12}$/, 'an approved template id'),
  TENCENT_SMS_STATUS_TEMPLATE_ID: optional(/^\d{3,12}$/, 'an approved template id'),
  TENCENT_SMS_API_BASE: url,
  // The status template has a third parameter {3} for the update's text.
  TENCENT_SMS_STATUS_CONTENT_PARAM: z
    .enum(['true', 'false'], { message: 'true or false' })
    .optional()
    .transform((v) => v === 'true'),
  TENCENT_SMS_VARIABLE_MAX: templateVariableMax,
  WEBCHAT_ALLOWED_ORIGINS: optional(
    /^(\*|https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*)$/,
    '"*" or a comma-separated list of origins such as https://www.example.gov.cn',
  ),
  SMS_SEGMENTS_MAX: z
    .string()
    .trim()
    .regex(/^[1-9]$/, 'an integer from 1 to 9')
    .transform(Number)
    .optional()
    .transform((v) => v ?? 3),
  SMS_MIN_INTERVAL_MS: milliseconds(600_000, 30_000),
  WECHATY_PUPPET: optional(
    /^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/,
    'the npm name of a wechaty puppet, e.g. wechaty-puppet-mock',
  ),
  WECHATY_PUPPET_TOKEN: secret,
});

export interface WechatConfig {
  token: string;
  appId?: string;
  appSecret?: string;
  encodingAesKey?: string;
  apiBase?: string;
  replyBudgetMs: number;
  /** Template message for work-order updates when the customer-service window is closed. */
  workOrderTemplate?: { templateId: string; fields: Record<string, TemplateValueName>; url?: string };
}

export interface WecomConfig {
  token: string;
  encodingAesKey: string;
  corpId: string;
  secret?: string;
  agentId?: string;
  apiBase?: string;
}

export interface SmsConfig {
  /** Required as `?token=` on the webhooks of gateways that do not sign (Aliyun, Tencent). */
  webhookToken?: string;
  /** The public base URL (as the gateway calls it), for Twilio's signature over the full URL. */
  publicBaseUrl?: string;
  twilio?: { accountSid: string; authToken: string; from?: string; apiBase?: string };
  tencent?: {
    secretId: string;
    secretKey: string;
    sdkAppId: string;
    signName: string;
    replyTemplate?: string;
    statusTemplate?: string;
    statusContentParameter: boolean;
    variableMaxLength: number;
    apiBase?: string;
  };
  aliyun?: {
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    replyTemplate?: string;
    statusTemplate?: string;
    statusContentVariable?: string;
    variableMaxLength: number;
    apiBase?: string;
  };
  maxSegments: number;
  minIntervalMs: number;
}

export interface WechatyConfig {
  /** The npm package of the puppet, e.g. wechaty-puppet-service or wechaty-puppet-mock. */
  puppet: string;
  token?: string;
}

export interface ChannelConfig {
  webhookMaxSkewSeconds: number;
  /** Origins of pages embedding the widget that may use the HTTP fallback (CORS); empty = same origin only. */
  webChatAllowedOrigins: string[];
  wechat?: WechatConfig;
  wecom?: WecomConfig;
  sms: SmsConfig;
  wechaty?: WechatyConfig;
}

type ChannelEnv = z.infer<typeof channelEnvSchema>;

/** Cross-field rules; each problem names the variable that is missing. */
export function channelConfigProblems(e: ChannelEnv): string[] {
  const problems: string[] = [];
  const need = (when: boolean, name: string, because: string) => {
    if (when) problems.push(`${name} is missing: required ${because}`);
  };
  need(!!e.WECHAT_ENCODING_AES_KEY && !e.WECHAT_APP_ID, 'WECHAT_APP_ID', 'with WECHAT_ENCODING_AES_KEY');
  need(!!e.WECHAT_APP_SECRET && !e.WECHAT_APP_ID, 'WECHAT_APP_ID', 'with WECHAT_APP_SECRET');
  need(!!e.WECHAT_APP_ID && !e.WECHAT_TOKEN, 'WECHAT_TOKEN', 'to turn on the WeChat channel');
  need(
    !!e.WECHAT_TEMPLATE_ID_WORK_ORDER && !e.WECHAT_APP_SECRET,
    'WECHAT_APP_SECRET',
    'with WECHAT_TEMPLATE_ID_WORK_ORDER (template messages use the API)',
  );
  const wecom = [e.WECOM_TOKEN, e.WECOM_ENCODING_AES_KEY, e.WECOM_CORP_ID];
  if (wecom.some(Boolean) && !wecom.every(Boolean)) {
    problems.push('WECOM_TOKEN, WECOM_ENCODING_AES_KEY and WECOM_CORP_ID are required together');
  }
  const aliyun = [e.ALIYUN_SMS_ACCESS_KEY_ID, e.ALIYUN_SMS_ACCESS_KEY_SECRET, e.ALIYUN_SMS_SIGN_NAME];
  if (aliyun.some(Boolean) && !aliyun.every(Boolean)) {
    problems.push(
      'ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET and ALIYUN_SMS_SIGN_NAME are required together',
    );
  }
  const tencent = [
    e.TENCENT_SMS_SECRET_ID,
    e.TENCENT_SMS_SECRET_KEY,
    e.TENCENT_SMS_SDK_APP_ID,
    e.TENCENT_SMS_SIGN_NAME,
  ];
  if (tencent.some(Boolean) && !tencent.every(Boolean)) {
    problems.push(
      'TENCENT_SMS_SECRET_ID, TENCENT_SMS_SECRET_KEY, TENCENT_SMS_SDK_APP_ID and TENCENT_SMS_SIGN_NAME are required together',
    );
  }
  need(!!e.WECHATY_PUPPET_TOKEN && !e.WECHATY_PUPPET, 'WECHATY_PUPPET', 'with WECHATY_PUPPET_TOKEN');
  need(!!e.TWILIO_ACCOUNT_SID !== !!e.TWILIO_AUTH_TOKEN, 'TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN', 'together');
  return problems;
}

export function toChannelConfig(e: ChannelEnv): ChannelConfig {
  return {
    webhookMaxSkewSeconds: e.WEBHOOK_MAX_SKEW_SECONDS,
    webChatAllowedOrigins: e.WEBCHAT_ALLOWED_ORIGINS ? e.WEBCHAT_ALLOWED_ORIGINS.split(',').map((o) => o.trim()) : [],
    wechat: e.WECHAT_TOKEN
      ? {
          token: e.WECHAT_TOKEN,
          appId: e.WECHAT_APP_ID,
          appSecret: e.WECHAT_APP_SECRET,
          encodingAesKey: e.WECHAT_ENCODING_AES_KEY,
          apiBase: e.WECHAT_API_BASE,
          replyBudgetMs: e.WECHAT_REPLY_BUDGET_MS,
          workOrderTemplate: e.WECHAT_TEMPLATE_ID_WORK_ORDER
            ? {
                templateId: e.WECHAT_TEMPLATE_ID_WORK_ORDER,
                fields: e.WECHAT_TEMPLATE_FIELDS_WORK_ORDER,
                url: e.WECHAT_TEMPLATE_URL_WORK_ORDER,
              }
            : undefined,
        }
      : undefined,
    wecom:
      e.WECOM_TOKEN && e.WECOM_ENCODING_AES_KEY && e.WECOM_CORP_ID
        ? {
            token: e.WECOM_TOKEN,
            encodingAesKey: e.WECOM_ENCODING_AES_KEY,
            corpId: e.WECOM_CORP_ID,
            secret: e.WECOM_SECRET,
            agentId: e.WECOM_AGENT_ID,
            apiBase: e.WECOM_API_BASE,
          }
        : undefined,
    sms: {
      webhookToken: e.SMS_WEBHOOK_TOKEN,
      publicBaseUrl: e.SMS_PUBLIC_BASE_URL,
      twilio:
        e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
          ? {
              accountSid: e.TWILIO_ACCOUNT_SID,
              authToken: e.TWILIO_AUTH_TOKEN,
              from: e.TWILIO_FROM,
              apiBase: e.TWILIO_API_BASE,
            }
          : undefined,
      aliyun:
        e.ALIYUN_SMS_ACCESS_KEY_ID && e.ALIYUN_SMS_ACCESS_KEY_SECRET && e.ALIYUN_SMS_SIGN_NAME
          ? {
              accessKeyId: e.ALIYUN_SMS_ACCESS_KEY_ID,
              accessKeySecret: e.ALIYUN_SMS_ACCESS_KEY_SECRET,
              signName: e.ALIYUN_SMS_SIGN_NAME,
              replyTemplate: e.ALIYUN_SMS_REPLY_TEMPLATE,
              statusTemplate: e.ALIYUN_SMS_STATUS_TEMPLATE,
              statusContentVariable: e.ALIYUN_SMS_STATUS_CONTENT_VARIABLE,
              variableMaxLength: e.ALIYUN_SMS_VARIABLE_MAX,
              apiBase: e.ALIYUN_SMS_API_BASE,
            }
          : undefined,
      tencent:
        e.TENCENT_SMS_SECRET_ID && e.TENCENT_SMS_SECRET_KEY && e.TENCENT_SMS_SDK_APP_ID && e.TENCENT_SMS_SIGN_NAME
          ? {
              secretId: e.TENCENT_SMS_SECRET_ID,
              secretKey: e.TENCENT_SMS_SECRET_KEY,
              sdkAppId: e.TENCENT_SMS_SDK_APP_ID,
              signName: e.TENCENT_SMS_SIGN_NAME,
              replyTemplate: e.TENCENT_SMS_REPLY_TEMPLATE_ID,
              statusTemplate: e.TENCENT_SMS_STATUS_TEMPLATE_ID,
              statusContentParameter: e.TENCENT_SMS_STATUS_CONTENT_PARAM,
              variableMaxLength: e.TENCENT_SMS_VARIABLE_MAX,
              apiBase: e.TENCENT_SMS_API_BASE,
            }
          : undefined,
      maxSegments: e.SMS_SEGMENTS_MAX,
      minIntervalMs: e.SMS_MIN_INTERVAL_MS,
    },
    wechaty: e.WECHATY_PUPPET ? { puppet: e.WECHATY_PUPPET, token: e.WECHATY_PUPPET_TOKEN } : undefined,
  };
}
