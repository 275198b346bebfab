import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEngine, type ConversationEngineOptions } from '../../bot/conversation-engine.js';
import type { InboundMessage } from '../../bot/message.js';
import type { EngineEvent, TurnServices } from '../../bot/turn.js';
import { DatabaseAttemptLog, DatabaseConversationStore } from '../../server/conversation-store.js';
import { startTestApp, type TestApp } from '../support/app.js';

describe('ConversationEngine on the real stores', () => {
  let t: TestApp;
  let now = new Date('2026-11-29T02:00:00Z');
  const events: EngineEvent[] = [];
  const evaluations: { code: string; satisfied: boolean }[] = [];

  const engine = (services: Partial<TurnServices> = {}, options: Partial<ConversationEngineOptions> = {}) => {
    const { db, knowledge, workOrders } = t.app.minsheng;
    const store = new DatabaseConversationStore(db);
    return new ConversationEngine({
      sessions: store,
      transcript: store,
      services: {
        knowledge,
        workOrders,
        attempts: new DatabaseAttemptLog(db),
        evaluations: { record: async (e) => void evaluations.push(e) },
        timeZone: 'Asia/Shanghai',
        newId: randomUUID,
        ...services,
      },
      idleTimeoutMs: 30 * 60_000,
      onEvent: (event) => events.push(event),
      clock: () => now,
      ...options,
    });
  };
  const message = (sessionId: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
    channel: 'web',
    sessionId,
    userId: sessionId,
    text,
    receivedAt: now,
    ...extra,
  });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores the message and still replies politely when a step fails', async () => {
    const failures: unknown[] = [];
    const broken = engine(
      {
        workOrders: {
          file: async () => Promise.reject(new Error('database down')),
          findForOwner: (code, sessionId) => t.app.minsheng.workOrders.findForOwner(code, sessionId),
          listForOwner: (sessionId) => t.app.minsheng.workOrders.listForOwner(sessionId),
        },
      },
      { onError: (error) => failures.push(error) },
    );
    await broken.handle(message('engine-failing', '我要投诉江北区望江路18号的烧烤店油烟很大，电话13812345678'));
    const replies = await broken.handle(message('engine-failing', '确认'));
    expect(replies).toEqual([expect.objectContaining({ kind: 'fallback', text: expect.stringContaining('已记录') })]);
    expect(failures).toHaveLength(1);
    const stored = await t.app.minsheng.db.message.findMany({
      where: { conversationId: 'engine-failing', direction: 'in' },
      orderBy: { id: 'asc' },
    });
    expect(stored.map((m) => m.text)).toEqual(['我要投诉江北区望江路18号的烧烤店油烟很大，电话13812345678', '确认']);
    // The order is still waiting for its confirmation: nothing was lost with the failed turn.
    const retry = await engine().handle(message('engine-failing', '确认'));
    expect(retry[0]?.kind).toBe('ticket');
  });

  it('forgets the dialog of a session idle for longer than the timeout', async () => {
    const bot = engine();
    await bot.handle(message('engine-idle', '我要举报'));
    now = new Date(now.getTime() + 31 * 60_000);
    // The database stamps updatedAt with the real time; move the row back to make it idle.
    await t.app.minsheng.db.conversation.update({
      where: { id: 'engine-idle' },
      data: { updatedAt: new Date(now.getTime() - 31 * 60_000) },
    });
    const [reply] = await bot.handle(message('engine-idle', '确认'));
    expect(reply?.kind).toBe('fallback');
    now = new Date('2026-11-29T02:00:00Z');
  });

  it('records emergencies as events and as the kind of the stored reply', async () => {
    events.length = 0;
    await engine().handle(message('engine-emergency', '救命，有人落水了'));
    expect(events).toEqual([{ type: 'emergency', kinds: ['danger'] }]);
    const out = await t.app.minsheng.db.message.findFirstOrThrow({
      where: { conversationId: 'engine-emergency', direction: 'out' },
    });
    expect(out.kind).toBe('emergency');
  });

  it('takes the place of a work order from the location the channel shares', async () => {
    const bot = engine();
    const [ask] = await bot.handle(
      message('engine-location', '我要投诉楼下烧烤店油烟很大，电话13812345678', {
        location: { latitude: 30.1, longitude: 120.2, label: '江北区望江路18号' },
      }),
    );
    expect(ask?.text).toContain('地点：江北区望江路18号');
  });

  it('passes an evaluation of a resolved ticket to the evaluation hook', async () => {
    const bot = engine();
    await bot.handle(message('engine-evaluation', '我要投诉江北区望江路18号的烧烤店油烟很大，电话13812345678'));
    const [filed] = await bot.handle(message('engine-evaluation', '确认'));
    const code = filed!.ticket!.code;
    const [early] = await bot.handle(message('engine-evaluation', '满意'));
    expect(early?.text).toContain('还没有已办结的工单');
    await t.app.minsheng.db.workOrder.update({ where: { code }, data: { status: 'resolved' } });
    const [thanks] = await bot.handle(message('engine-evaluation', '对处理结果不满意'));
    expect(thanks?.text).toContain(code);
    expect(evaluations).toEqual([expect.objectContaining({ code, satisfied: false })]);
  });

  it('logs emergencies through the app without the phone number', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { sessionId: 'engine-log-emergency', text: '厨房着火了，我电话13812345678' },
    });
    const line = t.logs().find((l) => l.msg === 'emergency message');
    expect(line).toMatchObject({ level: 40, sessionId: 'engine-log-emergency', event: { type: 'emergency' } });
    expect(JSON.stringify(t.logs())).not.toContain('13812345678');
  });
});

describe('DatabaseAttemptLog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEMO_KNOWLEDGE: 'off' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts every one of many concurrent failed attempts, within the window only', async () => {
    const log = new DatabaseAttemptLog(t.app.minsheng.db);
    const at = new Date('2026-11-29T02:00:00Z');
    const window = 15 * 60_000;
    await log.add('status:ticket:OLD', window, new Date(at.getTime() - window - 1));
    await Promise.all(Array.from({ length: 40 }, () => log.add('status:ticket:OLD', window, at)));
    expect(await log.count('status:ticket:OLD', window, at)).toBe(40);
    expect(await log.count('status:ticket:OTHER', window, at)).toBe(0);
    expect(await log.count('status:ticket:OLD', window, new Date(at.getTime() + window + 1))).toBe(0);
  });
});

describe('status answers to other sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('are the same sentences for an existing ticket with a wrong tail and for an unknown number', async () => {
    const send = async (sessionId: string, text: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId, text } })).json().replies[0]
        .text as string;
    await send('status-owner-1', '我要投诉江北区望江路18号的烧烤店油烟很大，电话13812345678');
    const filed = await send('status-owner-1', '确认');
    const code = filed.match(/LJ\d{14}/)![0];
    const unknown = 'LJ20990101000009';
    const askKnown = await send('status-guest-1', `查询工单 ${code}`);
    const askUnknown = await send('status-guest-2', `查询工单 ${unknown}`);
    expect(askKnown.replace(code, 'X')).toBe(askUnknown.replace(unknown, 'X'));
    expect(await send('status-guest-1', '1234')).toBe(await send('status-guest-2', '1234'));
  });
});
