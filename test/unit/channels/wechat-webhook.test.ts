import { describe, expect, it } from 'vitest';
import type { InboundMessage, Reply } from '../../../bot/message.js';
import { InMemoryChannelMemory } from '../../../channels/channel-memory.js';
import { WechatCallbackSigner } from '../../../channels/wechat/callback-signer.js';
import { validateWechatMessage } from '../../../channels/wechat/inbound.js';
import { renderRepliesAsText } from '../../../channels/wechat/render.js';
import { shortenToFit, splitIntoMessages } from '../../../channels/wechat/text-fit.js';
import { WechatWebhook, type LateAnswer } from '../../../channels/wechat/webhook.js';
import { buildWechatXml, parseWechatXml } from '../../../channels/wechat/xml.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe('WeChat XML', () => {
  it('keeps 64-bit ids as strings and matches MsgID case-insensitively', () => {
    const fields = parseWechatXml(
      '<xml><ToUserName><![CDATA[gh]]></ToUserName><MsgID>18446744073709551615</MsgID><CreateTime>1700000000</CreateTime></xml>',
    );
    expect(fields).toEqual({ tousername: 'gh', msgid: '18446744073709551615', createtime: '1700000000' });
  });

  it('refuses DTDs, entities, other roots and broken documents', () => {
    expect(() => parseWechatXml('<!DOCTYPE x [<!ENTITY a "b">]><xml><A>&a;</A></xml>')).toThrow(/DTD/);
    expect(() => parseWechatXml('<root><A>1</A></root>')).toThrow(/<xml> root/);
    expect(() => parseWechatXml('<xml><A>1</xml>')).toThrow(/malformed/);
  });

  it('round-trips CDATA content containing the CDATA terminator', () => {
    const xml = buildWechatXml({ Content: 'a]]>b<c>&', CreateTime: 1 });
    expect(parseWechatXml(xml)).toEqual({ content: 'a]]>b<c>&', createtime: '1' });
  });

  it('validates each message type and refuses a text without MsgId', () => {
    const base = { tousername: 'gh', fromusername: 'o1', createtime: '1700000000' };
    expect(validateWechatMessage({ ...base, msgtype: 'text', content: 'hi', msgid: '1' }).ok).toBe(true);
    expect(validateWechatMessage({ ...base, msgtype: 'text', content: 'hi' }).ok).toBe(false);
    expect(
      validateWechatMessage({ ...base, msgtype: 'location', location_x: 'north', location_y: '1', msgid: '2' }).ok,
    ).toBe(false);
    const link = validateWechatMessage({ ...base, msgtype: 'link', msgid: '3' });
    expect(link.ok && link.message.msgtype).toBe('other');
  });
});

describe('WeChat rendering', () => {
  it('numbers choices the text does not list, and leaves listed ones alone', () => {
    const offer: Reply = { kind: 'fallback', text: '需要登记工单吗？', sources: [], choices: ['是', '不用了'] };
    expect(renderRepliesAsText([offer])).toEqual({
      text: '需要登记工单吗？\n请回复序号：\n1. 是\n2. 不用了',
      messages: ['需要登记工单吗？\n请回复序号：\n1. 是\n2. 不用了'],
      numberedChoices: ['是', '不用了'],
    });
    const confirm: Reply = { kind: 'ask', text: '请回复"确认"或"取消"', sources: [], choices: ['确认', '取消'] };
    expect(renderRepliesAsText([confirm]).numberedChoices).toEqual([]);
  });

  it('stays under the 2048-byte limit of a text message, in one message or in several', () => {
    const long: Reply = { kind: 'answer', text: '长'.repeat(3000), sources: [] };
    const { text, messages } = renderRepliesAsText([long]);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/^长+…（以下省略\d+字）$/);
    expect(text).not.toContain('网页版');
    // 9,000 bytes do not fit in three messages either: the last one says how much it left out.
    expect(messages).toHaveLength(3);
    for (const m of messages) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(2000);
    expect(messages.at(-1)).toMatch(/…（以下省略\d+字）$/);
    const fits = renderRepliesAsText([{ ...long, text: '长'.repeat(1500) }]).messages;
    expect(fits.map((m) => Buffer.byteLength(m))).toEqual([1998, 1998, 504]);
    expect(fits.join('')).toBe('长'.repeat(1500));
  });

  it('shortens the longest line of a read-back first and keeps the short lines after it', () => {
    const description = '楼下烧烤店营业到凌晨，油烟和噪音很大。'.repeat(120);
    const readBack = [
      '请核对工单信息：',
      `情况描述：${description}`,
      '地点：江北区望江路18号',
      '联系电话：13812345678',
      '确认无误请回复"确认"',
    ].join('\n');
    const shortened = shortenToFit(readBack, 2000);
    expect(Buffer.byteLength(shortened)).toBeLessThanOrEqual(2000);
    expect(shortened).toMatch(
      /^请核对工单信息：\n情况描述：楼下烧烤店.+…（以下省略\d+字）\n地点：江北区望江路18号\n联系电话：13812345678\n确认无误请回复"确认"$/,
    );
    const omitted = Number(shortened.match(/以下省略(\d+)字/)![1]);
    expect([...shortened.split('\n')[1]!].length - '…（以下省略字）'.length - String(omitted).length + omitted).toBe(
      [...`情况描述：${description}`].length,
    );
  });

  it('cuts messages at sentence ends and shortens only when three messages are too few', () => {
    const sentence = '楼下烧烤店营业到凌晨，油烟和噪音很大。';
    const text = `请核对工单信息：\n情况描述：${sentence.repeat(100)}\n联系电话：13812345678`;
    const messages = splitIntoMessages(text, 2000, 3);
    expect(messages.length).toBe(3);
    for (const m of messages.slice(0, -1))
      expect(m.endsWith('。') || m.endsWith('\n') || !m.includes('\n联系电话')).toBe(true);
    expect(messages.join('').replace(/\n/g, '')).toBe(text.replace(/\n/g, ''));
    const tooLong = splitIntoMessages(`情况描述：${sentence.repeat(400)}\n联系电话：13812345678`, 2000, 3);
    expect(tooLong.length).toBeLessThanOrEqual(3);
    expect(tooLong.at(-1)).toMatch(/…（以下省略\d+字）\n联系电话：13812345678$/);
  });
});

describe('WeChat webhook reply budget', () => {
  it('acknowledges when the turn runs past the budget and delivers the answer later', async () => {
    let finish: (replies: Reply[]) => void = () => {};
    const delivered: LateAnswer[] = [];
    const webhook = new WechatWebhook({
      token: 'tok',
      memory: new InMemoryChannelMemory(),
      replyBudgetMs: 5,
      log: silent,
      handle: (_message: InboundMessage) => new Promise<Reply[]>((resolve) => (finish = resolve)),
      deferReply: async (answer) => {
        delivered.push(answer);
      },
    });
    const signer = new WechatCallbackSigner({ token: 'tok', mode: 'plain' });
    const now = Math.floor(Date.now() / 1000);
    const callback = signer.message(
      { ToUserName: 'gh', FromUserName: 'o-slow', CreateTime: now, MsgType: 'text', Content: '慢问题', MsgId: '42' },
      now,
    );
    const response = await webhook.receive(callback.query, callback.body);
    expect(response).toEqual({ status: 200, contentType: 'text/plain', body: 'success' });
    expect(delivered).toEqual([]);
    finish([{ kind: 'answer', text: '迟到的答复', sources: [] }]);
    await webhook.settled();
    expect(delivered).toEqual([
      {
        key: 'wechat:msg:42',
        openId: 'o-slow',
        sessionId: 'wx-o-slow',
        replies: [{ kind: 'answer', text: '迟到的答复', sources: [] }],
      },
    ]);
  });
});
