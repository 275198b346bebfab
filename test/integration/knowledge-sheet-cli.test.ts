import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { openDatabase, type Database } from '../../prisma/client.js';
import { applyMigrations } from '../../prisma/schema-engine.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const run = promisify(execFile);

describe('`minsheng kb import` with spreadsheets', () => {
  let database: TestDatabase;
  let db: Database;
  let dir: string;

  const cli = (file: string) =>
    run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'kb', 'import', file], {
      env: { ...process.env, DATABASE_URL: database.url },
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = await openDatabase(database.url);
    dir = await mkdtemp(join(tmpdir(), 'minsheng-sheet-'));
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  // Each run starts a process that loads the dictionaries: generous timeouts on a busy machine.
  it(
    'imports an xlsx published and attributed, reports bad rows in Chinese, and is idempotent',
    { timeout: 240_000 },
    async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('知识');
      sheet.addRow(['问题', '答案', '相似问题', '部门']);
      sheet.addRow([
        '护照过期了怎么换发',
        '可在“临江出入境”APP预约后到出入境大厅换发。',
        '护照到期\n护照换新',
        '市公安局出入境管理支队',
      ]);
      sheet.addRow(['港澳通行证怎么续签', '', '', '']);
      const file = join(dir, 'kb.xlsx');
      await book.xlsx.writeFile(file);

      const first = await cli(file);
      expect(first.code).toBe(1);
      expect(first.stderr).toContain(`${file}:3: 「答案」不能为空`);
      expect(first.stdout).toContain('imported 1 rows (1 new, 0 updated, 0 unchanged), 1 invalid rows');
      // Not a terminal: no progress bar in the output.
      expect(first.stderr).not.toContain('\r');
      const again = await cli(file);
      expect(again.stdout).toContain('imported 1 rows (0 new, 0 updated, 1 unchanged), 1 invalid rows');

      const entry = await db.knowledgeEntry.findFirstOrThrow({ where: { question: '护照过期了怎么换发' } });
      expect(entry).toMatchObject({ status: 'published', revision: 1, publishedBy: expect.stringMatching(/^cli:/) });
      const kb = await KnowledgeBase.open(db);
      const decision = await kb.decide('护照到期');
      expect(decision.kind === 'answer' && decision.entry.id).toBe(entry.id);
    },
  );

  it('refuses a row asking the question of an existing entry with another id', { timeout: 240_000 }, async () => {
    const first = join(dir, 'first.csv');
    await writeFile(first, '编号,标准问题,答案\nsheet-a,残疾人证怎么办理,请到户籍所在地乡镇街道申请。\n');
    expect((await cli(first)).code).toBe(0);
    const second = join(dir, 'second.csv');
    await writeFile(second, '编号,标准问题,答案\nsheet-b,残疾人证怎么办理？,另一个答案。\n');
    const refused = await cli(second);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/second\.csv:2: .*sheet-a/);
    expect(await db.knowledgeEntry.count({ where: { id: 'sheet-b' } })).toBe(0);
  });

  it('imports a CSV of many rows and refuses a file without the required columns', { timeout: 240_000 }, async () => {
    const rows = [
      '标准问题,答案,分类',
      ...Array.from({ length: 1200 }, (_, i) => `测试问题第${i}号,测试答案${i},测试`),
    ];
    const file = join(dir, 'big.csv');
    await writeFile(file, rows.join('\r\n'));
    const result = await cli(file);
    expect(result.stdout).toContain('imported 1200 rows (1200 new, 0 updated, 0 unchanged), 0 invalid rows');
    expect(await db.knowledgeEntry.count({ where: { category: '测试' } })).toBe(1200);

    const wrong = join(dir, 'wrong.csv');
    await writeFile(wrong, '名字,年龄\n张三,30\n');
    const refused = await cli(wrong);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('缺少必需的列：标准问题、答案');
  });
});
