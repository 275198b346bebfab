import { describe, expect, it } from 'vitest';
import { entryOutFolds, similarQuestionFolds, versionedEntries, type KbLine } from '../../eval/kb-folds.js';

const line = (id: string, question: string, similar: string[], region = '临江市', category = '社保'): KbLine => ({
  id,
  question,
  similar,
  region,
  category,
  answer: `${question}的答案`,
});

const lines: KbLine[] = [
  line('hall', '临江市社保大厅在哪里？', ['社保局在哪', '社保中心地址', '社保大厅几点开门']),
  line('north-hall', '江北区社保大厅在哪里？', ['江北社保局在哪'], '江北区'),
  line('card', '社保卡丢了怎么补？', ['社保卡不见了', '补社保卡', '社保卡挂失', '社保卡被偷了']),
  line('pension', '怎么领养老金？', ['退休金怎么领', '养老金发放']),
  line('fund', '公积金怎么提取？', ['公积金取出来', '租房提公积金'], '临江市', '公积金'),
  line('loan', '公积金贷款能贷多少？', ['公积金贷款额度'], '临江市', '公积金'),
];

describe('knowledge-base folds', () => {
  it('asks every similar question exactly once, of a knowledge base that no longer holds it', () => {
    const folds = similarQuestionFolds(lines, 3);
    const asked = folds.flatMap((f) => f.questions.map((q) => q.q)).sort();
    expect(asked).toEqual(lines.flatMap((l) => l.similar ?? []).sort());
    for (const fold of folds) {
      expect(fold.lines.map((l) => l.id)).toEqual(lines.map((l) => l.id));
      const kept = new Set(fold.lines.flatMap((l) => [l.question, ...(l.similar ?? [])]));
      for (const q of fold.questions) {
        expect(kept.has(q.q)).toBe(false);
        expect(lines.find((l) => l.id === q.expect)?.similar).toContain(q.q);
      }
    }
    // An entry keeps phrasings in every fold when it has more than k of them.
    for (const fold of folds) expect(fold.lines.find((l) => l.id === 'card')!.similar!.length).toBeGreaterThan(0);
  });

  it('leaves district versions and their city-wide entry out of the near misses', () => {
    expect([...versionedEntries(lines)].sort()).toEqual(['hall', 'north-hall']);
    const folds = entryOutFolds(lines, 2);
    const removed = folds.flatMap((f) => lines.filter((l) => !f.lines.some((k) => k.id === l.id)).map((l) => l.id));
    expect(removed.sort()).toEqual(['card', 'fund', 'loan', 'pension']);
    for (const fold of folds) {
      const kept = new Set(fold.lines.flatMap((l) => [l.question, ...(l.similar ?? [])]));
      expect(fold.questions.length).toBeGreaterThan(0);
      for (const q of fold.questions) {
        expect(q.expect).toBeUndefined();
        expect(kept.has(q.q)).toBe(false);
      }
    }
  });
});
