import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { openDatabase, type Database } from '../../prisma/client.js';
import { applyMigrations } from '../../prisma/schema-engine.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const run = promisify(execFile);
const line = (id: string, question: string, answer = `${question}：答案`) => JSON.stringify({ id, question, answer });

describe('knowledge import', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = await openDatabase(database.url);
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('tells a message that names a matter from one that names none', async () => {
    const kb = await KnowledgeBase.open(db);
    for (const text of ['不用', '什么时候', '2', '地址写错了', '帮我查一下', '有问题', '要带什么'])
      expect(kb.hasTopic(text), text).toBe(false);
    for (const text of [
      '社保',
      '护照过期了',
      '12345热线能做什么',
      'What does the 12345 hotline do?',
      '2027年国庆放几天',
    ])
      expect(kb.hasTopic(text), text).toBe(true);
  });

  it('is idempotent: the same id updates the entry and the live index', async () => {
    const kb = await KnowledgeBase.open(db);
    expect(
      await kb.importEntries([
        { ...JSON.parse(line('kb-1', '身份证丢了怎么补办')), similar: [], tags: [], status: 'published' },
      ]),
    ).toEqual({ created: 1, updated: 0 });
    const updated = {
      id: 'kb-1',
      question: '身份证丢了怎么补办',
      answer: '新的答案',
      similar: ['身份证掉了'],
      tags: [],
    };
    expect(await kb.importEntries([{ ...updated, status: 'published' } as never])).toEqual({ created: 0, updated: 1 });
    expect(await db.knowledgeEntry.count()).toBe(1);
    const decision = await kb.decide('身份证掉了');
    expect(decision.kind).toBe('answer');
    expect(decision.kind === 'answer' && decision.entry.answer).toBe('新的答案');
  });

  it('never answers with an unpublished or expired entry', async () => {
    const kb = await KnowledgeBase.open(db, { clock: () => new Date('2026-06-01T00:00:00Z') });
    const base = {
      similar: [],
      tags: [],
      category: null,
      department: null,
      region: null,
      sourceTitle: null,
      sourceUrl: null,
    };
    await kb.importEntries([
      {
        ...base,
        id: 'draft',
        question: '养犬登记在哪里办理',
        answer: 'a',
        status: 'draft',
        validFrom: null,
        validTo: null,
      },
      {
        ...base,
        id: 'old',
        question: '电动自行车如何上牌',
        answer: 'b',
        status: 'published',
        validFrom: null,
        validTo: new Date('2026-01-01'),
      },
    ]);
    const ids = async (text: string) => (await kb.search(text)).map((c) => c.entryId);
    expect(await ids('养犬登记在哪里办理')).not.toContain('draft');
    expect(await ids('电动自行车如何上牌')).not.toContain('old');
    // The same entries are found once published and valid, so the filter is what hides them.
    const later = await KnowledgeBase.open(db, { clock: () => new Date('2025-06-01T00:00:00Z') });
    expect(await (async () => (await later.search('电动自行车如何上牌')).map((c) => c.entryId))()).toContain('old');
  });

  it('`minsheng kb import` reports bad lines with their number, imports the rest and exits non-zero', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minsheng-import-'));
    const file = join(dir, 'kb.jsonl');
    await writeFile(file, [line('kb-10', '公积金怎么提取'), '{broken', line('kb-11', '护照怎么办理')].join('\n'));
    const result = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'kb', 'import', file], {
      env: { ...process.env, DATABASE_URL: database.url },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(result.stderr).not.toMatch(/minsheng:/);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:2: invalid JSON`);
    expect(result.stdout).toContain('imported 2 entries (2 new, 0 updated), 1 invalid lines');
    expect(await db.knowledgeEntry.count({ where: { id: { in: ['kb-10', 'kb-11'] } } })).toBe(2);
  });
});
