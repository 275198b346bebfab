import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { chat } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const run = promisify(execFile);
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const tokens = { editor: 'editor-token-live-0123456789', reviewer: 'reviewer-token-live-0123456789' };

async function answer(app: FastifyInstance, session: string, text: string): Promise<string> {
  const replies = await chat(app, session, text);
  return replies.find((r) => r.kind === 'answer')?.text ?? '';
}

/** Asks until the answer satisfies `check`: the other instance reloads when the Redis message arrives. */
async function eventually(ask: () => Promise<string>, check: (text: string) => boolean): Promise<string> {
  let last = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    last = await ask();
    if (check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

describe('publishing reaches every instance (same database, Redis pub/sub)', () => {
  const keyPrefix = `minsheng-test-${randomBytes(6).toString('hex')}:`;
  let database: TestDatabase;
  let a: FastifyInstance;
  let b: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      LOG_LEVEL: 'silent',
      STAFF_API_TOKENS: `wang.editor:${tokens.editor}:knowledge,li.reviewer:${tokens.reviewer}:reviewer`,
    };
    a = await buildApp({ config: loadConfig(env) });
    b = await buildApp({ config: loadConfig(env) });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await database?.drop();
  });

  it('an entry published on one instance answers on the other without a restart, and archiving stops it there', async () => {
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const text = '临江市图书馆周一开馆吗';
    const reply = '临江市图书馆周一闭馆，周二至周日 9:00—21:00 开放，法定节假日照常开放。';
    const created = await a.inject({
      method: 'POST',
      url: '/api/console/entries',
      headers: bearer(tokens.editor),
      payload: { question: text, similar: ['图书馆星期一开门吗'], answer: reply },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await a.inject({
      method: 'POST',
      url: `/api/console/entries/${id}/actions`,
      headers: bearer(tokens.editor),
      payload: { action: 'submit' },
    });
    expect(await answer(b, 'live-session-b1', '图书馆星期一开门吗')).not.toContain(reply);

    const published = await a.inject({
      method: 'POST',
      url: `/api/console/entries/${id}/actions`,
      headers: bearer(tokens.reviewer),
      payload: { action: 'publish' },
    });
    expect(published.statusCode, published.body).toBe(200);
    // Instance A reloaded before answering the request; B follows the Redis message.
    expect(await answer(a, 'live-session-a1', '图书馆星期一开门吗')).toContain(reply);
    let n = 0;
    const onB = await eventually(
      () => answer(b, `live-session-b2-${n++}`, '图书馆星期一开门吗'),
      (t) => t.includes(reply),
    );
    expect(onB).toContain(reply);

    // The other way round: archived on B, A stops answering with it.
    const archived = await b.inject({
      method: 'POST',
      url: `/api/console/entries/${id}/actions`,
      headers: bearer(tokens.reviewer),
      payload: { action: 'archive' },
    });
    expect(archived.statusCode, archived.body).toBe(200);
    let m = 0;
    const onA = await eventually(
      () => answer(a, `live-session-a2-${m++}`, '图书馆星期一开门吗'),
      (t) => !t.includes(reply),
    );
    expect(onA).not.toContain(reply);
  });
});

describe('entries written by another process (same database, no Redis)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({
      config: loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', KNOWLEDGE_POLL_SECONDS: '1' }),
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("`minsheng kb import` into the running server's database is answered without a restart", async () => {
    const text = '临江市档案馆周六开放吗';
    const reply = '临江市档案馆周六上午9:00—12:00开放查档，周日闭馆。';
    expect(await answer(app, 'cli-live-0', text)).not.toContain(reply);
    const dir = await mkdtemp(join(tmpdir(), 'minsheng-live-'));
    const file = join(dir, 'kb.jsonl');
    await writeFile(
      file,
      JSON.stringify({ id: 'archive-hours', question: '临江市档案馆开放时间', similar: [text], answer: reply }),
    );
    await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'kb', 'import', file], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    let n = 1;
    expect(
      await eventually(
        () => answer(app, `cli-live-${n++}`, text),
        (t) => t.includes(reply),
      ),
    ).toContain(reply);
  });
});
