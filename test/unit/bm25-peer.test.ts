import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../eval/bm25-peer.js';
import { ChineseSegmenter } from '../../knowledge/segmenter.js';

const segmenter = new ChineseSegmenter();

describe('BM25 peer', () => {
  it('ranks the document sharing the rarer words first', () => {
    const index = new Bm25Index(segmenter);
    index.add([
      { id: 'card', text: '社保卡丢了怎么补办\n社保卡挂失' },
      { id: 'passport', text: '护照过期了怎么换发' },
      { id: 'fund', text: '公积金余额怎么查询' },
    ]);
    expect(index.search('社保卡挂失')[0]!.id).toBe('card');
    expect(index.search('护照过期')[0]!.id).toBe('passport');
    expect(index.search('量子力学')).toEqual([]);
  });

  it('computes the Okapi score (k1 1.2, b 0.75) by hand on a two-document index', () => {
    const index = new Bm25Index({ words: (t: string) => t.split(' ') } as unknown as ChineseSegmenter);
    index.add([
      { id: 'd1', text: 'x y y' },
      { id: 'd2', text: 'z' },
    ]);
    // n = 2, df(y) = 1, avg length = 2, |d1| = 3, tf = 2
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * (2 * 2.2)) / (2 + 1.2 * (1 - 0.75 + (0.75 * 3) / 2));
    const [hit] = index.search('y');
    expect(hit!.id).toBe('d1');
    expect(hit!.score).toBeCloseTo(expected, 10);
  });

  it('returns at most topK hits, best first, and leaves no score behind between searches', () => {
    const index = new Bm25Index({ words: (t: string) => t.split(' ') } as unknown as ChineseSegmenter);
    index.add(Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, text: `w ${'v '.repeat(i)}`.trim() })));
    const first = index.search('w', 5);
    expect(first).toHaveLength(5);
    for (let i = 1; i < first.length; i++) expect(first[i - 1]!.score).toBeGreaterThanOrEqual(first[i]!.score);
    expect(first[0]!.id).toBe('d0'); // the shortest document
    expect(index.search('w', 5)).toEqual(first);
  });
});
