import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../prisma/client.js';
import { applyMigrations } from '../../prisma/schema-engine.js';
import { WorkOrderService } from '../../workorders/work-order-service.js';
import type { NewWorkOrder } from '../../workorders/work-order.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const order = (ownerSessionId: string): NewWorkOrder => ({
  appealType: 'complaint',
  description: '小区门口烧烤店每天夜里12点后还在营业，油烟和噪音很大',
  place: '江北区望江路18号',
  contactPhone: '13812345678',
  channel: 'web',
  ownerSessionId,
});

describe('WorkOrderService', () => {
  let database: TestDatabase;
  let db: Database;
  let service: WorkOrderService;

  beforeAll(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = await openDatabase(database.url);
    service = new WorkOrderService(db, {
      prefix: 'LJ',
      timeZone: 'Asia/Shanghai',
      clock: () => new Date('2026-03-01T02:00:00Z'),
    });
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('files with a readable date-based number, a summary, a masked phone and a history row', async () => {
    const filed = await service.file(order('session-a'), 'key-1');
    expect(filed.code).toBe('LJ20260301000001');
    expect(filed).toMatchObject({ status: 'accepted', appealType: 'complaint', contactPhone: '138****5678' });
    const row = await db.workOrder.findUniqueOrThrow({ where: { code: filed.code }, include: { events: true } });
    expect(row.contactPhone).toBe('13812345678');
    expect(row.events).toMatchObject([{ fromStatus: null, toStatus: 'accepted', actor: 'citizen' }]);
  });

  it('files once per idempotency key, also when the same confirmation arrives concurrently', async () => {
    const results = await Promise.all([1, 2, 3].map(() => service.file(order('session-b'), 'key-2')));
    expect(new Set(results.map((r) => r.code)).size).toBe(1);
    expect(await db.workOrder.count({ where: { idempotencyKey: 'key-2' } })).toBe(1);
  });

  it('gives concurrent distinct orders distinct consecutive numbers', async () => {
    const results = await Promise.all(['k3', 'k4', 'k5', 'k6'].map((key) => service.file(order('session-c'), key)));
    const codes = results.map((r) => r.code).sort();
    expect(new Set(codes).size).toBe(4);
    expect(codes).toEqual(['LJ20260301000003', 'LJ20260301000004', 'LJ20260301000005', 'LJ20260301000006']);
  });

  it('shows an order to its owner session only', async () => {
    const filed = await service.file(order('owner'), 'key-owner');
    expect((await service.findForOwner(filed.code.toLowerCase(), 'owner'))?.code).toBe(filed.code);
    expect(await service.findForOwner(filed.code, 'someone-else')).toBeUndefined();
    expect(await service.findForOwner('LJ20990101000001', 'owner')).toBeUndefined();
    expect((await service.listForOwner('owner')).map((o) => o.code)).toEqual([filed.code]);
  });
});
