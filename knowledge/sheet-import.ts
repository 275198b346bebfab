import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { contentFields, entryContentSchema, entryIdPattern, fieldLabels, type ContentField } from './entry-content.js';
import { questionKey, type ImportRow } from './entry-workflow.js';

/** Rows one console import may hold; larger files are split, or loaded with the CLI. */
export const maxImportRows = 20_000;
/** Bytes of an uploaded file (the HTTP route answers 413 beyond it). */
export const maxImportBytes = 10 * 1024 * 1024;

export type ImportField = ContentField | 'id';
export const importFields: readonly ImportField[] = ['id', ...contentFields];
export const requiredFields: readonly ImportField[] = ['question', 'answer'];

/** Header names recognised for each field (compared without spaces, case-insensitively). */
const headerAliases: Record<ImportField, string[]> = {
  id: ['id', '编号', '条目编号', '知识编号', 'ID'],
  question: ['question', '问题', '标准问题', '标准问', '问题标题', '知识标题', '标题'],
  similar: ['similar', 'similarquestions', '相似问题', '相似问', '相似问法', '扩展问题', '扩展问', '同义问法'],
  answer: ['answer', '答案', '标准答案', '回答', '答复', '答复口径', '内容'],
  category: ['category', '分类', '类别', '业务分类', '知识分类'],
  department: ['department', '部门', '责任部门', '主管部门', '承办部门', '单位'],
  region: ['region', '区域', '地区', '适用区域', '适用范围', '区县'],
  tags: ['tags', 'tag', '标签', '关键词', '关键字'],
  validFrom: ['validfrom', '生效日期', '生效时间', '开始日期', '有效期起'],
  validTo: ['validto', '失效日期', '失效时间', '截止日期', '到期日期', '有效期止', '有效期至'],
  sourceTitle: ['sourcetitle', '政策文件', '政策依据', '依据文件', '来源', '文件名称', '政策名称'],
  sourceNumber: ['sourcenumber', '文号', '发文字号', '文件编号', '政策文号'],
  sourceUrl: ['sourceurl', '政策链接', '链接', '网址', '原文链接', 'url'],
};

const squash = (header: string) => header.replace(/[\s_\-:：（）()*＊]/g, '').toLowerCase();

/** Column index of each field, guessed from the headers; unrecognised columns are left out. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export function guessMapping(headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const squashed = headers.map(squash);
  for (const field of importFields) {
    const aliases = headerAliases[field].map(squash);
    const index = squashed.findIndex((h, i) => aliases.includes(h) && !Object.values(mapping).includes(i));
    if (index >= 0) mapping[field] = index;
  }
  return mapping;
}

export interface SheetCell {
  text: string;
  /** The cell held a formula; text is its cached result (formulas are never evaluated). */
  formula?: boolean;
  /** The cell held an Excel error value (#N/A, #REF!...). */
  error?: boolean;
}

export interface Sheet {
  format: 'xlsx' | 'csv' | 'jsonl';
  headers: string[];
  /** Data rows with their row number as shown by a spreadsheet program (the header is row 1). */
  rows: { line: number; cells: SheetCell[] }[];
  /** Problems with the file as a whole (then nothing can be imported). */
  problems: string[];
}

export class SheetError extends Error {}

const tooMany = (rows: number) =>
  `文件共有 ${rows} 行数据，超过单次导入上限 ${maxImportRows} 行，请拆分成多个文件分批导入（或由管理员使用命令行 minsheng kb import 导入）`;

/** Which format the bytes are: a zip (xlsx), JSON lines, or delimited text. */
export function detectFormat(bytes: Buffer, filename = ''): Sheet['format'] {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  const name = filename.toLowerCase();
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.xlsx')) return 'xlsx';
  const head = bytes
    .subarray(0, 200)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return head.startsWith('{') ? 'jsonl' : 'csv';
}

/** UTF-8 (with or without BOM), or GB18030 as Excel in a Chinese locale saves CSV. */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Reads a spreadsheet or JSONL file into header and rows of text; never evaluates formulas. */
export async function readSheet(bytes: Buffer, filename = '', maxRows = maxImportRows): Promise<Sheet> {
  const format = detectFormat(bytes, filename);
  if (format === 'xlsx') return readXlsx(bytes, maxRows);
  const text = decodeText(bytes);
  return format === 'jsonl' ? readJsonl(text, maxRows) : readCsv(text, maxRows);
}

function cellText(value: ExcelJS.CellValue): SheetCell {
  if (value === null || value === undefined) return { text: '' };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10) };
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as ExcelJS.CellFormulaValue).result;
      if (result === undefined || result === null) return { text: '', formula: true };
      if (typeof result === 'object' && result !== null && 'error' in result)
        return { text: '', formula: true, error: true };
      return { ...cellText(result as ExcelJS.CellValue), formula: true };
    }
    if ('richText' in value) return { text: value.richText.map((r) => r.text).join('') };
    if ('hyperlink' in value) {
      const link = value as ExcelJS.CellHyperlinkValue;
      const shown = typeof link.text === 'string' ? link.text : cellText(link.text as ExcelJS.CellValue).text;
      return { text: /^https?:\/\//i.test(link.hyperlink) ? link.hyperlink : shown };
    }
    if ('error' in value) return { text: '', error: true };
    return { text: '' };
  }
  return { text: String(value) };
}

async function readXlsx(bytes: Buffer, maxRows: number): Promise<Sheet> {
  // Loaded on first use: every CLI command and server start would otherwise pay for it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return {
      format: 'xlsx',
      headers: [],
      rows: [],
      problems: ['无法读取此 Excel 文件：文件已损坏，或不是 .xlsx 格式（旧版 .xls 请先另存为 .xlsx）'],
    };
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return { format: 'xlsx', headers: [], rows: [], problems: ['工作簿中没有数据'] };
  if (sheet.actualRowCount - 1 > maxRows) {
    return { format: 'xlsx', headers: [], rows: [], problems: [tooMany(sheet.actualRowCount - 1)] };
  }
  const all: Sheet['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: SheetCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    all.push({ line: number, cells });
  });
  const at = headerRowIndex(all.map((row) => row.cells.map((cell) => cell.text)));
  const headers = (all[at]?.cells ?? []).map((cell) => cell.text.trim());
  const rows = all.slice(at + 1).filter((row) => row.cells.some((cell) => cell.text.trim() || cell.formula));
  return { format: 'xlsx', headers, rows, problems: rows.length ? [] : ['表格中除表头外没有数据行'] };
}

/** How far down a header row is looked for. */
const HEADER_SEARCH_ROWS = 5;

/**
 * Government spreadsheets often open with a title row or two ("临江市12345知识库（2026年11月）")
 * above the header: the header is the first leading row that names the required columns, or the
 * first row when none does (then the mapping step says which columns are missing).
 */
function headerRowIndex(rows: string[][]): number {
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const mapping = guessMapping(rows[i]!.map((text) => text.trim()));
    if (requiredFields.every((field) => mapping[field] !== undefined)) return i;
  }
  return 0;
}

function readCsv(text: string, maxRows: number): Sheet {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    return { format: 'csv', headers: [], rows: [], problems: [`CSV 格式错误：${(error as Error).message}`] };
  }
  if (!records.length) return { format: 'csv', headers: [], rows: [], problems: ['文件是空的'] };
  if (records.length - 1 > maxRows)
    return { format: 'csv', headers: [], rows: [], problems: [tooMany(records.length - 1)] };
  const at = headerRowIndex(records);
  const header = records[at]!;
  const data = records.slice(at + 1);
  // Our exports quote a leading = + - @ with an apostrophe against formula injection; it is removed here.
  const unquote = (cell: string) => (/^'[=+\-@]/.test(cell) ? cell.slice(1) : cell);
  return {
    format: 'csv',
    headers: header.map((h) => h.trim()),
    rows: data.map((cells, i) => ({ line: at + i + 2, cells: cells.map((c) => ({ text: unquote(c) })) })),
    problems: data.length ? [] : ['文件中除表头外没有数据行'],
  };
}

function readJsonl(text: string, maxRows: number): Sheet {
  const lines = text.split(/\r?\n/);
  const nonEmpty = lines.filter((l) => l.trim()).length;
  if (nonEmpty > maxRows) return { format: 'jsonl', headers: [], rows: [], problems: [tooMany(nonEmpty)] };
  const headers = [...importFields] as string[];
  const rows: Sheet['rows'] = [];
  const problems: string[] = [];
  lines.forEach((raw, index) => {
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      rows.push({ line: index + 1, cells: headers.map(() => ({ text: '', error: true })) });
      return;
    }
    const record = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    rows.push({
      line: index + 1,
      cells: headers.map((h) => {
        const v = record[h];
        if (Array.isArray(v)) return { text: v.map(String).join('\n') };
        return { text: v === undefined || v === null ? '' : String(v) };
      }),
    });
  });
  if (!rows.length) problems.push('文件是空的');
  return { format: 'jsonl', headers, rows, problems };
}

export interface RowIssue {
  line: number;
  messages: string[];
}

export interface MappedRows {
  valid: ImportRow[];
  errors: RowIssue[];
  /** Accepted rows with something the manager should know (a formula's cached value was used). */
  warnings: RowIssue[];
  /** Problems of the whole file or mapping: nothing is importable. */
  problems: string[];
}

const splitList = (text: string, separators: RegExp) =>
  text
    .split(separators)
    .map((s) => s.trim())
    .filter(Boolean);

export interface MapRowsOptions {
  /** The entry already asking each question (key: `questionKey`), e.g. `EntryWorkflow.questionOwners()`. */
  existingQuestions?: ReadonlyMap<string, string>;
}

/**
 * Validates every row against the mapping, with errors in Chinese naming the row and column.
 * A row is valid or not as a whole; repeated ids or questions are errors on the later row, and so
 * is a question an existing entry with another id asks (unless this file gives that entry a new one).
 */
export function mapRows(
  sheet: Sheet,
  mapping: ColumnMapping,
  timeZone: string,
  options: MapRowsOptions = {},
): MappedRows {
  const problems = [...sheet.problems];
  const missing = requiredFields.filter((f) => mapping[f] === undefined);
  if (!sheet.problems.length && missing.length) {
    problems.push(`缺少必需的列：${missing.map((f) => fieldLabels[f]).join('、')}。请在列对应中指定，或检查表头`);
  }
  const result: MappedRows = { valid: [], errors: [], warnings: [], problems };
  if (problems.length) return result;
  const schema = entryContentSchema(timeZone);
  const seenIds = new Map<string, number>();
  const seenQuestions = new Map<string, number>();
  const idColumn = mapping.id;
  // Entries this file rewrites by id: their current question no longer counts against other rows.
  const idsInFile = new Set(
    idColumn === undefined ? [] : sheet.rows.map((r) => r.cells[idColumn]?.text.trim() ?? '').filter(Boolean),
  );
  for (const row of sheet.rows) {
    const messages: string[] = [];
    const notes: string[] = [];
    // A field whose cell was refused already has its message; its emptiness is not reported again.
    const flagged = new Set<string>();
    const cell = (field: ImportField): string => {
      const index = mapping[field];
      if (index === undefined) return '';
      const value = row.cells[index];
      if (!value) return '';
      if (value.error) {
        messages.push(`「${fieldLabels[field]}」单元格是错误值（如 #N/A、#REF!）`);
        flagged.add(field);
      } else if (value.formula) {
        if (value.text) notes.push(`「${fieldLabels[field]}」是公式，已使用表格保存的计算结果（公式不会被执行）`);
        else {
          messages.push(`「${fieldLabels[field]}」是公式且没有保存的计算结果，请在 Excel 中粘贴为数值后再导入`);
          flagged.add(field);
        }
      }
      return value.text.trim();
    };
    if (sheet.format === 'jsonl' && row.cells.every((c) => c.error)) {
      result.errors.push({ line: row.line, messages: ['这一行不是有效的 JSON'] });
      continue;
    }
    const id = cell('id');
    if (id && !entryIdPattern.test(id))
      messages.push('「编号」只能包含字母、数字和 . _ : -，以字母或数字开头，最长 64 位');
    const parsed = schema.safeParse({
      question: cell('question'),
      similar: splitList(cell('similar'), /\r?\n|[|｜;；]/),
      answer: cell('answer'),
      category: cell('category'),
      department: cell('department'),
      region: cell('region'),
      tags: splitList(cell('tags'), /\r?\n|[,，、;；|｜]/),
      validFrom: cell('validFrom'),
      validTo: cell('validTo'),
      sourceTitle: cell('sourceTitle'),
      sourceNumber: cell('sourceNumber'),
      sourceUrl: cell('sourceUrl'),
    });
    if (!parsed.success) {
      const issues = parsed.error.issues.filter((i) => !flagged.has(String(i.path[0])));
      messages.push(...new Set(issues.map((i) => i.message)));
    }
    const key = parsed.success ? questionKey(parsed.data.question) : '';
    if (parsed.success) {
      const earlierQuestion = seenQuestions.get(key);
      if (earlierQuestion !== undefined) messages.push(`标准问题与第 ${earlierQuestion} 行重复`);
      const owner = options.existingQuestions?.get(key);
      if (id && owner !== undefined && owner !== id && !idsInFile.has(owner))
        messages.push(`标准问题与已有条目 ${owner} 重复（同一问题只能有一个条目，请修改已有条目或删除此行）`);
      const earlierId = id ? seenIds.get(id) : undefined;
      if (earlierId !== undefined) messages.push(`编号 ${id} 与第 ${earlierId} 行重复`);
    }
    if (messages.length || !parsed.success) {
      result.errors.push({ line: row.line, messages });
      continue;
    }
    if (id) seenIds.set(id, row.line);
    seenQuestions.set(key, row.line);
    if (notes.length) result.warnings.push({ line: row.line, messages: notes });
    result.valid.push({ line: row.line, ...(id ? { id } : {}), content: parsed.data });
  }
  return result;
}
