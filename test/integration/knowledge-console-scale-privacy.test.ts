import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../prisma/client.js';
import { chat, startTestApp, type TestApp } from '../support/app.js';

const tokens = { editor: 'editor-token-0123456789', admin: 'admin-token-0123456789' };
const STAFF_API_TOKENS = [`wang.editor:${tokens.editor}:knowledge`, `chen.admin:${tokens.admin}:admin`].join(',');
const BULK = 1000;

describe('knowledge console: export at any size, duplicate questions, no citizen numbers in the inbox', () => {
  let t: TestApp;

  const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object | Buffer) =>
    t.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(Buffer.isBuffer(payload) ? { 'content-type': 'application/octet-stream' } : {}),
      },
      ...(payload ? { payload } : {}),
    });
  const ok = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response;
  };
  const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');
  const preview = async (file: Buffer, filename: string) =>
    ok(await call(tokens.editor, 'POST', `/api/console/import/preview?filename=${filename}`, file)).json() as {
      validCount: number;
      errors: { line: number; messages: string[] }[];
    };

  beforeAll(async () => {
    t = await startTestApp({ STAFF_API_TOKENS, DEMO_KNOWLEDGE: 'off' });
    const rows = [['编号', '标准问题', '答案', '分类']];
    for (let i = 1; i <= BULK; i++)
      rows.push([`bulk-${i}`, `批量导入的第${i}个问题怎么办理`, `答案${i}`, i % 2 ? '甲' : '乙']);
    const applied = ok(await call(tokens.admin, 'POST', '/api/console/import/apply?filename=bulk.csv', csv(rows)));
    expect(applied.json()).toMatchObject({ created: BULK, invalid: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('exports and searches a base of more than 999 entries (no IN list of every id)', async () => {
    const jsonl = ok(await call(tokens.editor, 'GET', '/api/console/export?format=jsonl'));
    const lines = jsonl.body.trim().split('\n');
    expect(lines).toHaveLength(BULK);
    expect(JSON.parse(lines[0]!)).toMatchObject({ id: 'bulk-1', status: 'draft' });
    const csvExport = ok(await call(tokens.editor, 'GET', '/api/console/export?format=csv'));
    expect(csvExport.body.trim().split('\r\n')).toHaveLength(BULK + 1);
    const xlsx = ok(await call(tokens.editor, 'GET', '/api/console/export?format=xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.actualRowCount).toBe(BULK + 1);

    const filtered = ok(await call(tokens.editor, 'GET', '/api/console/export?format=jsonl&category=甲&status=draft'));
    expect(filtered.body.trim().split('\n')).toHaveLength(BULK / 2);
    const searched = ok(
      await call(tokens.editor, 'GET', `/api/console/export?format=jsonl&q=${encodeURIComponent('批量导入')}`),
    );
    expect(searched.body.trim().split('\n')).toHaveLength(BULK);
    const listed = ok(await call(tokens.editor, 'GET', `/api/console/entries?q=${encodeURIComponent('第999个')}`));
    expect((listed.json() as { items: { id: string }[] }).items[0]?.id).toBe('bulk-999');
  });

  it('reports a repeated question as an error whether or not rows have ids, and against existing entries', async () => {
    const withIds = await preview(
      csv([
        ['编号', '标准问题', '答案'],
        ['d-1', '有编号重复问题', '答一'],
        ['d-2', '有编号重复问题', '答二'],
        ['d-3', '批量导入的第7个问题怎么办理', '答三'],
        ['bulk-8', '批量导入的第8个问题怎么办理', '新答案'],
        ['', '批量导入的第9个问题怎么办理', '按问题更新'],
        ['d-4', '有编号重复问题？', '答四'],
      ]),
      'dup.csv',
    );
    expect(withIds.validCount).toBe(3);
    expect(withIds.errors).toEqual([
      { line: 3, messages: ['标准问题与第 2 行重复'] },
      { line: 4, messages: [expect.stringContaining('标准问题与已有条目 bulk-7 重复')] },
      { line: 7, messages: ['标准问题与第 2 行重复'] },
    ]);

    // An entry this file moves to another question no longer holds its old one.
    const moved = await preview(
      csv([
        ['编号', '标准问题', '答案'],
        ['bulk-10', '改过的第十个问题', '答'],
        ['d-5', '批量导入的第10个问题怎么办理', '答'],
      ]),
      'moved.csv',
    );
    expect(moved).toMatchObject({ validCount: 2, errors: [] });

    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('导入');
    sheet.addRow(['编号', '标准问题', '答案']);
    sheet.addRow(['m-1', '合并单元格的问题', '答一']);
    sheet.addRow(['m-2', '', '答二']);
    sheet.mergeCells('B2:B3');
    const merged = await preview(Buffer.from(await book.xlsx.writeBuffer()), 'merged.xlsx');
    expect(merged.validCount).toBe(1);
    expect(merged.errors).toEqual([{ line: 3, messages: ['标准问题与第 2 行重复'] }]);

    const before = await t.app.minsheng.db.knowledgeEntry.count();
    const applied = ok(
      await call(
        tokens.editor,
        'POST',
        '/api/console/import/apply?filename=dup.csv',
        csv([
          ['编号', '标准问题', '答案'],
          ['d-1', '有编号重复问题', '答一'],
          ['d-2', '有编号重复问题', '答二'],
        ]),
      ),
    ).json();
    expect(applied).toMatchObject({ created: 1, invalid: 1 });
    expect(await t.app.minsheng.db.knowledgeEntry.count()).toBe(before + 1);
  });

  it('keeps citizens’ phone and ID-card numbers out of the inbox and out of entries drafted from it', async () => {
    const text = '加装电梯补贴申请流程，我家手机13812345678';
    await chat(t.app, 'privacy-1', text);
    await chat(t.app, 'privacy-2', '加装电梯补贴申请流程是什么，身份证110101199003071234');
    const stored = await t.app.minsheng.db.inboxQuestion.findMany({ select: { text: true } });
    expect(stored.map((q) => q.text).join('\n')).not.toMatch(/13812345678|110101199003071234/);

    const inbox = ok(await call(tokens.editor, 'GET', '/api/console/inbox')).json() as {
      items: { id: number; label: string; examples: string[] }[];
    };
    const cluster = inbox.items.find((c) => c.label.startsWith('加装电梯'))!;
    expect(cluster.label).toBe('加装电梯补贴申请流程，我家手机138****5678');
    expect(cluster.examples).toContain('加装电梯补贴申请流程是什么，身份证110101********1234');
    expect(ok(await call(tokens.editor, 'GET', `/api/console/inbox/${cluster.id}`)).body).not.toMatch(
      /13812345678|110101199003071234/,
    );

    // Even a question typed with the number, as the page pre-fills it from the cluster.
    const drafted = await call(tokens.editor, 'POST', `/api/console/inbox/${cluster.id}/draft`, {
      question: text,
      answer: '向所在街道提交申请。',
    });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const entryId = (drafted.json() as { entryId: string }).entryId;
    const entry = ok(await call(tokens.editor, 'GET', `/api/console/entries/${entryId}`)).json() as {
      working: { content: { question: string; similar: string[] } };
    };
    expect(entry.working.content.question).toBe('加装电梯补贴申请流程');
    expect(entry.working.content.similar).toEqual(['加装电梯补贴申请流程是什么']);
    const exported = ok(await call(tokens.editor, 'GET', '/api/console/export?format=jsonl')).body;
    expect(exported).not.toMatch(/138\*{0,4}\d*5678|1101011990/);
  });

  it('has a content version that changes when another process (the CLI) writes entries', async () => {
    const entries = t.app.minsheng.entries;
    const before = await entries.contentVersion();
    expect(await entries.contentVersion()).toBe(before);
    const other = await openDatabase(t.database.url);
    try {
      const row = { question: '命令行导入的问题', answer: '答', similar: [], tags: [], status: 'published' };
      await other.knowledgeEntry.upsert({ where: { id: 'cli-1' }, create: { id: 'cli-1', ...row }, update: row });
      const created = await entries.contentVersion();
      expect(created).not.toBe(before);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await other.knowledgeEntry.update({ where: { id: 'cli-1' }, data: { answer: '新答' } });
      expect(await entries.contentVersion()).not.toBe(created);
    } finally {
      await other.$disconnect();
    }
  });
});
