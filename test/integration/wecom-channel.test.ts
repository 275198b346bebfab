import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatMessageCrypto, wechatSignature } from '../../channels/wechat/crypto.js';
import { buildWechatXml, parseWechatXml } from '../../channels/wechat/xml.js';
import { FakeWechatApi } from '../support/fake-wechat-api.js';
import { chat, startTestApp, type TestApp } from '../support/app.js';

// Tencent's published WeCom sample (shared/CHANNELS.md).
const token = 'QDG6eK';
const corpId = 'wx5823bf96d3bd56c7';
const encodingAesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const crypto = new WechatMessageCrypto(encodingAesKey, corpId);
const now = () => Math.floor(Date.now() / 1000);
let msgId = 4561255354251345929n;

function staffCallback(text: string, timestamp = now()) {
  const inner = buildWechatXml({
    ToUserName: corpId,
    FromUserName: 'zhangsan',
    CreateTime: timestamp,
    MsgType: 'text',
    Content: text,
    MsgId: String(msgId++),
    AgentID: 218,
  });
  const encrypt = crypto.encrypt(inner);
  const nonce = '1372623149';
  const query = {
    msg_signature: wechatSignature(token, String(timestamp), nonce, encrypt),
    timestamp: String(timestamp),
    nonce,
  };
  return { query, body: buildWechatXml({ ToUserName: corpId, Encrypt: encrypt, AgentID: 218 }) };
}

describe('WeCom app callback for hotline staff', () => {
  const api = new FakeWechatApi();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      WECOM_TOKEN: token,
      WECOM_ENCODING_AES_KEY: encodingAesKey,
      WECOM_CORP_ID: corpId,
      WECOM_SECRET: 'wecom-secret',
      WECOM_AGENT_ID: '218',
      WECOM_API_BASE: await api.start(),
    });
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
  });

  it('answers the URL check with the decrypted echostr of the published vector', async () => {
    const query = new URLSearchParams({
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    const ok = await t.app.inject({ method: 'GET', url: `/channels/wecom?${query}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1616140317555161061');
    query.set('msg_signature', '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4');
    expect((await t.app.inject({ method: 'GET', url: `/channels/wecom?${query}` })).statusCode).toBe(401);
  });

  it('lets a handler look up an order by number, with the phone masked, in an encrypted reply', async () => {
    for (const text of ['我要投诉楼下烧烤店半夜噪音扰民', '江北区望江路18号', '13812345678']) {
      await chat(t.app, 'wecom-citizen-1', text);
    }
    const [filed] = await chat(t.app, 'wecom-citizen-1', '确认');
    const code = filed!.ticket!.code;

    const callback = staffCallback(`查询 ${code}`);
    const response = await t.app.inject({
      method: 'POST',
      url: `/channels/wecom?${new URLSearchParams(callback.query)}`,
      headers: { 'content-type': 'text/xml' },
      payload: callback.body,
    });
    expect(response.statusCode).toBe(200);
    const envelope = parseWechatXml(response.body);
    expect(wechatSignature(token, envelope.timestamp!, envelope.nonce!, envelope.encrypt!)).toBe(envelope.msgsignature);
    const reply = parseWechatXml(crypto.decrypt(envelope.encrypt!));
    expect(reply).toMatchObject({ tousername: 'zhangsan', msgtype: 'text' });
    expect(reply.content).toContain(`工单 ${code}`);
    expect(reply.content).toContain('138****5678');
    expect(reply.content).not.toContain('13812345678');
  });

  it('keeps the phone and the dates of an order whose place is too long for one message', async () => {
    // WeCom cuts a text message off after 2048 bytes: the lines after a long place used to be lost.
    const place = `江北区望江路18号${'附近小区东门对面的临街商铺二楼'.repeat(70)}`;
    const order = await t.app.minsheng.workOrders.file(
      {
        appealType: 'complaint',
        description: '楼下烧烤店半夜噪音扰民',
        place,
        contactPhone: '13812345678',
        channel: 'web',
        ownerSessionId: 'wecom-citizen-long',
      },
      'wecom-long-place',
    );
    const callback = staffCallback(order.code);
    const response = await t.app.inject({
      method: 'POST',
      url: `/channels/wecom?${new URLSearchParams(callback.query)}`,
      headers: { 'content-type': 'text/xml' },
      payload: callback.body,
    });
    const content = parseWechatXml(crypto.decrypt(parseWechatXml(response.body).encrypt!)).content!;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048);
    expect(content).toMatch(/\n地点：江北区望江路18号附近.+…（以下省略\d+字）\n/);
    expect(content).toContain('\n联系电话：138****5678\n');
    expect(content).toMatch(/\n登记时间：\S+/);
  });

  it('refuses a message with a wrong signature or a stale timestamp', async () => {
    const callback = staffCallback('查询 LJ20261129000001');
    const forged = await t.app.inject({
      method: 'POST',
      url: `/channels/wecom?${new URLSearchParams({ ...callback.query, msg_signature: 'a'.repeat(40) })}`,
      headers: { 'content-type': 'text/xml' },
      payload: callback.body,
    });
    expect(forged.statusCode).toBe(401);
    const stale = staffCallback('查询 LJ20261129000001', now() - 7200);
    const replayed = await t.app.inject({
      method: 'POST',
      url: `/channels/wecom?${new URLSearchParams(stale.query)}`,
      headers: { 'content-type': 'text/xml' },
      payload: stale.body,
    });
    expect(replayed.statusCode).toBe(401);
  });

  it('refuses DTDs (outside and inside the ciphertext), malformed and oversized XML without running a turn', async () => {
    const postRaw = (query: Record<string, string>, body: string) =>
      t.app.inject({
        method: 'POST',
        url: `/channels/wecom?${new URLSearchParams(query)}`,
        headers: { 'content-type': 'text/xml' },
        payload: body,
      });
    /** A correctly signed callback around any ciphertext. */
    const sealed = (inner: string) => {
      const encrypt = crypto.encrypt(inner);
      const timestamp = String(now());
      const nonce = '246813579';
      return {
        query: { msg_signature: wechatSignature(token, timestamp, nonce, encrypt), timestamp, nonce },
        body: buildWechatXml({ ToUserName: corpId, Encrypt: encrypt, AgentID: 218 }),
      };
    };
    const dtd = '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/hostname">]><xml><Content>&x;</Content></xml>';
    const outer = staffCallback('查询 LJ20261129000001');
    expect((await postRaw(outer.query, dtd)).statusCode).toBe(400);
    const inner = sealed(
      `<!DOCTYPE xml [<!ENTITY x "LJ">]><xml><ToUserName>${corpId}</ToUserName><FromUserName>zhangsan</FromUserName>` +
        `<CreateTime>${now()}</CreateTime><MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>`,
    );
    expect((await postRaw(inner.query, inner.body)).statusCode).toBe(400);
    const broken = sealed('<xml><ToUserName>');
    expect((await postRaw(broken.query, broken.body)).statusCode).toBe(400);
    expect((await postRaw(outer.query, `<xml><Encrypt>${'A'.repeat(40_000)}</Encrypt></xml>`)).statusCode).toBe(413);
    expect(JSON.stringify(t.logs())).not.toContain('/etc/hostname');
  });

  it('pushes a new-order notice to handlers through the app message API', async () => {
    await t.app.channels.wecom!.client!.sendText(['zhangsan', 'lisi'], '新工单 LJ20261129000001 已派至您的部门');
    const call = api.calls.find((c) => c.path === '/cgi-bin/message/send');
    expect(call?.body).toEqual({
      touser: 'zhangsan|lisi',
      msgtype: 'text',
      agentid: 218,
      text: { content: '新工单 LJ20261129000001 已派至您的部门' },
    });
    expect(api.calls.find((c) => c.path === '/cgi-bin/gettoken')?.query).toEqual({
      corpid: corpId,
      corpsecret: 'wecom-secret',
    });
  });

  it('sends a notice too long for one app message as several, in order, none cut off', async () => {
    const lines = Array.from(
      { length: 80 },
      (_, i) => `第${i + 1}条：新工单 LJ2026112900${String(i).padStart(4, '0')} 已派至您的部门`,
    );
    const before = api.calls.filter((c) => c.path === '/cgi-bin/message/send').length;
    await t.app.channels.wecom!.client!.sendText(['zhangsan'], lines.join('\n'));
    const parts = api.calls
      .filter((c) => c.path === '/cgi-bin/message/send')
      .slice(before)
      .map((c) => (c.body.text as { content: string }).content);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });
});
