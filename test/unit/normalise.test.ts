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

  it('reads written Cantonese as the Mandarin of the knowledge base', () => {
    expect(normaliseText('出世紙唔見咗點補')).toBe('出生证明不见了怎么补');
    expect(normaliseText('長者入景點要唔要買飛')).toBe('长者入景点要不要买票');
    expect(normaliseText('身份證唔見咗點算')).toBe('身份证不见了怎么办');
    expect(normaliseText('喺邊度可以辦回鄉證')).toBe('在哪里可以办回乡证');
    expect(normaliseText('有冇人知點樣申請')).toBe('有没有人知怎么申请');
  });

  it('leaves Mandarin words that share a character with Cantonese alone', () => {
    // 点 after a number or inside a word, 系 in 系统 and 关系.
    expect(normaliseText('景点几点开')).toBe('景点几点开');
    expect(normaliseText('地点在哪里')).toBe('地点在哪里');
    expect(normaliseText('系统关系联系')).toBe('系统关系联系');
  });
});
