import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { EntryContent } from '../../knowledge/entry-content.js';
import { exportEntries, type ExportRow } from '../../knowledge/sheet-export.js';
import { guessMapping, mapRows, readSheet } from '../../knowledge/sheet-import.js';

const timeZone = 'Asia/Shanghai';
const content = (over: Partial<EntryContent>): EntryContent => ({
  question: '',
  similar: [],
  answer: '',
  category: null,
  department: null,
  region: null,
  tags: [],
  validFrom: null,
  validTo: null,
  sourceTitle: null,
  sourceNumber: null,
  sourceUrl: null,
  ...over,
});
const rows: ExportRow[] = [
  {
    id: 'qa-001',
    status: 'published',
    content: content({
      question: '第1类证照怎么补办',
      similar: ['第1类证照丢了', '第1类证照补办'],
      answer: '请携带身份证到政务服务中心办理。\n办理时限：5 个工作日。',
      category: '证照办理',
      tags: ['证照', '补办'],
    }),
  },
  {
    id: 'qa-002',
    status: 'draft',
    content: content({ question: '=1+1 是什么', answer: '@某人 说的', similar: ['-号开头', '普通问法'] }),
  },
];

describe('CSV export', () => {
  it('quotes every cell with a line break (RFC 4180), so a strict reader gets one record per entry', async () => {
    const text = (await exportEntries(rows, 'csv', timeZone)).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain('"第1类证照丢了\n第1类证照补办"');
    // Strict: no relaxed quotes or column counts, as Python's csv module and Excel read it.
    const records = parse(text.slice(1), { relax_column_count: false, relax_quotes: false }) as string[][];
    expect(records).toHaveLength(1 + rows.length);
    expect(new Set(records.map((r) => r.length)).size).toBe(1);
    expect(records[1]![0]).toBe('qa-001');
    // Outside quoted cells every record ends with \r\n.
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('keeps the apostrophe against formula injection, and the importer reads the export back unchanged', async () => {
    const bytes = await exportEntries(rows, 'csv', timeZone);
    const text = bytes.toString('utf8');
    expect(text).toContain("'=1+1 是什么");
    expect(text).toContain("'@某人 说的");
    const sheet = await readSheet(bytes, 'export.csv');
    expect(sheet.problems).toEqual([]);
    expect(sheet.rows).toHaveLength(rows.length);
    const mapped = mapRows(sheet, guessMapping(sheet.headers), timeZone);
    expect(mapped.errors).toEqual([]);
    expect(mapped.valid.map((r) => ({ id: r.id, content: r.content }))).toEqual(
      rows.map((r) => ({ id: r.id, content: r.content })),
    );
  });
});
