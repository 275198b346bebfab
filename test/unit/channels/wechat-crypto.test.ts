import { describe, expect, it } from 'vitest';
import {
  WechatCryptoError,
  WechatMessageCrypto,
  signaturesEqual,
  wechatSignature,
} from '../../../channels/wechat/crypto.js';
import { parseWechatXml } from '../../../channels/wechat/xml.js';

// Published vectors, see shared/CHANNELS.md.
describe('WeChat signatures', () => {
  it('matches the URL-verification vectors', () => {
    expect(wechatSignature('AAAAA', '1714037059', '486452656')).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
    expect(wechatSignature('test', '1410685589', 'test')).toBe('f21891de399b4e33a1a93c9a7b8a8fffb5a443ff');
  });

  it('compares signatures of any length without throwing', () => {
    const good = wechatSignature('test', '1410685589', 'test');
    expect(signaturesEqual(good, good.toUpperCase())).toBe(true);
    expect(signaturesEqual(good, good.slice(0, -1))).toBe(false);
    expect(signaturesEqual(good, `${good.slice(0, -1)}0`)).toBe(false);
    expect(signaturesEqual(good, undefined)).toBe(false);
    expect(signaturesEqual(good, '')).toBe(false);
  });
});

describe('official-account AES crypto (Tencent Java sample vector)', () => {
  const crypto = new WechatMessageCrypto('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wxb11529c136998cb6');
  const encrypted = 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';

  it('encrypts byte-exactly with the sample random', () => {
    expect(crypto.encrypt('我是中文abcd123', Buffer.from('aaaabbbbccccdddd'))).toBe(encrypted);
  });

  it('decrypts the sample', () => {
    expect(crypto.decrypt(encrypted)).toBe('我是中文abcd123');
  });

  it('round-trips messages of every padding length, including a full 32-byte pad block', () => {
    for (let n = 0; n < 70; n++) {
      const message = 'x'.repeat(n);
      expect(crypto.decrypt(crypto.encrypt(message))).toBe(message);
    }
  });

  it('refuses a message addressed to another AppID', () => {
    const other = new WechatMessageCrypto('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'wx0000000000000000');
    expect(() => other.decrypt(encrypted)).toThrow(/another receiver/);
  });

  it('refuses garbage without crashing', () => {
    for (const bad of ['', 'not base64!', 'AAAA', Buffer.alloc(48, 7).toString('base64'), encrypted.slice(0, 40)]) {
      expect(() => crypto.decrypt(bad)).toThrow(WechatCryptoError);
    }
  });

  it('refuses an EncodingAESKey of the wrong length', () => {
    expect(() => new WechatMessageCrypto('short', 'wx')).toThrow(/43 characters/);
  });
});

describe('WeCom crypto (Tencent PHP sample vectors)', () => {
  const token = 'QDG6eK';
  const crypto = new WechatMessageCrypto('jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', 'wx5823bf96d3bd56c7');

  it('verifies and decrypts the URL-check echostr', () => {
    const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
    expect(wechatSignature(token, '1409659589', '263014780', echostr)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(crypto.decrypt(echostr)).toBe('1616140317555161061');
  });

  it('verifies and decrypts the sample message', () => {
    const encrypt =
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
    expect(wechatSignature(token, '1409659813', '1372623149', encrypt)).toBe(
      '477715d11cdb4164915debcba66cb864d751f3e6',
    );
    const fields = parseWechatXml(crypto.decrypt(encrypt));
    expect(fields).toMatchObject({
      fromusername: 'mycreate',
      content: 'hello',
      msgid: '4561255354251345929',
      agentid: '218',
    });
  });
});
