import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { decodeText, guessMapping, mapRows, readSheet } from '../../knowledge/sheet-import.js';

describe('spreadsheet import', () => {
  it('guesses the columns from Chinese and English headers', () => {
    expect(
      guessMapping([
        '标准问题',
        '扩展问',
        '答复口径',
        '主管部门',
        '适用区域',
        '关键词',
        '有效期至',
        '发文字号',
        'Note',
      ]),
    ).toEqual({
      question: 0,
      similar: 1,
      answer: 2,
      department: 3,
      region: 4,
      tags: 5,
      validTo: 6,
      sourceNumber: 7,
    });
    expect(guessMapping(['id', 'question', 'answer', 'sourceUrl'])).toEqual({
      id: 0,
      question: 1,
      answer: 2,
      sourceUrl: 3,
    });
  });

  it('reads CSV saved as GB18030 by Excel, and tab-separated text', async () => {
    // "问题,答案\n护照,出入境" in GB18030.
    const gb = Buffer.from('cecacce22cb4f0b0b80abba4d5d52cb3f6c8ebbeb3', 'hex');
    expect(decodeText(gb)).toBe('问题,答案\n护照,出入境');
    const sheet = await readSheet(gb, 'kb.csv');
    expect(sheet.headers).toEqual(['问题', '答案']);
    const tabs = await readSheet(Buffer.from('问题\t答案\n护照\t出入境, 办证\n'), 'kb.txt');
    expect(tabs.rows[0]!.cells.map((c) => c.text)).toEqual(['护照', '出入境, 办证']);
  });

  it('never evaluates a formula: its cached result is used with a warning, a formula without one is refused', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('x');
    sheet.addRow(['问题', '答案']);
    sheet.addRow(['有缓存', { formula: '"答"&"案"', result: '答案' }]);
    sheet.addRow(['没缓存', { formula: 'A1&A2' }]);
    sheet.addRow(['错误值', { error: '#N/A' }]);
    const read = await readSheet(Buffer.from(await book.xlsx.writeBuffer()), 'x.xlsx');
    const mapped = mapRows(read, guessMapping(read.headers), 'Asia/Shanghai');
    expect(mapped.valid.map((r) => r.content.answer)).toEqual(['答案']);
    expect(mapped.warnings).toEqual([
      { line: 2, messages: ['「答案」是公式，已使用表格保存的计算结果（公式不会被执行）'] },
    ]);
    expect(mapped.errors).toEqual([
      { line: 3, messages: ['「答案」是公式且没有保存的计算结果，请在 Excel 中粘贴为数值后再导入'] },
      { line: 4, messages: ['「答案」单元格是错误值（如 #N/A、#REF!）'] },
    ]);
  });

  it('finds the header below a title row, in xlsx and CSV, with rows numbered as the spreadsheet shows them', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('x');
    sheet.addRow(['临江市12345热线知识库（2026年11月）']);
    sheet.mergeCells('A1:C1');
    sheet.addRow(['序号', '标准问题', '答复口径']);
    sheet.addRow(['1', '护照过期怎么办', '到出入境大厅换发。']);
    const xlsx = await readSheet(Buffer.from(await book.xlsx.writeBuffer()), 'x.xlsx');
    expect(xlsx.headers).toEqual(['序号', '标准问题', '答复口径']);
    expect(xlsx.rows.map((r) => [r.line, r.cells[1]!.text])).toEqual([[3, '护照过期怎么办']]);
    const csv = await readSheet(
      Buffer.from('临江市12345热线知识库,,\n序号,标准问题,答复口径\n1,护照过期怎么办,到出入境大厅换发。\n'),
      'x.csv',
    );
    expect(csv.headers).toEqual(['序号', '标准问题', '答复口径']);
    expect(csv.rows.map((r) => r.line)).toEqual([3]);
    const mapped = mapRows(csv, guessMapping(csv.headers), 'Asia/Shanghai');
    expect(mapped.valid.map((r) => r.content.question)).toEqual(['护照过期怎么办']);
  });

  it('reports repeated ids and questions on the later row', async () => {
    const read = await readSheet(
      Buffer.from('编号,问题,答案\na1,护照,一\na1,签证,二\n,通行证,三\n,通行证,四\n'),
      'x.csv',
    );
    const mapped = mapRows(read, guessMapping(read.headers), 'Asia/Shanghai');
    expect(mapped.errors).toEqual([
      { line: 3, messages: ['编号 a1 与第 2 行重复'] },
      { line: 5, messages: ['标准问题与第 4 行重复'] },
    ]);
  });
});
