import { interchangeEntrySchema, type InterchangeEntry } from './entry.js';

export interface ParsedLine {
  line: number;
  entry: InterchangeEntry;
}

export interface LineError {
  line: number;
  reason: string;
}

export interface JsonlParseResult {
  entries: ParsedLine[];
  errors: LineError[];
}

/**
 * Parses the JSONL interchange format. A bad line is reported with its number and reason and
 * does not stop the others; blank lines are ignored; a repeated id is an error on the later line.
 */
export function parseKnowledgeJsonl(text: string): JsonlParseResult {
  const entries: ParsedLine[] = [];
  const errors: LineError[] = [];
  const seen = new Map<string, number>();
  text
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
      const parsed = interchangeEntrySchema.safeParse(value);
      if (!parsed.success) {
        const reason = parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(line)'}: ${issue.message}`)
          .join('; ');
        errors.push({ line, reason });
        return;
      }
      const earlier = seen.get(parsed.data.id);
      if (earlier !== undefined) {
        errors.push({ line, reason: `duplicate id "${parsed.data.id}" (first on line ${earlier})` });
        return;
      }
      seen.set(parsed.data.id, line);
      entries.push({ line, entry: parsed.data });
    });
  return { entries, errors };
}
