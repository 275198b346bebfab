import { isIP, isIPv4 } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { defaultVectorIndexPath } from '../knowledge/dense/vector-index-path.js';
import { packageRoot } from '../knowledge/package-root.js';
import { channelConfigProblems, channelEnvSchema, toChannelConfig, type ChannelConfig } from './channel-config.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Work-order roles (operator, handler, admin) and the knowledge console's (knowledge = 编辑, reviewer = 审核). */
export const staffRoles = ['operator', 'handler', 'admin', 'knowledge', 'reviewer'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** One bearer token of the staff API; the name is the actor written to work-order history. */
export interface StaffToken {
  name: string;
  token: string;
  role: StaffRole;
  /** The department a handler acts for. */
  department?: string;
}

const MIN_TOKEN_LENGTH = 16;
/** Values never printed in a configuration error: tokens, secrets, keys and passwords. */
const isSecretVariable = (name: string) => /TOKEN|SECRET|KEY|PASSWORD/.test(name);
/** Every connection URL's password in `value` is masked: postgresql://app:***@db/minsheng. */
export const withoutPassword = (value: string) =>
  value.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
const staffTokenHelp = `comma-separated NAME:TOKEN[:ROLE[:DEPARTMENT]] entries (TOKEN at least ${MIN_TOKEN_LENGTH} characters, ROLE one of ${staffRoles.join(', ')}, DEPARTMENT required for handler)`;

function parseStaffTokens(value: string, ctx: z.RefinementCtx): StaffToken[] {
  const tokens: StaffToken[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, token, role = 'admin', department] = entry.split(':').map((p) => p.trim());
    const valid =
      name &&
      /^[\w.-]{1,64}$/.test(name) &&
      token &&
      token.length >= MIN_TOKEN_LENGTH &&
      (staffRoles as readonly string[]).includes(role) &&
      (role !== 'handler' || Boolean(department));
    if (!valid) {
      ctx.addIssue({ code: 'custom', message: `${staffTokenHelp}; entry for "${name ?? ''}" is not` });
      return z.NEVER;
    }
    tokens.push({ name, token, role: role as StaffRole, ...(department ? { department } : {}) });
  }
  if (new Set(tokens.map((t) => t.token)).size !== tokens.length) {
    ctx.addIssue({ code: 'custom', message: `${staffTokenHelp}; every token must be different` });
    return z.NEVER;
  }
  return tokens;
}

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDR ranges. */
const proxyRangeNames = ['loopback', 'linklocal', 'uniquelocal'];
const trustProxyHelp =
  'false, the number of proxies in front of Minsheng (1-10), or comma-separated proxy addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8; also loopback, linklocal, uniquelocal)';

function isProxyAddress(value: string): boolean {
  if (proxyRangeNames.includes(value)) return true;
  const [address = '', bits, ...rest] = value.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY → fastify's trustProxy. "true" is refused: trusting every hop lets any client pick
 * its address (and so its login throttle) with X-Forwarded-For.
 */
function parseTrustProxy(value: string, ctx: z.RefinementCtx): false | number | string[] {
  if (/^(false|0|off|no)$/i.test(value)) return false;
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10) return Number(value);
  if (/^(true|on|yes)$/i.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `${trustProxyHelp}; "true" would trust X-Forwarded-For from any client, so give the hop count or the proxies' addresses`,
    });
    return z.NEVER;
  }
  const addresses = value
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!addresses.length || !addresses.every(isProxyAddress)) {
    ctx.addIssue({ code: 'custom', message: trustProxyHelp });
    return z.NEVER;
  }
  return addresses;
}

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
  HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or IP address of this machine to listen on, e.g. 0.0.0.0 or 127.0.0.1')
    // 999.1.1.1 is no address, and would otherwise be looked up as a host name.
    .refine(
      (host) => !/^[\d.]+$/.test(host) || isIPv4(host),
      'a host name or IP address of this machine to listen on, e.g. 0.0.0.0 or 127.0.0.1',
    )
    .default('0.0.0.0'),
  TRUST_PROXY: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => (v ? parseTrustProxy(v, ctx) : false)),
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
  REDIS_KEY_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, '1-64 letters, digits, ":", "_" or "-"')
    .default('minsheng:'),
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
  LLM_BASE_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/.+/, 'the http(s) base URL of an OpenAI-compatible API, e.g. http://llm.internal:8000/v1')
    .optional(),
  LLM_MODEL: z.string().trim().min(1, 'a model name').max(200).optional(),
  LLM_API_KEY: z.string().trim().min(1).optional(),
  LLM_TIMEOUT_MS: integer(100, 120_000, 8000),
  LLM_CHECK_BELOW: z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'a confidence from 0 to 1 (0: never ask the LLM to check a match)')
    .transform(Number)
    .optional()
    .transform((v) => v ?? 0.9),
  DEMO_KNOWLEDGE: z
    .string()
    .trim()
    .min(1, '"off" or the path of a JSONL knowledge base loaded when the knowledge base is empty')
    .default(join('knowledge', 'demo', 'demo-kb.jsonl')),
  SYNONYMS_FILE: z.string().trim().min(1, 'the path of a synonym groups file').optional(),
  GLOSSARY_FILE: z.string().trim().min(1, 'the path of a Chinese–English glossary file').optional(),
  EMBEDDING_MODEL_DIR: z.string().trim().min(1, 'the path of a local embedding model directory').optional(),
  EMBEDDING_INDEX_PATH: z.string().trim().min(1, 'the path of the vector index file').optional(),
  STAFF_API_TOKENS: z
    .string()
    .optional()
    .transform((v, ctx) => (v ? parseStaffTokens(v, ctx) : [])),
  DISPATCH_CATALOGUE: z
    .string()
    .trim()
    .min(1, 'the path of a dispatch catalogue JSON file')
    .default(join('workorders', 'demo', 'linjiang-catalogue.json')),
  HOLIDAY_CALENDAR: z
    .string()
    .trim()
    .min(1, 'the path of a holiday calendar JSON file')
    .default(join('workorders', 'demo', 'holidays.json')),
  NOTIFIER_POLL_SECONDS: integer(1, 3600, 10),
  KNOWLEDGE_POLL_SECONDS: integer(0, 3600, 30),
  CONSOLE_SESSION_HOURS: integer(1, 24 * 30, 8),
  ...channelEnvSchema.shape,
});

export interface Config {
  port: number;
  host: string;
  /**
   * fastify's trustProxy: which reverse proxies' X-Forwarded-For/-Proto/-Host are believed, for
   * request.ip (login and token throttles) and request.protocol (Secure cookies). false: none.
   */
  trustProxy: false | number | readonly string[];
  databaseUrl: string;
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so that several deployments can share one Redis. */
  redisKeyPrefix: string;
  logLevel: (typeof logLevels)[number];
  ticketPrefix: string;
  timeZone: string;
  sessionIdleMs: number;
  /** The optional OpenAI-compatible LLM; undefined when LLM_BASE_URL is unset. */
  llm:
    | {
        baseUrl: string;
        model: string;
        apiKey: string | undefined;
        timeoutMs: number;
        /** Answers below this confidence, and clarifications, are checked by the LLM (0: never). */
        checkBelowConfidence: number;
      }
    | undefined;
  /** JSONL file loaded into an empty knowledge base at start, or undefined when disabled. */
  demoKnowledgePath: string | undefined;
  /** Synonym groups and English glossary replacing the bundled ones (knowledge/dict/). */
  synonymsPath: string | undefined;
  glossaryPath: string | undefined;
  /** Local embedding model directory; unset → lexical retrieval only. */
  embeddingModelDir: string | undefined;
  /** Vector index file (null: in memory). */
  embeddingIndexPath: string | null;
  /** Staff API bearer tokens; none configured means the staff API refuses every request. */
  staffTokens: readonly StaffToken[];
  dispatchCataloguePath: string;
  holidayCalendarPath: string;
  /** How often the notifier looks for due retries and rows left by a crashed worker. */
  notifierPollMs: number;
  /** How often the stored entries are checked for changes made outside this process (0: never). */
  knowledgePollMs: number;
  /** Lifetime of a knowledge console login session. */
  consoleSessionMs: number;
  /** WeChat, WeCom and SMS settings; a channel without its variables is off. */
  channels: ChannelConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * A setting that passed validation but could not be used at start-up: a file that cannot be read
 * or parsed, a database or Redis that cannot be reached, an address that cannot be listened on.
 * One line names the variable, its value (passwords masked, secrets hidden), what went wrong and
 * what is expected; the CLI exits 78 (EX_CONFIG) as for a ConfigError.
 */
export class StartupError extends Error {
  constructor(
    readonly variable: string,
    value: string,
    problem: string,
    expected: string,
    options?: { cause?: unknown },
  ) {
    const shown = isSecretVariable(variable) ? '(hidden)' : JSON.stringify(withoutPassword(value));
    super(`${variable}=${shown}: ${withoutPassword(problem)}; expected ${expected}`, options);
    this.name = 'StartupError';
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
        // Secrets are never echoed.
        const shown = isSecretVariable(name) ? '(hidden)' : JSON.stringify(withoutPassword(env[name] ?? ''));
        return `${name}=${shown} is invalid: expected ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.LLM_BASE_URL && !e.LLM_MODEL) {
    throw new ConfigError([`LLM_MODEL="" is invalid: expected a model name when LLM_BASE_URL is set`]);
  }
  const channelProblems = channelConfigProblems(e);
  if (channelProblems.length) throw new ConfigError(channelProblems);
  const demo = e.DEMO_KNOWLEDGE === 'off' ? undefined : e.DEMO_KNOWLEDGE;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    trustProxy: Array.isArray(e.TRUST_PROXY) ? Object.freeze(e.TRUST_PROXY) : e.TRUST_PROXY,
    databaseUrl: e.DATABASE_URL ?? `file:${join(cwd, 'data', 'minsheng.db')}`,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    ticketPrefix: e.TICKET_PREFIX,
    timeZone: e.TIMEZONE,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    llm: e.LLM_BASE_URL
      ? Object.freeze({
          baseUrl: e.LLM_BASE_URL,
          model: e.LLM_MODEL!,
          apiKey: e.LLM_API_KEY,
          timeoutMs: e.LLM_TIMEOUT_MS,
          checkBelowConfidence: e.LLM_CHECK_BELOW,
        })
      : undefined,
    demoKnowledgePath: demo && !isAbsolute(demo) ? join(packageRoot, demo) : demo,
    synonymsPath: e.SYNONYMS_FILE && resolve(cwd, e.SYNONYMS_FILE),
    glossaryPath: e.GLOSSARY_FILE && resolve(cwd, e.GLOSSARY_FILE),
    embeddingModelDir: e.EMBEDDING_MODEL_DIR && resolve(cwd, e.EMBEDDING_MODEL_DIR),
    embeddingIndexPath: e.EMBEDDING_INDEX_PATH
      ? resolve(cwd, e.EMBEDDING_INDEX_PATH)
      : defaultVectorIndexPath(e.DATABASE_URL ?? `file:${join(cwd, 'data', 'minsheng.db')}`, cwd),
    staffTokens: e.STAFF_API_TOKENS,
    dispatchCataloguePath: isAbsolute(e.DISPATCH_CATALOGUE)
      ? e.DISPATCH_CATALOGUE
      : join(packageRoot, e.DISPATCH_CATALOGUE),
    holidayCalendarPath: isAbsolute(e.HOLIDAY_CALENDAR) ? e.HOLIDAY_CALENDAR : join(packageRoot, e.HOLIDAY_CALENDAR),
    notifierPollMs: e.NOTIFIER_POLL_SECONDS * 1000,
    knowledgePollMs: e.KNOWLEDGE_POLL_SECONDS * 1000,
    consoleSessionMs: e.CONSOLE_SESSION_HOURS * 3_600_000,
    channels: toChannelConfig(e),
  });
}
