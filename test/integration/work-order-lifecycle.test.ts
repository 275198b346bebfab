import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../prisma/client.js';
import { applyMigrations } from '../../prisma/schema-engine.js';
import { parseCatalogue } from '../../workorders/catalogue.js';
import { WorkOrderError } from '../../workorders/errors.js';
import type { Actor } from '../../workorders/lifecycle.js';
import type { DeliveryResult, Notification, NotificationSender } from '../../workorders/notification.js';
import { OutboxNotifier } from '../../workorders/outbox-notifier.js';
import { WorkOrderService } from '../../workorders/work-order-service.js';
import type { NewWorkOrder } from '../../workorders/work-order.js';
import { parseHolidayCalendar, WorkingCalendar } from '../../workorders/working-calendar.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const root = join(import.meta.dirname, '..', '..');
const catalogue = parseCatalogue(readFileSync(join(root, 'workorders/demo/linjiang-catalogue.json'), 'utf8'));
const calendar = new WorkingCalendar(
  parseHolidayCalendar(readFileSync(join(root, 'workorders/demo/holidays.json'), 'utf8')),
  'Asia/Shanghai',
);

const operator: Actor = { name: 'op-li', role: 'operator' };
const cityHandler: Actor = { name: 'cg-wang', role: 'handler', department: '临江市城市管理局' };
const otherHandler: Actor = { name: 'edu-zhao', role: 'handler', department: '临江市教育局' };

/** Our own NotificationSender interface, recording what it was given and answering from a script. */
class RecordingSender implements NotificationSender {
  readonly delivered: Notification[] = [];
  script: DeliveryResult[] = [];
  constructor(readonly channel: string) {}
  async deliver(notification: Notification): Promise<DeliveryResult> {
    const result = this.script.shift() ?? { outcome: 'delivered' };
    if (result.outcome === 'delivered') this.delivered.push(notification);
    return result;
  }
}

const code = (error: unknown) => (error instanceof WorkOrderError ? error.code : String(error));

describe('work-order lifecycle on the database', () => {
  let database: TestDatabase;
  let db: Database;
  let now = new Date('2026-11-27T02:00:00Z'); // Friday 10:00 in Beijing
  let service: WorkOrderService;
  let sequence = 0;

  const order = (overrides: Partial<NewWorkOrder> = {}): NewWorkOrder => ({
    appealType: 'complaint',
    description: '望江路18号烧烤店每天夜里油烟很大，还很吵',
    place: '江北区望江路18号',
    contactPhone: '13812345678',
    channel: 'web',
    ownerSessionId: `session-${++sequence}`,
    ...overrides,
  });
  const file = (overrides: Partial<NewWorkOrder> = {}) => service.file(order(overrides), `key-${++sequence}`);

  beforeAll(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = await openDatabase(database.url);
    service = new WorkOrderService(db, {
      prefix: 'LJ',
      timeZone: 'Asia/Shanghai',
      clock: () => now,
      catalogue,
      calendar,
    });
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('files with category, district, region code, dispatch suggestion with its rule, and due dates', async () => {
    const filed = await file();
    const staffView = await service.get(filed.code);
    expect(staffView).toMatchObject({
      status: 'accepted',
      categoryCode: '0202',
      district: '江北区',
      regionCode: '990102',
      urgency: 'normal',
      suggestedDepartments: ['临江市城市管理局', '临江市生态环境局'],
      dispatchRuleId: 'env-fumes-catering',
      contactPhone: '138****5678',
      dueState: 'ok',
    });
    expect(staffView.respondDueAt?.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(staffView.completeDueAt?.toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });

  it('writes a history row and the citizen update in the same transaction as each step', async () => {
    const filed = await file({ description: '学府路路灯坏了好几天了，晚上很黑', place: '青山区学府路' });
    await service.act(filed.code, 'dispatch', operator, {});
    await service.act(filed.code, 'sign', cityHandler);
    await service.act(filed.code, 'resolve', cityHandler, { note: '已更换灯泡，路灯恢复正常' });
    const view = await service.get(filed.code);
    expect(view.history?.map((h) => [h.action, h.fromStatus, h.toStatus, h.actor])).toEqual([
      ['file', null, 'accepted', 'citizen'],
      ['dispatch', 'accepted', 'dispatched', 'op-li'],
      ['sign', 'dispatched', 'signed', 'cg-wang'],
      ['resolve', 'signed', 'resolved', 'cg-wang'],
    ]);
    const outbox = await db.outboxMessage.findMany({
      where: { workOrder: { code: filed.code } },
      orderBy: { id: 'asc' },
    });
    expect(outbox.map((o) => [o.kind, (o.payload as { status: string }).status])).toEqual([
      ['status', 'dispatched'],
      ['return-visit', 'resolved'],
    ]);
    expect((outbox[1]!.payload as { text: string }).text).toContain('已更换灯泡');
  });

  it('changes nothing when a step fails inside the transaction', async () => {
    const filed = await file({ description: '公交站台顶棚破损漏雨', place: '江南区' });
    await expect(service.act(filed.code, 'resolve', { name: 'root', role: 'admin' })).rejects.toSatisfy(
      (e) => code(e) === 'ILLEGAL_TRANSITION',
    );
    await service.act(filed.code, 'dispatch', operator, {});
    await expect(service.act(filed.code, 'return', { name: 'root', role: 'admin' }, {})).rejects.toSatisfy(
      (e) => code(e) === 'INVALID_ACTION_INPUT',
    );
    const row = await db.workOrder.findUniqueOrThrow({
      where: { code: filed.code },
      include: { events: true, outbox: true },
    });
    expect(row).toMatchObject({ status: 'dispatched', version: 1 });
    expect(row.events).toHaveLength(2);
    expect(row.outbox).toHaveLength(1);
  });

  it('asks the citizen for more information and continues when it is supplied', async () => {
    const filed = await file({ description: '小区路面有个大坑积水', place: '江北区' });
    await service.act(filed.code, 'dispatch', operator, {});
    await service.act(filed.code, 'sign', cityHandler);
    await service.act(filed.code, 'request-info', cityHandler, { note: '请提供具体楼栋号和照片' });
    expect((await service.get(filed.code)).status).toBe('awaiting-info');
    const asked = await db.outboxMessage.findMany({
      where: { workOrder: { code: filed.code } },
      orderBy: { id: 'asc' },
    });
    expect((asked.at(-1)!.payload as { text: string }).text).toContain('请提供具体楼栋号和照片');
    await service.act(filed.code, 'supplement', operator, { note: '市民来电：3栋门前，照片已收' });
    const view = await service.get(filed.code);
    expect(view.status).toBe('processing');
    expect(view.history?.at(-1)).toMatchObject({ action: 'supplement', note: '市民来电：3栋门前，照片已收' });
  });

  it('returns (退单) with a reason, re-dispatches (改派), and keeps handlers to their own department', async () => {
    const filed = await file({ description: '小区门口垃圾堆积无人清运', place: '江北区' });
    await service.act(filed.code, 'dispatch', operator, {});
    await expect(service.act(filed.code, 'sign', otherHandler)).rejects.toSatisfy(
      (e) => code(e) === 'DEPARTMENT_MISMATCH',
    );
    await service.act(filed.code, 'return', cityHandler, { note: '属物业管理范围，非本单位职责' });
    const returned = await service.get(filed.code);
    expect(returned.status).toBe('returned');
    await service.act(filed.code, 'reassign', operator, { lead: '临江市住房和城乡建设局', note: '物业问题' });
    const reassigned = await service.get(filed.code);
    expect(reassigned).toMatchObject({ status: 'dispatched', leadDepartment: '临江市住房和城乡建设局' });
    expect(reassigned.history?.at(-2)).toMatchObject({ action: 'return', note: '属物业管理范围，非本单位职责' });
    expect(reassigned.history?.at(-1)).toMatchObject({ action: 'reassign', departments: ['临江市住房和城乡建设局'] });
  });

  it('refuses a stale version, and only one of two concurrent transitions succeeds', async () => {
    const filed = await file({ description: '人行道井盖缺失很危险', place: '临港新区' });
    const before = await service.get(filed.code);
    await expect(
      service.act(filed.code, 'dispatch', operator, { expectedVersion: before.version + 1 }),
    ).rejects.toSatisfy((e) => code(e) === 'WORK_ORDER_CONFLICT');
    const results = await Promise.allSettled([
      service.act(filed.code, 'dispatch', operator, { lead: '临江市城市管理局' }),
      service.act(filed.code, 'dispatch', operator, { lead: '临江市交通运输局' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['WORK_ORDER_CONFLICT', 'ILLEGAL_TRANSITION']).toContain(code(failure.reason));
    const events = await db.workOrderEvent.count({ where: { workOrder: { code: filed.code }, action: 'dispatch' } });
    expect(events).toBe(1);
  });

  it('merges a near-duplicate open order (并单) and tells both citizens of every step', async () => {
    const first = await file({ description: '滨江花园南门烧烤摊夜里油烟很大呛人', place: '江南区滨江花园' });
    const second = await file({ description: '滨江花园南门的烧烤摊夜里油烟太大了', place: '江南区滨江花园南门' });
    const unrelated = await file({ description: '滨江花园南门烧烤摊夜里油烟很大呛人', place: '青山区' });
    expect(second.duplicateOf).toBe(first.code);
    expect(unrelated.duplicateOf).toBeNull();
    await expect(service.act(second.code, 'dispatch', operator, {})).rejects.toSatisfy(
      (e) => code(e) === 'WORK_ORDER_MERGED',
    );
    await service.act(first.code, 'dispatch', operator, {});
    expect((await service.get(second.code)).status).toBe('dispatched');
    expect((await service.get(first.code)).duplicates).toEqual([second.code]);
    const updates = await db.outboxMessage.findMany({
      where: { workOrder: { code: { in: [first.code, second.code] } } },
      orderBy: { id: 'asc' },
      include: { workOrder: { select: { code: true } } },
    });
    // The merge itself is told in the filing reply (the bot's), not as an update that could arrive
    // before it and that named the other citizen's ticket.
    expect(updates.map((u) => [u.workOrder.code, u.kind])).toEqual([
      [first.code, 'status'],
      [second.code, 'status'],
    ]);
    expect(JSON.stringify(updates)).not.toContain(`${first.code}\u4e3a`);
  });

  it('lets the citizen of a merged order rate it; 不满意 reopens the order it joined', async () => {
    const first = await file({ description: '临港大道公交站广告牌松动快掉下来了', place: '临港新区临港大道' });
    const second = await file({ description: '临港大道公交站的广告牌松动了快掉下来', place: '临港新区' });
    expect(second.duplicateOf).toBe(first.code);
    await service.act(first.code, 'dispatch', operator, { lead: '临江市城市管理局' });
    await service.act(first.code, 'sign', cityHandler);
    await service.act(first.code, 'resolve', cityHandler, { note: '广告牌已加固' });
    expect((await service.pendingReturnVisit(second.ownerSessionId))?.code).toBe(second.code);
    await service.rate(second.code, second.ownerSessionId, { satisfaction: 'dissatisfied', comment: '还在晃' });
    expect(await service.get(first.code)).toMatchObject({ status: 'processing', reopenCount: 1 });
    expect(await service.get(second.code)).toMatchObject({ status: 'processing', satisfaction: 'dissatisfied' });
  });

  it('lists orders near and past their due dates as yellow and red', async () => {
    const filed = await file({ description: '自来水水压很低，高层用不上水', place: '青山区' });
    now = new Date('2026-11-30T08:00:00Z'); // Monday 16:00: sign-by is 24:00 tonight
    const yellow = await service.list({ dueState: ['yellow'] });
    expect(yellow.items.map((o) => o.code)).toContain(filed.code);
    now = new Date('2026-12-01T02:00:00Z');
    const red = await service.list({ dueState: ['red'] });
    expect(red.items.map((o) => o.code)).toContain(filed.code);
    expect(red.items.every((o) => o.dueState === 'red')).toBe(true);
    now = new Date('2026-11-27T02:00:00Z');
  });

  it('lets the citizen rate: 不满意 reopens to the department, 满意 closes the visit', async () => {
    const filed = await file({ description: '楼下KTV每天半夜噪音扰民', place: '江北区' });
    await service.act(filed.code, 'dispatch', operator, {});
    await service.act(filed.code, 'sign', cityHandler);
    await service.act(filed.code, 'resolve', cityHandler, { note: '已责令整改' });
    expect((await service.pendingReturnVisit(filed.ownerSessionId))?.code).toBe(filed.code);
    await expect(service.rate(filed.code, 'someone-else', { satisfaction: 'satisfied' })).rejects.toSatisfy(
      (e) => code(e) === 'WORK_ORDER_NOT_FOUND',
    );
    const reopened = await service.rate(filed.code, filed.ownerSessionId, {
      satisfaction: 'dissatisfied',
      comment: '还是很吵',
    });
    expect(reopened).toMatchObject({ status: 'processing', satisfaction: 'dissatisfied' });
    expect((await service.get(filed.code)).history?.at(-1)).toMatchObject({
      action: 'reopen',
      note: '不满意：还是很吵',
    });
    await service.act(filed.code, 'resolve', cityHandler, { note: '已联合公安夜查，KTV停业整顿' });
    const rated = await service.rate(filed.code, filed.ownerSessionId, { satisfaction: 'satisfied' });
    expect(rated).toMatchObject({ status: 'visited', satisfaction: 'satisfied' });
    await service.act(filed.code, 'close', operator);
    expect((await service.get(filed.code)).status).toBe('closed');
  });

  describe('outbox notifier', () => {
    const clockNow = () => now;

    it('delivers after a crash between commit and delivery, exactly once', async () => {
      const filed = await file({ description: '路口红绿灯不亮了', place: '江南区江南大道' });
      await service.act(filed.code, 'dispatch', operator, {});
      // The process "died" after the commit: no notifier ran. A new process starts one.
      const web = new RecordingSender('web');
      const restarted = new OutboxNotifier(db, { senders: [web], clock: clockNow });
      await restarted.drain();
      await restarted.drain();
      expect(web.delivered.filter((n) => n.workOrderCode === filed.code)).toHaveLength(1);
      expect(web.delivered.find((n) => n.workOrderCode === filed.code)).toMatchObject({
        channel: 'web',
        status: 'dispatched',
        recipient: filed.ownerSessionId,
      });
    });

    it('redelivers a claimed row whose worker died before confirming, after its lease', async () => {
      const filed = await file({ description: '地铁站电梯停运很久', place: '江北区' });
      await service.act(filed.code, 'dispatch', operator, {});
      let reached!: () => void;
      const inDelivery = new Promise<void>((resolve) => (reached = resolve));
      const hanging: NotificationSender = {
        channel: 'web',
        deliver: () => {
          reached();
          return new Promise<DeliveryResult>(() => undefined); // the worker dies here
        },
      };
      const dying = new OutboxNotifier(db, { senders: [hanging], clock: clockNow, leaseMs: 60_000 });
      void dying.drain();
      await inDelivery;
      const web = new RecordingSender('web');
      const sameTime = new OutboxNotifier(db, { senders: [web], clock: clockNow });
      await sameTime.drain();
      expect(web.delivered.filter((n) => n.workOrderCode === filed.code)).toHaveLength(0); // still leased
      const later = new OutboxNotifier(db, { senders: [web], clock: () => new Date(now.getTime() + 61_000) });
      await later.drain();
      await later.drain();
      expect(web.delivered.filter((n) => n.workOrderCode === filed.code)).toHaveLength(1);
      const row = await db.outboxMessage.findFirstOrThrow({ where: { workOrder: { code: filed.code } } });
      expect(row).toMatchObject({ status: 'delivered', deliveredVia: 'web' });
    });

    it('retries with exponential backoff, falls back to SMS when the channel refuses, and records it', async () => {
      await db.outboxMessage.updateMany({ where: { status: 'pending' }, data: { status: 'delivered' } });
      const filed = await file({
        description: '燃气表读数异常',
        place: '青山区',
        channel: 'wechat',
        ownerUserId: 'openid-1',
      });
      await service.act(filed.code, 'dispatch', operator, {});
      const wechat = new RecordingSender('wechat');
      const sms = new RecordingSender('sms');
      wechat.script = [
        { outcome: 'failed', retryable: true, reason: 'HTTP 502' },
        { outcome: 'failed', retryable: true, reason: 'timeout' },
        { outcome: 'refused', reason: 'customer-service window closed (45015)' },
      ];
      let t = now.getTime();
      const notifier = new OutboxNotifier(db, {
        senders: [wechat, sms],
        fallbackChannel: 'sms',
        baseDelayMs: 1000,
        clock: () => new Date(t),
      });
      await notifier.drain();
      let row = await db.outboxMessage.findFirstOrThrow({ where: { workOrder: { code: filed.code } } });
      expect(row).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(t + 1000) });
      t += 1000;
      await notifier.drain();
      row = await db.outboxMessage.findFirstOrThrow({ where: { id: row.id } });
      expect(row).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(t + 2000) });
      t += 1999;
      expect(await notifier.drain()).toBe(0); // not due yet
      t += 1;
      await notifier.drain();
      row = await db.outboxMessage.findFirstOrThrow({ where: { id: row.id } });
      expect(row).toMatchObject({ status: 'delivered', attempts: 3, deliveredVia: 'sms' });
      expect(row.lastError).toContain('window closed');
      expect(sms.delivered).toEqual([
        expect.objectContaining({ channel: 'sms', recipient: '13812345678', workOrderCode: filed.code }),
      ]);
      expect(wechat.delivered).toHaveLength(0);
    });

    it('never gives one row to two workers draining at the same time', async () => {
      await db.outboxMessage.updateMany({ where: { status: 'pending' }, data: { status: 'delivered' } });
      const codes: string[] = [];
      for (const place of ['江北区一号', '江南区二号', '青山区三号', '临港新区四号']) {
        const filed = await file({ description: `${place}门前路面塌陷`, place });
        await service.act(filed.code, 'dispatch', operator, {});
        codes.push(filed.code);
      }
      const a = new RecordingSender('web');
      const b = new RecordingSender('web');
      await Promise.all([
        new OutboxNotifier(db, { senders: [a], clock: clockNow, batchSize: 1 }).drain(),
        new OutboxNotifier(db, { senders: [b], clock: clockNow, batchSize: 1 }).drain(),
      ]);
      const delivered = [...a.delivered, ...b.delivered].map((n) => n.workOrderCode).sort();
      expect(delivered).toEqual([...codes].sort());
    });

    it('gives up after the last attempt and marks the row failed', async () => {
      const filed = await file({
        description: '公园树枝断裂悬挂',
        place: '临港新区',
        channel: 'wechat',
        ownerUserId: 'openid-2',
      });
      await service.act(filed.code, 'dispatch', operator, {});
      const wechat = new RecordingSender('wechat');
      wechat.script = [
        { outcome: 'failed', retryable: true, reason: 'HTTP 500' },
        { outcome: 'failed', retryable: true, reason: 'HTTP 500' },
      ];
      let t = now.getTime();
      const notifier = new OutboxNotifier(db, {
        senders: [wechat],
        maxAttempts: 2,
        baseDelayMs: 10,
        clock: () => new Date(t),
      });
      await notifier.drain();
      t += 10;
      await notifier.drain();
      const row = await db.outboxMessage.findFirstOrThrow({ where: { workOrder: { code: filed.code } } });
      expect(row).toMatchObject({ status: 'failed', attempts: 2 });
      t += 1_000_000;
      expect(await notifier.drain()).toBe(0); // given up: no more attempts
      expect(await notifier.requeue(row.id)).toBe(true);
      await notifier.settle();
      expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
        status: 'delivered',
        attempts: 1,
      });
      expect(wechat.delivered.map((n) => n.workOrderCode)).toEqual([filed.code]);
      expect(await notifier.requeue(row.id)).toBe(false);
    });

    it('falls back to SMS when the last attempt on the owner channel fails too', async () => {
      const filed = await file({
        description: '桥下涵洞积水严重无法通行',
        place: '江南区滨江路涵洞',
        channel: 'wechaty',
        ownerUserId: 'wxid_citizen',
      });
      await service.act(filed.code, 'dispatch', operator, {});
      const bridge = new RecordingSender('wechaty');
      const sms = new RecordingSender('sms');
      bridge.script = [
        { outcome: 'failed', retryable: true, reason: 'wechaty bridge not logged in' },
        { outcome: 'failed', retryable: true, reason: 'wechaty bridge not logged in' },
      ];
      let t = now.getTime();
      const notifier = new OutboxNotifier(db, {
        senders: [bridge, sms],
        fallbackChannel: 'sms',
        maxAttempts: 2,
        baseDelayMs: 10,
        clock: () => new Date(t),
      });
      await notifier.drain();
      const where = { workOrder: { code: filed.code } };
      expect(await db.outboxMessage.findFirstOrThrow({ where })).toMatchObject({ status: 'pending', attempts: 1 });
      expect(sms.delivered).toHaveLength(0); // a failure that will be retried does not fall back yet
      t += 10;
      await notifier.drain();
      const row = await db.outboxMessage.findFirstOrThrow({ where });
      expect(row).toMatchObject({ status: 'delivered', attempts: 2, deliveredVia: 'sms' });
      expect(row.lastError).toContain('not logged in');
      expect(sms.delivered).toEqual([expect.objectContaining({ channel: 'sms', workOrderCode: filed.code })]);
    });
  });
});
