import { describe, expect, it } from 'vitest';
import { parseKnowledgeJsonl } from '../../knowledge/jsonl.js';

const good = (id: string) => JSON.stringify({ id, question: `问题${id}`, answer: '答案' });

describe('parseKnowledgeJsonl', () => {
  it('accepts the minimal and the full interchange shape with defaults', () => {
    const full = JSON.stringify({
      id: 'kb-002',
      question: '社保卡丢了怎么办？',
      similar: ['社保卡掉了'],
      answer: '先挂失再补办。',
      category: '社会保障',
      department: '人社局',
      region: '临江市',
      tags: ['社保卡'],
    });
    const { entries, errors } = parseKnowledgeJsonl(`${good('kb-001')}\n\n${full}\n`);
    expect(errors).toEqual([]);
    expect(entries.map((e) => e.line)).toEqual([1, 3]);
    expect(entries[0]!.entry).toMatchObject({ similar: [], tags: [], status: 'published', category: null });
    expect(entries[1]!.entry).toMatchObject({ similar: ['社保卡掉了'], department: '人社局' });
  });

  it('reports each bad line with its number and reason and keeps the valid lines', () => {
    const text = [
      good('kb-001'),
      '{not json',
      JSON.stringify({ id: 'kb-003', question: '缺答案' }),
      JSON.stringify({ id: 'bad id', question: 'q', answer: 'a' }),
      good('kb-001'),
      JSON.stringify({ id: 'kb-006', question: 'q', answer: 'a', similar: 'not a list' }),
      good('kb-007'),
    ].join('\n');
    const { entries, errors } = parseKnowledgeJsonl(text);
    expect(entries.map((e) => e.entry.id)).toEqual(['kb-001', 'kb-007']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(errors[0]!.reason).toMatch(/invalid JSON/);
    expect(errors[1]!.reason).toMatch(/^answer:/);
    expect(errors[2]!.reason).toMatch(/^id:/);
    expect(errors[3]!.reason).toMatch(/duplicate id "kb-001" \(first on line 1\)/);
    expect(errors[4]!.reason).toMatch(/^similar:/);
  });

  it('rejects a validity period that ends before it starts', () => {
    const line = JSON.stringify({
      id: 'kb-1',
      question: 'q',
      answer: 'a',
      validFrom: '2026-05-01',
      validTo: '2026-01-01',
    });
    expect(parseKnowledgeJsonl(line).errors[0]!.reason).toMatch(/validTo/);
  });
});
