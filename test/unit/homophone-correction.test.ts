import { describe, expect, it } from 'vitest';
import { HomophoneCorrector } from '../../knowledge/homophone-correction.js';
import { ChineseSegmenter } from '../../knowledge/segmenter.js';

const segmenter = new ChineseSegmenter();
const vocabulary = ['社保卡', '驾照', '时间', '住宅', '燃气', '失业金', '办事', '所在', '补办'];
const knowledgeText = ['社保卡丢了怎么补办', '驾照到期换证', '办事大厅办公时间', '住宅装修', '燃气泄漏', '失业金领取'];
const pairs = new Set(knowledgeText.flatMap((text) => [...text].slice(1).map((c, i) => text[i]! + c)));
const corrector = new HomophoneCorrector(vocabulary, {
  cut: (text) => segmenter.dictionaryWords(text),
  isKnownPair: (pair) => pairs.has(pair),
  isFunctionWord: (character) => segmenter.isStopword(character),
});

describe('HomophoneCorrector', () => {
  it('puts back knowledge-base words that voice input wrote with other characters of the same sound', () => {
    expect(corrector.correct('社宝卡丢了')).toBe('社保卡丢了');
    expect(corrector.correct('架照到期了')).toBe('驾照到期了');
    expect(corrector.correct('上班时简是几点')).toBe('上班时间是几点');
    expect(corrector.correct('湿业金能领多少')).toBe('失业金能领多少');
  });

  it('leaves real words and phrases alone', () => {
    // 住在 sounds like 住宅 to an accent, and 在 is a function word.
    expect(corrector.correct('我住在江北区')).toBe('我住在江北区');
    // Known to the knowledge base as written.
    expect(corrector.correct('办事大厅办公时间')).toBe('办事大厅办公时间');
    // 说在 and 所在 differ by more than tone.
    expect(corrector.correct('短信说在高速上超速')).toBe('短信说在高速上超速');
    // Would cut the dictionary word 加拿大 in two.
    expect(corrector.correct('儿子在加拿大')).toBe('儿子在加拿大');
  });

  it('corrects nothing when two knowledge-base words sound alike', () => {
    const ambiguous = new HomophoneCorrector(['时间', '事件'], {
      cut: (t) => [...t],
      isKnownPair: () => false,
      isFunctionWord: () => false,
    });
    expect(ambiguous.correct('时简')).toBe('时简');
  });

  it('keeps text without Han characters and an empty vocabulary as it is', () => {
    expect(corrector.correct('passport 12345')).toBe('passport 12345');
    expect(
      new HomophoneCorrector([], { cut: (t) => [t], isKnownPair: () => false, isFunctionWord: () => false }).correct(
        '社宝卡',
      ),
    ).toBe('社宝卡');
  });
});
