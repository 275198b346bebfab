import type { Database, OutboxMessageModel, WorkOrderModel } from '../prisma/client.js';
import type { DeliveryResult, Notification, NotificationSender } from './notification.js';

export interface OutboxNotifierOptions {
  senders: NotificationSender[];
  /** Channel tried when the owner's channel refuses (the citizen's phone); none to give up. */
  fallbackChannel?: string;
  maxAttempts?: number;
  /** First retry delay; doubles with every failed attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed row stays with this worker; a crashed worker's rows come back after it. */
  leaseMs?: number;
  batchSize?: number;
  clock?: () => Date;
  /** Told about every attempt (for logs); the recipient is never included. */
  onAttempt?: (event: { outboxId: number; channel: string; result: DeliveryResult }) => void;
  /** Told when a drain fails (e.g. the database is unreachable); the next wake or poll retries. */
  onError?: (error: unknown) => void;
}

type Row = OutboxMessageModel & { workOrder: Pick<WorkOrderModel, 'contactPhone' | 'code'> };

const payloadOf = (row: Row) => row.payload as { text: string; status: string; choices?: string[] };

/**
 * Delivers the outbox at least once: rows are claimed with a lease, sent through the sender of
 * their channel, and marked delivered only after the sender confirms. A crash after the commit
 * of a change, or between claim and confirmation, leaves the row pending (or its lease expiring),
 * so the next worker delivers it; receivers drop repeats by notification id.
 */
export class OutboxNotifier {
  private readonly senders: Map<string, NotificationSender>;
  private readonly clock: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Database,
    private readonly options: OutboxNotifierOptions,
  ) {
    this.senders = new Map(options.senders.map((s) => [s.channel, s]));
    this.clock = options.clock ?? (() => new Date());
  }

  /** Adds (or replaces) the sender of one channel; channels start after the notifier exists. */
  addSender(sender: NotificationSender): void {
    this.senders.set(sender.channel, sender);
  }

  /** Delivers every due row; returns how many rows it finished (delivered or given up). */
  async drain(): Promise<number> {
    let finished = 0;
    for (;;) {
      const rows = await this.claimBatch();
      if (rows.length === 0) return finished;
      for (const row of rows) if (await this.process(row)) finished++;
    }
  }

  /** Polls every `intervalMs` (to pick up retries and rows of crashed workers). */
  start(intervalMs: number): void {
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Asks for a drain soon (after a commit that wrote outbox rows). */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain().catch((error: unknown) => this.options.onError?.(error));
      } while (this.again);
    })().finally(() => (this.running = undefined));
  }

  /** Puts a row that was given up (status failed) back in the queue, from attempt one. */
  async requeue(id: number): Promise<boolean> {
    const { count } = await this.db.outboxMessage.updateMany({
      where: { id, status: 'failed' },
      data: { status: 'pending', attempts: 0, nextAttemptAt: this.clock(), lockedUntil: null },
    });
    if (count === 1) this.wake();
    return count === 1;
  }

  /** Resolves once no drain is running and nothing due is left (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.running) await this.running;
    await this.drain();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async claimBatch(): Promise<Row[]> {
    const now = this.clock();
    const due = await this.db.outboxMessage.findMany({
      where: {
        status: 'pending',
        nextAttemptAt: { lte: now },
        OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
      },
      orderBy: { id: 'asc' },
      take: this.options.batchSize ?? 20,
      select: { id: true },
    });
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    const claimed: Row[] = [];
    for (const { id } of due) {
      // The conditional update is the claim: of two workers only one sees count 1.
      const { count } = await this.db.outboxMessage.updateMany({
        where: { id, status: 'pending', OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
        data: { lockedUntil: leaseUntil },
      });
      if (count === 1) {
        claimed.push(
          await this.db.outboxMessage.findUniqueOrThrow({
            where: { id },
            include: { workOrder: { select: { contactPhone: true, code: true } } },
          }),
        );
      }
    }
    return claimed;
  }

  private async attempt(row: Row, channel: string): Promise<DeliveryResult> {
    const sender = this.senders.get(channel);
    if (!sender) return { outcome: 'refused', reason: `no sender for channel ${channel}` };
    const payload = payloadOf(row);
    const notification: Notification = {
      id: row.id,
      kind: row.kind as Notification['kind'],
      channel,
      recipient: channel === row.channel ? row.recipient : row.workOrder.contactPhone,
      sessionId: row.sessionId,
      workOrderCode: row.workOrder.code,
      status: payload.status,
      text: payload.text,
      ...(payload.choices ? { choices: payload.choices } : {}),
    };
    let result: DeliveryResult;
    try {
      result = await sender.deliver(notification);
    } catch (error) {
      result = { outcome: 'failed', retryable: true, reason: error instanceof Error ? error.message : String(error) };
    }
    this.options.onAttempt?.({ outboxId: row.id, channel, result });
    return result;
  }

  /** Returns true when the row is finished (delivered or given up). */
  private async process(row: Row): Promise<boolean> {
    const attempts = row.attempts + 1;
    let channel = row.channel;
    let result = await this.attempt(row, channel);
    let refusal: string | undefined;
    const fallback = this.options.fallbackChannel;
    const lastAttempt = attempts >= (this.options.maxAttempts ?? 8);
    // A refusal falls back at once; a failure only when it will not be retried (e.g. a bridge down for good).
    const fallBack =
      result.outcome === 'refused' || (result.outcome === 'failed' && (lastAttempt || !result.retryable));
    if (fallBack && result.outcome !== 'delivered' && fallback && channel !== fallback) {
      refusal = `${channel} ${result.outcome}: ${result.reason}`;
      channel = fallback;
      result = await this.attempt(row, channel);
    }
    const now = this.clock();
    if (result.outcome === 'delivered') {
      await this.db.outboxMessage.update({
        where: { id: row.id },
        data: {
          status: 'delivered',
          attempts,
          deliveredVia: channel,
          deliveredAt: now,
          lockedUntil: null,
          lastError: refusal ?? null,
        },
      });
      return true;
    }
    const reason = [refusal, `${channel} ${result.outcome}: ${result.reason}`].filter(Boolean).join('; ');
    const giveUp = result.outcome === 'refused' || !result.retryable || attempts >= (this.options.maxAttempts ?? 8);
    const delay = Math.min(
      (this.options.baseDelayMs ?? 5_000) * 2 ** (attempts - 1),
      this.options.maxDelayMs ?? 3_600_000,
    );
    await this.db.outboxMessage.update({
      where: { id: row.id },
      data: giveUp
        ? { status: 'failed', attempts, lockedUntil: null, lastError: reason }
        : { attempts, lockedUntil: null, lastError: reason, nextAttemptAt: new Date(now.getTime() + delay) },
    });
    return giveUp;
  }
}
