import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../knowledge/package-root.js';
import { channelConfigProblems, channelEnvSchema, toChannelConfig, type ChannelConfig } from './channel-config.js';

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
  ...channelEnvSchema.shape,
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
  /** WeChat, WeCom and SMS settings; a channel without its variables is off. */
  channels: ChannelConfig;
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
  const channelProblems = channelConfigProblems(e);
  if (channelProblems.length) throw new ConfigError(channelProblems);
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
    channels: toChannelConfig(e),
  });
}
