import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const token = 'knowledge-token-0123456789';

describe('console: synonym and glossary refusals in Chinese, health CSV dated in TIMEZONE', () => {
  let t: TestApp;
  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload });

  beforeAll(async () => {
    t = await startTestApp({ STAFF_API_TOKENS: `zhou:${token}:knowledge`, TIMEZONE: 'Asia/Shanghai' });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers invalid synonym and glossary input with Chinese messages, one per field, code unchanged', async () => {
    const long = await post('/api/console/synonyms', { canonical: '电梯', variants: ['扶'.repeat(21)] });
    expect(long.statusCode).toBe(400);
    const body = long.json() as { error: { code: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe('INVALID_REQUEST');
    expect(body.error.details).toEqual([{ path: 'body.variants.0', message: '「同义说法」每个词不能超过 20 个字' }]);

    const english = await post('/api/console/glossary', { chinese: '护照', phrases: ['护照 passport'] });
    expect(english.statusCode).toBe(400);
    const details = (english.json() as { error: { details: { message: string }[] } }).error.details;
    expect(details.map((d) => d.message)).toEqual([
      "「英文说法」只能包含英文字母、数字、空格、“'”和“-”，以字母或数字开头",
    ]);

    const empty = await post('/api/console/synonyms', { canonical: '有 空格', variants: [] });
    const messages = (empty.json() as { error: { details: { message: string }[] } }).error.details.map(
      (d) => d.message,
    );
    expect(messages).toContain('请至少填写一个同义说法');
    expect(messages).toContain('「标准词」只能填单个词语，不能含空格、“#”“:”或逗号');
    for (const m of messages) expect(m).toMatch(/\p{Script=Han}/u);
  });

  it("names the health CSV by the hotline's day, not the UTC one", async () => {
    // 20:00 UTC on 1 March is already 2 March in Beijing.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-01T20:00:00Z'));
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/console/health.csv',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="minsheng-health-2025-03-02.csv"');
    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/console/export?format=jsonl',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('2025-03-02');
  });
});
