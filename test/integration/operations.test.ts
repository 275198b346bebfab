import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const tokens = { editor: 'editor-token-0123456789', operator: 'operator-token-0123456789' };
const STAFF_API_TOKENS = `wang.editor:${tokens.editor}:knowledge,desk1:${tokens.operator}:operator`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('bearer token guessing is throttled like console logins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ STAFF_API_TOKENS, DEMO_KNOWLEDGE: 'off' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After after ten wrong tokens, on the console and the staff API alike', async () => {
    const urls = ['/api/console/entries', '/api/staff/me'];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const url = urls[i % 2]!;
      statuses.push((await t.app.inject({ method: 'GET', url, headers: bearer(`guess-${i}-0123456789`) })).statusCode);
    }
    expect(statuses).toEqual(Array(10).fill(401));
    for (const url of urls) {
      const refused = await t.app.inject({ method: 'GET', url, headers: bearer('another-guess-0123456789') });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
      expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    // Valid tokens are never slowed down, nor requests without a token.
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/staff/me', headers: bearer(tokens.operator) })).statusCode,
    ).toBe(200);
    const entries = await t.app.inject({ method: 'GET', url: '/api/console/entries', headers: bearer(tokens.editor) });
    expect(entries.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/console/entries' })).statusCode).toBe(401);
  });
});

describe('TRUST_PROXY', () => {
  const login = (t: TestApp, token: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/console/login', payload: { token }, headers });

  it('unset: X-Forwarded-* are ignored, so a client can neither fake https nor its address', async () => {
    const t = await startTestApp({ STAFF_API_TOKENS, DEMO_KNOWLEDGE: 'off' });
    try {
      const ok = await login(t, tokens.editor, { 'x-forwarded-proto': 'https' });
      expect(ok.statusCode).toBe(200);
      expect(String(ok.headers['set-cookie'])).not.toMatch(/Secure/);
      for (let i = 0; i < 10; i++) {
        const forwarded = { 'x-forwarded-for': `203.0.113.${i + 1}` };
        expect((await login(t, `guess-${i}-0123456789`, forwarded)).statusCode).toBe(401);
      }
      expect((await login(t, tokens.editor, { 'x-forwarded-for': '198.51.100.7' })).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it("set to the proxy's address: Secure cookies behind HTTPS and one login throttle per client", async () => {
    const t = await startTestApp({ STAFF_API_TOKENS, DEMO_KNOWLEDGE: 'off', TRUST_PROXY: '127.0.0.1' });
    try {
      const viaHttps = await login(t, tokens.editor, {
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '198.51.100.7',
      });
      expect(viaHttps.statusCode).toBe(200);
      expect(String(viaHttps.headers['set-cookie'])).toMatch(/; Secure/);
      const guesser = { 'x-forwarded-for': '203.0.113.9' };
      for (let i = 0; i < 10; i++) expect((await login(t, `guess-${i}-0123456789`, guesser)).statusCode).toBe(401);
      expect((await login(t, tokens.editor, guesser)).statusCode).toBe(429);
      // Another citizen of the same proxy is not locked out, nor are its bearer tokens.
      expect((await login(t, tokens.editor, { 'x-forwarded-for': '198.51.100.8' })).statusCode).toBe(200);
      const headers = { 'x-forwarded-for': '203.0.113.9', ...bearer('guess-0123456789abcdef') };
      for (let i = 0; i < 10; i++) {
        expect((await t.app.inject({ method: 'GET', url: '/api/staff/me', headers })).statusCode).toBe(401);
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/staff/me', headers })).statusCode).toBe(429);
      const other = { 'x-forwarded-for': '198.51.100.8', ...bearer('guess-0123456789abcdef') };
      expect((await t.app.inject({ method: 'GET', url: '/api/staff/me', headers: other })).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('set to a hop count: the address that many proxies back is the client', async () => {
    const t = await startTestApp({ STAFF_API_TOKENS, DEMO_KNOWLEDGE: 'off', TRUST_PROXY: '1' });
    try {
      const guesser = { 'x-forwarded-for': '203.0.113.9' };
      for (let i = 0; i < 10; i++) expect((await login(t, `guess-${i}-0123456789`, guesser)).statusCode).toBe(401);
      expect((await login(t, tokens.editor, guesser)).statusCode).toBe(429);
      expect((await login(t, tokens.editor, { 'x-forwarded-for': '198.51.100.8' })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('/healthz', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEMO_KNOWLEDGE: 'off' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts the entries the bot can answer from, and names the count of all stored entries apart', async () => {
    const entry = (id: string, status: string, validity: { validFrom?: Date; validTo?: Date } = {}) => ({
      id,
      question: `问题${id}`,
      similar: [],
      answer: '答案',
      tags: [],
      status,
      ...validity,
    });
    const day = 86_400_000;
    await t.app.minsheng.db.knowledgeEntry.createMany({
      data: [
        entry('live-1', 'published'),
        entry('live-2', 'published', { validFrom: new Date(Date.now() - day), validTo: new Date(Date.now() + day) }),
        entry('expired', 'published', { validTo: new Date(Date.now() - day) }),
        entry('future', 'published', { validFrom: new Date(Date.now() + day) }),
        entry('draft', 'draft'),
        entry('review', 'review'),
        entry('archived', 'archived'),
      ],
    });
    await t.app.minsheng.knowledge.reload();
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', knowledgeEntries: 2, storedEntries: 7 });
  });
});
