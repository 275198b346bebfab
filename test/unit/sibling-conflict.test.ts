import { describe, expect, it } from 'vitest';
import { decide } from '../../knowledge/decision.js';
import type { KnowledgeEntry } from '../../knowledge/entry.js';
import { loadLanguageResources } from '../../knowledge/knowledge-base.js';
import { LexicalIndex } from '../../knowledge/lexical-index.js';
import { siblingConflict, subjectWordsOf, type SiblingJudge } from '../../knowledge/sibling-conflict.js';
import { knowledgeEntry } from '../support/knowledge-entry.js';

const entry = (id: string, question: string, similar: string[], answer: string): KnowledgeEntry =>
  knowledgeEntry({ id, question, similar, answer });

const nouns = new Set(['身份证', '结婚证', '水费', '电费', '护照', '驾驶证']);
const judge = (uses: string[] = []): SiblingJudge => ({
  isNoun: (word) => nouns.has(word),
  entryUses: (word) => uses.includes(word),
});

describe('siblingConflict', () => {
  it('takes the words most phrasings use as the subject', () => {
    const phrasings = [
      ['身份证', '丢失', '补办'],
      ['身份证', '丢了'],
      ['身份证', '补领'],
      ['补办', '身份'],
      ['ID', 'card'],
    ];
    // 身份证 in 3 of 5, 补办 in 2 of 5 (≥ 30%), 丢失 in 1; Latin words are no subject.
    expect(subjectWordsOf(phrasings).sort()).toEqual(['身份证', '补办'].sort());
  });

  it('names a noun of the same kind with another modifier', () => {
    expect(siblingConflict(new Set(['结婚证', '丢失', '补办']), ['身份证', '补办'], judge())).toBe('结婚证/身份证');
    expect(siblingConflict(new Set(['水费', '阶梯']), ['电费'], judge())).toBe('水费/电费');
  });

  it('finds none when the message names the subject, the entry knows the word, or the word is a homophone typo', () => {
    // Both cards named: the entry's subject is asked about.
    expect(siblingConflict(new Set(['身份证', '结婚证']), ['身份证'], judge())).toBeUndefined();
    // The entry's answer speaks of 结婚证 too (e.g. materials to bring): no sibling.
    expect(siblingConflict(new Set(['结婚证']), ['身份证'], judge(['结婚证']))).toBeUndefined();
    // 福照 is 护照 misheard (fu/hu), not another document.
    expect(siblingConflict(new Set(['福照']), ['护照'], { ...judge(), isNoun: () => true })).toBeUndefined();
    // Not a noun pair, or not the same head, or not the same length: no judgement.
    expect(siblingConflict(new Set(['到期']), ['周期'], judge())).toBeUndefined();
    expect(siblingConflict(new Set(['驾驶证']), ['护照'], judge())).toBeUndefined();
  });
});

describe('sibling conflicts in the index and the decision', () => {
  const entries = [
    entry(
      'id-card',
      '身份证丢失后如何补办？',
      ['身份证丢了怎么办', '补办身份证', '身份证弄丢了咋补', '身份证找不着了要去哪办'],
      '身份证丢失后请到户籍所在地派出所补领。',
    ),
    entry(
      'power',
      '电费如何缴纳，居民阶梯电价怎么计算？',
      ['交电费', '电费怎么这么贵', '电费在手机上咋交'],
      '电费可在网上缴纳。',
    ),
    entry('passport', '护照过期了如何换发？', ['护照到期怎么换新', '护照快过期了'], '护照可在出入境窗口换发。'),
  ];
  const index = new LexicalIndex(loadLanguageResources().analyzer);
  index.rebuild(entries);
  const byId = new Map(entries.map((e) => [e.id, e]));

  it('marks the entry a sibling question matched, and does not answer with it', () => {
    const [top] = index.search('结婚证弄丢了，想补一本去哪办');
    expect(top?.entryId).toBe('id-card');
    expect(top?.conflict).toBe('结婚证/身份证');
    expect(decide(index.search('结婚证弄丢了，想补一本去哪办'), (id) => byId.get(id)).kind).not.toBe('answer');
    expect(index.search('水费怎么这么贵')[0]?.conflict).toBe('水费/电费');
  });

  it("still answers the entry's own questions, typed with homophones too", () => {
    for (const q of ['身份证弄丢了去哪补', '电费怎么这么贵啊']) {
      const ranked = index.search(q);
      expect(ranked[0]?.conflict).toBeUndefined();
      expect(decide(ranked, (id) => byId.get(id)).kind).toBe('answer');
    }
    expect(index.search('福照过期了咋换')[0]).toMatchObject({ entryId: 'passport' });
    expect(index.search('福照过期了咋换')[0]?.conflict).toBeUndefined();
  });
});
