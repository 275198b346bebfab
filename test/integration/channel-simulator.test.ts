import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateSms, simulateWechat } from '../../server/channel-simulator.js';
import { loadConfig } from '../../server/config.js';
import { startTestApp, type TestApp } from '../support/app.js';

describe('channel simulators against a server on a real port', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({
      WECHAT_TOKEN: 'simulator',
      WECHAT_APP_ID: 'wx0123456789abcdef',
      WECHAT_ENCODING_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      TWILIO_ACCOUNT_SID: `AC${'2'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'simulator-token',
    });
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends an encrypted WeChat message and shows the decrypted answer', async () => {
    const config = loadConfig({
      WECHAT_TOKEN: 'simulator',
      WECHAT_APP_ID: 'wx0123456789abcdef',
      WECHAT_ENCODING_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    });
    expect(
      await simulateWechat({ baseUrl, config: config.channels, openId: 'o-sim', text: '社保卡丢了怎么办' }),
    ).toContain('挂失');
    const wrong = loadConfig({ WECHAT_TOKEN: 'wrongtoken' });
    await expect(
      simulateWechat({ baseUrl, config: wrong.channels, openId: 'o-sim', text: '你好', safe: false }),
    ).rejects.toThrow(/401/);
  });

  it('sends a signed SMS and shows the TwiML answer', async () => {
    const config = loadConfig({ TWILIO_ACCOUNT_SID: `AC${'2'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'simulator-token' });
    expect(
      await simulateSms({ baseUrl, config: config.channels, phone: '+8613800000001', text: '社保卡丢了怎么办' }),
    ).toContain('挂失');
  });
});
