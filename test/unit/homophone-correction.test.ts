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
  it('corrects a misspelling the dictionary records but hardly knows, never a common word that sounds alike', () => {
    const withFrequencies = new HomophoneCorrector(['垃圾', '上牌', '工商', '人士'], {
      cut: (text) => segmenter.dictionaryWords(text),
      isKnownPair: (pair) => ['垃圾', '上牌', '工商', '人士'].includes(pair),
      isFunctionWord: (character) => segmenter.isStopword(character),
      isCommonWord: (word) => segmenter.isCommonWord(word),
    });
    // jieba lists 拉圾 (seen 3 times) and 上排 (30): misspellings, same sound and tones.
    expect(segmenter.dictionaryWords('拉圾')).toEqual(['拉圾']);
    expect(withFrequencies.corrections('过期药品属于什么拉圾')).toEqual(['垃圾']);
    expect(withFrequencies.corrections('去车管所上排')).toEqual(['上牌']);
    // 工伤 and 人事 are words in their own right.
    expect(withFrequencies.corrections('工伤认定找哪个部门')).toEqual([]);
    expect(withFrequencies.corrections('人事说公积金续上了')).toEqual([]);
    // Without word frequencies no dictionary word is corrected.
    expect(corrector.corrections('什么拉圾')).toEqual([]);
  });

  it('finds the knowledge-base words that voice input wrote with other characters of the same sound', () => {
    expect(corrector.corrections('社宝卡丢了')).toEqual(['社保卡']);
    expect(corrector.corrections('架照到期了')).toEqual(['驾照']);
    expect(corrector.corrections('上班时简是几点')).toEqual(['时间']);
    expect(corrector.corrections('湿业金能领多少 架照呢')).toEqual(['失业金', '驾照']);
    // The text as written stays; the words it meant follow.
    expect(corrector.withCorrections('社宝卡丢了')).toBe('社宝卡丢了 社保卡');
  });

  it('leaves real words and phrases alone', () => {
    // 住在 sounds like 住宅 to an accent, and 在 is a function word.
    expect(corrector.corrections('我住在江北区')).toEqual([]);
    // Known to the knowledge base as written.
    expect(corrector.corrections('办事大厅办公时间')).toEqual([]);
    // 说在 and 所在 differ by more than tone.
    expect(corrector.corrections('短信说在高速上超速')).toEqual([]);
    // Would cut the dictionary word 加拿大 in two.
    expect(corrector.corrections('儿子在加拿大')).toEqual([]);
  });

  it('corrects nothing when two knowledge-base words sound alike', () => {
    const ambiguous = new HomophoneCorrector(['时间', '事件'], {
      cut: (t) => [...t],
      isKnownPair: () => false,
      isFunctionWord: () => false,
    });
    expect(ambiguous.corrections('时简')).toEqual([]);
  });

  it('keeps text without Han characters and an empty vocabulary as it is', () => {
    expect(corrector.withCorrections('passport 12345')).toBe('passport 12345');
    const empty = new HomophoneCorrector([], {
      cut: (t) => [t],
      isKnownPair: () => false,
      isFunctionWord: () => false,
    });
    expect(empty.withCorrections('社宝卡')).toBe('社宝卡');
  });
});
