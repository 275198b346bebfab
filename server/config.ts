import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { defaultVectorIndexPath } from '../knowledge/dense/vector-index-path.js';
import { packageRoot } from '../knowledge/package-root.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `an integer from ${min} to ${max}`).max(max, `an integer from ${min} to ${max}`))
    .optional()
    .transform((v) => v ?? fallback);

const envSchema = z.object({
  PORT: integer(1, 65535, 3000),
  HOST: z.string().trim().min(1, 'a host name or IP address to listen on').default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^(file:.+|postgres(ql)?:\/\/.+)$/, 'file:PATH for SQLite or postgresql://USER@HOST:PORT/DB for PostgreSQL')
    .optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/.+/, 'redis://HOST:PORT or rediss://HOST:PORT')
    .optional(),
  LOG_LEVEL: z.enum(logLevels, { message: `one of ${logLevels.join(', ')}` }).default('info'),
  TICKET_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Z]{1,4}$/, '1 to 4 capital letters, e.g. LJ')
    .default('LJ'),
  TIMEZONE: z
    .string()
    .trim()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  SESSION_IDLE_MINUTES: integer(1, 7 * 24 * 60, 30),
  DEMO_KNOWLEDGE: z
    .string()
    .trim()
    .min(1, '"off" or the path of a JSONL knowledge base loaded when the knowledge base is empty')
    .default(join('knowledge', 'demo', 'demo-kb.jsonl')),
  SYNONYMS_FILE: z.string().trim().min(1, 'the path of a synonym groups file').optional(),
  GLOSSARY_FILE: z.string().trim().min(1, 'the path of a Chinese–English glossary file').optional(),
  EMBEDDING_MODEL_DIR: z.string().trim().min(1, 'the path of a local embedding model directory').optional(),
  EMBEDDING_INDEX_PATH: z.string().trim().min(1, 'the path of the vector index file').optional(),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  logLevel: (typeof logLevels)[number];
  ticketPrefix: string;
  timeZone: string;
  sessionIdleMs: number;
  /** JSONL file loaded into an empty knowledge base at start, or undefined when disabled. */
  demoKnowledgePath: string | undefined;
  /** Synonym groups and English glossary replacing the bundled ones (knowledge/dict/). */
  synonymsPath: string | undefined;
  glossaryPath: string | undefined;
  /** Local embedding model directory; unset → lexical retrieval only. */
  embeddingModelDir: string | undefined;
  /** Vector index file (null: in memory). */
  embeddingIndexPath: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; a wrong value names the variable and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const blankAsUnset = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key]?.trim() ? env[key] : undefined]),
  );
  const parsed = envSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}=${JSON.stringify(env[name] ?? '')} is invalid: expected ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const demo = e.DEMO_KNOWLEDGE === 'off' ? undefined : e.DEMO_KNOWLEDGE;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? `file:${join(cwd, 'data', 'minsheng.db')}`,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    ticketPrefix: e.TICKET_PREFIX,
    timeZone: e.TIMEZONE,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    demoKnowledgePath: demo && !isAbsolute(demo) ? join(packageRoot, demo) : demo,
    synonymsPath: e.SYNONYMS_FILE && resolve(cwd, e.SYNONYMS_FILE),
    glossaryPath: e.GLOSSARY_FILE && resolve(cwd, e.GLOSSARY_FILE),
    embeddingModelDir: e.EMBEDDING_MODEL_DIR && resolve(cwd, e.EMBEDDING_MODEL_DIR),
    embeddingIndexPath: e.EMBEDDING_INDEX_PATH
      ? resolve(cwd, e.EMBEDDING_INDEX_PATH)
      : defaultVectorIndexPath(e.DATABASE_URL ?? `file:${join(cwd, 'data', 'minsheng.db')}`, cwd),
  });
}
