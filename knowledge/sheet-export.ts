import { stringify } from 'csv-stringify/sync';
import { contentFields, fieldLabels, validityDay, type EntryContent } from './entry-content.js';
import type { EntryStatus } from './entry.js';

export const exportFormats = ['xlsx', 'csv', 'jsonl'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportRow {
  id: string;
  status: EntryStatus;
  content: EntryContent;
}

const statusLabels: Record<EntryStatus, string> = {
  draft: '草稿',
  review: '审核中',
  published: '已发布',
  archived: '已归档',
};

/** Header row: the import's own names, so an export maps back on import without any change. */
const headers = [fieldLabels.id, ...contentFields.map((f) => fieldLabels[f]), '状态'];

function cells(row: ExportRow, timeZone: string): string[] {
  const c = row.content;
  return [
    row.id,
    ...contentFields.map((f) => {
      if (f === 'validFrom' || f === 'validTo') return validityDay(c[f], timeZone);
      const value = c[f];
      return Array.isArray(value) ? value.join(f === 'tags' ? '、' : '\n') : (value ?? '');
    }),
    statusLabels[row.status],
  ];
}

// A cell starting with = + - @ would run as a formula in a spreadsheet program (CSV injection).
const defuse = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

/** The entries in one of the interchange formats. */
export async function exportEntries(rows: ExportRow[], format: ExportFormat, timeZone: string): Promise<Buffer> {
  if (format === 'jsonl') {
    const lines = rows.map((r) =>
      JSON.stringify({
        id: r.id,
        ...Object.fromEntries(
          Object.entries(r.content).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)),
        ),
        status: r.status,
      }),
    );
    return Buffer.from(lines.join('\n') + (lines.length ? '\n' : ''), 'utf8');
  }
  if (format === 'csv') {
    // The BOM makes Excel read the file as UTF-8. csv-stringify quotes a cell containing the record
    // delimiter (\r\n) but not a bare \n, which joins several similar questions: RFC 4180 wants every
    // cell with a line break quoted, or Excel and csv readers split the record there.
    const body = stringify([headers, ...rows.map((r) => cells(r, timeZone).map(defuse))], {
      record_delimiter: '\r\n',
      quoted_match: /[\r\n]/,
    });
    return Buffer.from(`\uFEFF${body}`, 'utf8');
  }
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Minsheng';
  const sheet = workbook.addWorksheet('知识库');
  sheet.addRow(headers).font = { bold: true };
  // Strings are written as strings: exceljs never turns "=..." text into a formula.
  for (const row of rows) sheet.addRow(cells(row, timeZone));
  sheet.columns.forEach((column, i) => {
    column.width = [20, 30, 30, 60][i] ?? 16;
    column.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
