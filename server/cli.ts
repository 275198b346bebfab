#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { Command } from 'commander';
import dotenv from 'dotenv';
import { runEvaluation } from '../eval/evaluation.js';
import { formatReport } from '../eval/report-table.js';
import { EntryWorkflow } from '../knowledge/entry-workflow.js';
import { parseKnowledgeJsonl } from '../knowledge/jsonl.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { detectFormat, guessMapping, mapRows, readSheet } from '../knowledge/sheet-import.js';
import type { Database } from '../prisma/client.js';
import { buildApp } from './app.js';
import { simulateSms, simulateWechat } from './channel-simulator.js';
import { migrateDatabase, openMigratedDatabase } from './composition.js';
import { ConfigError, loadConfig, StartupError, withoutPassword, type Config } from './config.js';
import { OpenAiCompatibleModel } from '../bot/langchain-model.js';
import { progressBar, progressThreshold } from './progress-bar.js';

dotenv.config({ quiet: true });

function config(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** How long a shutdown waits for requests still in flight. */
const SHUTDOWN_GRACE_MS = 10_000;

async function serve(): Promise<void> {
  const settings = config();
  const app = await buildApp({ config: settings });
  const { port, host } = settings;
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    // Requests in flight finish. Connections a proxy keeps alive are closed as soon as they fall
    // idle, not after the 72 s keep-alive timeout (an orchestrator's grace period is often 30 s),
    // and none is waited for longer than SHUTDOWN_GRACE_MS.
    const idle = setInterval(() => app.server.closeIdleConnections(), 250);
    const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await app.close();
    clearInterval(idle);
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw listenError(error, settings);
  }
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  app.log.info(`Minsheng is ready: web chat at http://${shown}:${port}/ , API docs at http://${shown}:${port}/docs`);
}

/** A listen failure as the HOST or PORT setting it comes from. */
function listenError(error: unknown, { host, port }: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const cause = { cause: error };
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'EADDRINUSE') {
    return new StartupError(
      'PORT',
      String(port),
      `another process is listening on ${host}:${port}`,
      'a free port',
      cause,
    );
  }
  if (code === 'EACCES') {
    return new StartupError(
      'PORT',
      String(port),
      `not permitted to listen on port ${port} (${detail})`,
      'a port above 1023, or the privilege to bind low ports',
      cause,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL' || code === 'EINVAL') {
    return new StartupError(
      'HOST',
      host,
      `cannot listen on this address (${detail})`,
      'an address of this machine, e.g. 0.0.0.0 (every interface) or 127.0.0.1',
      cause,
    );
  }
  return error;
}

async function migrate(): Promise<void> {
  const applied = await migrateDatabase(config().databaseUrl);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

async function importKnowledge(file: string): Promise<void> {
  const { databaseUrl, timeZone } = config();
  const bytes = await readFile(file);
  const format = detectFormat(bytes, file);
  const db = await openMigratedDatabase(databaseUrl);
  try {
    const knowledge = await KnowledgeBase.open(db);
    if (format === 'jsonl') await importJsonl(file, bytes.toString('utf8'), knowledge);
    else await importSpreadsheet(file, bytes, db, knowledge, timeZone);
  } finally {
    await db.$disconnect();
  }
}

/** The JSONL interchange format: entries go live as the file says (status defaults to published). */
async function importJsonl(file: string, text: string, knowledge: KnowledgeBase): Promise<void> {
  const { entries, errors } = parseKnowledgeJsonl(text);
  for (const error of errors) console.error(`${file}:${error.line}: ${error.reason}`);
  const progress = entries.length >= progressThreshold ? progressBar(process.stderr, '导入') : undefined;
  const batch = 1000;
  let created = 0;
  let updated = 0;
  for (let start = 0; start < entries.length; start += batch) {
    const result = await knowledge.importEntries(
      entries.slice(start, start + batch).map((e) => e.entry),
      { reload: false },
    );
    created += result.created;
    updated += result.updated;
    progress?.update(Math.min(start + batch, entries.length), entries.length);
  }
  progress?.finish();
  await knowledge.reload();
  console.log(
    `imported ${entries.length} entries (${created} new, ${updated} updated), ${errors.length} invalid lines`,
  );
  if (errors.length) process.exitCode = 1;
}

/**
 * xlsx or CSV: columns recognised from the headers (问题/标准问题, 答案, 相似问题, ...), rows
 * validated like the console's import and published at once, attributed to "cli:USER".
 */
async function importSpreadsheet(
  file: string,
  bytes: Buffer,
  db: Database,
  knowledge: KnowledgeBase,
  timeZone: string,
): Promise<void> {
  const sheet = await readSheet(bytes, file, Number.POSITIVE_INFINITY);
  const workflow = new EntryWorkflow(db, { onPublished: () => knowledge.reload() });
  // As in the console: a question an existing entry with another id asks is an error, not a duplicate entry.
  const mapped = mapRows(sheet, guessMapping(sheet.headers), timeZone, {
    existingQuestions: await workflow.questionOwners(),
  });
  for (const problem of mapped.problems) console.error(`${file}: ${problem}`);
  if (mapped.problems.length) {
    process.exitCode = 1;
    return;
  }
  for (const error of mapped.errors) console.error(`${file}:${error.line}: ${error.messages.join('; ')}`);
  for (const warning of mapped.warnings) console.error(`${file}:${warning.line}: ${warning.messages.join('; ')}`);
  const progress = mapped.valid.length >= progressThreshold ? progressBar(process.stderr, '导入') : undefined;
  const editor = { name: `cli:${userInfo().username}`.slice(0, 64), role: 'admin' as const };
  const result = await workflow.importRows(mapped.valid, editor, {
    publish: true,
    onProgress: (done, total) => progress?.update(done, total),
  });
  progress?.finish();
  for (const skipped of result.skipped) console.error(`${file}:${skipped.line}: ${skipped.id}: ${skipped.reason}`);
  console.log(
    `imported ${mapped.valid.length} rows (${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged), ${mapped.errors.length} invalid rows`,
  );
  if (mapped.errors.length || result.skipped.length) process.exitCode = 1;
}

interface EvalOptions {
  kb: string;
  queries: string;
  oos?: string;
  json?: boolean;
  peers?: boolean;
  misses?: boolean;
  llm?: boolean;
}

/** The LLM of the LLM_* settings, as the server would use it; `--llm` without them is an error. */
function languageOf(settings: Config): NonNullable<Parameters<typeof runEvaluation>[0]['language']> {
  if (!settings.llm) {
    console.error('--llm needs LLM_BASE_URL and LLM_MODEL (see README "Configuration")');
    process.exit(78); // EX_CONFIG
  }
  return {
    model: new OpenAiCompatibleModel(settings.llm),
    name: settings.llm.model,
    checkBelowConfidence: settings.llm.checkBelowConfidence,
  };
}

async function evaluate(options: EvalOptions): Promise<void> {
  const read = async (file: string) => ({ file, content: await readFile(file, 'utf8') });
  const report = await runEvaluation({
    kb: await read(options.kb),
    queries: await read(options.queries),
    oos: options.oos ? await read(options.oos) : undefined,
    peers: options.peers ?? false,
    misses: options.misses ?? false,
    ...(options.llm ? { language: languageOf(config()) } : {}),
  });
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
}

const program = new Command('minsheng').description('Minsheng (民声): assistant for the 12345 hotline');
// Not commander's isDefault: that reads `minsheng bogus` as serve's argument ("too many arguments").
program.command('serve').description('start the web server (the default without a command)').action(serve);
program
  .command('db')
  .description('database tasks')
  .command('migrate')
  .description('apply pending migrations')
  .action(migrate);
program
  .command('kb')
  .description('knowledge base tasks')
  .command('import')
  .argument('<file>', 'JSONL (one entry per line), xlsx or CSV (columns named 标准问题, 答案, 相似问题, ...)')
  .description(
    'import or update entries (same id, or same question without an id: update); a progress bar on a terminal',
  )
  .action(importKnowledge);

program
  .command('eval')
  .description('answer quality: ask labelled queries through the bot on a fresh temporary database')
  .requiredOption('--kb <file>', 'knowledge base, JSONL interchange format')
  .requiredOption('--queries <file>', 'JSONL: {"q", "expect": entry id, "kind"}')
  .option('--oos <file>', 'JSONL: {"q", "expect": "ticket" | "emergency" | "chitchat" | "refuse"}')
  .option('--json', 'print the report as JSON')
  .option('--peers', 'also run node-nlp and BM25 over jieba on the same files')
  .option('--misses', 'list every message each system got wrong, with its line number')
  .option('--llm', 'run Minsheng with the LLM of the LLM_* settings (measures its check of doubtful matches)')
  .action(evaluate);
const simulate = program.command('simulate').description('send signed channel payloads to a running server');
const localUrl = () => `http://127.0.0.1:${config().port}`;
simulate
  .command('wechat')
  .argument('<text...>', 'the message')
  .option('--url <url>', 'server base URL (default http://127.0.0.1:PORT)')
  .option('--openid <openid>', 'the simulated follower', 'o-simulator-0001')
  .option('--plain', 'plaintext mode even when WECHAT_ENCODING_AES_KEY is set')
  .description('a WeChat text message, signed (and encrypted in safe mode) with WECHAT_TOKEN and the AES key')
  .action(async (text: string[], opts: { url?: string; openid: string; plain?: boolean }) => {
    console.log(
      await simulateWechat({
        baseUrl: opts.url ?? localUrl(),
        config: config().channels,
        openId: opts.openid,
        text: text.join(' '),
        safe: opts.plain ? false : undefined,
      }),
    );
  });
simulate
  .command('sms')
  .argument('<text...>', 'the message')
  .option('--url <url>', 'server base URL (default http://127.0.0.1:PORT)')
  .option('--from <phone>', 'the simulated sender', '+8613800000000')
  .description('an SMS through the Twilio-style webhook, signed with TWILIO_AUTH_TOKEN')
  .action(async (text: string[], opts: { url?: string; from: string }) => {
    console.log(
      await simulateSms({
        baseUrl: opts.url ?? localUrl(),
        config: config().channels,
        phone: opts.from,
        text: text.join(' '),
      }),
    );
  });

const argv = process.argv.length > 2 ? process.argv : [...process.argv, 'serve'];
program.parseAsync(argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  if (error instanceof StartupError) {
    console.error(`minsheng: ${error.message}`); // passwords already masked, secrets hidden
    process.exit(78); // EX_CONFIG: a setting that could not be used
  }
  console.error(`minsheng: ${withoutPassword(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
