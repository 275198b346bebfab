import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { ConversationEngine } from '../bot/conversation-engine.js';
import { OpenAiCompatibleModel } from '../bot/langchain-model.js';
import { parseKnowledgeJsonl } from '../knowledge/jsonl.js';
import { DenseRetriever } from '../knowledge/dense/dense-retriever.js';
import { EntryWorkflow } from '../knowledge/entry-workflow.js';
import { defaultGlossaryPath, defaultSynonymsPath, KnowledgeBase } from '../knowledge/knowledge-base.js';
import { LanguageStore } from '../knowledge/learning/language-store.js';
import { LearningInbox } from '../knowledge/learning/learning-inbox.js';
import { openDatabase, type Database } from '../prisma/client.js';
import { applyMigrations } from '../prisma/schema-engine.js';
import { parseCatalogue } from '../workorders/catalogue.js';
import type { NotificationSender, WebChatNotificationSender } from '../workorders/notification.js';
import type { OutboxNotifier } from '../workorders/outbox-notifier.js';
import { WorkOrderService } from '../workorders/work-order-service.js';
import { parseHolidayCalendar, WorkingCalendar } from '../workorders/working-calendar.js';
import { StartupError, type Config } from './config.js';
import { DatabaseAttemptLog, DatabaseConversationStore } from './conversation-store.js';
import { RedisAttemptLog, RedisSessionStore } from './redis-session-store.js';
import { KnowledgeSync } from './knowledge-sync.js';
import { createWorkOrderNotifier } from './work-order-notifications.js';

/** The running parts of Minsheng, wired together once per process. */
export interface Minsheng {
  db: Database;
  knowledge: KnowledgeBase;
  /** The console's editorial workflow over the knowledge base. */
  entries: EntryWorkflow;
  /** Reloads this instance's index after a change and tells the other instances (Redis pub/sub). */
  knowledgeSync: KnowledgeSync;
  workOrders: WorkOrderService;
  engine: ConversationEngine;
  /** Delivers work-order updates from the outbox. */
  notifier: OutboxNotifier;
  /** Web-chat updates as in-process events (a push route can subscribe; the transcript already does). */
  webChatNotifications: WebChatNotificationSender;
  /** The shared Redis (REDIS_URL), keys prefixed with REDIS_KEY_PREFIX; unset for a single instance. */
  redis?: Redis;
  /** The learning inbox (questions the bot did not serve) and the synonym/glossary store behind the live index. */
  learning: { inbox: LearningInbox; language: LanguageStore };
  close(): Promise<void>;
}

export interface StartOptions {
  /** Senders of other channels (WeChat, SMS, ...); "sms" is the fallback when a channel refuses. */
  notificationSenders?: NotificationSender[];
}

/** Migrates the database, loads the knowledge base (with the demo data when empty) and wires the bot. */
export async function startMinsheng(
  config: Config,
  log: FastifyBaseLogger,
  options: StartOptions = {},
): Promise<Minsheng> {
  const db = await openMigratedDatabase(config.databaseUrl, log);
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, keyPrefix: config.redisKeyPrefix })
    : undefined;
  let ready = false;
  // Without a listener ioredis prints "Unhandled error event" for each failed reconnection; at start
  // the failure is reported once by connectRedis, later it goes to the log.
  redis?.on('error', (error: Error) => {
    if (ready) log.error({ err: error }, 'Redis connection error');
  });
  const close = async () => {
    await db.$disconnect();
    if (ready) await redis?.quit();
    else redis?.disconnect();
  };
  try {
    if (redis) await connectRedis(redis, config.redisUrl!);
    ready = true;
    const dense = await openDenseRetriever(config, log);
    // Synonyms and glossary live in the database (edited in the console); the files seed empty tables.
    const language = new LanguageStore(db);
    await language.seedIfEmpty({
      synonyms: await readSetting('SYNONYMS_FILE', config.synonymsPath ?? defaultSynonymsPath, 'a synonym groups file'),
      glossary: await readSetting(
        'GLOSSARY_FILE',
        config.glossaryPath ?? defaultGlossaryPath,
        'a Chinese–English glossary file',
      ),
    });
    const knowledge = await KnowledgeBase.open(db, {
      languageSources: await language.sources(),
      dense,
      onDenseError: (error) => log.warn({ err: error }, 'dense retrieval failed; answering from the lexical ranking'),
    });
    if (knowledge.count() === 0 && config.demoKnowledgePath) {
      const { entries, errors } = parseKnowledgeJsonl(
        await readSetting(
          'DEMO_KNOWLEDGE',
          config.demoKnowledgePath,
          'a JSONL knowledge base (loaded into an empty knowledge base), or "off" to start empty',
        ),
      );
      if (errors.length) log.warn({ errors }, 'demo knowledge base has invalid lines');
      const result = await knowledge.importEntries(entries.map((e) => e.entry));
      log.info({ ...result, file: config.demoKnowledgePath }, 'demo knowledge base loaded');
    }
    const knowledgeSync = new KnowledgeSync(
      knowledge,
      log,
      redis ? { client: redis, channel: `${config.redisKeyPrefix}knowledge-changed` } : undefined,
    );
    // A dictionary change (here or, through Redis, on another instance) re-reads the stored synonyms first.
    knowledgeSync.onChange(async (changes) => {
      if (changes.includes('dictionary')) knowledge.useLanguageSources(await language.sources());
    });
    await knowledgeSync.start();
    const entries = new EntryWorkflow(db, {
      onPublished: () => knowledgeSync.changed('entries'),
      search: async (text) => (await knowledge.search(text, { topK: 20 })).map((c) => c.entryId),
    });
    if (config.knowledgePollMs > 0) await knowledgeSync.watch(() => entries.contentVersion(), config.knowledgePollMs);
    const catalogue = await parseSetting(
      'DISPATCH_CATALOGUE',
      config.dispatchCataloguePath,
      'a dispatch catalogue JSON file (see README "Dispatch catalogue, deadlines, merging")',
      parseCatalogue,
    );
    const calendar = new WorkingCalendar(
      await parseSetting(
        'HOLIDAY_CALENDAR',
        config.holidayCalendarPath,
        'a JSON file { "holidays": [YYYY-MM-DD…], "workdays": [YYYY-MM-DD…] }',
        parseHolidayCalendar,
      ),
      config.timeZone,
    );
    const conversations = new DatabaseConversationStore(db);
    const { notifier, webChatNotifications } = createWorkOrderNotifier(
      db,
      conversations,
      log,
      options.notificationSenders,
    );
    const workOrders = new WorkOrderService(db, {
      prefix: config.ticketPrefix,
      timeZone: config.timeZone,
      catalogue,
      calendar,
      onOutboxWritten: () => notifier.wake(),
    });
    const inbox = new LearningInbox(db, knowledge, entries);
    const engine = new ConversationEngine({
      // Redis, when configured, holds what several instances must share; the transcript stays in the database.
      sessions: redis ? new RedisSessionStore(redis, config.sessionIdleMs) : conversations,
      transcript: conversations,
      services: {
        knowledge,
        workOrders,
        attempts: redis ? new RedisAttemptLog(redis) : new DatabaseAttemptLog(db),
        ...(config.llm
          ? { language: new OpenAiCompatibleModel(config.llm), checkBelowConfidence: config.llm.checkBelowConfidence }
          : {}),
        learning: inbox,
        timeZone: config.timeZone,
        newId: randomUUID,
      },
      idleTimeoutMs: config.sessionIdleMs,
      onError: (error, message) => log.error({ err: error, sessionId: message.sessionId }, 'turn failed'),
      onEvent: (event, message) => {
        const record = { event, sessionId: message.sessionId, channel: message.channel };
        if (event.type === 'emergency') log.warn(record, 'emergency message');
        else if (event.type === 'learning-record-failed') log.error(record, 'knowledge decision not recorded');
        else log.info(record, `conversation event: ${event.type}`);
      },
    });
    log.info(
      { sessions: redis ? 'redis' : 'database', languageModel: config.llm ? config.llm.model : 'off' },
      'conversation engine ready',
    );
    notifier.start(config.notifierPollMs);
    return {
      db,
      knowledge,
      entries,
      knowledgeSync,
      workOrders,
      engine,
      notifier,
      webChatNotifications,
      ...(redis ? { redis } : {}),
      learning: { inbox, language },
      close: async () => {
        await notifier.stop();
        await knowledgeSync.close();
        await dense?.close();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();

/** A database that cannot be reached, opened or migrated, as a DATABASE_URL problem. */
function databaseError(databaseUrl: string, error: unknown): StartupError {
  const expected = databaseUrl.startsWith('file:')
    ? 'a SQLite file Minsheng can create or open and write (file:PATH)'
    : 'a reachable PostgreSQL server, database and user (postgresql://USER@HOST:PORT/DB)';
  return new StartupError(
    'DATABASE_URL',
    databaseUrl,
    `cannot open or migrate the database (${reason(error)})`,
    expected,
    { cause: error },
  );
}

/** Applies pending migrations (the CLI's `db migrate` too); returns their names. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  try {
    return await applyMigrations(databaseUrl);
  } catch (error) {
    throw databaseError(databaseUrl, error);
  }
}

/** Applies pending migrations and connects (the server and the CLI's `kb import`). */
export async function openMigratedDatabase(databaseUrl: string, log?: FastifyBaseLogger): Promise<Database> {
  const applied = await migrateDatabase(databaseUrl);
  if (applied.length) log?.info({ migrations: applied }, 'database migrated');
  try {
    return await openDatabase(databaseUrl);
  } catch (error) {
    throw databaseError(databaseUrl, error);
  }
}

/** Connects at start, so that a wrong REDIS_URL stops start-up instead of failing every request. */
async function connectRedis(redis: Redis, redisUrl: string): Promise<void> {
  let last: Error | undefined;
  const remember = (error: Error) => (last = error);
  redis.on('error', remember);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    // connect() rejects with "Connection is closed."; the error event says why.
    throw new StartupError(
      'REDIS_URL',
      redisUrl,
      `cannot connect to Redis (${reason(last ?? error)})`,
      'a reachable Redis server (redis://[:PASSWORD@]HOST:PORT or rediss://…)',
      { cause: last ?? error },
    );
  } finally {
    redis.off('error', remember);
  }
}

async function readSetting(variable: string, path: string, expected: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a directory, not a file'
          : code === 'EACCES'
            ? 'the file cannot be read (permission denied)'
            : `the file cannot be read (${reason(error)})`;
    throw new StartupError(variable, path, problem, `the path of ${expected}`, { cause: error });
  }
}

async function parseSetting<T>(variable: string, path: string, expected: string, parse: (text: string) => T) {
  const text = await readSetting(variable, path, expected);
  try {
    return parse(text);
  } catch (error) {
    const problem =
      error instanceof SyntaxError ? 'the file is not valid JSON' : `the file is invalid: ${reason(error)}`;
    throw new StartupError(variable, path, problem, expected, { cause: error });
  }
}

/** The optional embedding model; a missing package or model leaves lexical retrieval alone, with a warning. */
async function openDenseRetriever(config: Config, log: FastifyBaseLogger): Promise<DenseRetriever | undefined> {
  if (!config.embeddingModelDir) return undefined;
  try {
    const dense = await DenseRetriever.fromModelDir({
      modelDir: config.embeddingModelDir,
      indexPath: config.embeddingIndexPath,
    });
    log.info({ model: dense.modelId, index: config.embeddingIndexPath }, 'dense retrieval enabled');
    return dense;
  } catch (error) {
    log.warn({ err: error, modelDir: config.embeddingModelDir }, 'dense retrieval unavailable; lexical retrieval only');
    return undefined;
  }
}
