import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { ConversationEngine } from '../bot/conversation-engine.js';
import { OpenAiCompatibleModel } from '../bot/langchain-model.js';
import { parseKnowledgeJsonl } from '../knowledge/jsonl.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { openDatabase, type Database } from '../prisma/client.js';
import { applyMigrations } from '../prisma/schema-engine.js';
import { WorkOrderService } from '../workorders/work-order-service.js';
import type { Config } from './config.js';
import { DatabaseAttemptLog, DatabaseConversationStore } from './conversation-store.js';
import { RedisAttemptLog, RedisSessionStore } from './redis-session-store.js';

/** The running parts of Minsheng, wired together once per process. */
export interface Minsheng {
  db: Database;
  knowledge: KnowledgeBase;
  workOrders: WorkOrderService;
  engine: ConversationEngine;
  close(): Promise<void>;
}

/** Migrates the database, loads the knowledge base (with the demo data when empty) and wires the bot. */
export async function startMinsheng(config: Config, log: FastifyBaseLogger): Promise<Minsheng> {
  const applied = await applyMigrations(config.databaseUrl);
  if (applied.length) log.info({ migrations: applied }, 'database migrated');
  const db = await openDatabase(config.databaseUrl);
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, keyPrefix: config.redisKeyPrefix })
    : undefined;
  const close = async () => {
    await db.$disconnect();
    await redis?.quit();
  };
  try {
    await redis?.connect();
    const knowledge = await KnowledgeBase.open(db);
    if (knowledge.count() === 0 && config.demoKnowledgePath) {
      const { entries, errors } = parseKnowledgeJsonl(await readFile(config.demoKnowledgePath, 'utf8'));
      if (errors.length) log.warn({ errors }, 'demo knowledge base has invalid lines');
      const result = await knowledge.importEntries(entries.map((e) => e.entry));
      log.info({ ...result, file: config.demoKnowledgePath }, 'demo knowledge base loaded');
    }
    const workOrders = new WorkOrderService(db, { prefix: config.ticketPrefix, timeZone: config.timeZone });
    const conversations = new DatabaseConversationStore(db);
    const language = config.llm && new OpenAiCompatibleModel(config.llm);
    const engine = new ConversationEngine({
      // Redis, when configured, holds what several instances must share; the transcript stays in the database.
      sessions: redis ? new RedisSessionStore(redis, config.sessionIdleMs) : conversations,
      transcript: conversations,
      services: {
        knowledge,
        workOrders,
        attempts: redis ? new RedisAttemptLog(redis) : new DatabaseAttemptLog(db),
        ...(language ? { language } : {}),
        timeZone: config.timeZone,
        newId: randomUUID,
      },
      idleTimeoutMs: config.sessionIdleMs,
      onError: (error, message) => log.error({ err: error, sessionId: message.sessionId }, 'turn failed'),
      onEvent: (event, message) => {
        const record = { event, sessionId: message.sessionId, channel: message.channel };
        if (event.type === 'emergency') log.warn(record, 'emergency message');
        else log.info(record, `conversation event: ${event.type}`);
      },
    });
    log.info(
      { sessions: redis ? 'redis' : 'database', languageModel: config.llm ? config.llm.model : 'off' },
      'conversation engine ready',
    );
    return { db, knowledge, workOrders, engine, close };
  } catch (error) {
    await close();
    throw error;
  }
}
