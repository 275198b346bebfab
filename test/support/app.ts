import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** Every log line written so far, as parsed JSON records. */
  logs: () => Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The real application on a fresh database, loaded with the demo knowledge base unless told
 * otherwise. With `database`, a second instance on the same database (its owner drops it).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'info', ...env });
  const app = await buildApp({ config, logStream });
  return {
    app,
    database,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

export async function chat(app: FastifyInstance, sessionId: string, text: string) {
  const response = await app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId, text } });
  if (response.statusCode !== 200) throw new Error(`chat failed: ${response.statusCode} ${response.body}`);
  return (
    response.json() as {
      replies: {
        kind: string;
        text: string;
        sources: { id: string; question: string }[];
        choices?: string[];
        ticket?: { code: string; status: string };
      }[];
    }
  ).replies;
}
