import type { Reply } from '../bot/message.js';
import { Prisma, type Database, type LateReplyModel } from '../prisma/client.js';
import type { DeliveryResult } from '../workorders/notification.js';

/** Sends answers on one channel (e.g. WeChat's customer-service API). */
export interface LateReplySender {
  readonly channel: string;
  deliver(recipient: string, replies: Reply[]): Promise<DeliveryResult>;
}

export interface LateReply {
  /** Unique per inbound message (e.g. `wechat:msg:<MsgId>`): queuing the same key twice queues once. */
  key: string;
  channel: string;
  recipient: string;
  sessionId: string;
  replies: Reply[];
}

export interface LateReplyOutboxOptions {
  senders: LateReplySender[];
  maxAttempts?: number;
  /** First retry delay; doubles with every failed attempt up to maxDelayMs. Someone is waiting: keep it short. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  leaseMs?: number;
  clock?: () => Date;
  /** Told about every attempt (for logs); the recipient is never included. */
  onAttempt?: (event: { id: number; channel: string; attempts: number; result: DeliveryResult }) => void;
  onError?: (error: unknown) => void;
}

/**
 * Answers that could not go back in the callback's response, delivered at least once: the row is
 * written before the first send, claimed with a lease, retried with exponential backoff on
 * failure (network, HTTP 5xx, busy platform, token trouble) and marked delivered only when the
 * platform accepted it. A row refused for good or out of attempts ends `failed` with its reason.
 */
export class LateReplyOutbox {
  private readonly senders: Map<string, LateReplySender>;
  private readonly clock: () => Date;
  private poller: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly options: LateReplyOutboxOptions,
  ) {
    this.senders = new Map(options.senders.map((s) => [s.channel, s]));
    this.clock = options.clock ?? (() => new Date());
  }

  addSender(sender: LateReplySender): void {
    this.senders.set(sender.channel, sender);
  }

  /** Writes the answer to the outbox and starts delivering it; false when that key was queued before. */
  async enqueue(reply: LateReply): Promise<boolean> {
    const now = this.clock();
    try {
      await this.db.lateReply.create({
        data: {
          idempotencyKey: reply.key,
          channel: reply.channel,
          recipient: reply.recipient,
          sessionId: reply.sessionId,
          replies: reply.replies as unknown as Prisma.InputJsonValue,
          nextAttemptAt: now,
          createdAt: now,
        },
      });
    } catch (error) {
      // A retried callback that raced past the channel's dedupe lands here: one row per key.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return false;
      throw error;
    }
    this.wake();
    return true;
  }

  /** Polls every `intervalMs` for rows another instance queued or left behind (crashed worker). */
  start(intervalMs: number): void {
    this.poller = setInterval(() => this.wake(), intervalMs);
    this.poller.unref();
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain().catch((error: unknown) => this.options.onError?.(error));
      } while (this.again);
      await this.scheduleNextRetry().catch((error: unknown) => this.options.onError?.(error));
    })().finally(() => (this.running = undefined));
  }

  /** Delivers every due row; returns how many it finished (delivered or given up). */
  async drain(): Promise<number> {
    let finished = 0;
    for (;;) {
      const rows = await this.claimBatch();
      if (rows.length === 0) return finished;
      for (const row of rows) if (await this.process(row)) finished++;
    }
  }

  /** Resolves once no round is running (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearTimeout(this.retryTimer);
    await this.settle();
  }

  /** Deletes delivered rows older than `ageMs` (failed ones stay for inspection). */
  async purgeDelivered(ageMs: number): Promise<number> {
    const { count } = await this.db.lateReply.deleteMany({
      where: { status: 'delivered', deliveredAt: { lt: new Date(this.clock().getTime() - ageMs) } },
    });
    return count;
  }

  /**
   * Wakes again when the earliest retry is due, rather than at the next poll. A row another
   * instance holds is due again when its lease ends, not before (no busy loop on a held row).
   */
  private async scheduleNextRetry(): Promise<void> {
    const now = this.clock();
    const [free, held] = await Promise.all([
      this.db.lateReply.findFirst({
        where: { status: 'pending', OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
        orderBy: { nextAttemptAt: 'asc' },
        select: { nextAttemptAt: true },
      }),
      this.db.lateReply.findFirst({
        where: { status: 'pending', lockedUntil: { gt: now } },
        orderBy: { lockedUntil: 'asc' },
        select: { nextAttemptAt: true, lockedUntil: true },
      }),
    ]);
    const times = [
      free?.nextAttemptAt.getTime(),
      held && Math.max(held.nextAttemptAt.getTime(), held.lockedUntil!.getTime()),
    ].filter((t): t is number => t !== undefined);
    clearTimeout(this.retryTimer);
    if (!times.length || this.stopped) return;
    const delay = Math.max(0, Math.min(...times) - now.getTime());
    this.retryTimer = setTimeout(() => this.wake(), delay + 10);
    this.retryTimer.unref();
  }

  private async claimBatch(): Promise<LateReplyModel[]> {
    const now = this.clock();
    const due = await this.db.lateReply.findMany({
      where: {
        status: 'pending',
        nextAttemptAt: { lte: now },
        OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
      },
      orderBy: { id: 'asc' },
      take: 20,
      select: { id: true },
    });
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 60_000));
    const claimed: LateReplyModel[] = [];
    for (const { id } of due) {
      // The conditional update is the claim: of two instances only one sees count 1.
      const { count } = await this.db.lateReply.updateMany({
        where: { id, status: 'pending', OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
        data: { lockedUntil: leaseUntil },
      });
      if (count === 1) claimed.push(await this.db.lateReply.findUniqueOrThrow({ where: { id } }));
    }
    return claimed;
  }

  private async process(row: LateReplyModel): Promise<boolean> {
    const attempts = row.attempts + 1;
    const sender = this.senders.get(row.channel);
    let result: DeliveryResult;
    if (!sender) {
      result = { outcome: 'failed', retryable: true, reason: `no sender for channel ${row.channel} yet` };
    } else {
      try {
        result = await sender.deliver(row.recipient, row.replies as unknown as Reply[]);
      } catch (error) {
        result = { outcome: 'failed', retryable: true, reason: error instanceof Error ? error.message : String(error) };
      }
    }
    this.options.onAttempt?.({ id: row.id, channel: row.channel, attempts, result });
    const now = this.clock();
    if (result.outcome === 'delivered') {
      await this.db.lateReply.update({
        where: { id: row.id },
        data: { status: 'delivered', attempts, deliveredAt: now, lockedUntil: null },
      });
      return true;
    }
    const reason = `${result.outcome}: ${result.reason}`;
    const giveUp = result.outcome === 'refused' || !result.retryable || attempts >= (this.options.maxAttempts ?? 8);
    const delay = Math.min(
      (this.options.baseDelayMs ?? 1_000) * 2 ** (attempts - 1),
      this.options.maxDelayMs ?? 60_000,
    );
    await this.db.lateReply.update({
      where: { id: row.id },
      data: giveUp
        ? { status: 'failed', attempts, lockedUntil: null, lastError: reason }
        : { attempts, lockedUntil: null, lastError: reason, nextAttemptAt: new Date(now.getTime() + delay) },
    });
    return giveUp;
  }
}
