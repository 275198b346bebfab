import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('channel configuration', () => {
  it('leaves every channel off without its variables', () => {
    const { channels } = loadConfig({});
    expect(channels.wechat).toBeUndefined();
    expect(channels.wecom).toBeUndefined();
    expect(channels.sms).toMatchObject({ twilio: undefined, aliyun: undefined, maxSegments: 3, minIntervalMs: 30_000 });
    expect(channels.webhookMaxSkewSeconds).toBe(300);
    expect(channels.wechaty).toBeUndefined();
  });

  it('reads the wechaty puppet and hides its token in errors', () => {
    expect(
      loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', WECHATY_PUPPET_TOKEN: 'puppet_service_token' }).channels
        .wechaty,
    ).toEqual({ puppet: 'wechaty-puppet-service', token: 'puppet_service_token' });
    expect(() => loadConfig({ WECHATY_PUPPET: 'not a package' })).toThrow(/WECHATY_PUPPET="not a package" is invalid/);
    expect(() => loadConfig({ WECHATY_PUPPET_TOKEN: 'puppet_service_token' })).toThrow(/WECHATY_PUPPET is missing/);
    expect(() => loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_PUPPET_TOKEN: 'has space' })).toThrow(
      /WECHATY_PUPPET_TOKEN=\(hidden\) is invalid/,
    );
  });

  it('reads the WeChat, WeCom and SMS variables', () => {
    const { channels } = loadConfig({
      WECHAT_TOKEN: 'token123',
      WECHAT_APP_ID: 'wx0123456789abcdef',
      WECHAT_APP_SECRET: 's3cret',
      WECHAT_ENCODING_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      WECHAT_REPLY_BUDGET_MS: '2500',
      WECOM_TOKEN: 'QDG6eK',
      WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
      WECOM_CORP_ID: 'wx5823bf96d3bd56c7',
      SMS_WEBHOOK_TOKEN: 'a-long-webhook-token',
    });
    expect(channels.wechat).toMatchObject({ token: 'token123', appId: 'wx0123456789abcdef', replyBudgetMs: 2500 });
    expect(channels.wecom).toMatchObject({ corpId: 'wx5823bf96d3bd56c7' });
    expect(channels.sms.webhookToken).toBe('a-long-webhook-token');
  });

  it('names wrong and missing channel variables', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return '';
    };
    expect(problems({ WECHAT_ENCODING_AES_KEY: 'short' })).toMatch(/WECHAT_ENCODING_AES_KEY=\(hidden\) is invalid/);
    expect(problems({ WECHAT_REPLY_BUDGET_MS: '6000' })).toMatch(/WECHAT_REPLY_BUDGET_MS="6000" is invalid/);
    expect(
      problems({ WECHAT_TOKEN: 'token123', WECHAT_ENCODING_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }),
    ).toMatch(/WECHAT_APP_ID is missing/);
    expect(problems({ WECOM_TOKEN: 'abc' })).toMatch(/required together/);
  });

  it('reads the work-order template of WeChat with its field mapping, and names a bad mapping', () => {
    const base = { WECHAT_TOKEN: 'token123', WECHAT_APP_ID: 'wx0123456789abcdef', WECHAT_APP_SECRET: 's3cret' };
    expect(loadConfig(base).channels.wechat?.workOrderTemplate).toBeUndefined();
    expect(
      loadConfig({ ...base, WECHAT_TEMPLATE_ID_WORK_ORDER: 'Ab-12_cdEFgh34' }).channels.wechat?.workOrderTemplate,
    ).toEqual({
      templateId: 'Ab-12_cdEFgh34',
      fields: { character_string1: 'code', phrase2: 'status', time3: 'time' },
      url: undefined,
    });
    expect(
      loadConfig({
        ...base,
        WECHAT_TEMPLATE_ID_WORK_ORDER: 'Ab-12_cdEFgh34',
        WECHAT_TEMPLATE_FIELDS_WORK_ORDER: 'keyword1=code, keyword2=status, remark=text',
        WECHAT_TEMPLATE_URL_WORK_ORDER: 'https://hotline.example.gov.cn/?t={code}',
      }).channels.wechat?.workOrderTemplate,
    ).toMatchObject({
      fields: { keyword1: 'code', keyword2: 'status', remark: 'text' },
      url: 'https://hotline.example.gov.cn/?t={code}',
    });
    expect(() =>
      loadConfig({
        ...base,
        WECHAT_TEMPLATE_ID_WORK_ORDER: 'Ab-12_cdEFgh34',
        WECHAT_TEMPLATE_FIELDS_WORK_ORDER: 'thing1=phone',
      }),
    ).toThrow(/WECHAT_TEMPLATE_FIELDS_WORK_ORDER.*"phone" is not one of code, status, text, time/s);
    expect(() =>
      loadConfig({
        WECHAT_TOKEN: 'token123',
        WECHAT_APP_ID: 'wx0123456789abcdef',
        WECHAT_TEMPLATE_ID_WORK_ORDER: 'Ab-12_cdEFgh34',
      }),
    ).toThrow(/WECHAT_APP_SECRET is missing/);
  });
});
