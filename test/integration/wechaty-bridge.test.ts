import type { EventEmitter } from 'node:events';
import { FileBox } from 'file-box';
import type { Wechaty } from 'wechaty';
import { mock, type PuppetMock } from 'wechaty-puppet-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../workorders/lifecycle.js';
import { startTestApp, type TestApp } from '../support/app.js';

const operator: Actor = { name: 'op-li', role: 'operator' };

type MockContact = ReturnType<mock.Mocker['createContact']>;
type MockMessage = { payload: { talkerId: string; text?: string } };
/** The mocks are EventEmitters; their typed-emitter declarations do not resolve under our module settings. */
const onMessage = (mockUser: object, listener: (message: MockMessage) => void) =>
  (mockUser as EventEmitter).on('message', listener);

/** The real server with WECHATY_PUPPET=wechaty-puppet-mock; the mocker plays the citizens. */
describe('wechaty bridge (wechaty-puppet-mock)', () => {
  let t: TestApp;
  let mocker: mock.Mocker;
  let botUser: MockContact;

  beforeAll(async () => {
    t = await startTestApp({ WECHATY_PUPPET: 'wechaty-puppet-mock' });
    const wechaty = t.app.channels.wechaty?.wechaty as unknown as Wechaty;
    // The server starts wechaty without waiting for it; the puppet exists once it has.
    await vi.waitFor(() => expect(() => wechaty.puppet).not.toThrow());
    mocker = (wechaty.puppet as PuppetMock).mocker;
    botUser = mocker.createContact({ name: '12345热线' });
    mocker.login(botUser);
    await vi.waitFor(() => expect(wechaty.isLoggedIn).toBe(true));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** What the bot said to a contact, in order. */
  const inbox = (contact: MockContact) => {
    const said: string[] = [];
    onMessage(contact, (message) => {
      if (message.payload.talkerId === botUser.id && message.payload.text) said.push(message.payload.text);
    });
    return said;
  };

  const converse = async (contact: MockContact, said: string[], text: string | FileBox) => {
    const before = said.length;
    contact.say(text).to(botUser);
    await vi.waitFor(() => expect(said.length).toBeGreaterThan(before));
    return said.at(-1) ?? '';
  };

  it('says at start-up that the bridge is on', () => {
    expect(t.logs().some((line) => line.msg === 'wechaty bridge on' && line.puppet === 'wechaty-puppet-mock')).toBe(
      true,
    );
  });

  it('answers a contact with the approved answer', async () => {
    const citizen = mocker.createContact({ name: '张三' });
    const said = inbox(citizen);
    const answer = await converse(citizen, said, '社保卡丢了怎么办');
    expect(answer).toContain('挂失');
  });

  it('answers a message id once when the puppet delivers it twice', async () => {
    const citizen = mocker.createContact({ name: '李四' });
    const said = inbox(citizen);
    const seen: string[] = [];
    t.app.channels.wechaty?.wechaty.on('message', (message: { id: string }) => void seen.push(message.id));
    await converse(citizen, said, '公积金余额怎么查');
    const messageId = seen.at(-1);
    expect(messageId).toBeDefined();
    mocker.puppet.emit('message', { messageId: messageId! });
    await vi.waitFor(() => expect(seen.filter((id) => id === messageId)).toHaveLength(2));
    await t.app.channels.wechaty?.bridge.settled();
    expect(said).toHaveLength(1);
  });

  it('numbers the choices and resolves a reply "1" to the first choice', async () => {
    const citizen = mocker.createContact({ name: '王五' });
    const said = inbox(citizen);
    const offer = await converse(citizen, said, '火星移民签证怎么申请');
    expect(offer).toContain('请回复序号：\n1. 是\n2. 不用了');
    const next = await converse(citizen, said, '1');
    expect(next).toContain('具体地点');
  });

  it('ignores its own messages and room messages that do not mention it, and declines non-text politely', async () => {
    const citizen = mocker.createContact({ name: '赵六' });
    const said = inbox(citizen);
    const room = mocker.createRoom({ memberIdList: [botUser.id, citizen.id] });
    citizen.say('社保卡丢了怎么办').to(room);
    // A message the account itself sends (e.g. from the phone) reaches the bridge too.
    botUser.say('您好，这里是12345').to(citizen);
    const note = await converse(citizen, said, FileBox.fromUrl('https://example.invalid/photo.jpg'));
    expect(note).toBe('暂不支持此类消息，请用文字描述您的问题。');
    const answer = await converse(citizen, said, '社保卡丢了怎么办');
    expect(answer).toContain('挂失');
    await t.app.channels.wechaty?.bridge.settled();
    // Only the account's own message, the note and the answer: nothing for the room or the self message.
    expect(said).toEqual(['您好，这里是12345', note, answer]);
  });

  it('answers in a room when mentioned, without the mention in the question', async () => {
    const citizen = mocker.createContact({ name: '钱七' });
    const room = mocker.createRoom({ topic: '社区群', memberIdList: [botUser.id, citizen.id] });
    const inRoom: string[] = [];
    onMessage(room, (message) => {
      if (message.payload.talkerId === botUser.id && message.payload.text) inRoom.push(message.payload.text);
    });
    citizen.say('@12345热线 社保卡丢了怎么办', [botUser]).to(room);
    await vi.waitFor(() => expect(inRoom).toHaveLength(1));
    expect(inRoom[0]).toContain('挂失');
  });

  it('tells a contact who filed a work order through the bridge about its updates', async () => {
    const citizen = mocker.createContact({ name: '孙八' });
    const said = inbox(citizen);
    expect(await converse(citizen, said, '我要投诉楼下烧烤店半夜噪音扰民')).toContain('地点');
    expect(await converse(citizen, said, '江北区望江路18号')).toContain('联系电话');
    expect(await converse(citizen, said, '13812345678')).toContain('江北区望江路18号');
    const filed = await converse(citizen, said, '确认');
    const code = filed.match(/LJ\d{14}/)?.[0];
    expect(code).toBeTruthy();
    const order = await t.app.minsheng.db.workOrder.findUniqueOrThrow({ where: { code: code! } });
    expect(order).toMatchObject({ channel: 'wechaty', ownerUserId: citizen.id });

    await t.app.minsheng.workOrders.act(code!, 'dispatch', operator, {});
    await t.app.minsheng.notifier.settle();
    await vi.waitFor(() => expect(said.at(-1)).toContain(`您的工单 ${code} 已派至`));
    const row = await t.app.minsheng.db.outboxMessage.findFirstOrThrow({ where: { workOrder: { code: code! } } });
    expect(row).toMatchObject({ status: 'delivered', deliveredVia: 'wechaty', attempts: 1 });

    // Logged out (e.g. waiting for a QR scan): the update waits for the bridge instead of being lost.
    const wechaty = t.app.channels.wechaty!.wechaty as unknown as Wechaty;
    await wechaty.logout();
    await vi.waitFor(() => expect(wechaty.isLoggedIn).toBe(false));
    const before = said.length;
    await t.app.minsheng.workOrders.addNote(code!, operator, '执法人员已联系店主整改', true);
    await t.app.minsheng.notifier.settle();
    const waiting = await t.app.minsheng.db.outboxMessage.findFirstOrThrow({
      where: { workOrder: { code: code! }, kind: 'note' },
    });
    expect(waiting).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.stringContaining('not logged in'),
    });
    expect(said).toHaveLength(before);

    mocker.login(botUser);
    await vi.waitFor(() => expect(wechaty.isLoggedIn).toBe(true));
    // The retry is due (as after the backoff delay).
    await t.app.minsheng.db.outboxMessage.update({ where: { id: waiting.id }, data: { nextAttemptAt: new Date() } });
    await t.app.minsheng.notifier.settle();
    await vi.waitFor(() => expect(said.at(-1)).toContain('执法人员已联系店主整改'));
    expect(await t.app.minsheng.db.outboxMessage.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({
      status: 'delivered',
      deliveredVia: 'wechaty',
      attempts: 2,
    });
  });
});
