import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/message.js';
import { openDatabase, type Database } from '../../prisma/client.js';
import { applyMigrations } from '../../prisma/schema-engine.js';
import { LateReplyOutbox, type LateReplySender } from '../../server/late-reply-outbox.js';
import type { DeliveryResult } from '../../workorders/notification.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

class ScriptedSender implements LateReplySender {
  readonly channel = 'wechat';
  readonly delivered: { recipient: string; replies: Reply[] }[] = [];
  script: DeliveryResult[] = [];
  calls = 0;
  async deliver(recipient: string, replies: Reply[]): Promise<DeliveryResult> {
    this.calls++;
    const result = this.script.shift() ?? { outcome: 'delivered' };
    if (result.outcome === 'delivered') this.delivered.push({ recipient, replies });
    return result;
  }
}

const answer = (text: string): Reply[] => [{ kind: 'answer', text, sources: [] }];

describe('late-reply outbox on the database', () => {
  let database: TestDatabase;
  let db: Database;
  let t = new Date('2026-11-29T02:00:00Z').getTime();
  const clock = () => new Date(t);

  beforeAll(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = await openDatabase(database.url);
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('queues one answer per key, retries failures with backoff and records the last error', async () => {
    const sender = new ScriptedSender();
    sender.script = [
      { outcome: 'failed', retryable: true, reason: 'WeChat API answered HTTP 502' },
      { outcome: 'failed', retryable: true, reason: '42001 access_token expired' },
    ];
    const outbox = new LateReplyOutbox(db, { senders: [sender], clock, baseDelayMs: 1000 });
    const reply = {
      key: 'wechat:msg:1',
      channel: 'wechat',
      recipient: 'o-1',
      sessionId: 'wx-o-1',
      replies: answer('甲'),
    };
    expect(await outbox.enqueue(reply)).toBe(true);
    expect(await outbox.enqueue({ ...reply, replies: answer('乙') })).toBe(false);
    await outbox.settle();
    // From here the test drives the rounds itself (stop cancels the retry timer; drain still works).
    await outbox.stop();
    let row = await db.lateReply.findUniqueOrThrow({ where: { idempotencyKey: 'wechat:msg:1' } });
    expect(row).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: new Date(t + 1000) });
    t += 999;
    expect(await outbox.drain()).toBe(0); // not due yet
    t += 1;
    await outbox.drain();
    row = await db.lateReply.findUniqueOrThrow({ where: { id: row.id } });
    expect(row).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(t + 2000) });
    t += 2000;
    await outbox.drain();
    row = await db.lateReply.findUniqueOrThrow({ where: { id: row.id } });
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastError: 'failed: 42001 access_token expired' });
    expect(sender.delivered).toEqual([{ recipient: 'o-1', replies: answer('甲') }]);
  });

  it('ends a refused answer as failed, and never hands one row to two instances', async () => {
    const refusing = new ScriptedSender();
    refusing.script = [{ outcome: 'refused', reason: '48001 api unauthorized' }];
    const outbox = new LateReplyOutbox(db, { senders: [refusing], clock });
    await outbox.enqueue({
      key: 'wechat:msg:2',
      channel: 'wechat',
      recipient: 'o-2',
      sessionId: 'wx-o-2',
      replies: answer('丙'),
    });
    await outbox.settle();
    expect(await db.lateReply.findUniqueOrThrow({ where: { idempotencyKey: 'wechat:msg:2' } })).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'refused: 48001 api unauthorized',
    });
    await outbox.stop();

    const [a, b] = [new ScriptedSender(), new ScriptedSender()];
    const writer = new LateReplyOutbox(db, { senders: [], clock });
    await writer.stop(); // writes only
    for (let i = 0; i < 6; i++) {
      await writer.enqueue({
        key: `wechat:msg:x${i}`,
        channel: 'wechat',
        recipient: `o-x${i}`,
        sessionId: `wx-${i}`,
        replies: answer(`${i}`),
      });
    }
    await Promise.all([
      new LateReplyOutbox(db, { senders: [a], clock }).drain(),
      new LateReplyOutbox(db, { senders: [b], clock }).drain(),
    ]);
    const recipients = [...a.delivered, ...b.delivered].map((d) => d.recipient).sort();
    expect(recipients).toEqual(['o-x0', 'o-x1', 'o-x2', 'o-x3', 'o-x4', 'o-x5']);
  });
});
