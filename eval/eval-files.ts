import { z } from 'zod';

/** What an out-of-scope message should lead to. */
export const outOfScopeExpectations = ['ticket', 'emergency', 'chitchat', 'refuse'] as const;
export type OutOfScopeExpectation = (typeof outOfScopeExpectations)[number];

const text = z.string().trim().min(1).max(2000);
const kind = z.string().trim().min(1).max(40).optional();

/**
 * The first demo files used `query` / `expected` / `style`; they are read as `q` / `expect` / `kind`
 * so the harness runs on them too.
 */
const legacyQuery = (value: unknown): unknown => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  if (!('query' in v) || 'q' in v) return value;
  const { query, expected, style, ...rest } = v;
  return { ...rest, q: query, expect: v.expect ?? expected, kind: v.kind ?? style };
};

/** Legacy out-of-scope styles and what the bot should do with them. */
const legacyOutOfScopeStyles: Record<string, OutOfScopeExpectation> = {
  uncovered: 'ticket',
  report: 'ticket',
  chitchat: 'chitchat',
  offtopic: 'refuse',
};

const legacyOutOfScope = (value: unknown): unknown => {
  const mapped = legacyQuery(value);
  if (!mapped || typeof mapped !== 'object' || Array.isArray(mapped)) return mapped;
  const v = mapped as Record<string, unknown>;
  if (v.expect === undefined && typeof v.kind === 'string' && v.kind in legacyOutOfScopeStyles) {
    return { ...v, expect: legacyOutOfScopeStyles[v.kind] };
  }
  return mapped;
};

export const labelledQuerySchema = z.preprocess(
  legacyQuery,
  z.object({
    q: text,
    expect: z.string().trim().min(1).max(64),
    kind,
  }),
);
export type LabelledQuery = z.output<typeof labelledQuerySchema> & { line: number };

export const outOfScopeQuerySchema = z.preprocess(
  legacyOutOfScope,
  z.object({
    q: text,
    expect: z.enum(outOfScopeExpectations),
    kind,
  }),
);
export type OutOfScopeQuery = z.output<typeof outOfScopeQuerySchema> & { line: number };

export interface EvalFileError {
  line: number;
  reason: string;
}

/** Thrown when an evaluation file has bad lines; `errors` names each line and why. */
export class EvalFileInvalid extends Error {
  constructor(
    readonly file: string,
    readonly errors: EvalFileError[],
  ) {
    super(
      `${file}: ${errors.length} invalid line${errors.length === 1 ? '' : 's'}\n` +
        errors.map((e) => `${file}:${e.line}: ${e.reason}`).join('\n'),
    );
    this.name = 'EvalFileInvalid';
  }
}

function parseLines<T extends z.ZodType>(
  content: string,
  schema: T,
): { rows: (z.output<T> & { line: number })[]; errors: EvalFileError[] } {
  const rows: (z.output<T> & { line: number })[] = [];
  const errors: EvalFileError[] = [];
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const line = index + 1;
      if (!raw.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        errors.push({ line, reason: `invalid JSON: ${(error as Error).message}` });
        return;
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        errors.push({
          line,
          reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; '),
        });
        return;
      }
      rows.push({ ...(parsed.data as object), line } as z.output<T> & { line: number });
    });
  return { rows, errors };
}

/** Parses a labelled query file; any bad line fails the whole file (an evaluation on part of it would mislead). */
export function parseQueryFile(content: string, file = 'queries'): LabelledQuery[] {
  const { rows, errors } = parseLines(content, labelledQuerySchema);
  if (errors.length) throw new EvalFileInvalid(file, errors);
  if (!rows.length) throw new EvalFileInvalid(file, [{ line: 1, reason: 'the file has no queries' }]);
  return rows;
}

export function parseOutOfScopeFile(content: string, file = 'oos'): OutOfScopeQuery[] {
  const { rows, errors } = parseLines(content, outOfScopeQuerySchema);
  if (errors.length) throw new EvalFileInvalid(file, errors);
  return rows;
}

/** Expectations naming an entry the knowledge base does not have are errors too. */
export function checkExpectedEntries(queries: LabelledQuery[], entryIds: Set<string>, file = 'queries'): void {
  const errors = queries
    .filter((q) => !entryIds.has(q.expect))
    .map((q) => ({ line: q.line, reason: `expect: no entry "${q.expect}" in the knowledge base` }));
  if (errors.length) throw new EvalFileInvalid(file, errors);
}
