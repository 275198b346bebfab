import { z } from 'zod';

/** The editable content of an entry: what a version holds and what publishing copies to the live row. */
export interface EntryContent {
  question: string;
  similar: string[];
  answer: string;
  category: string | null;
  department: string | null;
  region: string | null;
  tags: string[];
  /** ISO 8601 instants. */
  validFrom: string | null;
  validTo: string | null;
  sourceTitle: string | null;
  sourceNumber: string | null;
  sourceUrl: string | null;
}

export const contentFields = [
  'question',
  'similar',
  'answer',
  'category',
  'department',
  'region',
  'tags',
  'validFrom',
  'validTo',
  'sourceTitle',
  'sourceNumber',
  'sourceUrl',
] as const satisfies readonly (keyof EntryContent)[];
export type ContentField = (typeof contentFields)[number];

/** Chinese names of the fields, for row errors, diffs and spreadsheet headers. */
export const fieldLabels: Record<ContentField | 'id', string> = {
  id: '编号',
  question: '标准问题',
  similar: '相似问题',
  answer: '答案',
  category: '分类',
  department: '部门',
  region: '区域',
  tags: '标签',
  validFrom: '生效日期',
  validTo: '失效日期',
  sourceTitle: '政策文件',
  sourceNumber: '文号',
  sourceUrl: '政策链接',
};

export const limits = { question: 500, answer: 10_000, similar: 100, tags: 50, tag: 50 } as const;
export const entryIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Offset of a time zone from UTC at an instant, in milliseconds. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * A date as the manager means it, in the hotline's time zone: a policy valid from 2025-01-01 to
 * 2025-12-31 answers from the first day's start to the last day's end, local time.
 */
export function parseValidity(value: string, edge: 'start' | 'end', timeZone: string): Date | undefined {
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const parsed = new Date(trimmed);
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  const text = trimmed.replace(/[/.年月]/g, '-').replace(/日$/, '');
  const short = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (short) {
    const [y, m, d] = [Number(short[1]), Number(short[2]), Number(short[3])];
    const utc = Date.UTC(y, m - 1, d, edge === 'start' ? 0 : 23, edge === 'start' ? 0 : 59, edge === 'start' ? 0 : 59);
    const probe = new Date(utc);
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return undefined;
    const instant = new Date(utc - zoneOffsetMs(probe, timeZone));
    return edge === 'end' ? new Date(instant.getTime() + 999) : instant;
  }
  return undefined;
}

/** The date (YYYY-MM-DD) of an instant in the time zone: what the editor and exports show. */
export function validityDay(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

const requiredText = (field: ContentField, max: number) =>
  z
    .string({ message: `「${fieldLabels[field]}」不能为空` })
    .trim()
    .min(1, `「${fieldLabels[field]}」不能为空`)
    .max(max, `「${fieldLabels[field]}」不能超过 ${max} 字`);
const optionalText = (field: ContentField, max: number) =>
  z
    .string()
    .trim()
    .max(max, `「${fieldLabels[field]}」不能超过 ${max} 字`)
    .nullish()
    .transform((v) => v || null);
const uniqueTexts = (field: ContentField, count: number, each: number) =>
  z
    .array(z.string().trim().max(each, `「${fieldLabels[field]}」每项不能超过 ${each} 字`))
    .default([])
    .transform((items) => [...new Set(items.filter(Boolean))])
    .refine((items) => items.length <= count, `「${fieldLabels[field]}」最多 ${count} 项`);

/** Content as the console and the importer send it; dates as YYYY-MM-DD (local) or ISO instants. */
export function entryContentSchema(timeZone: string) {
  const date = (field: 'validFrom' | 'validTo', edge: 'start' | 'end') =>
    z
      .string()
      .trim()
      .nullish()
      .transform((value, ctx) => {
        if (!value) return null;
        const parsed = parseValidity(value, edge, timeZone);
        if (!parsed) {
          ctx.addIssue({ code: 'custom', message: `「${fieldLabels[field]}」不是有效日期（例：2025-01-31）` });
          return z.NEVER;
        }
        return parsed.toISOString();
      });
  return z
    .object({
      question: requiredText('question', limits.question),
      similar: uniqueTexts('similar', limits.similar, limits.question),
      answer: requiredText('answer', limits.answer),
      category: optionalText('category', 100),
      department: optionalText('department', 200),
      region: optionalText('region', 100),
      tags: uniqueTexts('tags', limits.tags, limits.tag),
      validFrom: date('validFrom', 'start'),
      validTo: date('validTo', 'end'),
      sourceTitle: optionalText('sourceTitle', 300),
      sourceNumber: optionalText('sourceNumber', 100),
      sourceUrl: optionalText('sourceUrl', 2000).refine(
        (v) => v === null || isHttpUrl(v),
        `「${fieldLabels.sourceUrl}」必须是 http:// 或 https:// 开头的网址`,
      ),
    })
    .refine((c) => !c.validFrom || !c.validTo || c.validFrom <= c.validTo, {
      message: '「生效日期」不能晚于「失效日期」',
      path: ['validTo'],
    })
    .transform((c) => ({ ...c, similar: c.similar.filter((s) => s !== c.question) }) satisfies EntryContent);
}

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const iso = (value: Date | string | null | undefined) =>
  value ? (value instanceof Date ? value : new Date(value)).toISOString() : null;

/** The content of a database row (an entry) or of a stored JSON snapshot (a version). */
export function contentOf(source: Record<string, unknown>): EntryContent {
  const text = (key: string) => (typeof source[key] === 'string' && source[key] ? (source[key] as string) : null);
  return {
    question: text('question') ?? '',
    similar: asStrings(source.similar),
    answer: text('answer') ?? '',
    category: text('category'),
    department: text('department'),
    region: text('region'),
    tags: asStrings(source.tags),
    validFrom: iso(source.validFrom as Date | string | null),
    validTo: iso(source.validTo as Date | string | null),
    sourceTitle: text('sourceTitle'),
    sourceNumber: text('sourceNumber'),
    sourceUrl: text('sourceUrl'),
  };
}

/** The columns of the entry row that hold content. */
export function rowFields(content: EntryContent) {
  return {
    ...content,
    validFrom: content.validFrom ? new Date(content.validFrom) : null,
    validTo: content.validTo ? new Date(content.validTo) : null,
  };
}

export function sameContent(a: EntryContent, b: EntryContent): boolean {
  return contentFields.every((f) => JSON.stringify(a[f]) === JSON.stringify(b[f]));
}

export interface TextPiece {
  op: 'same' | 'add' | 'del';
  text: string;
}

export type FieldChange =
  | { field: ContentField; label: string; kind: 'text'; before: string; after: string; pieces: TextPiece[] }
  | { field: ContentField; label: string; kind: 'list'; added: string[]; removed: string[] }
  | { field: ContentField; label: string; kind: 'value'; before: string | null; after: string | null };

/**
 * Character-level diff (Chinese has no spaces to split on), by longest common subsequence after
 * trimming the common prefix and suffix. Beyond a size budget the middle is shown as replaced.
 */
export function textDiff(before: string, after: string): TextPiece[] {
  const a = [...before];
  const b = [...after];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  const pieces: TextPiece[] = [];
  const push = (op: TextPiece['op'], ch: string) => {
    const last = pieces[pieces.length - 1];
    if (last && last.op === op) last.text += ch;
    else pieces.push({ op, text: ch });
  };
  a.slice(0, start).forEach((ch) => push('same', ch));
  if (midA.length * midB.length > 4_000_000) {
    midA.forEach((ch) => push('del', ch));
    midB.forEach((ch) => push('add', ch));
  } else {
    const n = midA.length;
    const m = midB.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (midA[i] === midB[j]) {
        push('same', midA[i]!);
        i++;
        j++;
      } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push('del', midA[i++]!);
      else push('add', midB[j++]!);
    }
    while (i < n) push('del', midA[i++]!);
    while (j < m) push('add', midB[j++]!);
  }
  a.slice(a.length - end).forEach((ch) => push('same', ch));
  return pieces;
}

/** What changed from one content to another, field by field, in the order of the editor. */
export function diffContent(before: EntryContent | null, after: EntryContent): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of contentFields) {
    const label = fieldLabels[field];
    const was = before ? before[field] : field === 'similar' || field === 'tags' ? [] : null;
    const now = after[field];
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    if (Array.isArray(now) || Array.isArray(was)) {
      const wasList = (was as string[] | null) ?? [];
      const nowList = (now as string[] | null) ?? [];
      changes.push({
        field,
        label,
        kind: 'list',
        added: nowList.filter((x) => !wasList.includes(x)),
        removed: wasList.filter((x) => !nowList.includes(x)),
      });
    } else if (field === 'question' || field === 'answer') {
      const b = (was as string | null) ?? '';
      const c = (now as string | null) ?? '';
      changes.push({ field, label, kind: 'text', before: b, after: c, pieces: textDiff(b, c) });
    } else {
      changes.push({ field, label, kind: 'value', before: was as string | null, after: now as string | null });
    }
  }
  return changes;
}
