import { describe, expect, it } from 'vitest';
import { textSimilarity } from '../../workorders/similarity.js';
import { parseSatisfaction } from '../../workorders/texts.js';

describe('return-visit answers', () => {
  it('reads the rating and the optional comment', () => {
    expect(parseSatisfaction('满意')).toEqual({ satisfaction: 'satisfied' });
    expect(parseSatisfaction('基本满意，处理得有点慢')).toEqual({
      satisfaction: 'basically-satisfied',
      comment: '处理得有点慢',
    });
    expect(parseSatisfaction('不满意，晚上还是很吵')).toEqual({
      satisfaction: 'dissatisfied',
      comment: '晚上还是很吵',
    });
    expect(parseSatisfaction('非常不满意')).toEqual({ satisfaction: 'dissatisfied' });
    expect(parseSatisfaction('我对这个结果满意')).toBeUndefined();
    expect(parseSatisfaction('社保卡丢了怎么办')).toBeUndefined();
  });
});

describe('text similarity for merging duplicates', () => {
  it('scores reworded reports of one problem high and different problems low', () => {
    const a = '望江路18号烧烤店每天夜里油烟很大，还很吵';
    expect(textSimilarity(a, a)).toBe(1);
    // Phone numbers in the descriptions do not count.
    expect(textSimilarity(`${a}，电话13812345678`, `${a}，电话13900001111`)).toBe(1);
    expect(textSimilarity(a, '望江路18号那家烧烤店夜里油烟太大了')).toBeGreaterThan(0.5);
    expect(textSimilarity(a, '学府路路灯坏了好几天')).toBeLessThan(0.2);
    expect(textSimilarity('', a)).toBe(0);
  });
});
