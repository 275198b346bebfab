import ExcelJS from 'exceljs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSessions } from '../../server/console-session.js';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const tokens = {
  editor: 'editor-token-0123456789',
  editor2: 'editor2-token-0123456789',
  reviewer: 'reviewer-token-0123456789',
  admin: 'admin-token-0123456789',
  operator: 'operator-token-0123456789',
};
const env = {
  STAFF_API_TOKENS: [
    `wang.editor:${tokens.editor}:knowledge`,
    `zhao.editor:${tokens.editor2}:knowledge`,
    `li.reviewer:${tokens.reviewer}:reviewer`,
    `chen.admin:${tokens.admin}:admin`,
    `desk1:${tokens.operator}:operator`,
  ].join(','),
};

async function login(app: FastifyInstance, token: string): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/console/login', payload: { token } });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = String(response.headers['set-cookie']);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(';')[0]!;
}

const answerOf = async (app: FastifyInstance, session: string, text: string) => {
  const replies = await chat(app, session, text);
  return replies.find((r) => r.kind === 'answer')?.text ?? '';
};

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导入');
  for (const row of rows) sheet.addRow(row as ExcelJS.CellValue[]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('knowledge console API', () => {
  let t: TestApp;
  let editor: string;
  let reviewer: string;
  let admin: string;
  const as = (cookie: string) => ({ cookie });
  const send = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: as(cookie),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const ok = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  };

  beforeAll(async () => {
    t = await startTestApp(env);
    editor = await login(t.app, tokens.editor);
    reviewer = await login(t.app, tokens.reviewer);
    admin = await login(t.app, tokens.admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs in console roles only, keeps sessions server-side, and ends them at logout or expiry', async () => {
    for (const token of ['wrong-token-000000000000', tokens.operator]) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/console/login', payload: { token } });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.message).toMatch(/令牌无效/);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/console/me' })).statusCode).toBe(401);
    expect(ok(await send(editor, 'GET', '/api/console/me'))).toEqual({
      name: 'wang.editor',
      role: 'knowledge',
      timeZone: 'Asia/Shanghai',
    });
    // The same token as a bearer (scripts), but not on the work-order API.
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/api/console/me',
      headers: { authorization: `Bearer ${tokens.reviewer}` },
    });
    expect(bearer.json()).toMatchObject({ name: 'li.reviewer', role: 'reviewer' });
    const staff = await t.app.inject({
      method: 'GET',
      url: '/api/staff/work-orders',
      headers: { authorization: `Bearer ${tokens.editor}` },
    });
    expect(staff.statusCode).toBe(403);

    const session = await login(t.app, tokens.editor2);
    expect((await send(session, 'GET', '/api/console/me')).statusCode).toBe(200);
    // Only a digest of the cookie is stored.
    const secret = session.split('=')[1]!;
    const rows = await t.app.minsheng.db.consoleSession.findMany();
    expect(rows.some((r) => r.id === secret)).toBe(false);
    await t.app.minsheng.db.consoleSession.updateMany({
      where: { name: 'zhao.editor' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await send(session, 'GET', '/api/console/me')).statusCode).toBe(401);

    const another = await login(t.app, tokens.editor2);
    expect((await send(another, 'POST', '/api/console/logout')).statusCode).toBe(200);
    expect((await send(another, 'GET', '/api/console/me')).statusCode).toBe(401);

    // A cookie-authenticated change from another site is refused.
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/console/entries',
      headers: { cookie: editor, origin: 'https://evil.example', host: 'console.example' },
      payload: { question: '跨站请求', answer: '不应创建' },
    });
    expect(crossSite.statusCode).toBe(403);
  });

  it('takes a new entry from draft through review to published; the chat answers only then', async () => {
    const question = '临江市养犬登记证到期了怎么年审';
    const answer = '养犬登记证每年年审一次，可在“临江公安”APP办理，需上传狂犬病免疫证明。';
    const created = ok(
      await send(editor, 'POST', '/api/console/entries', {
        question,
        similar: ['狗证年审怎么办', '狗证年审怎么办'],
        answer,
        category: '公安',
        department: '市公安局',
        region: '临江市',
        tags: ['养犬'],
        validFrom: '2025-01-01',
        validTo: '2099-12-31',
        sourceTitle: '临江市养犬管理条例',
        sourceNumber: '临政发〔2024〕8号',
        sourceUrl: 'https://www.linjiang.gov.cn/dog',
      }),
    );
    expect(created.status).toBe('draft');
    expect(created.working.content.similar).toEqual(['狗证年审怎么办']);
    expect(created.working.createdBy).toBe('wang.editor');
    expect(created.live).toBeNull();
    const id = created.id as string;
    expect(await answerOf(t.app, 'console-chat-1', '狗证年审怎么办')).not.toContain(answer);

    // Managers draft and submit; reviewers publish; nobody skips a step.
    expect((await send(editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'publish' })).statusCode).toBe(
      403,
    );
    expect((await send(reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'publish' })).statusCode).toBe(
      409,
    );
    ok(await send(editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' }));
    expect(
      (await send(reviewer, 'PUT', `/api/console/entries/${id}/draft`, { content: { question, answer: 'x' } }))
        .statusCode,
    ).toBe(403);
    const published = ok(await send(reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'publish' }));
    expect(published).toMatchObject({ status: 'published', revision: 1, publishedBy: 'li.reviewer', working: null });
    expect(await answerOf(t.app, 'console-chat-2', '狗证年审怎么办')).toContain(answer);

    // Bad input is refused with the field named in Chinese.
    const bad = await send(editor, 'POST', '/api/console/entries', {
      question: ' ',
      answer: 'a',
      sourceUrl: 'javascript:alert(1)',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/标准问题/);
    expect(bad.json().error.message).toMatch(/政策链接/);
  });

  it('keeps a published entry live while its next version is edited and reviewed; diff, reject, rollback', async () => {
    const id = 'kb-001';
    const before = ok(await send(editor, 'GET', `/api/console/entries/${id}`));
    expect(before.status).toBe('published');
    const oldAnswer = before.live.answer as string;
    const newAnswer = '社保卡丢失后请立即拨打12345或登录“临江人社”APP挂失，补卡免收工本费，3个工作日内可领取。';
    const saved = ok(
      await send(editor, 'PUT', `/api/console/entries/${id}/draft`, { content: { ...before.live, answer: newAnswer } }),
    );
    // The content loaded without the console became version 1; the draft is version 2.
    expect(saved.versions.map((v: { number: number; state: string }) => [v.number, v.state])).toEqual([
      [2, 'draft'],
      [1, 'published'],
    ]);
    expect(await answerOf(t.app, 'console-chat-3', '社保卡丢了怎么办')).toContain(oldAnswer);

    // A stale editor is refused instead of overwriting.
    const stale = await send(editor, 'PUT', `/api/console/entries/${id}/draft`, {
      content: { ...before.live, answer: '别的修改' },
      expectedUpdatedAt: '2020-01-01T00:00:00.000Z',
    });
    expect(stale.statusCode).toBe(409);

    const diff = ok(await send(reviewer, 'GET', `/api/console/entries/${id}/diff`));
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ field: 'answer', label: '答案', kind: 'text' });
    const pieces = diff.changes[0].pieces as { op: string; text: string }[];
    expect(
      pieces
        .filter((p) => p.op !== 'del')
        .map((p) => p.text)
        .join(''),
    ).toBe(newAnswer);
    expect(
      pieces
        .filter((p) => p.op !== 'add')
        .map((p) => p.text)
        .join(''),
    ).toBe(oldAnswer);

    ok(await send(editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' }));
    expect((await send(reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'reject' })).statusCode).toBe(
      400,
    );
    const rejected = ok(
      await send(reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'reject', note: '请补充办理地点' }),
    );
    expect(rejected.working).toMatchObject({ state: 'draft', reviewNote: '请补充办理地点', reviewedBy: 'li.reviewer' });
    ok(await send(editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' }));
    ok(await send(reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'publish', note: '同意' }));
    expect(await answerOf(t.app, 'console-chat-4', '社保卡丢了怎么办')).toContain(newAnswer);

    // Rollback makes version 3 from version 1; published, the old text answers again.
    const rolled = ok(await send(editor, 'POST', `/api/console/entries/${id}/rollback`, { version: 1 }));
    expect(rolled.working).toMatchObject({ number: 3, origin: 'rollback', basedOn: 1, state: 'draft' });
    expect(rolled.working.content.answer).toBe(oldAnswer);
    // Four eyes: a reviewer does not publish their own work, an administrator may.
    ok(await send(editor, 'POST', `/api/console/entries/${id}/actions`, { action: 'submit' }));
    ok(await send(admin, 'POST', `/api/console/entries/${id}/actions`, { action: 'publish' }));
    expect(await answerOf(t.app, 'console-chat-5', '社保卡丢了怎么办')).toContain(oldAnswer);

    const history = ok(await send(editor, 'GET', `/api/console/entries/${id}`));
    expect(history.versions.map((v: { state: string }) => v.state)).toEqual(['published', 'superseded', 'superseded']);
    expect(history.events.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`)).toEqual([
      'publish:chen.admin',
      'submit:wang.editor',
      'rollback:wang.editor',
      'publish:li.reviewer',
      'submit:wang.editor',
      'reject:li.reviewer',
      'submit:wang.editor',
      'save:wang.editor',
    ]);

    // Archived entries stop answering; restored ones answer again.
    ok(await send(reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'archive' }));
    expect(await answerOf(t.app, 'console-chat-6', '社保卡丢了怎么办')).not.toContain(oldAnswer);
    ok(await send(reviewer, 'POST', `/api/console/entries/${id}/actions`, { action: 'restore' }));
    expect(await answerOf(t.app, 'console-chat-7', '社保卡丢了怎么办')).toContain(oldAnswer);
  });

  it('lists entries with the real retrieval and filters', async () => {
    // "丢了" is not in the question text; the retrieval finds it through the similar questions and synonyms.
    const searched = ok(await send(editor, 'GET', `/api/console/entries?q=${encodeURIComponent('社保卡掉了咋办')}`));
    expect(searched.items[0].id).toBe('kb-001');
    const facets = ok(await send(editor, 'GET', '/api/console/entries/facets'));
    expect(facets.categories.length).toBeGreaterThan(3);
    const category = facets.categories[0] as string;
    const byCategory = ok(
      await send(editor, 'GET', `/api/console/entries?category=${encodeURIComponent(category)}&limit=200`),
    );
    expect(byCategory.total).toBeGreaterThan(0);
    expect(byCategory.items.every((e: { category: string }) => e.category === category)).toBe(true);

    const draft = ok(
      await send(editor, 'POST', '/api/console/entries', {
        question: '临时身份证明在哪里开',
        answer: '可到户籍所在地派出所开具。',
        validTo: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
      }),
    );
    const drafts = ok(await send(editor, 'GET', '/api/console/entries?status=draft'));
    expect(drafts.items.map((e: { id: string }) => e.id)).toContain(draft.id);
    expect(
      drafts.items.every(
        (e: { status: string; working: { state: string } | null }) =>
          e.status === 'draft' || e.working?.state === 'draft',
      ),
    ).toBe(true);
    const expiring = ok(await send(editor, 'GET', '/api/console/entries?expiring=30'));
    expect(expiring.items.map((e: { id: string }) => e.id)).toContain(draft.id);
    // Plain text finds drafts the retrieval does not answer with.
    const text = ok(await send(editor, 'GET', `/api/console/entries?q=${encodeURIComponent('临时身份证明')}`));
    expect(text.items.map((e: { id: string }) => e.id)).toContain(draft.id);
  });

  it('imports an xlsx: preview with row errors in Chinese changes nothing; apply is idempotent', async () => {
    const file = await xlsx([
      ['标准问题', '相似问题', '答案', '分类', '部门', '标签', '失效日期', '备注'],
      [
        '电动自行车上牌需要什么材料',
        '电动车上牌\n电瓶车怎么上牌',
        '携带身份证、购车发票和合格证到车管所办理。',
        '交通',
        '市公安局交警支队',
        '电动车、上牌',
        new Date(Date.UTC(2099, 11, 31)),
        '忽略',
      ],
      ['', '', '没有问题的答案', '', '', '', '', ''],
      ['公积金提取进度怎么查', '', '', '', '', '', '', ''],
      [
        '<script>alert(1)</script>怎么办',
        '',
        { formula: 'A1&"x"', result: '<img src=x onerror=alert(1)>' },
        '',
        '',
        '',
        '',
        '',
      ],
      ['日期写错的条目', '', '答案', '', '', '', '明年', ''],
    ]);
    const count = await t.app.minsheng.db.knowledgeEntry.count();
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/console/import/preview?filename=kb.xlsx',
      headers: { ...as(editor), 'content-type': 'application/octet-stream' },
      payload: file,
    });
    const report = ok(preview);
    expect(report).toMatchObject({ format: 'xlsx', total: 5, validCount: 2, errorCount: 3, problems: [] });
    expect(report.mapping).toMatchObject({
      question: 0,
      similar: 1,
      answer: 2,
      category: 3,
      department: 4,
      tags: 5,
      validTo: 6,
    });
    expect(report.errors).toEqual([
      { line: 3, messages: ['「标准问题」不能为空'] },
      { line: 4, messages: ['「答案」不能为空'] },
      { line: 6, messages: ['「失效日期」不是有效日期（例：2025-01-31）'] },
    ]);
    expect(report.warnings[0]).toEqual({ line: 5, messages: [expect.stringMatching(/公式.*不会被执行/)] });
    expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(count);

    const apply = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/console/import/apply?filename=kb.xlsx',
        headers: { ...as(editor), 'content-type': 'application/octet-stream' },
        payload: file,
      });
    const first = ok(await apply());
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, invalid: 3 });
    const second = ok(await apply());
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 2, invalid: 3 });
    expect(second.ids).toEqual(first.ids);
    expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(count + 2);
    const imported = ok(await send(editor, 'GET', `/api/console/entries/${first.ids[0]}`));
    expect(imported.working.content).toMatchObject({
      similar: ['电动车上牌', '电瓶车怎么上牌'],
      tags: ['电动车', '上牌'],
      category: '交通',
    });
    expect(imported.working.origin).toBe('import');
    const hostile = ok(await send(editor, 'GET', `/api/console/entries/${first.ids[1]}`));
    expect(hostile.working.content.answer).toBe('<img src=x onerror=alert(1)>');

    // Only administrators import straight to published.
    const publish = await t.app.inject({
      method: 'POST',
      url: '/api/console/import/apply?publish=true',
      headers: { ...as(editor), 'content-type': 'application/octet-stream' },
      payload: file,
    });
    expect(publish.statusCode).toBe(403);
  });

  it('reports wrong columns, too many rows and oversized files without changing anything', async () => {
    const count = await t.app.minsheng.db.knowledgeEntry.count();
    const post = (url: string, payload: Buffer) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...as(editor), 'content-type': 'application/octet-stream' },
        payload,
      });
    const wrong = ok(await post('/api/console/import/preview?filename=x.csv', Buffer.from('名字,年龄\n张三,30\n')));
    expect(wrong.problems[0]).toMatch(/缺少必需的列：标准问题、答案/);
    const refused = await post('/api/console/import/apply?filename=x.csv', Buffer.from('名字,年龄\n张三,30\n'));
    expect(refused.statusCode).toBe(400);

    // The manager maps the columns by hand.
    const mapped = ok(
      await post(
        `/api/console/import/preview?filename=x.csv&mapping=${encodeURIComponent(JSON.stringify({ question: 0, answer: 1 }))}`,
        Buffer.from('名字,年龄\n张三,30\n'),
      ),
    );
    expect(mapped).toMatchObject({ validCount: 1, errorCount: 0 });

    const rows = ['问题,答案', ...Array.from({ length: 50_000 }, (_, i) => `问题${i},答案${i}`)].join('\n');
    const many = ok(await post('/api/console/import/preview?filename=big.csv', Buffer.from(rows)));
    expect(many.problems[0]).toMatch(/共有 50000 行数据，超过单次导入上限 20000 行/);

    const huge = await post('/api/console/import/preview?filename=huge.csv', Buffer.alloc(11 * 1024 * 1024, 0x41));
    expect(huge.statusCode).toBe(413);
    const broken = ok(await post('/api/console/import/preview?filename=x.xlsx', Buffer.from('PK\u0003\u0004garbage')));
    expect(broken.problems[0]).toMatch(/无法读取此 Excel 文件/);
    expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(count);
  });

  it('exports the base or a filter as xlsx, CSV and JSONL that import back unchanged', async () => {
    const facets = ok(await send(editor, 'GET', '/api/console/entries/facets'));
    const category = facets.categories[0] as string;
    const xlsxExport = await send(
      editor,
      'GET',
      `/api/console/export?format=xlsx&category=${encodeURIComponent(category)}`,
    );
    expect(xlsxExport.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsxExport.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(2).value).toBe('标准问题');
    const listed = ok(
      await send(editor, 'GET', `/api/console/entries?category=${encodeURIComponent(category)}&limit=200`),
    );
    expect(sheet.actualRowCount - 1).toBe(listed.total);

    const csv = await send(editor, 'GET', '/api/console/export?format=csv');
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    const jsonl = await send(editor, 'GET', '/api/console/export?format=jsonl&status=published');
    const lines = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: string });
    expect(lines.every((l) => l.status === 'published')).toBe(true);

    for (const [name, body] of [
      ['all.csv', csv.rawPayload],
      ['some.xlsx', xlsxExport.rawPayload],
      ['published.jsonl', jsonl.rawPayload],
    ] as const) {
      const again = ok(
        await t.app.inject({
          method: 'POST',
          url: `/api/console/import/apply?filename=${name}`,
          headers: { ...as(admin), 'content-type': 'application/octet-stream' },
          payload: body,
        }),
      );
      expect(again, name).toMatchObject({ created: 0, updated: 0, invalid: 0 });
    }
  });
  it('serves the console pages with a strict CSP, and slows down token guessing', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/console/entries/kb-001' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(page.body).toContain('/console/console.js');
    const script = await t.app.inject({ method: 'GET', url: '/console/shell.js' });
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect((await t.app.inject({ method: 'GET', url: '/console/no-such-page' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/console/..%2Fpackage.json' })).statusCode).toBe(404);

    let last = 0;
    for (let i = 0; i < 12; i++) {
      last = (
        await t.app.inject({ method: 'POST', url: '/api/console/login', payload: { token: `guess-${i}-0123456789` } })
      ).statusCode;
    }
    expect(last).toBe(429);
    // Even the right token waits now; sessions already open are unaffected.
    const right = await t.app.inject({ method: 'POST', url: '/api/console/login', payload: { token: tokens.editor } });
    expect(right.statusCode).toBe(429);
    // Told when to try again, as a refused bearer token is.
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(500);
    expect(right.json().error.message).toContain('10 分钟后再试');
    expect((await send(editor, 'GET', '/api/console/me')).statusCode).toBe(200);
  });
  it('ends a session as soon as its token is no longer configured', async () => {
    const secret = editor.split('=')[1]!;
    expect(await t.app.consoleSessions.resume(secret)).toEqual({ name: 'wang.editor', role: 'knowledge' });
    const reconfigured = new ConsoleSessions(
      t.app.minsheng.db,
      [{ name: 'wang.editor', token: tokens.editor, role: 'reviewer' }],
      3_600_000,
    );
    expect(await reconfigured.resume(secret)).toBeUndefined();
    expect(await new ConsoleSessions(t.app.minsheng.db, [], 3_600_000).resume(secret)).toBeUndefined();
    // A leaked token rotated (same name and role, new secret) ends the sessions opened with the old one.
    const rotated = new ConsoleSessions(
      t.app.minsheng.db,
      [{ name: 'wang.editor', token: 'rotated-editor-token-0123456789', role: 'knowledge' }],
      3_600_000,
    );
    expect(await rotated.resume(secret)).toBeUndefined();
    const unchanged = new ConsoleSessions(
      t.app.minsheng.db,
      [{ name: 'wang.editor', token: tokens.editor, role: 'knowledge' }],
      3_600_000,
    );
    expect(await unchanged.resume(secret)).toEqual({ name: 'wang.editor', role: 'knowledge' });
  });
});
