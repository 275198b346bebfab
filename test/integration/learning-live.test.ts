import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { chat } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const token = 'editor-token-dictionary-0123456789';

/** The entry a question is answered with, '' when it is not answered. */
async function answeredWith(app: FastifyInstance, session: string, text: string): Promise<string> {
  const replies = await chat(app, session, text);
  return replies.find((r) => r.kind === 'answer')?.sources[0]?.id ?? '';
}

describe('a synonym saved on one instance applies on the other (same database, Redis pub/sub)', () => {
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
      STAFF_API_TOKENS: `zhou:${token}:knowledge`,
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

  it('answers a new variant on the other instance without a restart', async () => {
    const card = await answeredWith(b, 'live-dict-000001', '社保卡丢了怎么补办');
    expect(card).not.toBe('');
    // A made-up name sharing no character with 社保卡: without the synonym it is only a guess.
    const question = '民生通丢了怎么补办';
    expect(await answeredWith(b, 'live-dict-000002', question)).not.toBe(card);

    const headers = { authorization: `Bearer ${token}` };
    const list = await a.inject({ method: 'GET', url: '/api/console/synonyms', headers });
    const group = (list.json() as { synonyms: { id: number; canonical: string; variants: string[] }[] }).synonyms.find(
      (g) => g.canonical === '社保卡',
    )!;
    const saved = await a.inject({
      method: 'PUT',
      url: `/api/console/synonyms/${group.id}`,
      headers,
      payload: { canonical: '社保卡', variants: [...group.variants, '民生通'] },
    });
    expect(saved.statusCode).toBe(200);
    expect(await answeredWith(a, 'live-dict-000003', question)).toBe(card);

    let onB = '';
    for (let attempt = 0; attempt < 100 && onB !== card; attempt++) {
      onB = await answeredWith(b, `live-dict-b${String(attempt).padStart(6, '0')}`, question);
      if (onB !== card) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(onB).toBe(card);
  });
});
