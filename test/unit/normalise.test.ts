import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../knowledge/normalise.js';

describe('normaliseText', () => {
  it('turns full-width letters, digits and punctuation into half-width and lower case', () => {
    expect(normaliseText('ＡＢＣ１２３，ＩＤ卡')).toBe('abc123 id卡');
  });

  it('converts Traditional Chinese to Simplified', () => {
    expect(normaliseText('護照過期了怎麼辦')).toBe('护照过期了怎么办');
  });

  it('writes quantities and dates with digits', () => {
    expect(normaliseText('奶奶满八十岁了')).toBe('奶奶满80岁了');
    expect(normaliseText('交了十五年社保')).toBe('交了15年社保');
    expect(normaliseText('二〇二七年春节')).toBe('2027年春节');
    expect(normaliseText('三月五号报名')).toBe('3月5日报名');
    expect(normaliseText('地铁3号线几点停运')).toBe('地铁3号线几点停运');
    expect(normaliseText('18号楼电梯坏了')).toBe('18号楼电梯坏了');
    expect(normaliseText('江北区望江路66号是社保中心吗')).toBe('江北区望江路66号是社保中心吗');
    expect(normaliseText('港城大道1号几点开门')).toBe('港城大道1号几点开门');
    expect(normaliseText('一百二十元工本费')).toBe('120元工本费');
  });

  it('removes polite fillers and punctuation', () => {
    expect(normaliseText('您好，我想问一下：社保卡丢了怎么办？？')).toBe('社保卡丢了怎么办');
  });
});
