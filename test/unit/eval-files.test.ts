import { describe, expect, it } from 'vitest';
import { checkExpectedEntries, EvalFileInvalid, parseOutOfScopeFile, parseQueryFile } from '../../eval/eval-files.js';

const lines = (...values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');

function errorsOf(work: () => unknown): { line: number; reason: string }[] {
  try {
    work();
  } catch (error) {
    if (error instanceof EvalFileInvalid) return error.errors;
    throw error;
  }
  throw new Error('expected EvalFileInvalid');
}

describe('evaluation files', () => {
  it('reads query lines with their line numbers, skipping blank lines', () => {
    const queries = parseQueryFile(
      lines({ q: '社保卡丢了', expect: 'kb-1', kind: 'colloquial' }, '', { q: '护照过期', expect: 'kb-2' }),
    );
    expect(queries).toEqual([
      { q: '社保卡丢了', expect: 'kb-1', kind: 'colloquial', line: 1 },
      { q: '护照过期', expect: 'kb-2', line: 3 },
    ]);
  });

  it('reports every bad line with its number and reason', () => {
    const errors = errorsOf(() =>
      parseQueryFile(
        lines(
          { q: '好的一行', expect: 'kb-1' },
          '{not json',
          { q: '', expect: 'kb-1' },
          { q: '没有期望' },
          { q: '正常', expect: 'kb-2' },
        ),
        'queries.jsonl',
      ),
    );
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(errors[0]!.reason).toMatch(/invalid JSON/);
    expect(errors[1]!.reason).toMatch(/^q:/);
    expect(errors[2]!.reason).toMatch(/^expect:/);
  });

  it('names the file and line in the error message', () => {
    expect(() => parseQueryFile(lines({ q: 'x', expect: 'a' }, '[]'), 'q.jsonl')).toThrow(/q\.jsonl:2: /);
  });

  it('accepts only the four out-of-scope expectations', () => {
    const errors = errorsOf(() =>
      parseOutOfScopeFile(lines({ q: '着火了', expect: 'emergency' }, { q: '你好', expect: 'greeting' })),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(2);
    expect(parseOutOfScopeFile(lines({ q: '着火了', expect: 'emergency' }))[0]!.expect).toBe('emergency');
  });

  it('reads the first demo format (query / expected / style)', () => {
    expect(parseQueryFile(lines({ query: '社保卡', expected: 'kb-1', style: 'keywords' }))[0]).toEqual({
      q: '社保卡',
      expect: 'kb-1',
      kind: 'keywords',
      line: 1,
    });
    const oos = parseOutOfScopeFile(
      lines(
        { query: '今天天气', style: 'offtopic' },
        { query: '你好', style: 'chitchat' },
        { query: 'x', style: 'report' },
      ),
    );
    expect(oos.map((o) => o.expect)).toEqual(['refuse', 'chitchat', 'ticket']);
  });

  it('rejects expectations naming an entry the knowledge base lacks', () => {
    const queries = parseQueryFile(lines({ q: 'a', expect: 'kb-1' }, { q: 'b', expect: 'kb-9' }));
    expect(() => checkExpectedEntries(queries, new Set(['kb-1', 'kb-2', 'kb-9']))).not.toThrow();
    const errors = errorsOf(() => checkExpectedEntries(queries, new Set(['kb-1'])));
    expect(errors).toEqual([{ line: 2, reason: 'expect: no entry "kb-9" in the knowledge base' }]);
  });

  it('rejects an empty query file', () => {
    expect(errorsOf(() => parseQueryFile('\n\n'))[0]!.reason).toMatch(/no queries/);
  });
});
